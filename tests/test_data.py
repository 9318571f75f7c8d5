"""dlkit.data: shapes, dtypes, labels, seeds, and the digits split and standardisation."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_digits

import dlkit
from dlkit import data


def test_xor():
    X, y = data.xor()
    assert X.shape == (4, 2) and y.shape == (4,)
    assert X.dtype.kind == "f" and y.dtype.kind in "iu"
    assert sorted(map(tuple, X.tolist())) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    np.testing.assert_array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(int))


@pytest.mark.parametrize(
    "make", [lambda s: data.moons(n=200, noise=0.1, rng=s),
             lambda s: data.circles(n=200, noise=0.05, rng=s)],
    ids=["moons", "circles"],
)
def test_two_class_toy_sets(make):
    X, y = make(0)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert X.dtype == np.float64 and y.dtype.kind in "iu"
    assert set(np.unique(y)) == {0, 1}
    assert abs(np.sum(y == 0) - np.sum(y == 1)) <= 1
    assert np.all(np.isfinite(X))
    X2, y2 = make(0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make(1)
    assert not np.array_equal(X, X3)


def test_circles_inner_circle_is_smaller():
    X, y = data.circles(n=400, noise=0.0, rng=0, factor=0.5)
    r = np.linalg.norm(X, axis=1)
    assert r[y == 0].mean() != pytest.approx(r[y == 1].mean(), rel=0.1)
    ratio = min(r[y == 0].mean(), r[y == 1].mean()) / max(r[y == 0].mean(), r[y == 1].mean())
    assert ratio == pytest.approx(0.5, abs=0.02)


def test_noise_zero_vs_noise():
    X0, _ = data.moons(n=100, noise=0.0, rng=0)
    X1, _ = data.moons(n=100, noise=0.3, rng=0)
    assert not np.allclose(X0, X1)


@pytest.mark.parametrize("n_per_class, classes", [(100, 3), (50, 4), (10, 2)])
def test_spirals(n_per_class, classes):
    X, y = data.spirals(n_per_class=n_per_class, classes=classes, rng=0)
    assert X.shape == (n_per_class * classes, 2) and y.shape == (n_per_class * classes,)
    assert X.dtype == np.float64 and y.dtype.kind in "iu"
    np.testing.assert_array_equal(np.bincount(y), [n_per_class] * classes)
    X2, y2 = data.spirals(n_per_class=n_per_class, classes=classes, rng=0)
    np.testing.assert_array_equal(X, X2)


# ---------------------------------------- randomness: rng=None uses the module generator


@pytest.mark.parametrize(
    "make",
    [lambda: data.moons(n=50, noise=0.1), lambda: data.circles(n=50, noise=0.1),
     lambda: data.spirals(n_per_class=20, classes=3)],
    ids=["moons", "circles", "spirals"],
)
def test_data_rng_none_follows_dlkit_seed(make):
    dlkit.seed(7)
    a, _ = make()
    b, _ = make()
    dlkit.seed(7)
    c, _ = make()
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, b)  # the module generator moved on


def test_data_accepts_a_generator():
    X1, _ = data.moons(n=50, noise=0.1, rng=np.random.default_rng(3))
    X2, _ = data.moons(n=50, noise=0.1, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(X1, X2)
    g = np.random.default_rng(3)
    X3, _ = data.moons(n=50, noise=0.1, rng=g)
    X4, _ = data.moons(n=50, noise=0.1, rng=g)
    assert not np.array_equal(X3, X4)


def test_int_rng_does_not_touch_the_module_generator():
    dlkit.seed(5)
    reference, _ = data.moons(n=30, noise=0.1)
    dlkit.seed(5)
    data.moons(n=30, noise=0.1, rng=123)
    after, _ = data.moons(n=30, noise=0.1)
    np.testing.assert_array_equal(reference, after)


# ---------------------------------------------------------------- digits


@pytest.fixture(scope="module")
def digits_split():
    return data.digits(test_size=0.2, rng=0)


@pytest.fixture(scope="module")
def raw_split():
    return data.digits(test_size=0.2, rng=0, standardize=False)


def test_digits_shapes_and_order(digits_split):
    X_train, X_test, y_train, y_test = digits_split  # scikit-learn's order
    assert X_train.ndim == 2 and X_test.ndim == 2 and y_train.ndim == 1 and y_test.ndim == 1
    assert X_train.shape[1] == X_test.shape[1] == 64
    assert len(X_train) == len(y_train) and len(X_test) == len(y_test)
    assert len(X_train) + len(X_test) == 1797
    assert abs(len(X_test) - 0.2 * 1797) <= 1
    assert X_train.dtype == np.float64 and y_train.dtype.kind in "iu"
    assert set(np.unique(y_train)) == set(range(10))


def test_digits_split_is_stratified(digits_split):
    _, _, y_train, y_test = digits_split
    full = np.bincount(load_digits().target, minlength=10)
    np.testing.assert_array_equal(np.bincount(y_train, minlength=10) + np.bincount(y_test, minlength=10),
                                  full)
    # each class's share of the test set matches its share of the whole set to one sample
    assert np.all(np.abs(np.bincount(y_test, minlength=10) - 0.2 * full) <= 1.0)


def test_digits_are_the_real_images(raw_split):
    X_train, X_test, y_train, y_test = raw_split
    digits = load_digits()
    assert X_train.min() >= 0 and X_train.max() <= 16
    known = {tuple(row) + (int(label),) for row, label in zip(digits.data, digits.target,
                                                              strict=True)}
    for X, y in [(X_train, y_train), (X_test, y_test)]:
        assert all(tuple(row) + (int(label),) in known for row, label in zip(X, y, strict=True))
    # no image in both sets (load_digits has a few exact duplicates, so compare counts)
    assert len(X_train) + len(X_test) == len(digits.data)


def test_digits_standardised_with_training_statistics(digits_split, raw_split):
    X_train, X_test, y_train, y_test = digits_split
    R_train, R_test, r_train, r_test = raw_split
    np.testing.assert_array_equal(y_train, r_train)
    np.testing.assert_array_equal(y_test, r_test)
    assert np.all(np.isfinite(X_train)) and np.all(np.isfinite(X_test))
    mean, std = R_train.mean(axis=0), R_train.std(axis=0)
    varying = std > 0
    std = np.where(varying, std, 1.0)
    np.testing.assert_allclose(X_train.mean(axis=0)[varying], 0, atol=1e-10)
    np.testing.assert_allclose(X_train.std(axis=0)[varying], 1, rtol=1e-6)
    np.testing.assert_allclose(X_train[:, varying], ((R_train - mean) / std)[:, varying],
                               rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(X_test[:, varying], ((R_test - mean) / std)[:, varying],
                               rtol=1e-6, atol=1e-6)
    # the test set is NOT centred on its own statistics
    assert np.abs(X_test.mean(axis=0)[varying]).max() > 1e-3


def test_digits_rng():
    a = data.digits(rng=0)
    b = data.digits(rng=0)
    c = data.digits(rng=1)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[2], c[2])


def test_digits_test_size():
    X_train, X_test, _, _ = data.digits(test_size=0.5, rng=0)
    assert abs(len(X_test) - 0.5 * 1797) <= 1


# ---------------------------------------------------------------- digits with a validation part


@pytest.fixture(scope="module")
def three_way_raw():
    return data.digits(test_size=0.2, validation_size=0.2, rng=0, standardize=False)


def test_digits_with_validation_returns_six_arrays_of_the_right_sizes(three_way_raw):
    X_train, X_val, X_test, y_train, y_val, y_test = three_way_raw
    assert [len(X_train), len(X_val), len(X_test)] == [len(y_train), len(y_val), len(y_test)]
    assert len(X_train) + len(X_val) + len(X_test) == 1797
    assert abs(len(X_val) - 0.2 * 1797) <= 1  # a fraction of the whole set, not of the rest
    assert abs(len(X_test) - 0.2 * 1797) <= 1
    assert X_val.shape[1] == 64 and y_val.ndim == 1


def test_digits_validation_leaves_the_test_part_unchanged(three_way_raw, raw_split):
    _, _, X_test, _, _, y_test = three_way_raw
    _, R_test, _, r_test = raw_split
    np.testing.assert_array_equal(X_test, R_test)
    np.testing.assert_array_equal(y_test, r_test)
    standardized = data.digits(test_size=0.2, validation_size=0.2, rng=0)
    four = data.digits(test_size=0.2, rng=0)
    np.testing.assert_array_equal(standardized[5], four[3])  # same test labels, same order


def test_digits_validation_is_split_off_the_training_part(three_way_raw, raw_split):
    X_train, X_val, _, y_train, y_val, _ = three_way_raw
    R_train, _, r_train, _ = raw_split
    # the training and validation parts together are exactly the 4-array call's training part
    together = sorted(tuple(row) + (int(label),) for row, label in
                      zip(np.vstack([X_train, X_val]), np.concatenate([y_train, y_val])))
    before = sorted(tuple(row) + (int(label),) for row, label in zip(R_train, r_train))
    assert together == before


def test_digits_validation_split_is_stratified(three_way_raw):
    _, _, _, y_train, y_val, y_test = three_way_raw
    full = np.bincount(load_digits().target, minlength=10)
    for part, share in [(y_val, 0.2), (y_test, 0.2), (y_train, 0.6)]:
        assert np.all(np.abs(np.bincount(part, minlength=10) - share * full) <= 1.5), share


def test_digits_validation_standardised_with_training_part_only(three_way_raw):
    R_train, R_val, R_test = three_way_raw[:3]
    X_train, X_val, X_test = data.digits(test_size=0.2, validation_size=0.2, rng=0)[:3]
    mean, std = R_train.mean(axis=0), R_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    for X, R in [(X_train, R_train), (X_val, R_val), (X_test, R_test)]:
        np.testing.assert_allclose(X, (R - mean) / std, rtol=1e-12, atol=1e-12)
    varying = R_train.std(axis=0) > 0
    assert np.abs(X_val.mean(axis=0)[varying]).max() > 1e-3  # not centred on its own statistics


@pytest.mark.parametrize("kwargs, words", [
    ({"test_size": 0.0}, "test_size must be a fraction"),
    ({"test_size": 1.0}, "test_size must be a fraction"),
    ({"test_size": "0.2"}, "test_size must be a fraction"),
    ({"validation_size": -0.1}, "validation_size must be a fraction"),
    ({"validation_size": 1.5}, "validation_size must be a fraction"),
    ({"test_size": 0.5, "validation_size": 0.5}, "must leave images to train on"),
])
def test_digits_rejects_bad_fractions_clearly(kwargs, words):
    with pytest.raises(ValueError, match=words):
        data.digits(**kwargs)
