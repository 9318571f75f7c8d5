"""Per-layer activation histograms: how the values a network computes spread out, layer by layer.

The numbers come from :func:`dlkit.diagnostics.record_activations`; this module only draws.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from dlkit.plots.style import COLORS


def plot_activation_histograms(records: Sequence[tuple[str, np.ndarray]], *, axes=None,
                               bins: int = 40, color: str | None = None,
                               value_range: tuple[float, float] | None = None,
                               title: str | None = None, ylabel: str | None = "share of values"):
    """One histogram per recorded layer, left to right.

    Args:
        records: ``[(name, outputs), ...]`` as from ``record_activations`` (pick the layers to show).
        axes: a row of Axes, one per record (default: a new figure).
        value_range: the x range of every histogram (default: each its own); values outside it
            are counted in the end bins, so nothing disappears. Each title gives the standard
            deviation of the values as they are, before that clipping.
        title: a line above the row (e.g. the initialisation shown).
    Returns the array of Axes.
    """
    if axes is None:
        _, axes = plt.subplots(1, len(records), figsize=(2.2 * len(records), 2.2), sharey=True)
    axes = np.atleast_1d(axes)
    color = color or COLORS["blue"]
    for ax, (name, out) in zip(axes, records):
        values = np.asarray(out, dtype=np.float64).ravel()
        spread = values.std()  # of the values themselves, before any clipping
        if value_range is not None:
            values = np.clip(values, *value_range)
        weights = np.full(values.shape, 1 / max(values.size, 1))
        ax.hist(values, bins=bins, range=value_range, weights=weights, color=color)
        ax.set_title(f"{name}\nstd {spread:.2g}", fontsize=8)
        ax.set_xlabel("activation", fontsize=8)
        ax.tick_params(labelsize=7)
    if ylabel:
        axes[0].set_ylabel(ylabel, fontsize=8)
    if title:
        axes[0].figure.suptitle(title, fontsize=10)
    return axes
