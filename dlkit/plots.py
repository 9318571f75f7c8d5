"""Figures the chapters share. Kept out of the numeric core: only this module imports matplotlib.

Colours are the Okabe–Ito palette, which stays distinguishable with every common colour-vision
deficiency. Every function draws into ``ax`` (a new figure when ``ax`` is None) and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

# Okabe & Ito (2008), "Color Universal Design": safe for colour-blind readers.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
CLASS_COLORS = [COLORS["blue"], COLORS["orange"], COLORS["green"], COLORS["purple"],
                COLORS["vermillion"], COLORS["sky"]]
MARKERS = ["o", "s", "^", "D", "v", "P"]


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    return ax


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
    x_min, y_min = X.min(axis=0) - padding
    x_max, y_max = X.max(axis=0) + padding
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
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
        y = np.asarray(y).reshape(-1).astype(int)
        for label in np.unique(y):
            points = X[y == label]
            ax.scatter(points[:, 0], points[:, 1], s=25, color=CLASS_COLORS[label],
                       marker=MARKERS[label % len(MARKERS)], edgecolor="white", linewidth=0.5,
                       label=f"class {label}")
        ax.legend(loc="best", fontsize="small")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax


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


def gradient_descent_path(grad_fn: Callable[[np.ndarray], np.ndarray], start, lr: float,
                          steps: int, momentum: float = 0.0) -> np.ndarray:
    """Follow gradient descent ``w ← w − lr · ∇f(w)`` and return every point it visits.

    Pure numpy, no plotting: the numbers behind a "path on a loss surface" figure. With
    ``momentum`` m > 0 it follows :class:`dlkit.optim.SGD`'s rule instead: a velocity
    ``v ← m · v + ∇f(w)`` (starting at 0) and ``w ← w − lr · v``.

    Args:
        grad_fn: maps a point ``(d,)`` to the gradient of the loss there, ``(d,)``.
        start: the first point, ``(d,)``.
        lr: the learning rate (step size), > 0.
        steps: how many updates to take, >= 0.
        momentum: in [0, 1); 0 is plain gradient descent.

    Returns:
        ``(steps + 1, d)``: the start, then the point after each update. If a step far too large
        makes the path blow up (a coordinate turns inf or NaN), the path ends at the last finite
        point, so the array can be shorter.
    """
    if lr <= 0:
        raise ValueError(f"lr must be > 0, got {lr}.")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}.")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}.")
    point = np.array(start, dtype=np.float64).reshape(-1)
    velocity = np.zeros_like(point)
    points = [point]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            gradient = np.asarray(grad_fn(point), dtype=np.float64).reshape(point.shape)
            velocity = momentum * velocity + gradient
            point = point - lr * velocity
            if not np.all(np.isfinite(point)):
                break
            points.append(point)
    return np.array(points)


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
            :func:`gradient_descent_path`); each is drawn as a line of dots, its start ringed.
        xlim, ylim: the window on the weights; paths that leave it are cut off at its edge.
        levels: how many contour lines (spaced geometrically, so the floor of the bowl shows too).
        minimum: where to mark the lowest point with a star (None: no star).
        colors: one colour per path (default: Okabe–Ito vermillion, blue, purple, green, ...).
    """
    ax = _axes(ax)
    w1, w2 = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    surface = np.asarray(loss_fn(w1, w2), dtype=np.float64)
    low = max(float(surface.min()), 1e-3 * float(surface.max()), 1e-12)
    contour_levels = np.geomspace(low, float(surface.max()), levels)
    ax.contour(w1, w2, surface, levels=contour_levels, cmap="cividis", linewidths=0.8)
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


def _network_columns(model) -> tuple[list[int], list[np.ndarray], list[list[str]]]:
    """Split a model into node columns: sizes, the weight matrix between neighbours, and the
    activation names that follow each Dense layer."""
    def flatten(layers):
        for layer in layers:
            inner = getattr(layer, "layers", None)
            yield from flatten(inner) if inner is not None else [layer]

    layers = list(flatten(getattr(model, "layers", model)))
    sizes: list[int] = []
    weights: list[np.ndarray] = []
    notes: list[list[str]] = []
    for layer in layers:
        weight = getattr(layer, "weight", None)
        if weight is not None:
            w = np.asarray(getattr(weight, "data", weight), dtype=np.float64)
            if not sizes:
                sizes.append(w.shape[0])
                notes.append([])
            elif w.shape[0] != sizes[-1]:
                raise ValueError(f"{layer!r} expects {w.shape[0]} inputs, but the layer before it "
                                 f"gives {sizes[-1]}.")
            sizes.append(w.shape[1])
            weights.append(w)
            notes.append([])
        elif sizes:
            notes[-1].append(type(layer).__name__)
    if not weights:
        raise ValueError("draw_network needs a model with at least one Dense layer.")
    return sizes, weights, notes


