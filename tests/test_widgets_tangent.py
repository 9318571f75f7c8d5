"""dlkit.widgets.tangent: the tangent explorer (driven without a browser)."""

from __future__ import annotations

import numpy as np
import pytest

from dlkit.widgets.tangent import TangentExplorer, tangent_explorer


def quadratic(ws):
    return (np.asarray(ws) - 1.0) ** 2


def quadratic_slope(w):
    return 2 * (w - 1.0)


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
