"""Training figures: the loss per epoch, and gradient-descent paths on a 2-D loss surface.

The paths themselves come from :func:`dlkit.descent.gradient_descent_path`; this module only draws."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlkit.plots.style import COLORS, _axes


def plot_history(history, *, ax=None, metric: str = "loss"):
    """Plot a :class:`dlkit.train.History`: ``metric`` ("loss" or "accuracy") per epoch,
    training and, where recorded, validation."""
    ax = _axes(ax)
    train = getattr(history, metric)
    epochs = np.arange(1, len(train) + 1)
    ax.plot(epochs, train, color=COLORS["blue"], label=f"training {metric}")
    validation = getattr(history, f"val_{metric}")
    if validation:
        ax.plot(epochs, validation, color=COLORS["orange"], linestyle="--",
                label=f"validation {metric}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.set_title(f"{metric.capitalize()} during training")
    ax.legend()
    return ax


def draw_loss_contours(ax, loss_fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
                       xlim: tuple[float, float], ylim: tuple[float, float], *, levels: int = 12,
                       resolution: int = 200) -> None:
    """Contour lines of the loss surface ``loss_fn(w1, w2)`` over a window on the two weights,
    spaced geometrically so that the floor of the bowl shows too."""
    w1, w2 = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    surface = np.asarray(loss_fn(w1, w2), dtype=np.float64)
    low = max(float(surface.min()), 1e-3 * float(surface.max()), 1e-12)
    contour_levels = np.geomspace(low, float(surface.max()), levels)
    ax.contour(w1, w2, surface, levels=contour_levels, cmap="cividis", linewidths=0.8)


def plot_descent_paths(loss_fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
                       paths: dict[str, np.ndarray], *, ax=None,
                       xlim: tuple[float, float] = (-3.0, 3.0),
                       ylim: tuple[float, float] = (-2.0, 2.0), levels: int = 12,
                       minimum: tuple[float, float] | None = (0.0, 0.0),
                       title: str | None = None, colors: list[str] | None = None):
    """Draw the contour lines of a 2-D loss surface and gradient-descent paths on top.

    Args:
        loss_fn: the loss of two weights, vectorised: ``loss_fn(w1, w2)`` with arrays of one shape
            returns an array of that shape.
        paths: ``{label: points}`` with ``points`` of shape ``(k, 2)`` (e.g. from
            :func:`dlkit.descent.gradient_descent_path`); each is drawn as a line of dots, its start ringed.
        xlim, ylim: the window on the weights; paths that leave it are cut off at its edge.
        levels: how many contour lines (spaced geometrically, so the floor of the bowl shows too).
        minimum: where to mark the lowest point with a star (None: no star).
        colors: one colour per path (default: Okabe–Ito vermillion, blue, purple, green, ...).
    """
    ax = _axes(ax)
    draw_loss_contours(ax, loss_fn, xlim, ylim, levels=levels)
    path_colors = colors or [COLORS["vermillion"], COLORS["blue"], COLORS["purple"],
                             COLORS["green"], COLORS["orange"], COLORS["sky"]]
    for (label, points), color in zip(paths.items(), path_colors * len(paths)):
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        ax.plot(points[:, 0], points[:, 1], "-o", color=color, markersize=3, linewidth=1.2,
                label=label)
        ax.plot(points[0, 0], points[0, 1], "o", markersize=9, markerfacecolor="none",
                markeredgecolor=color)
    if minimum is not None:
        ax.plot(*minimum, "*", color=COLORS["black"], markersize=12, label="minimum")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("weight $w_1$")
    ax.set_ylabel("weight $w_2$")
    ax.set_title(title or "Gradient descent on a loss surface")
    if paths:
        ax.legend(loc="upper right", fontsize="small")
    return ax
