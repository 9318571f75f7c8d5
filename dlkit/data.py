"""Small data sets for the chapters: toy 2-D problems and real handwritten digits.

The 2-D sets return ``X: (n, 2)`` floats and ``y: (n,)`` integer labels. ``rng`` takes an int, a
``numpy.random.Generator`` or None (dlkit's module generator; see :mod:`dlkit.rng`).
"""

from __future__ import annotations

import numpy as np

from dlkit.rng import RngLike, as_generator


def _check_size(n: int, name: str = "n") -> None:
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be a positive whole number, got {n!r}.")


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four points of XOR: label 1 when exactly one input is 1. No line separates them."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([0, 1, 1, 0])
    return X, y


def moons(n: int = 200, noise: float = 0.1, *, rng: RngLike = None
          ) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (``n`` points in all), with Gaussian ``noise``."""
    _check_size(n)
    generator = as_generator(rng)
    n_upper = n // 2
    angle_upper = np.linspace(0, np.pi, n_upper)
    angle_lower = np.linspace(0, np.pi, n - n_upper)
    upper = np.column_stack([np.cos(angle_upper), np.sin(angle_upper)])
    lower = np.column_stack([1 - np.cos(angle_lower), 0.5 - np.sin(angle_lower)])
    X = np.vstack([upper, lower]) + generator.normal(0, noise, size=(n, 2))
    y = np.concatenate([np.zeros(n_upper, dtype=int), np.ones(n - n_upper, dtype=int)])
    return X, y


def circles(n: int = 200, noise: float = 0.05, *, factor: float = 0.5, rng: RngLike = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """A small circle (label 1, radius ``factor``) inside a large one (label 0, radius 1)."""
    _check_size(n)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1, got {factor}.")
    generator = as_generator(rng)
    n_outer = n // 2
    angle_outer = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    angle_inner = np.linspace(0, 2 * np.pi, n - n_outer, endpoint=False)
    outer = np.column_stack([np.cos(angle_outer), np.sin(angle_outer)])
    inner = factor * np.column_stack([np.cos(angle_inner), np.sin(angle_inner)])
    X = np.vstack([outer, inner]) + generator.normal(0, noise, size=(n, 2))
    y = np.concatenate([np.zeros(n_outer, dtype=int), np.ones(n - n_outer, dtype=int)])
    return X, y


def spirals(n_per_class: int = 100, classes: int = 3, noise: float = 0.2, *,
            rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms of ``n_per_class`` points each (CS231n's classic)."""
    _check_size(n_per_class, "n_per_class")
    _check_size(classes, "classes")
    generator = as_generator(rng)
    X = np.zeros((n_per_class * classes, 2))
    y = np.repeat(np.arange(classes), n_per_class)
    radius = np.linspace(0.0, 1.0, n_per_class)
    for label in range(classes):
        angle = (np.linspace(label * 4.0, (label + 1) * 4.0, n_per_class)
                 + generator.normal(0, noise, n_per_class))
        rows = slice(label * n_per_class, (label + 1) * n_per_class)
        X[rows] = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return X, y


def _check_fraction(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (float, int, np.floating, np.integer)) \
            or not 0 < value < 1:
        raise ValueError(f"{name} must be a fraction between 0 and 1 (e.g. 0.2), got {value!r}.")


def _split_seed(rng: RngLike) -> int:
    """scikit-learn's ``random_state`` for ``rng``: an int as it is, else a number drawn from it."""
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return int(rng)
    return int(as_generator(rng).integers(2**32 - 1))


def digits(test_size: float = 0.2, validation_size: float | None = None, *, rng: RngLike = 0,
           standardize: bool = True) -> tuple[np.ndarray, ...]:
    """Real handwritten digits: 1,797 images of 8×8 pixels (scikit-learn's ``load_digits``).

    Returns ``X_train, X_test, y_train, y_test`` (scikit-learn's order), or, with
    ``validation_size``, six arrays ``X_train, X_val, X_test, y_train, y_val, y_test``.
    ``X: (n, 64)`` floats, ``y: (n,)`` labels 0–9; ``X[i].reshape(8, 8)`` is an image.

    Args:
        test_size: the fraction of all images set aside for the final test.
        validation_size: the fraction of *all* images (not of the rest) split off the training part
            to choose hyperparameters on. The test part is the same images with or without it.
        rng: which shuffle (an int seed; a Generator or None draws one).
        standardize: shift and scale each pixel by the *training* part's mean and standard
            deviation (neither validation nor test images leak into them); otherwise raw 0–16.

    Every split is stratified: each digit appears in the same proportion in every part.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    _check_fraction(test_size, "test_size")
    if validation_size is not None:
        _check_fraction(validation_size, "validation_size")
        if test_size + validation_size >= 1:
            raise ValueError(
                f"test_size + validation_size must leave images to train on, got {test_size} + "
                f"{validation_size} = {test_size + validation_size:g}. Try test_size=0.2, "
                "validation_size=0.2."
            )
    seed = _split_seed(rng)
    images = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        images.data.astype(np.float64), images.target, test_size=test_size,
        random_state=seed, stratify=images.target)
    parts = [X_train, X_test]
    if validation_size is not None:
        n_val = round(validation_size * len(images.target))
        X_train, X_val, y_train, y_val = train_test_split(
            X_train, y_train, test_size=n_val, random_state=seed, stratify=y_train)
        parts = [X_train, X_val, X_test]
    if standardize:
        mean = X_train.mean(axis=0)
        std = X_train.std(axis=0)
        std[std == 0] = 1.0  # pixels that are always blank in training stay 0
        parts = [(X - mean) / std for X in parts]
    labels = [y_train, y_val, y_test] if validation_size is not None else [y_train, y_test]
    return (*parts, *labels)
