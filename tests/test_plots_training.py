"""dlkit.plots.training: the descent paths drawn over a loss surface."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dlkit.descent import gradient_descent_path
from dlkit.plots import plot_descent_paths

A, B = 1.0, 10.0


def bowl(w1, w2):
    return 0.5 * (A * w1**2 + B * w2**2)


def bowl_grad(w):
    return np.array([A * w[0], B * w[1]])


def test_plot_descent_paths_draws_contours_paths_and_labels():
    paths = {f"lr = {lr}": gradient_descent_path(bowl_grad, (-2.5, 1.0), lr, 10)
             for lr in (0.01, 0.09)}
    fig, ax = plt.subplots()
    returned = plot_descent_paths(bowl, paths, ax=ax, xlim=(-3, 3), ylim=(-1.5, 1.5),
                                  title="Three learning rates")
    assert returned is ax
    assert ax.get_title() == "Three learning rates"
    assert "w_1" in ax.get_xlabel() and "w_2" in ax.get_ylabel()
    assert ax.get_xlim() == (-3.0, 3.0) and ax.get_ylim() == (-1.5, 1.5)
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["lr = 0.01", "lr = 0.09", "minimum"]
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["lr = 0.09"].get_xydata(), paths["lr = 0.09"])
    assert len(ax.collections) >= 1  # the contour lines
    plt.close(fig)


def test_plot_descent_paths_without_paths_or_minimum():
    ax = plot_descent_paths(bowl, {}, minimum=None)
    assert ax.get_legend() is None
    assert ax.get_lines() == []
    plt.close(ax.figure)


def test_plot_descent_paths_uses_the_given_colors():
    from matplotlib.colors import to_hex

    from dlkit.plots import COLORS

    path = gradient_descent_path(bowl_grad, (-2.5, 1.0), 0.1, 5)
    ax = plot_descent_paths(bowl, {"a": path}, colors=[COLORS["green"]])
    line = next(line for line in ax.get_lines() if line.get_label() == "a")
    assert to_hex(line.get_color()) == COLORS["green"].lower()
    plt.close(ax.figure)
