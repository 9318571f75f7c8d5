"""Tests of the figure and widget helpers of the chapter "The artificial neuron"."""

from __future__ import annotations

import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle, Rectangle  # noqa: E402

from dlkit import Neuron  # noqa: E402
from dlkit.plots import plot_neuron_boundary, plot_neuron_diagram  # noqa: E402
from dlkit.widgets.neuron import NeuronPlayground, neuron_playground  # noqa: E402


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0.0, 0.45, (12, 2)), rng.normal(2.0, 0.45, (12, 2))])
    y = np.repeat([0, 1], 12)
    return X, y


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _boundary_line(ax):
    lines = [line for line in ax.get_lines() if line.get_label().startswith("boundary")]
    assert len(lines) == 1
    return np.column_stack(lines[0].get_data())


@pytest.mark.parametrize("weights, bias", [([1.0, 1.0], -2.0), ([3.0, 1.0], -2.0),
                                           ([0.0, 1.0], -2.0), ([1.0, 0.0], 0.5),
                                           ([-1.0, 2.0], 1.0)])
def test_boundary_line_is_where_the_weighted_sum_is_zero(blobs, weights, bias):
    X, y = blobs
    ax = plot_neuron_boundary(weights, bias, X, y)
    ends = _boundary_line(ax)
    np.testing.assert_allclose(ends @ np.array(weights) + bias, 0.0, atol=1e-9)
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"


def test_title_counts_the_points_the_neuron_gets_right(blobs):
    X, y = blobs
    for weights, bias in [([1.0, 1.0], -2.0), ([1.0, 1.0], 0.0), ([0.0, 1.0], -2.0)]:
        correct = int(np.sum(Neuron(weights, bias)(X) == y))
        title = plot_neuron_boundary(weights, bias, X, y).get_title()
        assert f"{correct} of 24 points right" in title
        assert f"$b$ = {bias:g}" in title
    assert "24 of 24" in plot_neuron_boundary([1, 1], -2, X, y).get_title()


def test_weight_arrow_points_to_the_side_where_the_neuron_fires(blobs):
    X, y = blobs
    weights, bias = np.array([1.0, 2.0]), -2.0
    ax = plot_neuron_boundary(weights, bias, X, y)
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == 1
    tail, tip = np.array(arrows[0].xyann), np.array(arrows[0].xy)
    assert abs(weights @ tail + bias) < 1e-9  # starts on the line
    direction = (tip - tail) / np.linalg.norm(tip - tail)
    np.testing.assert_allclose(direction, weights / np.linalg.norm(weights), atol=1e-9)
    assert Neuron(weights, bias)(tip) == 1.0
    assert not [t for t in plot_neuron_boundary(weights, bias, X, y, show_weights=False).texts
                if getattr(t, "arrow_patch", None) is not None]


def test_legend_option_and_zero_weights(blobs):
    X, y = blobs
    assert plot_neuron_boundary([1, 1], 0, X, y).get_legend() is not None
    assert plot_neuron_boundary([1, 1], 0, X, y, legend=False).get_legend() is None
    ax = plot_neuron_boundary([0, 0], 1.0, X, y, title="all zero")  # no line, fires everywhere
    assert not [line for line in ax.get_lines() if line.get_label().startswith("boundary")]
    assert ax.get_title() == "all zero"
    with pytest.raises(ValueError, match="two-input"):
        plot_neuron_boundary([1, 2, 3], 0, X, y)


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


def _png(playground: NeuronPlayground) -> bytes:
    (output,) = playground.output.outputs
    return base64.b64decode(output["data"]["image/png"])


def test_neuron_playground_has_three_sliders_and_a_first_view(blobs):
    X, y = blobs
    playground = neuron_playground(X, y, w1=1.0, w2=1.0, b=0.0)
    assert list(playground.controls) == ["w1", "w2", "b"]
    assert [c.description for c in playground.controls.values()] == ["w1", "w2", "b"]
    assert _png(playground).startswith(b"\x89PNG")
    assert playground.correct == int(np.sum(Neuron([1, 1], 0)(X) == y))
    assert f"{playground.correct} of 24" in playground.status.value
    assert playground.widget.children[-1] is playground.output
    assert plt.get_fignums() == []  # the figure is closed after drawing, nothing leaks


def test_moving_a_slider_redraws_the_neuron(blobs):
    X, y = blobs
    playground = neuron_playground(X, y, w1=1.0, w2=1.0, b=0.0)
    before = _png(playground)
    playground.controls["b"].value = -2.0
    assert playground.neuron.bias == -2.0
    assert playground.correct == 24
    assert "24 of 24" in playground.status.value
    assert _png(playground) != before
    playground.controls["w1"].value = 3.0
    np.testing.assert_allclose(playground.neuron.weights, [3.0, 1.0])
    assert playground.correct == int(np.sum(Neuron([3, 1], -2)(X) == y))


def test_neuron_playground_without_labels_and_bad_shapes(blobs):
    X, _ = blobs
    playground = neuron_playground(X)
    assert playground.correct is None and "fires where" in playground.status.value
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        NeuronPlayground(np.zeros((5, 3)))


def test_marker_size_enlarges_the_points_only(blobs):
    from matplotlib.collections import PathCollection

    X, y = blobs
    ax = plot_neuron_boundary([1, 1], -2, X, y, marker_size=120)
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 2  # one per class
    assert all(np.all(c.get_sizes() == 120) for c in scatters)
