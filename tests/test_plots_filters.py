"""dlkit.plots.filters: sliding a filter (against the two-loop definition), edge kernels, and the
filter-response figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from dlkit.plots import edge_kernel, plot_filter_response, slide_filter

# --- slide_filter ----------------------------------------------------------------------------------

def test_slide_filter_hand_example():
    image = np.array([[1, 2, 0], [0, 1, 3], [4, 0, 1]])
    kernel = np.array([[1, 0], [0, -1]])
    # windows: [[1,2],[0,1]] -> 1-1=0; [[2,0],[1,3]] -> 2-3=-1; [[0,1],[4,0]] -> 0-0=0; [[1,3],[0,1]] -> 1-1=0
    np.testing.assert_allclose(slide_filter(image, kernel), [[0, -1], [0, 0]])


def loop_filter(image, kernel):
    """The definition, written out with two loops (independent of slide_filter)."""
    h, w = kernel.shape
    out = np.zeros((image.shape[0] - h + 1, image.shape[1] - w + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = sum(image[i + a, j + b] * kernel[a, b] for a in range(h) for b in range(w))
    return out


@pytest.mark.parametrize("shape, kshape", [((8, 8), (3, 3)), ((5, 7), (2, 3)), ((4, 4), (4, 4)),
                                           ((6, 3), (1, 1))])
def test_slide_filter_matches_loops(shape, kshape):
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=shape), rng.normal(size=kshape)
    result = slide_filter(image, kernel)
    assert result.shape == (shape[0] - kshape[0] + 1, shape[1] - kshape[1] + 1)
    np.testing.assert_allclose(result, loop_filter(image, kernel), rtol=1e-12, atol=1e-12)


def test_slide_filter_rejects_bad_shapes():
    with pytest.raises(ValueError, match="2-D"):
        slide_filter(np.zeros(8), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="larger than the image"):
        slide_filter(np.zeros((2, 2)), np.zeros((3, 3)))


# --- edge_kernel -----------------------------------------------------------------------------------

def test_edge_kernel_directions():
    right = np.array([[-1, 0, 1]] * 3)
    up = np.array([[1, 1, 1], [0, 0, 0], [-1, -1, -1]])
    np.testing.assert_array_equal(edge_kernel(0), right)
    np.testing.assert_array_equal(edge_kernel(90), up)
    np.testing.assert_array_equal(edge_kernel(180), -right)
    np.testing.assert_array_equal(edge_kernel(270), -up)
    np.testing.assert_allclose(edge_kernel(45), (right + up) / np.sqrt(2))
    assert not np.any(np.signbit(edge_kernel(90)) & (edge_kernel(90) == 0))  # no "-0"


def test_edge_kernel_finds_the_edge_it_points_at():
    image = np.zeros((5, 5))
    image[:, 3:] = 1.0                          # ink on the right: ink grows to the right
    assert slide_filter(image, edge_kernel(0)).max() == pytest.approx(3.0)
    assert slide_filter(image, edge_kernel(180)).max() == pytest.approx(0.0)
    np.testing.assert_allclose(slide_filter(image, edge_kernel(90)), 0.0, atol=1e-12)


# --- plot_filter_response --------------------------------------------------------------------------

def test_plot_filter_response_panels_and_window():
    image = np.arange(64.0)
    kernel = edge_kernel(0)
    axes = plot_filter_response(image, kernel, window=(2, 4))
    assert len(axes) == 3
    image_ax, kernel_ax, response_ax = axes
    np.testing.assert_array_equal(image_ax.get_images()[0].get_array(), image.reshape(8, 8))
    np.testing.assert_array_equal(kernel_ax.get_images()[0].get_array(), kernel)
    np.testing.assert_allclose(response_ax.get_images()[0].get_array(),
                               slide_filter(image.reshape(8, 8), kernel))
    assert len(kernel_ax.texts) == 9 and kernel_ax.texts[0].get_text() == "-1"
    for ax in axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    boxes = [p for p in image_ax.patches if isinstance(p, Rectangle)]
    assert len(boxes) == 1 and boxes[0].get_xy() == (3.5, 1.5) and boxes[0].get_width() == 3
    cell = [p for p in response_ax.patches if isinstance(p, Rectangle)]
    assert len(cell) == 1 and cell[0].get_xy() == (3.5, 1.5) and cell[0].get_width() == 1


def test_plot_filter_response_into_axes_with_vmax_and_titles():
    fig, axes = plt.subplots(1, 3)
    returned = plot_filter_response(np.ones((6, 6)), np.ones((2, 2)), axes=axes, vmax=10,
                                    titles=("a", "b", "c"))
    assert list(returned) == list(axes)
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]
    assert axes[2].get_images()[0].get_clim() == (-10, 10)
    assert not axes[0].patches
