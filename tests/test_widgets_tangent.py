"""Tests for the helpers of the chapter "Backpropagation: sending the error backward":
dlkit.plots.draw_computation_graph / plot_tangent and dlkit.widgets.tangent_explorer."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import same_color  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402

from dlkit.plots import COLORS, draw_computation_graph, plot_tangent  # noqa: E402
from dlkit.widgets.tangent import TangentExplorer, tangent_explorer  # noqa: E402

NODES = {"x": (0, 2.5), "w": (0, 1.5), "z": (3, 1.5), "L": (6, 1.5)}
EDGES = [("x", "z"), ("w", "z"), ("z", "L")]


def texts_of(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_graph_draws_circles_for_inputs_and_boxes_for_computed_nodes():
    ax = draw_computation_graph(NODES, EDGES)
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(circles) == 2  # x and w have no incoming edge
    assert len(boxes) == 2  # z and L are computed
    annotations = [a for a in ax.get_children() if isinstance(a, Annotation)]
    assert len(annotations) == len(EDGES)
    plt.close(ax.figure)


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


def quadratic(ws):
    return (np.asarray(ws) - 1.0) ** 2


def quadratic_slope(w):
    return 2 * (w - 1.0)


@pytest.mark.parametrize("x0, advice", [(3.0, "turn w down"), (-1.0, "turn w up"),
                                        (1.0, "flat spot")])
def test_tangent_touches_the_curve_with_the_gradient_as_slope(x0, advice):
    ax = plot_tangent(quadratic, quadratic_slope, x0, (-2.0, 4.0))
    curve, tangent = ax.lines[0], ax.lines[1]
    np.testing.assert_allclose(curve.get_ydata(), quadratic(curve.get_xdata()))
    tx, ty = tangent.get_xdata(), tangent.get_ydata()
    np.testing.assert_allclose((ty[1] - ty[0]) / (tx[1] - tx[0]), quadratic_slope(x0))
    np.testing.assert_allclose(np.interp(x0, tx, ty), quadratic(x0))  # it touches at x0
    assert any(advice in text for text in texts_of(ax))
    assert ax.get_xlabel() == "w" and ax.get_ylabel() == "loss" and ax.get_title()
    plt.close(ax.figure)


def test_tangent_explorer_has_a_slider_and_redraws_when_it_moves():
    explorer = tangent_explorer(quadratic, quadratic_slope, (-2.0, 4.0), x0=3.0)
    assert isinstance(explorer, TangentExplorer)
    slider = explorer.controls["x"]
    assert (slider.min, slider.max, slider.value) == (-2.0, 4.0, 3.0)
    assert explorer.slope == pytest.approx(4.0)
    assert "down" in explorer.status.value
    first_image = explorer.output.outputs[0]["data"]["image/png"]
    slider.value = -1.0
    assert explorer.slope == pytest.approx(-4.0)
    assert "up" in explorer.status.value
    assert explorer.output.outputs[0]["data"]["image/png"] != first_image
    assert explorer.widget.children[0] is slider


def test_tangent_explorer_rejects_an_empty_range():
    with pytest.raises(ValueError):
        tangent_explorer(quadratic, quadratic_slope, (1.0, 1.0))
