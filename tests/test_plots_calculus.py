"""dlkit.plots.calculus: the tangent whose slope is the gradient."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlkit.plots import plot_tangent


def texts_of(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


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
