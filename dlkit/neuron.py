"""One artificial neuron: a weighted sum of its inputs, plus a bias, through an activation."""

from __future__ import annotations

import numpy as np

from dlkit.activations import ACTIVATIONS


class Neuron:
    """A tiny decision maker: ``activation(w · x + b)``.

    Args:
        weights: ``(n_inputs,)``, how much each input matters (the "volume knobs").
        bias: a number added to the weighted sum (an offset: it lets the neuron fire, or stay
            quiet, before any input arrives).
        activation: ``"step"`` (default), ``"sigmoid"``, ``"relu"``, ``"tanh"`` or ``"identity"``.

    Calling it on one sample ``x: (n_inputs,)`` returns a float; on a batch
    ``x: (batch, n_inputs)`` it returns an array ``(batch,)``.
    """

    def __init__(self, weights, bias: float = 0.0, activation: str = "step") -> None:
        self.weights = np.asarray(weights, dtype=np.float64)
        if self.weights.ndim != 1:
            raise ValueError(
                f"weights must be a flat list of numbers, one per input; got shape "
                f"{self.weights.shape}."
            )
        self.bias = float(bias)
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"Unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}."
            )
        self.activation = activation

    @property
    def n_inputs(self) -> int:
        return self.weights.shape[0]

    def weighted_sum(self, x) -> float | np.ndarray:
        """``z = w · x + b``, before the activation. Same shapes as calling the neuron."""
        x = np.asarray(x, dtype=np.float64)
        if x.shape[-1:] != (self.n_inputs,) or x.ndim > 2:
            raise ValueError(
                f"This neuron has {self.n_inputs} weights, so it expects inputs of shape "
                f"({self.n_inputs},) or (batch, {self.n_inputs}); got {x.shape}."
            )
        z = x @ self.weights + self.bias
        return float(z) if x.ndim == 1 else z

    def __call__(self, x) -> float | np.ndarray:
        z = self.weighted_sum(x)
        out = ACTIVATIONS[self.activation](np.asarray(z))
        return float(out) if np.ndim(out) == 0 else out

    def __repr__(self) -> str:
        weights = ", ".join(f"{w:g}" for w in self.weights)
        return f"Neuron(weights=[{weights}], bias={self.bias:g}, activation={self.activation!r})"
