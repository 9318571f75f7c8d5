"""The training loop: predict, measure the loss, send the error back, adjust, repeat.

``fit`` is the whole loop in one call. Read it top to bottom: every training step is the same five
lines (zero the gradients, forward, loss, backward, optimizer step).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from dlkit.activations import sigmoid
from dlkit.layers import Layer, Sigmoid, Softmax
from dlkit.losses import BinaryCrossEntropy, CrossEntropyLoss, Loss
from dlkit.network import Sequential
from dlkit.optim import Optimizer
from dlkit.rng import RngLike, as_generator


def accuracy(outputs: np.ndarray, y: np.ndarray) -> float:
    """Fraction of correct predictions.

    ``outputs: (batch, classes)`` → the predicted class is the argmax; ``outputs: (batch, 1)`` or
    ``(batch,)`` (a probability) → class 1 where it is at least 0.5. ``y``: labels ``(batch,)`` or
    ``(batch, 1)``.
    """
    outputs = np.asarray(outputs)
    y = np.asarray(y).reshape(-1)
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        predicted = outputs.argmax(axis=1)
    else:
        predicted = (outputs.reshape(-1) >= 0.5).astype(int)
    if predicted.shape != y.shape:
        raise ValueError(f"accuracy: {predicted.shape[0]} predictions but {y.shape[0]} labels.")
    return float(np.mean(predicted == y))


@dataclass
class History:
    """What happened during ``fit``, one entry per epoch.

    ``loss`` / ``val_loss``: mean loss over the epoch's training batches / on the validation data.
    ``accuracy`` / ``val_accuracy``: recorded for classification losses only (else empty lists).
    """

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def plot(self, metric: str = "loss", ax=None):
        """Plot ``metric`` ("loss" or "accuracy") per epoch; returns the matplotlib Axes."""
        from dlkit.plots import plot_history

        return plot_history(self, ax=ax, metric=metric)

    def __repr__(self) -> str:
        parts = [f"epochs={self.epochs}"]
        for name in ["loss", "val_loss", "accuracy", "val_accuracy"]:
            values = getattr(self, name)
            if values:
                parts.append(f"{name}={values[-1]:.4f}")
        return f"History({', '.join(parts)})"


def _accuracy_for(loss: Loss, outputs: np.ndarray, y: np.ndarray) -> float | None:
    """Accuracy where the loss is a classification loss, else None."""
    if isinstance(loss, CrossEntropyLoss):
        return accuracy(outputs, y)
    if isinstance(loss, BinaryCrossEntropy):
        return accuracy(sigmoid(outputs) if loss.from_logits else outputs, y)
    return None


_FIT_ORDER = "fit(model, loss, optimizer, X, y, epochs=...)"


def _check_parts(model, loss, optimizer) -> None:
    """A clear TypeError when the model, loss or optimizer is a class, or in the wrong place."""
    parts = [("model", model, Layer, "Sequential(Dense(2, 8), ReLU(), Dense(8, 1))"),
             ("loss", loss, Loss, "CrossEntropyLoss()"),
             ("optimizer", optimizer, Optimizer, "SGD(model.parameters(), lr=0.1)")]
    for position, (role, value, kind, example) in enumerate(parts, start=1):
        if isinstance(value, type):
            raise TypeError(
                f"fit's {role} is the class {value.__name__} itself, not an object made from it. "
                f"Create one, with parentheses: e.g. {example}."
            )
        if not isinstance(value, kind):
            raise TypeError(
                f"fit's argument {position} ({role}) should be a {kind.__name__}, e.g. {example}, "
                f"but got {type(value).__name__}. The order is {_FIT_ORDER}."
            )


def _check_data(name: str, array) -> np.ndarray:
    """``array`` as a data set of numbers with at least one sample and no NaN/inf, or a clear error."""
    array = np.asarray(array)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} should hold numbers, got dtype {array.dtype}. Convert it first, e.g. "
            f"{name} = np.asarray({name}, dtype=float) (text labels: (labels == 'yes').astype(int))."
        )
    if array.ndim == 0:
        raise ValueError(
            f"{name} is a single number ({array}); fit needs a data set, one row per sample, "
            "e.g. X of shape (n, features) and y of shape (n,) or (n, 1)."
        )
    if len(array) == 0:
        raise ValueError(f"{name} has no samples (shape {array.shape}): there is nothing to train on.")
    if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        bad = int(np.sum(~np.isfinite(array)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s). Clean the data first, "
            f"e.g. {name} = np.nan_to_num({name}) or drop those rows."
        )
    return array


def _check_pair(X_name: str, X, y_name: str, y) -> tuple[np.ndarray, np.ndarray]:
    X, y = _check_data(X_name, X), _check_data(y_name, y)
    if len(X) != len(y):
        raise ValueError(f"{X_name} has {len(X)} samples but {y_name} has {len(y)}; they must match.")
    return X, y


def _last_layer(model: Layer) -> Layer:
    while isinstance(model, Sequential):
        model = model.layers[-1]
    return model


def _warn_if_nothing_will_learn(model: Layer, loss: Loss, optimizer: Optimizer) -> None:
    """One warning for each set-up that trains badly without any error (once per fit call)."""
    held = {id(p) for p in getattr(optimizer, "params", None) or ()}
    missing = [p for p in model.parameters() if id(p) not in held] if held else []
    if missing:
        warnings.warn(
            f"The optimizer does not hold {len(missing)} of the model's "
            f"{len(model.parameters())} parameters, so fit will not change them: it was built "
            "from another model's parameters, or the model's parameters were replaced after it "
            "was built. Build it from this model, after any change: "
            "SGD(model.parameters(), lr=...).", stacklevel=3)
    last = _last_layer(model)
    if isinstance(last, Sigmoid) and isinstance(loss, BinaryCrossEntropy) and loss.from_logits:
        warnings.warn(
            "The model ends with Sigmoid(), and BinaryCrossEntropy(from_logits=True) applies a "
            "sigmoid itself: the outputs are squashed twice and training stalls. Remove the final "
            "Sigmoid(), or use BinaryCrossEntropy() on its probabilities.", stacklevel=3)
    if isinstance(last, Softmax) and isinstance(loss, CrossEntropyLoss):
        warnings.warn(
            "The model ends with Softmax(), and CrossEntropyLoss expects raw scores (it applies "
            "the softmax itself): the outputs are squashed twice and training slows or stalls. "
            "Remove the final Softmax().", stacklevel=3)


def fit(model: Layer, loss: Loss, optimizer: Optimizer, X: np.ndarray, y: np.ndarray, *,
        epochs: int, batch_size: int | None = None,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        shuffle: bool = True, rng: RngLike = 0, progress: bool = False) -> History:
    """Train ``model`` on ``X: (n, features)``, ``y`` (targets or labels) for ``epochs`` passes.

    Each epoch walks through the data in mini-batches of ``batch_size`` (None: the whole data set
    at once), shuffled with ``rng`` (see :mod:`dlkit.rng`; the default 0 makes every call
    reproducible on its own) when ``shuffle`` is on. After every batch: zero the gradients,
    forward, loss, backward, optimizer step. Returns a :class:`History`.

    ``progress=True`` shows a progress bar per epoch. It is off by default because a chapter's
    outputs are compared with the saved ones and a bar's timings never repeat; turn it on for a
    long run you want to watch.

    Every argument is checked once, before the first step: ``TypeError`` or ``ValueError`` with what
    to change (arguments in the wrong order, a class instead of an object, an empty or non-numeric
    data set, NaN/inf in the data). A warning says when training cannot work (the optimizer holds
    other parameters than the model's; a final Sigmoid or Softmax before a loss that applies it
    itself). ``FloatingPointError`` if the loss stops being a finite number (usually a learning rate
    that is too large).
    """
    _check_parts(model, loss, optimizer)
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a whole number of at least 1, got {epochs!r}.")
    X, y = _check_pair("X", X, "y", y)
    n = len(X)
    if batch_size is None:
        batch_size = n
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number of at least 1, got {batch_size!r}.")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ValueError(
                "validation_data must be a pair (X_val, y_val), e.g. "
                "validation_data=(X_val, y_val)."
            )
        X_val, y_val = _check_pair("validation X", validation_data[0],
                                   "validation y", validation_data[1])
    _warn_if_nothing_will_learn(model, loss, optimizer)

    generator = as_generator(rng)
    history = History()
    epoch_range = range(1, epochs + 1)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(epoch_range, desc="training", unit="epoch")
        epoch_range = bar

    with np.errstate(over="ignore", invalid="ignore"):  # a diverging loss is reported below
        for epoch in epoch_range:
            # Shuffle once per epoch (one copy of the data), then the batches are slices of it.
            X_epoch, y_epoch = X, y
            if shuffle:
                order = generator.permutation(n)
                X_epoch, y_epoch = X[order], y[order]
            total_loss, total_correct, has_accuracy = 0.0, 0.0, True
            for start in range(0, n, batch_size):
                X_batch = X_epoch[start:start + batch_size]
                y_batch = y_epoch[start:start + batch_size]

                optimizer.zero_grad()
                outputs = model(X_batch)
                value = loss(outputs, y_batch)
                if not math.isfinite(value):
                    raise FloatingPointError(
                        f"The loss became {value} in epoch {epoch}: training diverged. The "
                        f"learning rate ({optimizer.lr:g}) is probably too large; try a smaller "
                        f"one, e.g. lr={optimizer.lr / 10:g}."
                    )
                model.backward_parameters(loss.backward())  # backward, minus dL/d(X)
                optimizer.step()

                total_loss += value * len(X_batch)
                batch_accuracy = _accuracy_for(loss, outputs, y_batch)
                has_accuracy = batch_accuracy is not None
                if has_accuracy:
                    total_correct += batch_accuracy * len(X_batch)

            history.loss.append(total_loss / n)
            if has_accuracy:
                history.accuracy.append(total_correct / n)
            if validation_data is not None:
                val_outputs = model.predict(X_val)
                history.val_loss.append(loss(val_outputs, y_val))
                val_accuracy = _accuracy_for(loss, val_outputs, y_val)
                if val_accuracy is not None:
                    history.val_accuracy.append(val_accuracy)
            if bar is not None:
                bar.set_postfix(loss=f"{history.loss[-1]:.4f}")
    return history
