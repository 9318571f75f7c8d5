"""Look inside a network: every layer's outputs for a batch, and a few numbers that say whether
the signal is healthy as it flows through.

- :func:`record_activations` runs a forward pass layer by layer and keeps each layer's output;
- :func:`activation_stats` summarises each: mean, standard deviation, the fraction of outputs that
  are exactly zero, the fraction of *dead* units (zero for every sample of the batch, so they pass
  no gradient either) and, after tanh or sigmoid, the fraction of *saturated* outputs (on a flat
  end of the curve, where the slope is below 0.02).

A healthy deep network keeps a similar spread layer after layer; a spread that grows by a factor
per layer blows up, one that shrinks fades out (see the chapter on training well).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlkit.layers import Layer, Sigmoid, Tanh

# |tanh(x)| > 0.99 means a slope 1 - tanh² below 0.02; sigmoid outside [0.02, 0.98], below 0.0196.
_SATURATED = {Tanh: lambda out: np.abs(out) > 0.99,
              Sigmoid: lambda out: (out < 0.02) | (out > 0.98)}


def record_activations(model, X: np.ndarray, *, training: bool = False
                       ) -> list[tuple[str, np.ndarray]]:
    """Each layer's output for the batch ``X: (batch, in_features)``, in order.

    Returns ``[(name, output), ...]`` with names like ``"1: ReLU()"`` (index and layer) and
    outputs ``(batch, width)``. ``training=False`` (default) uses each layer's ``predict``
    (inference: no dropout, nothing saved); ``training=True`` uses ``forward``, as ``fit`` does.
    A nested Sequential counts as one layer.
    """
    layers = getattr(model, "layers", None)
    if layers is None:
        if not isinstance(model, Layer):
            raise TypeError(f"record_activations expects a model or layer, got {type(model).__name__}.")
        layers = [model]
    records = []
    x = X
    for index, layer in enumerate(layers):
        x = layer.forward(x) if training else layer.predict(x)
        records.append((f"{index}: {layer!r}", x))
    return records


@dataclass
class LayerStats:
    """Statistics of one layer's outputs over a batch (see :func:`activation_stats`)."""

    name: str
    mean: float
    std: float
    zero_fraction: float
    dead_fraction: float
    saturated_fraction: float | None  # after Tanh or Sigmoid only


class ActivationStats(list):
    """A list of :class:`LayerStats`, one per layer, shown as a table."""

    def __repr__(self) -> str:
        header = f"{'layer':<24}{'mean':>9}{'std':>9}{'zero':>7}{'dead':>7}{'saturated':>11}"
        lines = [header, "-" * len(header)]
        for s in self:
            saturated = "" if s.saturated_fraction is None else f"{s.saturated_fraction:.2f}"
            lines.append(f"{s.name:<24}{s.mean:>9.3g}{s.std:>9.3g}{s.zero_fraction:>7.2f}"
                         f"{s.dead_fraction:>7.2f}{saturated:>11}")
        return "\n".join(lines)

    __str__ = __repr__


def layer_stats(name: str, out: np.ndarray, layer: Layer | None = None) -> LayerStats:
    """The statistics of one layer's output ``out: (batch, width)``."""
    out = np.asarray(out, dtype=np.float64)
    zero = out == 0
    saturated = None
    if layer is not None and type(layer) in _SATURATED:
        saturated = float(np.mean(_SATURATED[type(layer)](out)))
    return LayerStats(name=name, mean=float(out.mean()), std=float(out.std()),
                      zero_fraction=float(zero.mean()),
                      dead_fraction=float(zero.all(axis=0).mean()),
                      saturated_fraction=saturated)


def activation_stats(model, X: np.ndarray, *, training: bool = False) -> ActivationStats:
    """Per-layer statistics of the outputs for the batch ``X`` (see :func:`record_activations`).

    ``dead_fraction``: the share of a layer's units that output 0 for every sample in ``X``;
    ``zero_fraction``: the share of all its outputs that are 0 (half, for a healthy ReLU layer).
    """
    layers = getattr(model, "layers", [model])
    records = record_activations(model, X, training=training)
    return ActivationStats(layer_stats(name, out, layer)
                           for (name, out), layer in zip(records, layers))
