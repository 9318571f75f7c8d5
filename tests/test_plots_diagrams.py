"""Tests for dlkit.plots.draw_network: the network diagram the chapters draw from a model."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

from dlkit.layers import Dense, ReLU, Softmax, Step  # noqa: E402
from dlkit.network import Sequential  # noqa: E402
from dlkit.plots import COLORS, draw_network  # noqa: E402


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
