"""Loss functions: one number that says how wrong the predictions were, and which way to fix them.

``value = loss(pred, target)`` returns a float (the mean over the batch, PyTorch's default);
``loss.backward()`` then returns dL/d(pred), an array shaped like ``pred``.
"""

from __future__ import annotations

import numpy as np

from dlkit.activations import log_softmax, sigmoid

_NOT_NUMBERS_HINT = {
    "U": "Turn text labels into numbers first, e.g. y = (labels == \"yes\").astype(float).",
    "S": "Turn text labels into numbers first, e.g. y = (labels == b\"yes\").astype(float).",
    "O": "Some entries are not numbers (None, or text mixed in); drop or fill them, then "
         "convert with np.asarray(y, dtype=float).",
}


class Loss:
    """Base class: ``__call__`` validates, computes and remembers the gradient for ``backward``."""

    _grad: np.ndarray | None = None

    def __call__(self, pred: np.ndarray, target: np.ndarray) -> float:
        pred, target = np.asarray(pred), np.asarray(target)
        if pred.dtype.kind not in "biuf" or target.dtype.kind not in "biuf":
            name, array = ("predictions", pred) if pred.dtype.kind not in "biuf" else ("targets", target)
            raise TypeError(
                f"{type(self).__name__} needs {name} that are numbers, got dtype {array.dtype}. "
                + _NOT_NUMBERS_HINT.get(array.dtype.kind, "")
            )
        if pred.size == 0:
            raise ValueError(f"{type(self).__name__} got an empty batch: there is nothing to "
                             "average. Check that the data set is not empty.")
        if pred.dtype.kind != "f":
            pred = pred.astype(np.float64)
        value, self._grad = self._compute(pred, target)
        return float(value) + 0.0  # + 0.0 turns a perfect -0.0 into 0.0

    def backward(self) -> np.ndarray:
        """dL/d(pred) for the last call, shaped like ``pred``."""
        if self._grad is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward() was called before the loss was computed. "
                "Call loss(pred, target) first."
            )
        return self._grad

    def _compute(self, pred, target):
        raise NotImplementedError

    def _same_shape(self, pred, target) -> None:
        if pred.shape != target.shape:
            hint = ""
            if pred.size == target.size:
                wanted = "(-1, 1)" if pred.shape[1:] == (1,) else str(pred.shape)
                hint = f" Reshape the targets, e.g. y.reshape{wanted}."
            raise ValueError(
                f"{type(self).__name__}: predictions have shape {pred.shape} but targets have "
                f"shape {target.shape}; they must match.{hint}"
            )

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MSELoss(Loss):
    """Mean squared error for numbers: ``mean((pred - target)**2)`` over all elements.

    ``pred`` and ``target`` have the same shape, e.g. ``(batch, 1)``.
    Gradient: ``2 * (pred - target) / pred.size``.
    """

    def _compute(self, pred, target):
        self._same_shape(pred, target)
        diff = pred - target.astype(pred.dtype, copy=False)
        return np.mean(diff * diff), (2 / diff.size) * diff


class BinaryCrossEntropy(Loss):
    """Cross-entropy for yes/no answers, averaged over all elements.

    ``pred``: probabilities in [0, 1] (after a sigmoid), or raw scores (logits) with
    ``from_logits=True``, which is more stable. ``target``: 0s and 1s, same shape as ``pred``.
    Loss per element: ``-(t * log(p) + (1 - t) * log(1 - p))``.
    """

    def __init__(self, from_logits: bool = False) -> None:
        self.from_logits = from_logits

    def _compute(self, pred, target):
        self._same_shape(pred, target)
        if np.any((target < 0) | (target > 1)):
            raise ValueError("BinaryCrossEntropy targets must be between 0 and 1 (labels 0 or 1).")
        t = target.astype(pred.dtype, copy=False)
        if self.from_logits:
            # log(1 + exp(-|z|)) never overflows; this is log-sigmoid written stably.
            losses = np.maximum(pred, 0) - pred * t + np.log1p(np.exp(-np.abs(pred)))
            return np.mean(losses), (sigmoid(pred) - t) / pred.size
        if np.any((pred < 0) | (pred > 1)):
            raise ValueError(
                "BinaryCrossEntropy got predictions outside [0, 1]. Are they raw scores (logits)? "
                "Then use BinaryCrossEntropy(from_logits=True), or end the model with Sigmoid()."
            )
        # As in PyTorch: log is clamped at -100 so a prediction of exactly 0 or 1 stays finite.
        tiny = np.finfo(pred.dtype).tiny
        log_p = np.maximum(np.log(np.maximum(pred, tiny)), -100)
        log_1mp = np.maximum(np.log(np.maximum(1 - pred, tiny)), -100)
        losses = -(t * log_p + (1 - t) * log_1mp)
        grad = (pred - t) / np.maximum(pred * (1 - pred), 1e-12) / pred.size
        return np.mean(losses), grad

    def __repr__(self) -> str:
        return f"BinaryCrossEntropy(from_logits={self.from_logits})"


class CrossEntropyLoss(Loss):
    """Cross-entropy for one-of-many classes, averaged over the samples.

    ``pred``: raw scores (logits) ``(batch, classes)``, no softmax needed (it is done inside, stably,
    as a log-softmax). ``target``: integer class labels ``(batch,)``.
    Loss per sample: ``-log(softmax(pred)[label])``. Gradient: ``(softmax(pred) - onehot) / batch``.
    """

    def _compute(self, pred, target):
        if pred.ndim != 2:
            raise ValueError(
                f"CrossEntropyLoss expects scores of shape (batch, classes), got {pred.shape}."
            )
        batch, classes = pred.shape
        if target.dtype.kind not in "iu":
            raise ValueError(
                f"CrossEntropyLoss expects integer class labels (0 to {classes - 1}), got dtype "
                f"{target.dtype}. Convert them with y.astype(int); for one-hot targets use "
                "y.argmax(axis=1)."
            )
        if target.shape != (batch,):
            raise ValueError(
                f"CrossEntropyLoss expects one label per sample, shape ({batch},), got "
                f"{target.shape}." + (" Use y.reshape(-1)." if target.size == batch else "")
            )
        if batch and (target.min() < 0 or target.max() >= classes):
            raise ValueError(
                f"CrossEntropyLoss: labels must be in 0..{classes - 1} for {classes} classes, "
                f"but found {target.min()}..{target.max()}. Does the last layer have one output "
                "per class?"
            )
        log_probs = log_softmax(pred, axis=1)
        rows = np.arange(batch)
        value = -(log_probs[rows, target].sum() / batch)  # the mean of -log p(label)
        # The softmax and the loss differentiated together: (softmax(pred) - onehot) / batch,
        # built in place in one array. (Chaining Softmax.backward gives the same, with more work.)
        grad = np.exp(log_probs)
        grad[rows, target] -= 1
        grad /= batch
        return value, grad
