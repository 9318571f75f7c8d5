"""dlkit.plots.diagrams: the network diagram drawn from a model, the neuron diagram and the
computation graph."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.colors import same_color, to_rgba
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle
from matplotlib.text import Annotation

from dlkit.layers import Dense, ReLU, Softmax, Step
from dlkit.network import Sequential
from dlkit.plots import (
    COLORS,
    draw_computation_graph,
    draw_network,
    plot_neuron_diagram,
)


def circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def edge_collections(ax):
    return [c for c in ax.collections if isinstance(c, LineCollection) and c.get_gid() == "edges"]


def texts(ax):
    return [t.get_text() for t in ax.texts]


@pytest.fixture
def small_model():
    w1 = np.array([[1.0, -2.0, 0.5], [0.3, 1.0, -1.0]])
    w2 = np.array([[1.0, -1.0], [2.0, 0.5], [-1.0, 1.0]])
    return Sequential(Dense.from_arrays(w1, [0, 1, -1]), ReLU(),
                      Dense.from_arrays(w2, [0, 0]), Softmax())


def test_small_network_nodes_edges_and_labels(small_model):
    ax = draw_network(small_model)
    assert len(circles(ax)) == 2 + 3 + 2
    collections = edge_collections(ax)
    assert len(collections) == 2
    assert sum(len(c.get_segments()) for c in collections) == 2 * 3 + 3 * 2
    labels = texts(ax)
    assert "input\n(2)" in labels and "hidden 1\n(3)" in labels and "output\n(2)" in labels
    assert "ReLU" in labels and "Softmax" in labels
    assert ax.get_title() == "2 → 3 → 2"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["positive weight", "negative weight"]
    plt.close(ax.figure)


def test_edge_colour_follows_sign_and_width_follows_size(small_model):
    ax = draw_network(small_model)
    first = edge_collections(ax)[0]
    weights = small_model[0].weight.data.ravel()  # row-major: the order the edges are drawn in
    colours = first.get_colors()
    widths = first.get_linewidths()
    for w, colour in zip(weights, colours, strict=True):
        expected = COLORS["blue"] if w >= 0 else COLORS["vermillion"]
        assert np.allclose(colour[:3], to_rgba(expected)[:3])
    order = np.argsort(np.abs(weights))
    assert np.all(np.diff(np.asarray(widths)[order]) >= 0)
    assert widths[np.argmax(np.abs(weights))] > widths[np.argmin(np.abs(weights))]
    plt.close(ax.figure)


def test_wide_layers_are_capped_with_an_ellipsis():
    model = Sequential(Dense(64, 32, rng=0), ReLU(), Dense(32, 10, rng=1))
    ax = draw_network(model, max_nodes=8)
    assert len(circles(ax)) == 8 + 8 + 8
    assert sum(len(c.get_segments()) for c in edge_collections(ax)) == 8 * 8 + 8 * 8
    labels = texts(ax)
    assert labels.count("⋮") == 3
    assert "input\n(64)" in labels and "hidden 1\n(32)" in labels and "output\n(10)" in labels
    plt.close(ax.figure)


def test_draws_into_given_axes_and_options():
    model = Sequential(Dense(2, 2, rng=0), Step(), Dense(2, 1, rng=0), Step())
    fig, axes = plt.subplots(1, 2)
    returned = draw_network(model, ax=axes[1], title="XOR", legend=False, layer_labels=False)
    assert returned is axes[1]
    assert returned.get_title() == "XOR"
    assert returned.get_legend() is None
    assert "Step" in texts(returned) and not any("input" in t for t in texts(returned))
    assert len(circles(axes[0])) == 0
    plt.close(fig)


def test_several_hidden_layers_are_numbered_and_nested_models_flatten():
    inner = Sequential(Dense(3, 4, rng=0), ReLU())
    model = Sequential(inner, Dense(4, 5, rng=1), ReLU(), Dense(5, 1, rng=2))
    ax = draw_network(model)
    labels = texts(ax)
    assert "hidden 1\n(4)" in labels and "hidden 2\n(5)" in labels and "output\n(1)" in labels
    assert len(circles(ax)) == 3 + 4 + 5 + 1
    plt.close(ax.figure)


def test_model_without_dense_layer_is_refused():
    with pytest.raises(ValueError, match="at least one Dense"):
        draw_network(Sequential(ReLU()))


def test_neuron_diagram_shows_inputs_weights_and_output():
    ax = plot_neuron_diagram([4, 2, -2], -3, input_names=["friend", "cheap", "rain"],
                             inputs=[1, 1, 1])
    texts = [t.get_text() for t in ax.texts]
    for expected in ["friend = 1", "$w_1$ = 4", "$w_3$ = -2", "z = 1", "output = 1", "step"]:
        assert any(expected in text for text in texts), expected
    assert sum(isinstance(p, Circle) for p in ax.patches) == 4  # three inputs and the sum
    assert sum(isinstance(p, Rectangle) for p in ax.patches) == 1  # the activation box
    # Louder knobs get thicker arrows; negative weights another colour.
    arrows = [t.arrow_patch for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == 5  # three inputs, sum → activation, activation → output
    assert arrows[0].get_linewidth() > arrows[1].get_linewidth()
    assert arrows[0].get_edgecolor() != arrows[2].get_edgecolor()
    sigmoid = plot_neuron_diagram([4, 2, -2], -3, inputs=[1, 1, 1], activation="sigmoid")
    assert any("output = 0.7311" in t.get_text() for t in sigmoid.texts)
    with pytest.raises(ValueError, match="names"):
        plot_neuron_diagram([1, 2], 0, input_names=["only one"])


NODES = {"x": (0, 2.5), "w": (0, 1.5), "z": (3, 1.5), "L": (6, 1.5)}


EDGES = [("x", "z"), ("w", "z"), ("z", "L")]


def test_graph_draws_circles_for_inputs_and_boxes_for_computed_nodes():
    ax = draw_computation_graph(NODES, EDGES)
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(circles) == 2  # x and w have no incoming edge
    assert len(boxes) == 2  # z and L are computed
    annotations = [a for a in ax.get_children() if isinstance(a, Annotation)]
    assert len(annotations) == len(EDGES)
    plt.close(ax.figure)


def texts_of(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_graph_writes_values_above_and_gradients_below_in_two_colours():
    values = {"x": 2.0, "w": -0.5, "z": -1.0, "L": 0.25}
    grads = {"x": 0.1, "w": -0.4, "z": 0.2, "L": 1.0}
    ax = draw_computation_graph(NODES, EDGES, values=values, grads=grads, fmt=".2f",
                                labels={"z": "$z = wx$"})
    texts = texts_of(ax)
    assert "$z = wx$" in texts
    for number in ["2.00", "-0.50", "-1.00"]:  # values of the nodes that have outgoing edges
        assert number in texts
    assert "$L$ = 0.25" in texts  # the last node gets its value beside it
    assert r"$\partial L/\partial w$ = -0.40" in texts
    assert r"$\partial L/\partial L$ = 1.00" in texts
    by_text = {t.get_text(): t for t in ax.texts}
    assert same_color(by_text["-0.50"].get_color(), COLORS["blue"])
    assert same_color(by_text[r"$\partial L/\partial w$ = -0.40"].get_color(),
                      COLORS["vermillion"])
    # On the horizontal edge w → z the value sits above the arrow and the gradient below it.
    below = by_text[r"$\partial L/\partial w$ = -0.40"]
    assert by_text["-0.50"].get_position()[1] > 1.5 > below.get_position()[1]
    assert ax.get_legend() is not None
    plt.close(ax.figure)


def test_graph_rejects_an_edge_to_an_unknown_node():
    with pytest.raises(ValueError, match="unknown node 'a'"):
        draw_computation_graph(NODES, [("z", "a")])
