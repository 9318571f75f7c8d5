"""Check backpropagation against the slow, obvious way: nudging each number and watching the loss.

For every parameter entry ``w``, the central finite difference
``(L(w + eps) - L(w - eps)) / (2 * eps)`` approximates dL/dw. If backprop is right, the two agree
to many digits (in float64). Dropout masks are held fixed during the check (see
:func:`dlkit.dropout.freeze_dropout`), so both ways see the same function.
"""

from __future__ import annotations

import copy

import numpy as np

from dlkit.dropout import freeze_dropout
from dlkit.layers import Layer
from dlkit.losses import Loss
from dlkit.network import Sequential


def _float64_model(model: Layer) -> Sequential:
    """``model`` as a float64 Sequential to check: a single layer is wrapped, and a model with
    float32 numbers is checked on a float64 copy (float32's rounding would swamp the differences)."""
    if isinstance(model, type) or not isinstance(model, Layer):
        raise TypeError(
            f"check_gradients needs a model (a Sequential) or a layer, got {model!r}. "
            "Build one first, e.g. Sequential(Dense(2, 3), Tanh(), Dense(3, 1))."
        )
    if not model.parameters():
        raise ValueError(f"{model!r} has no parameters, so there is no gradient to check.")
    if not isinstance(model, Sequential):
        model = Sequential(model)
    if any(p.dtype != np.float64 for p in model.parameters()):
        model = copy.deepcopy(model)
        for p in model.parameters():
            p.data, p.grad = p.data.astype(np.float64), p.grad.astype(np.float64)
    return model


def _backprop_gradients(model: Sequential, loss: Loss, X, y) -> list[np.ndarray]:
    model.zero_grad()
    loss(model(X), y)
    model.backward(loss.backward())
    return [p.grad.copy() for p in model.parameters()]


def _numeric_gradient(model: Sequential, loss: Loss, X, y, data: np.ndarray,
                      eps: float) -> np.ndarray:
    gradient = np.zeros_like(data)
    for index in np.ndindex(data.shape):
        original = data[index]
        data[index] = original + eps
        loss_plus = loss(model.predict(X), y)
        data[index] = original - eps
        loss_minus = loss(model.predict(X), y)
        data[index] = original
        gradient[index] = (loss_plus - loss_minus) / (2 * eps)
    return gradient


def gradient_errors(model: Layer, loss: Loss, X: np.ndarray, y: np.ndarray,
                    eps: float = 1e-6) -> dict[str, float]:
    """Relative error between backprop and finite differences, per parameter.

    Error for one parameter: ``‖g_backprop − g_numeric‖ / max(‖g_backprop‖ + ‖g_numeric‖, 1e-12)``
    (whole-array norms, so tiny gradients do not make it flaky). Below ~1e-6 means they agree.
    Parameters and their ``.grad`` are left as they were found. ``model`` may be a single layer
    (names are then ``"0.weight"``, ...); a float32 model is checked on a float64 copy.
    """
    model = _float64_model(model)
    X = np.asarray(X)
    if X.dtype.kind == "f":
        X = X.astype(np.float64)
    saved_grads = [p.grad.copy() for p in model.parameters()]
    dropout_masks = freeze_dropout(model)  # one fixed mask for backprop and finite differences
    dropout_masks.__enter__()
    try:
        backprop = _backprop_gradients(model, loss, X, y)
        errors = {}
        for (name, p), g_backprop in zip(model.named_parameters(), backprop):
            g_numeric = _numeric_gradient(model, loss, X, y, p.data, eps)
            difference = np.linalg.norm(g_backprop - g_numeric)
            scale = max(np.linalg.norm(g_backprop) + np.linalg.norm(g_numeric), 1e-12)
            errors[name] = float(difference / scale)
    finally:
        dropout_masks.__exit__(None, None, None)
        for p, saved in zip(model.parameters(), saved_grads):
            p.grad[...] = saved
    return errors


def check_gradients(model: Layer, loss: Loss, X: np.ndarray, y: np.ndarray,
                    eps: float = 1e-6) -> float:
    """The largest relative error over all parameters (see :func:`gradient_errors`)."""
    return max(gradient_errors(model, loss, X, y, eps).values())
