"""dlkit.plots.boundaries: the neuron's boundary line, its arrow, title and markers."""

from __future__ import annotations

import numpy as np
import pytest

from dlkit import Neuron
from dlkit.plots import plot_neuron_boundary


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0.0, 0.45, (12, 2)), rng.normal(2.0, 0.45, (12, 2))])
    y = np.repeat([0, 1], 12)
    return X, y


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


def test_marker_size_enlarges_the_points_only(blobs):
    from matplotlib.collections import PathCollection

    X, y = blobs
    ax = plot_neuron_boundary([1, 1], -2, X, y, marker_size=120)
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 2  # one per class
    assert all(np.all(c.get_sizes() == 120) for c in scatters)
