"""Pictures of models: a network of layers, one neuron, and a computational graph."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dlkit.plots.style import COLORS


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


_OP_FORMULAS = {"+": "{0} + {1}", "-": "{0} - {1}", "neg": "-{0}", "*": r"{0} \cdot {1}",
                "tanh": r"\tanh({0})", "relu": r"\mathrm{{relu}}({0})", "exp": "e^{{{0}}}",
                "log": r"\log({0})", "sigmoid": r"\sigma({0})"}


def draw_value_graph(root, names: dict[str, object], *, ax=None, title: str | None = None,
                     fmt: str = ".3f", x_step: float = 3.6, y_step: float = 1.4):
    """Draw the graph a :class:`dlkit.autograd.Value` was computed from, with its values and grads.

    A layout for :func:`draw_computation_graph`: each computed Value stands one column to the
    right of its furthest input; each leaf stands just left of its first use. Every node in
    ``names`` (name -> Value, e.g. ``{"x": x, "L": loss}``) is called by its name and a computed
    one shows its formula (``c = x \\cdot y``); unnamed computed nodes are called ``v_1, v_2, ...``
    and unnamed leaves (plain numbers an expression used, such as the 2 in ``2 * x``) show their
    number and no gradient. Call ``root.backward()`` first, or the gradients all read 0.
    """
    given = {id(value): name for name, value in names.items()}
    constant = set()  # unnamed Values made from numbers alone: drawn as one number each
    for node in root.topological_order():
        if id(node) not in given and all(id(p) in constant for p in node._parents):
            constant.add(id(node))

    def inputs_of(node):
        return [] if id(node) in constant else node._parents

    order, seen = [], set()

    def visit(node):  # the topological order again, with the constants' insides left out
        if id(node) not in seen:
            seen.add(id(node))
            for parent in inputs_of(node):
                visit(parent)
            order.append(node)
    visit(root)
    key, label = {}, {}
    for node in order:
        unnamed = sum(1 for k in key.values() if k.startswith("v_"))
        if id(node) in given:
            key[node] = given[id(node)]
        elif id(node) in constant:
            key[node] = f"c_{{{len(key)}}}"  # a number: drawn without a gradient, named for no one
            label[node] = f"${node.data:g}$"
        else:
            key[node] = f"v_{{{unnamed + 1}}}"
    for node in order:
        if inputs_of(node):
            inputs = [f"{p.data:g}" if id(p) in constant else key[p] for p in node._parents]
            if node._op.startswith("**"):
                formula = f"{inputs[0]}^{{{node._op[2:]}}}"
            else:
                formula = _OP_FORMULAS[node._op].format(*inputs)
            label[node] = f"${key[node]} = {formula}$"

    column = {}
    for node in order:  # inputs come first in topological order
        if inputs_of(node):
            column[node] = 1 + max(column.get(p, 0) for p in inputs_of(node))
    for node in order:
        if not inputs_of(node):
            users = [column[n] for n in order if any(p is node for p in inputs_of(n))]
            column[node] = min(users) - 1 if users else 0
    for node in order:  # with the leaves placed, push computed nodes right of them if needed
        if inputs_of(node):
            column[node] = max(column[node], 1 + max(column[p] for p in inputs_of(node)))
    rows: dict[int, list] = {}
    for node in order:
        rows.setdefault(column[node], []).append(node)
    nodes = {}
    for c, members in rows.items():
        for r, node in enumerate(members):
            nodes[key[node]] = (c * x_step, ((len(members) - 1) / 2 - r) * y_step)

    edges = list(dict.fromkeys((key[p], key[n]) for n in order for p in inputs_of(n)))
    values = {key[n]: n.data for n in order}
    grads = {key[n]: n.grad for n in order if id(n) not in constant}
    labels = {key[n]: text for n, text in label.items()}
    return draw_computation_graph(nodes, edges, values=values, grads=grads, labels=labels, ax=ax,
                                  title=title, fmt=fmt)
