"""dlkit.plots.draw_value_graph: the graph behind a dlkit.autograd.Value, drawn with its numbers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402

from dlkit.autograd import Value  # noqa: E402
from dlkit.plots import draw_value_graph  # noqa: E402


def test_the_neuron_is_drawn_with_its_formulas_values_and_gradients():
    x, w, b = Value(2.0), Value(0.5), Value(-0.5)
    z = w * x + b
    a = z.sigmoid()
    loss = (a - 0.2) ** 2
    loss.backward()
    ax = draw_value_graph(loss, {"x": x, "w": w, "b": b, "z": z, "a": a, "L": loss})
    texts = [t.get_text() for t in ax.texts]
    for label in [r"$v_{1} = w \cdot x$", "$z = v_{1} + b$", r"$a = \sigma(z)$",
                  "$v_{2} = a - 0.2$", "$L = v_{2}^{2}$", "$0.2$"]:
        assert label in texts
    assert r"$\partial L/\partial w$ = 0.397" in texts
    assert "$L$ = 0.178" in texts
    assert not any(r"\partial c_" in t for t in texts)  # the number 0.2 has no gradient
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert (len(circles), len(boxes)) == (4, 5)  # x, w, b, 0.2; five computed nodes
    plt.close(ax.figure)


def test_a_value_used_twice_gets_one_node_with_two_arrows_out():
    x = Value(0.5)
    loss = x.tanh() + x.exp()
    loss.backward()
    ax = draw_value_graph(loss, {"x": x, "L": loss})
    arrows = [a for a in ax.get_children() if isinstance(a, Annotation)]
    assert len(arrows) == 4  # x → tanh, x → exp, both → L
    assert sum(t.get_text() == r"$\partial L/\partial x$ = 2.435" for t in ax.texts) == 2
    plt.close(ax.figure)


def test_numbers_computed_from_numbers_are_drawn_as_one_number():
    x = Value(3.0)
    loss = x * (2 * 0.5 - 4)  # the bracket holds no Value of the reader's
    loss.backward()
    ax = draw_value_graph(loss, {"x": x, "L": loss})
    texts = [t.get_text() for t in ax.texts]
    assert "$-3$" in texts and r"$L = x \cdot -3$" in texts
    plt.close(ax.figure)