def _shown_nodes(n: int, max_nodes: int) -> tuple[np.ndarray, bool]:
    """Indices of the nodes drawn for a column of ``n`` (the first and last few if it is wide)."""
    if n <= max_nodes:
        return np.arange(n), False
    head = (max_nodes + 1) // 2
    tail = max_nodes - head
    return np.concatenate([np.arange(head), np.arange(n - tail, n)]), True


def draw_network(model, ax=None, *, max_nodes: int = 8, title: str | None = None,
                 node_radius: float = 0.25, max_linewidth: float = 3.5, legend: bool = True,
                 layer_labels: bool = True, spacing: float = 2.5):
    """Draw a network as circles (nodes) in columns (layers) joined by lines (weights).

    Each Dense layer of ``model`` adds one column: its ``weight`` of shape ``(in, out)`` joins the
    ``in`` nodes on the left to the ``out`` nodes on the right. A line is blue for a positive weight
    and vermillion for a negative one, and thicker the larger ``|weight|`` is (relative to the
    largest weight in the model). Activation layers (ReLU, Sigmoid, Softmax, ...) draw no column;
    their names are written under the column of the Dense layer they follow.

    Args:
        model: a :class:`dlkit.Sequential` (or a list of layers) of Dense and activation layers.
        ax: the Axes to draw into (a new figure when None).
        max_nodes: a column wider than this shows its first and last nodes, ``max_nodes`` in all,
            with a "⋮" and the true width between them; only lines between drawn nodes are drawn.
        title: the Axes title; None gives the layer sizes (e.g. "2 → 3 → 2"), "" gives none.
        node_radius, max_linewidth: sizes of the circles and of the thickest line.
        spacing: the distance between two columns (neighbouring nodes in a column are 1 apart).
        legend: add a legend for the two line colours.
        layer_labels: write "input", "hidden 1", ..., "output" and each column's width above it.

    Returns:
        The Axes. Each node is a ``matplotlib.patches.Circle``; the lines of each Dense layer are
        one ``LineCollection`` (with ``gid="edges"``), so ``sum(len(c.get_segments()))`` counts them.
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle

    if max_nodes < 2:
        raise ValueError(f"max_nodes must be at least 2, got {max_nodes}.")
    sizes, weights, notes = _network_columns(model)

    # Vertical positions: shown nodes centred on 0, with one empty slot for the "⋮" gap.
    shown, positions, gaps = [], [], []
    for n in sizes:
        index, cut = _shown_nodes(n, max_nodes)
        slots = np.arange(len(index), dtype=np.float64)
        if cut:
            slots[(max_nodes + 1) // 2:] += 1.0
        top = slots[-1] / 2
        shown.append(index)
        positions.append(top - slots)
        gaps.append(top - (max_nodes + 1) // 2 if cut else None)
    height = max(p[0] for p in positions)
    last = len(sizes) - 1
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * (spacing * last + 2.4), 0.45 * (2 * height + 4.6)))

    largest = max(float(np.max(np.abs(w))) for w in weights) or 1.0
    for k, w in enumerate(weights):
        left, right = shown[k], shown[k + 1]
        segments, colours, widths = [], [], []
        for i, y0 in zip(left, positions[k], strict=True):
            for j, y1 in zip(right, positions[k + 1], strict=True):
                value = w[i, j]
                segments.append([(k * spacing, y0), ((k + 1) * spacing, y1)])
                colours.append(COLORS["blue"] if value >= 0 else COLORS["vermillion"])
                widths.append(0.3 + (max_linewidth - 0.3) * abs(value) / largest)
        ax.add_collection(LineCollection(segments, colors=colours, linewidths=widths, alpha=0.8,
                                         zorder=1, gid="edges"))

    for k, (n, ys) in enumerate(zip(sizes, positions, strict=True)):
        x = k * spacing
        role = "input" if k == 0 else "output" if k == last else "hidden"
        face = {"input": "#DDDDDD", "hidden": COLORS["sky"], "output": COLORS["orange"]}[role]
        for y in ys:
            ax.add_patch(Circle((x, y), node_radius, facecolor=face, edgecolor="black",
                                linewidth=1.0, zorder=2))
        if gaps[k] is not None:
            ax.text(x, gaps[k], "⋮", ha="center", va="center", fontsize=14, zorder=3)
        if layer_labels:
            name = role if role != "hidden" else f"hidden {k}"
            ax.text(x, height + 0.5, f"{name}\n({n})", ha="center", va="bottom", fontsize=9)
        if notes[k]:
            ax.text(x, -height - 0.45, "\n".join(notes[k]), ha="center", va="top", fontsize=8,
                    style="italic")

    if legend:
        handles = [Line2D([], [], color=COLORS["blue"], lw=2, label="positive weight"),
                   Line2D([], [], color=COLORS["vermillion"], lw=2, label="negative weight")]
        ax.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False,
                  borderaxespad=0.0, handlelength=1.5, columnspacing=1.0)
    ax.set_xlim(-1.2, last * spacing + 1.2)
    ax.set_ylim(-height - (2.1 if legend else 1.3), height + 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is None:
        title = " → ".join(str(n) for n in sizes)
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


def plot_neuron_diagram(weights, bias: float, *, input_names: list[str] | None = None,
                        inputs=None, activation: str = "step", ax=None, title: str | None = None):
    """Draw one neuron as a picture: inputs, weighted arrows, the sum with its bias, the activation.

    Each arrow's thickness grows with ``|weight|`` (how loud that input's "volume knob" is turned)
    and its colour says the sign: blue pushes towards firing, vermillion pushes against it.

    Args:
        weights: ``(n,)`` one weight per input.
        bias: the bias ``b``, written into the sum node.
        input_names: ``n`` names for the inputs (default ``x1 … xn``).
        inputs: ``(n,)`` optional input values; when given they are written next to the names and
            the diagram shows ``z`` and the output for them.
        activation: name shown in the activation box (and used for the output if ``inputs`` is given).

    Returns:
        The Axes drawn into (axis lines hidden).
    """
    from dlkit.neuron import Neuron

    w = np.asarray(weights, dtype=np.float64).reshape(-1)
    n = len(w)
    names = list(input_names) if input_names is not None else [f"$x_{i + 1}$" for i in range(n)]
    if len(names) != n:
        raise ValueError(f"Got {len(names)} input names for {n} weights.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 1.2 + 1.1 * n))
    heights = np.linspace(n - 1, 0, n) - (n - 1) / 2 if n > 1 else np.zeros(1)
    sum_xy = np.array([3.0, 0.0])
    act_xy = np.array([4.6, 0.0])
    loudest = np.max(np.abs(w)) if np.any(w != 0) else 1.0
    for i in range(n):
        start = np.array([0.45, heights[i]])
        label = names[i] if inputs is None else f"{names[i]} = {np.asarray(inputs).reshape(-1)[i]:g}"
        ax.text(0.22, heights[i], label, ha="right", va="center", fontsize="medium")
        ax.add_patch(plt.Circle(start, 0.12, color=COLORS["sky"], zorder=3))
        colour = COLORS["blue"] if w[i] >= 0 else COLORS["vermillion"]
        width = 0.8 + 4.0 * abs(w[i]) / loudest
        ax.annotate("", xy=sum_xy - 0.42 * (sum_xy - start) / np.linalg.norm(sum_xy - start),
                    xytext=start, arrowprops={"arrowstyle": "-|>", "color": colour, "lw": width,
                                              "shrinkA": 6, "shrinkB": 0}, zorder=2)
        middle = start + 0.45 * (sum_xy - start)
        ax.text(middle[0], middle[1] + 0.17, f"$w_{i + 1}$ = {w[i]:g}", ha="center", va="bottom",
                color=colour, fontsize="medium",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    ax.add_patch(plt.Circle(sum_xy, 0.42, facecolor="white", edgecolor=COLORS["black"], lw=1.5,
                            zorder=3))
    ax.text(*sum_xy, r"$\Sigma$ + b" + f"\nb = {bias:g}", ha="center", va="center", zorder=4,
            fontsize="small")
    ax.annotate("", xy=act_xy - [0.5, 0], xytext=sum_xy + [0.42, 0],
                arrowprops={"arrowstyle": "-|>", "color": COLORS["black"], "lw": 1.5})
    ax.add_patch(plt.Rectangle(act_xy - [0.5, 0.3], 1.0, 0.6, facecolor="white",
                               edgecolor=COLORS["black"], lw=1.5, zorder=3))
    ax.text(*act_xy, activation, ha="center", va="center", zorder=4)
    ax.annotate("", xy=act_xy + [1.3, 0], xytext=act_xy + [0.5, 0],
                arrowprops={"arrowstyle": "-|>", "color": COLORS["black"], "lw": 1.5})
    output = "output"
    if inputs is not None:
        neuron = Neuron(w, bias, activation=activation)
        z = neuron.weighted_sum(np.asarray(inputs, dtype=np.float64).reshape(-1))
        out = neuron(np.asarray(inputs, dtype=np.float64).reshape(-1))
        ax.text(sum_xy[0] + 0.8, 0.12, f"z = {z:g}", ha="center", va="bottom", fontsize="small")
        output = f"output = {out:.4g}"
    ax.text(act_xy[0] + 1.4, 0, output, ha="left", va="center")
    ax.set_xlim(-1.6, 7.6)
    ax.set_ylim(heights.min() - 0.7, heights.max() + 0.7)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def draw_computation_graph(nodes: dict[str, tuple[float, float]],
                           edges: list[tuple[str, str]], *,
                           values: dict[str, float] | None = None,
                           grads: dict[str, float] | None = None,
                           labels: dict[str, str] | None = None,
                           ax=None, title: str | None = None, fmt: str = ".3f",
                           node_size: float = 0.35, label_offset: float = 0.2):
    """Draw a computational graph: forward values above the arrows, gradients below them.

    Nodes without incoming edges (inputs, weights, biases) are drawn as circles, computed nodes
    (``z = wx + b``, ``a = σ(z)``, the loss) as boxes. Each arrow carries its source node's value
    forward (written above it, in blue) and that node's gradient ``∂L/∂node`` backward (written
    below it, in vermillion). A node with no outgoing edge (the loss) gets both written beside it.

    Args:
        nodes: name -> ``(x, y)`` position in data coordinates. Names are typeset as math,
            so use short symbols (``"x"``, ``"w"``, ``"z"``, ``"L"``).
        edges: ``(source, target)`` pairs of node names.
        values: name -> forward value of that node (optional; nodes left out show none).
        grads: name -> gradient of the loss with respect to that node (optional).
        labels: name -> text inside the node (default: the name in math); e.g.
            ``{"z": "$z = wx + b$"}``.
        fmt: format spec of the numbers, e.g. ``".3f"``.
        node_size: circle radius and half the box height, in data units.
        label_offset: distance of the numbers from their arrow, in data units.

    Returns:
        The Axes drawn into.
    """
    from matplotlib.patches import Circle, FancyBboxPatch, Patch

    values = values or {}
    grads = grads or {}
    labels = labels or {}
    for source, target in edges:
        for name in (source, target):
            if name not in nodes:
                raise ValueError(f"edge ({source!r}, {target!r}) names an unknown node {name!r}; "
                                 f"known nodes: {sorted(nodes)}")
    xs = np.array([p[0] for p in nodes.values()], dtype=np.float64)
    ys = np.array([p[1] for p in nodes.values()], dtype=np.float64)
    x_limits = (xs.min() - 0.7, xs.max() + 2.0)
    y_limits = (ys.min() - 0.9, ys.max() + 0.6)
    if ax is None:
        inches_per_unit = 0.85
        _, ax = plt.subplots(figsize=(inches_per_unit * (x_limits[1] - x_limits[0]),
                                      inches_per_unit * (y_limits[1] - y_limits[0]) + 0.4))
    has_input = {target for _, target in edges}
    has_output = {source for source, _ in edges}
    patches = {}
    for name, (x, y) in nodes.items():
        text = labels.get(name, f"${name}$")
        if name in has_input:
            width = max(2 * node_size, 0.14 * len(text.replace("$", "")) + 0.4)
            patch = FancyBboxPatch((x - width / 2, y - node_size), width, 2 * node_size,
                                   boxstyle="round,pad=0.02,rounding_size=0.1",
                                   facecolor="white", edgecolor=COLORS["black"], linewidth=1.5,
                                   zorder=2)
        else:
            patch = Circle((x, y), node_size, facecolor="#f2f2f2", edgecolor=COLORS["black"],
                           linewidth=1.5, zorder=2)
        ax.add_patch(patch)
        patches[name] = patch
        ax.text(x, y, text, ha="center", va="center", fontsize=12, zorder=3)

    def grad_text(name: str) -> str:
        return rf"$\partial L/\partial {name}$ = {grads[name]:{fmt}}"

    def extent(name: str, direction: np.ndarray) -> float:
        # Distance from a node's centre to its outline along ``direction`` (a unit vector).
        if name not in has_input:
            return node_size
        half_width = patches[name].get_width() / 2
        along_x = half_width / abs(direction[0]) if direction[0] else np.inf
        along_y = node_size / abs(direction[1]) if direction[1] else np.inf
        return float(min(along_x, along_y))

    offset = label_offset
    for source, target in edges:
        (x0, y0), (x1, y1) = nodes[source], nodes[target]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=1,
                    arrowprops=dict(arrowstyle="-|>", color="0.3", linewidth=1.3,
                                    patchA=patches[source], patchB=patches[target],
                                    shrinkA=2, shrinkB=2, mutation_scale=14))
        dx, dy = x1 - x0, y1 - y0
        length = float(np.hypot(dx, dy)) or 1.0
        normal = np.array([-dy, dx]) / length
        if normal[1] < 0 or (normal[1] == 0 and normal[0] > 0):
            normal = -normal
        angle = float(np.degrees(np.arctan2(dy, dx)))
        if angle > 90 or angle < -90:
            angle -= 180 * np.sign(angle)
        direction = np.array([dx, dy]) / length
        start = np.array([x0, y0]) + extent(source, direction) * direction
        end = np.array([x1, y1]) - extent(target, direction) * direction
        middle = (start + end) / 2
        if source in values:
            ax.text(*(middle + offset * normal), f"{values[source]:{fmt}}", color=COLORS["blue"],
                    ha="center", va="center", rotation=angle, rotation_mode="anchor",
                    fontsize=10, fontweight="bold")
        if source in grads:
            ax.text(*(middle - offset * normal), grad_text(source), color=COLORS["vermillion"],
                    ha="center", va="center", rotation=angle, rotation_mode="anchor", fontsize=9)
    for name, (x, y) in nodes.items():
        if name in has_output:
            continue
        right = x + (patches[name].get_width() / 2 if name in has_input else node_size) + 0.1
        if name in values:
            ax.text(right, y + offset, f"${name}$ = {values[name]:{fmt}}", color=COLORS["blue"],
                    ha="left", va="center", fontsize=10, fontweight="bold")
        if name in grads:
            ax.text(right, y - offset, grad_text(name), color=COLORS["vermillion"],
                    ha="left", va="center", fontsize=9)

    ax.set_xlim(*x_limits)
    ax.set_ylim(*y_limits)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.legend(handles=[Patch(color=COLORS["blue"], label="forward: value (above the arrow)"),
                       Patch(color=COLORS["vermillion"],
                             label=r"backward: gradient $\partial L/\partial\cdot$ (below)")],
              loc="lower center", ncol=2, frameon=False, fontsize=9)
    if title:
        ax.set_title(title)
    return ax


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


def binary_losses(p: np.ndarray, label: int) -> tuple[np.ndarray, np.ndarray]:
    """Squared error and cross-entropy of predicted probabilities ``p`` of "yes" for one true answer.

    Args:
        p: probabilities of "yes", any shape, strictly between 0 and 1.
        label: the true answer, 1 (yes) or 0 (no).

    Returns:
        ``(mse, cross_entropy)``, each shaped like ``p``: ``(p - label)**2`` and
        ``-log(p)`` if ``label`` is 1, ``-log(1 - p)`` if it is 0.
    """
    if label not in (0, 1):
        raise ValueError(f"label must be 0 or 1, got {label!r}.")
    p = np.asarray(p, dtype=np.float64)
    p_true = p if label == 1 else 1 - p
    return (p - label) ** 2, -np.log(p_true)


def plot_loss_curves(label: int = 1, marks=(), *, axes=None, ce_max: float = 7.0):
    """Draw both losses of one yes/no prediction as curves of the predicted probability of "yes".

    Left panel: mean squared error ``(p - label)**2``; right panel: cross-entropy
    (``-log p`` if the true answer is yes, ``-log(1 - p)`` if it is no). Each probability in
    ``marks`` is marked on both curves and labelled with its loss.

    Args:
        label: the true answer, 1 (yes) or 0 (no).
        marks: probabilities of "yes" ``(k,)`` to mark, each strictly between 0 and 1.
        axes: two Axes ``(mse_ax, ce_ax)``; a new 1×2 figure when None.
        ce_max: upper limit of the cross-entropy axis.

    Returns:
        The two Axes ``(mse_ax, ce_ax)``.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    mse_ax, ce_ax = axes
    p = np.linspace(0.0005, 0.9995, 400)
    mse, ce = binary_losses(p, label)
    answer = "yes (1)" if label == 1 else "no (0)"
    mse_ax.plot(p, mse, color=COLORS["blue"], linewidth=2, label="squared error")
    ce_ax.plot(p, ce, color=COLORS["vermillion"], linewidth=2, label="cross-entropy")
    marks = np.atleast_1d(np.asarray(marks, dtype=np.float64))
    if marks.size:
        mark_mse, mark_ce = binary_losses(marks, label)
        for ax, values in ((mse_ax, mark_mse), (ce_ax, mark_ce)):
            ax.plot(marks, np.minimum(values, ce_max), "o", color=COLORS["black"], markersize=7,
                    zorder=3)
            for x, value in zip(marks, values):
                right = x < 0.75
                ax.annotate(f"{value:.2f}", (x, min(value, ce_max)), xytext=(6 if right else -6, 6),
                            textcoords="offset points", ha="left" if right else "right",
                            fontsize=9)
    mse_ax.set_ylim(-0.05, 1.15)
    ce_ax.set_ylim(-0.2, ce_max)
    mse_ax.set_title(f"Squared error, true answer {answer}")
    ce_ax.set_title(f"Cross-entropy, true answer {answer}")
    mse_ax.set_ylabel("loss $(p - y)^2$")
    ce_ax.set_ylabel("loss $-\\log p$" if label == 1 else "loss $-\\log(1 - p)$")
    for ax in axes:
        ax.set_xlabel('predicted probability of "yes", $p$')
        ax.set_xlim(-0.03, 1.03)
        ax.axvline(label, color=COLORS["green"], linestyle=":", linewidth=2,
                   label=f"true answer ({label})")
        ax.legend(loc="upper center", fontsize=8)
        ax.grid(alpha=0.3)
    return mse_ax, ce_ax


