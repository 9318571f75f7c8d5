"""dlkit.widgets.edges: the edge-filter explorer (driven without a browser)."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from dlkit.plots import edge_kernel, slide_filter
from dlkit.widgets.edges import EdgeExplorer, edge_explorer


def _png(explorer):
    (output,) = explorer.output.outputs
    return base64.b64decode(output["data"]["image/png"])


def test_edge_explorer_controls_and_first_view():
    rng = np.random.default_rng(1)
    images, labels = rng.uniform(0, 16, size=(3, 64)), np.array([4, 7, 0])
    explorer = edge_explorer(images, labels, angle=90, index=1)
    assert isinstance(explorer, EdgeExplorer)
    angle, image = explorer.controls["angle"], explorer.controls["image"]
    assert (angle.min, angle.max, angle.step, angle.value) == (0, 345, 15, 90)
    assert (image.min, image.max, image.value) == (0, 2, 1)
    np.testing.assert_allclose(explorer.response,
                               slide_filter(images[1].reshape(8, 8), edge_kernel(90)))
    assert "handwritten 7" in explorer.status.value and "90°" in explorer.status.value
    assert _png(explorer).startswith(b"\x89PNG")
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_edge_explorer_updates_when_a_slider_moves():
    rng = np.random.default_rng(2)
    images = rng.uniform(0, 16, size=(2, 8, 8))
    explorer = edge_explorer(images)
    first_png, first_response = _png(explorer), explorer.response.copy()
    explorer.controls["angle"].value = 180
    np.testing.assert_allclose(explorer.response, -first_response)
    assert _png(explorer) != first_png
    assert "180°" in explorer.status.value and "image," in explorer.status.value
    explorer.controls["image"].value = 1
    np.testing.assert_allclose(explorer.response, slide_filter(images[1], edge_kernel(180)))


def test_edge_explorer_rejects_bad_images():
    with pytest.raises(ValueError, match="images must be"):
        EdgeExplorer(np.zeros(64))
