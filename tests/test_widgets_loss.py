"""dlkit.widgets.loss: the loss explorer (driven without a browser)."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from dlkit.widgets.loss import LossExplorer, loss_explorer


def _png(explorer: LossExplorer) -> bytes:
    (output,) = explorer.output.outputs
    return base64.b64decode(output["data"]["image/png"])


def test_loss_explorer_controls_and_first_view():
    explorer = loss_explorer(p=0.7, label=1)
    assert set(explorer.controls) == {"p", "label"}
    slider, toggle = explorer.controls["p"], explorer.controls["label"]
    assert (slider.min, slider.max, slider.value) == (0.01, 0.99, 0.7)
    assert toggle.value == 1 and set(toggle.options) == {("yes (1)", 1), ("no (0)", 0)}
    assert explorer.losses == pytest.approx((0.09, -np.log(0.7)))
    assert _png(explorer).startswith(b"\x89PNG")
    assert "0.0900" in explorer.status.value and "0.3567" in explorer.status.value


def test_loss_explorer_updates_when_controls_change():
    explorer = loss_explorer(p=0.7, label=1)
    first_png, first_status = _png(explorer), explorer.status.value
    explorer.controls["p"].value = 0.01
    assert explorer.losses == pytest.approx((0.9801, 4.605170186))
    assert "4.6052" in explorer.status.value and explorer.status.value != first_status
    assert _png(explorer) != first_png
    explorer.controls["label"].value = 0
    assert explorer.losses == pytest.approx((0.0001, -np.log(0.99)))
    assert "true answer no" in explorer.status.value


def test_loss_explorer_rejects_bad_label():
    with pytest.raises(ValueError, match="label must be 0 or 1"):
        LossExplorer(label=3)