def plot_digit_predictions(images: np.ndarray, probs: np.ndarray, labels: np.ndarray, *,
                           axes=None):
    """Show digit images above bar charts of a model's probabilities for the ten digits.

    The bar of the true digit is green, the model's guess (when wrong) vermillion, the rest grey.

    Args:
        images: ``(n, 64)`` pixels of 8×8 images (any scale), or ``(n, 8, 8)``.
        probs: ``(n, 10)`` the model's probabilities (rows sum to 1).
        labels: ``(n,)`` the true digits.
        axes: a ``(2, n)`` array of Axes (images on top, bars below); a new figure when None.

    Returns:
        The ``(2, n)`` array of Axes.
    """
    images = np.asarray(images, dtype=np.float64).reshape(len(images), 8, 8)
    probs = np.asarray(probs, dtype=np.float64)
    labels = np.asarray(labels).reshape(-1).astype(int)
    n = len(images)
    if probs.shape != (n, 10) or labels.shape != (n,):
        raise ValueError(f"expected probs (n, 10) and labels (n,) for n={n} images, got "
                         f"{probs.shape} and {labels.shape}.")
    if axes is None:
        _, axes = plt.subplots(2, n, figsize=(1.9 * n, 4.2),
                               gridspec_kw={"height_ratios": [1.1, 1]}, squeeze=False)
    top = float(max(probs.max(), 0.3))
    for i in range(n):
        guess = int(probs[i].argmax())
        image_ax, bar_ax = axes[0, i], axes[1, i]
        image_ax.imshow(images[i], cmap="gray_r")
        image_ax.set_xticks([])
        image_ax.set_yticks([])
        verdict = "right" if guess == labels[i] else "wrong"
        image_ax.set_title(f"true {labels[i]}, guess {guess}\n({verdict})", fontsize=9)
        colors = [COLORS["green"] if d == labels[i] else
                  COLORS["vermillion"] if d == guess else "#999999" for d in range(10)]
        bar_ax.bar(range(10), probs[i], color=colors)
        bar_ax.set_ylim(0, top * 1.05)
        bar_ax.set_xticks(range(10))
        bar_ax.tick_params(labelsize=7)
        bar_ax.set_xlabel("digit", fontsize=8)
        if i == 0:
            bar_ax.set_ylabel("probability", fontsize=8)
        else:
            bar_ax.set_yticklabels([])
    return axes


