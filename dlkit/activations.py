"""Activation functions as plain numpy functions: arrays in, arrays out, same shape and dtype.

These are the formulas. The layers in :mod:`dlkit.layers` wrap them with a ``backward``.
All of them are numerically stable: they give finite, correct values even at ``|x| = 1e4``.
"""

from __future__ import annotations

import numpy as np


def step(x: np.ndarray) -> np.ndarray:
    """Heaviside step: 1 where ``x >= 0``, else 0. The neuron of the 1950s perceptron."""
    x = np.asarray(x)
    return (x >= 0).astype(x.dtype if x.dtype.kind == "f" else np.float64)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, squashing any number into (0, 1).

    Computed from ``exp(-|x|)`` so that large ``|x|`` never overflows.
    """
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent, squashing into (-1, 1); a sigmoid centred on zero."""
    return np.tanh(x)


def relu(x: np.ndarray) -> np.ndarray:
    """Rectified linear unit ``max(0, x)``: off below zero, linear above."""
    return np.maximum(x, 0)


def leaky_relu(x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """Like ReLU, but lets a small ``slope * x`` through below zero, so gradients never die."""
    x = np.asarray(x)
    return np.where(x >= 0, x, slope * x)


def identity(x: np.ndarray) -> np.ndarray:
    """No activation at all: ``x`` unchanged (a purely linear neuron)."""
    return np.asarray(x)


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Turn scores (logits) into probabilities that sum to 1 along ``axis``.

    Subtracting the maximum first changes nothing mathematically but keeps ``exp`` from overflowing.
    """
    x = np.asarray(x)
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """``log(softmax(x))`` computed stably: ``x - max - log(sum(exp(x - max)))``.

    The naive ``np.log(softmax(x))`` gives ``-inf`` once a probability underflows to 0.
    """
    x = np.asarray(x)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


# The one list of activation names: the layer classes (dlkit.layers.ACTIVATION_LAYERS) and the
# widgets' menus use these keys, in this order.
ACTIVATIONS = {
    "identity": identity,
    "step": step,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
}
