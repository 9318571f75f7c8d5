"""Decision boundaries: which class a model (or one neuron) predicts where in the plane."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.colors import ListedColormap

from dlkit.plots.style import CLASS_COLORS, COLORS, MARKERS, _axes


def plane_grid(X: np.ndarray, *, resolution: int = 200, padding: float = 0.5):
    """A ``resolution × resolution`` grid over the points ``X: (n, 2)``, ``padding`` beyond them.

    Returns ``(xx, yy, grid)``: the coordinates as two ``(resolution, resolution)`` arrays, and the
    same points as one ``(resolution², 2)`` batch to feed a model.
    """
    (x_min, y_min), (x_max, y_max) = X.min(axis=0) - padding, X.max(axis=0) + padding
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def scatter_classes(ax, X: np.ndarray, y: np.ndarray, *, size: float = 25, linewidth: float = 0.5):
    """Scatter the points ``X: (n, 2)``, one colour and marker per integer label in ``y: (n,)``."""
    y = np.asarray(y).reshape(-1).astype(int)
    for label in np.unique(y):
        points = X[y == label]
        ax.scatter(points[:, 0], points[:, 1], s=size, color=CLASS_COLORS[label],
                   marker=MARKERS[label % len(MARKERS)], edgecolor="white", linewidth=linewidth,
                   label=f"class {label}")


def plot_decision_boundary(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                           y: np.ndarray | None = None, *, ax=None, resolution: int = 200,
                           padding: float = 0.5, title: str | None = None):
    """Shade the plane by the class a model predicts, and scatter the data on top.

    Args:
        predict: maps points ``(n, 2)`` to class labels ``(n,)``, probabilities of class 1 ``(n,)``
            or ``(n, 1)``, or class scores ``(n, classes)`` (argmax is taken). A dlkit model's
            ``predict`` or a ``Neuron`` both work.
        X: ``(n, 2)`` points to scatter; y: ``(n,)`` their integer labels (optional).
    """
    ax = _axes(ax)
    X = np.asarray(X, dtype=np.float64)
    xx, yy, grid = plane_grid(X, resolution=resolution, padding=padding)
    scores = np.asarray(predict(grid))
    if scores.ndim == 2 and scores.shape[1] > 1:
        labels = scores.argmax(axis=1)
    else:
        scores = scores.reshape(-1)
        is_label = np.all(np.isin(scores, [0, 1]))
        labels = scores.astype(int) if is_label else (scores >= 0.5).astype(int)
    n_classes = max(int(labels.max()) + 1, int(np.max(y)) + 1 if y is not None else 0, 2)
    cmap = ListedColormap(CLASS_COLORS[:n_classes])
    ax.contourf(xx, yy, labels.reshape(xx.shape), levels=np.arange(n_classes + 1) - 0.5,
                cmap=cmap, alpha=0.25)
    if y is not None:
        scatter_classes(ax, X, y)
        ax.legend(loc="best", fontsize="small")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax


def plot_neuron_boundary(weights, bias: float, X: np.ndarray, y: np.ndarray | None = None, *,
                         ax=None, title: str | None = None, show_weights: bool = True,
                         legend: bool = True, resolution: int = 200, padding: float = 0.5,
                         marker_size: float | None = None):
    """Draw what a two-input step neuron decides: where it fires, its boundary line and its weights.

    The neuron ``step(w1 x1 + w2 x2 + b)`` fires (class 1, shaded orange) on one side of the line
    ``w1 x1 + w2 x2 + b = 0`` and stays quiet (class 0, shaded blue) on the other. The line is drawn
    in black; the weight vector ``w`` is drawn as an arrow from the line, pointing to the side where
    the neuron fires.

    Args:
        weights: ``(2,)``, the weights ``w1, w2``.
        bias: the bias ``b``.
        X: ``(n, 2)`` points to scatter (they also set the plotted region, with ``padding``).
        y: ``(n,)`` integer labels 0/1 of ``X`` (optional). When given, the default title says how
            many points the neuron gets right.
        title: replaces the default title ``"w1 = …, w2 = …, b = …"``.
        show_weights: draw the arrow for ``w``.
        legend: keep the legend that names the classes and the line.
        marker_size: the points' marker area (matplotlib's ``s``), e.g. larger for a few points.

    Returns:
        The Axes drawn into.
    """
    from dlkit.neuron import Neuron

    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    if w.shape != (2,):
        raise ValueError(f"plot_neuron_boundary draws two-input neurons; got weights of shape {w.shape}.")
    neuron = Neuron(w, bias)
    X = np.asarray(X, dtype=np.float64)
    ax = plot_decision_boundary(neuron, X, y, ax=ax, resolution=resolution, padding=padding)
    if marker_size is not None:
        from matplotlib.collections import PathCollection

        for points in ax.collections:
            if isinstance(points, PathCollection):  # the scattered data, not the shaded regions
                points.set_sizes([marker_size])
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    w1, w2 = w
    if np.any(w != 0):
        # Points on w1 x1 + w2 x2 + b = 0, parametrised along whichever axis keeps the line finite.
        if abs(w2) >= abs(w1):
            x1 = np.array(xlim)
            x2 = -(w1 * x1 + bias) / w2
        else:
            x2 = np.array(ylim)
            x1 = -(w2 * x2 + bias) / w1
        ax.plot(x1, x2, color=COLORS["black"], linewidth=2,
                label=r"boundary $w_1x_1 + w_2x_2 + b = 0$")
        if show_weights:
            centre = np.array([np.mean(xlim), np.mean(ylim)])
            foot = centre - (w @ centre + bias) / (w @ w) * w  # the point of the line nearest the centre
            inside = xlim[0] <= foot[0] <= xlim[1] and ylim[0] <= foot[1] <= ylim[1]
            if inside:
                size = 0.18 * min(xlim[1] - xlim[0], ylim[1] - ylim[0])
                tip = foot + size * w / np.linalg.norm(w)
                ax.annotate("", xy=tip, xytext=foot,
                            arrowprops={"arrowstyle": "-|>", "color": COLORS["black"], "lw": 1.5})
                ax.annotate(r"$\mathbf{w}$", xy=tip, xytext=(4, 4), textcoords="offset points",
                            fontsize="large")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal", adjustable="box")  # so that w really looks perpendicular to the line
    if title is None:
        title = f"$w_1$ = {w1:g}, $w_2$ = {w2:g}, $b$ = {bias:g}"
        if y is not None:
            correct = int(np.sum(neuron(X) == np.asarray(y).reshape(-1)))
            title += f"\n{correct} of {len(X)} points right"
    ax.set_title(title)
    if legend and y is not None:
        ax.legend(loc="best", fontsize="small")
    elif not legend and ax.get_legend() is not None:
        ax.get_legend().remove()
    return ax