def plot_mistakes(images: np.ndarray, labels: np.ndarray, predictions: dict[str, np.ndarray], *,
                  n_show: int = 6, axes=None):
    """Show, for each model, its test accuracy and the first ``n_show`` digits it got wrong.

    One row per model: the row's label gives the model's name and accuracy, each image is titled
    ``true → guess``. Rows with fewer mistakes than ``n_show`` leave the rest of the row empty.

    Args:
        images: ``(n, 64)`` pixels of 8×8 images (any scale), or ``(n, 8, 8)``.
        labels: ``(n,)`` the true digits.
        predictions: model name → ``(n,)`` that model's predicted digits for the same images.
        n_show: how many mistakes to show per model.
        axes: a ``(len(predictions), n_show)`` array of Axes; a new figure when None.

    Returns:
        The ``(len(predictions), n_show)`` array of Axes.
    """
    images = np.asarray(images, dtype=np.float64).reshape(len(images), 8, 8)
    labels = np.asarray(labels).reshape(-1).astype(int)
    if labels.shape != (len(images),):
        raise ValueError(f"expected {len(images)} labels, got shape {labels.shape}.")
    if axes is None:
        _, axes = plt.subplots(len(predictions), n_show,
                               figsize=(1.35 * n_show + 1.2, 1.75 * len(predictions)),
                               squeeze=False)
    axes = np.asarray(axes).reshape(len(predictions), n_show)
    for row, (name, guesses) in enumerate(predictions.items()):
        guesses = np.asarray(guesses).reshape(-1).astype(int)
        if guesses.shape != labels.shape:
            raise ValueError(f"{name}: expected {labels.size} predictions, got {guesses.size}.")
        wrong = np.flatnonzero(guesses != labels)
        for k, ax in enumerate(axes[row]):
            ax.set_xticks([])
            ax.set_yticks([])
            if k < wrong.size:
                i = wrong[k]
                ax.imshow(images[i], cmap="gray_r")
                ax.set_title(f"{labels[i]} → {guesses[i]}", fontsize=9, color=COLORS["vermillion"])
            else:
                for spine in ax.spines.values():
                    spine.set_visible(False)
        accuracy = float(np.mean(guesses == labels))
        axes[row, 0].set_ylabel(f"{name}\n{accuracy:.1%} right\n{wrong.size} wrong", fontsize=8,
                                rotation=0, ha="right", va="center", labelpad=8)
    return axes


