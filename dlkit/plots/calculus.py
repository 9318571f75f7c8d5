"""The gradient as a slope: a curve and its tangent line."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlkit.plots.style import COLORS, _axes


def plot_tangent(f: Callable[[np.ndarray], np.ndarray], df: Callable[[float], float], x0: float,
                 x_range: tuple[float, float], *, ax=None, num: int = 200, xlabel: str = "w",
                 ylabel: str = "loss", title: str | None = None, tangent_width: float | None = None):
    """Plot a curve ``f`` and its tangent line at ``x0``, whose slope ``df(x0)`` is the gradient.

    The slope's sign says which way is downhill; a note in the corner says which way to turn the
    knob (``xlabel``) to lower ``f``.

    Args:
        f: maps an array of points ``(num,)`` to the values ``(num,)`` (vectorised).
        df: the derivative of ``f``: a float -> a float.
        x0: where to draw the tangent. x_range: ``(low, high)`` of the horizontal axis.
        tangent_width: how wide the tangent segment is (default: a third of the range).

    Returns:
        The Axes drawn into.
    """
    ax = _axes(ax)
    low, high = x_range
    xs = np.linspace(low, high, num)
    ys = np.asarray(f(xs), dtype=np.float64)
    y0 = float(np.asarray(f(np.array([x0], dtype=np.float64)))[0])
    slope = float(df(x0))
    half = (tangent_width if tangent_width is not None else (high - low) / 3) / 2
    tx = np.array([x0 - half, x0 + half])
    ax.plot(xs, ys, color=COLORS["blue"], linewidth=2, label=f"{ylabel}({xlabel})")
    ax.plot(tx, y0 + slope * (tx - x0), color=COLORS["orange"], linewidth=2, linestyle="--",
            label=f"tangent, slope = {slope:.3f}")
    ax.plot([x0], [y0], "o", color=COLORS["black"], zorder=3)
    if abs(slope) < 1e-3:
        advice = f"slope ≈ 0: a flat spot, leave {xlabel} alone"
    elif slope > 0:
        advice = f"slope > 0: turn {xlabel} down"
    else:
        advice = f"slope < 0: turn {xlabel} up"
    ax.text(0.03, 0.95, advice, transform=ax.transAxes, ha="left", va="top", fontsize=9,
            bbox=dict(boxstyle="round", facecolor="white", edgecolor="0.7"))
    margin = 0.1 * (ys.max() - ys.min() or 1.0)
    ax.set_ylim(ys.min() - margin, ys.max() + 2 * margin)
    ax.set_xlim(low, high)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title if title is not None else f"The gradient is the slope at {xlabel} = {x0:.2f}")
    ax.legend(loc="lower right", fontsize=8)
    return ax