# --- Sliding a small filter over an image (chapter "Where deep learning goes next") --------------
#
# The one operation behind convolutional networks: the same few weights slid over every position of
# an image. Used for the chapter's figures and by dlkit.widgets.EdgeExplorer.

def slide_filter(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` over ``image`` and take the weighted sum at every position ("valid" mode).

    This is what a convolutional layer computes. Deep-learning libraries call it a convolution;
    strictly it is a cross-correlation (the kernel is not flipped).

    Args:
        image: ``(H, W)`` numbers.
        kernel: ``(h, w)`` weights, at most as large as the image.

    Returns:
        ``(H - h + 1, W - w + 1)``, where entry ``[i, j]`` is
        ``(image[i:i + h, j:j + w] * kernel).sum()``.
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"image and kernel must be 2-D, got shapes {image.shape} and {kernel.shape}.")
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(f"kernel {kernel.shape} is larger than the image {image.shape}.")
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.einsum("ijkl,kl->ij", windows, kernel)


def edge_kernel(angle: float) -> np.ndarray:
    """A ``(3, 3)`` edge detector that responds where the ink grows in the direction ``angle``.

    ``angle`` is in degrees: 0 means "more ink to the right" (the left side of a stroke), 90 "more
    ink above" (the bottom side of a stroke), 180 "more ink to the left". The kernel is
    ``cos(angle) * right + sin(angle) * up`` with the Prewitt detectors
    ``right = [[-1, 0, 1]] * 3`` and ``up = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]``.
    """
    right = np.array([[-1.0, 0.0, 1.0]] * 3)
    up = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]])
    radians = np.deg2rad(angle)
    kernel = np.cos(radians) * right + np.sin(radians) * up
    return np.round(kernel, 12) + 0.0   # exact zeros at multiples of 90 degrees, no "-0"


def _signed_cmap():
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("signed", [COLORS["blue"], "white", COLORS["vermillion"]])


def plot_filter_response(image: np.ndarray, kernel: np.ndarray, *, axes=None,
                         window: tuple[int, int] | None = None, vmax: float | None = None,
                         titles: tuple[str, str, str] | None = None):
    """Three panels: the image, the kernel (with its numbers) and the map of its responses.

    Args:
        image: ``(H, W)`` pixels, or ``(64,)`` for an 8×8 digit; drawn dark where there is ink.
        kernel: ``(h, w)`` weights; drawn blue (negative) to vermillion (positive).
        axes: three Axes side by side; a new figure when None.
        window: ``(row, col)`` of a window to outline on the image and the matching cell of the
            response map, e.g. the position computed by hand.
        vmax: colour limit of the response map (symmetric, ``-vmax`` to ``vmax``); default the
            largest absolute response.
        titles: titles of the three panels (defaults describe each panel).

    Returns:
        The array of three Axes.
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim == 1:
        side = int(round(np.sqrt(image.size)))
        image = image.reshape(side, side)
    kernel = np.asarray(kernel, dtype=np.float64)
    response = slide_filter(image, kernel)
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(11, 3.6),
                               gridspec_kw={"width_ratios": [image.shape[1], kernel.shape[1] + 2,
                                                             response.shape[1] + 2]})
    axes = np.asarray(axes).reshape(-1)
    if titles is None:
        titles = ("the image", "the filter (its weights)", "the filter's response")
    cmap = _signed_cmap()
    image_ax, kernel_ax, response_ax = axes
    image_ax.imshow(image, cmap="gray_r")
    image_ax.set_title(titles[0])
    image_ax.set_xlabel("pixel column")
    image_ax.set_ylabel("pixel row")
    kernel_limit = float(np.abs(kernel).max()) or 1.0
    kernel_ax.imshow(kernel, cmap=cmap, vmin=-kernel_limit, vmax=kernel_limit)
    for (row, col), value in np.ndenumerate(kernel):
        kernel_ax.text(col, row, f"{value:.2g}", ha="center", va="center", fontsize=9)
    kernel_ax.set_title(titles[1])
    kernel_ax.set_xlabel("column")
    kernel_ax.set_ylabel("row")
    limit = float(vmax if vmax is not None else np.abs(response).max()) or 1.0
    shown = response_ax.imshow(response, cmap=cmap, vmin=-limit, vmax=limit)
    response_ax.figure.colorbar(shown, ax=response_ax, fraction=0.046, pad=0.04,
                                label="weighted sum")
    response_ax.set_title(titles[2])
    response_ax.set_xlabel("window column")
    response_ax.set_ylabel("window row")
    for ax, size in ((image_ax, image.shape), (kernel_ax, kernel.shape),
                     (response_ax, response.shape)):
        ax.set_xticks(range(size[1]))
        ax.set_yticks(range(size[0]))
        ax.tick_params(labelsize=7)
    if window is not None:
        from matplotlib.patches import Rectangle

        row, col = window
        h, w = kernel.shape
        image_ax.add_patch(Rectangle((col - 0.5, row - 0.5), w, h, fill=False,
                                     edgecolor=COLORS["orange"], linewidth=2.5))
        response_ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False,
                                        edgecolor=COLORS["orange"], linewidth=2.5))
    return axes
