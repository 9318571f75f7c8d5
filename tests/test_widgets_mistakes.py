"""dlkit.widgets.mistakes: the data-hunger explorer (driven without a browser)."""

from __future__ import annotations

import base64

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlkit import widgets


def test_mistake_explorer_controls_and_update(fake_digits):
    images, labels = fake_digits
    results = {100: {"A": (labels + 1) % 10, "B": labels.copy()},
               10: {"A": np.where(np.arange(20) < 10, labels, 0), "B": (labels + 2) % 10}}
    explorer = widgets.mistake_explorer(images, labels, results, n_show=3)
    slider = explorer.controls["size"]
    assert list(slider.options) == [10, 100]                 # sorted sizes
    assert slider.value == 10                                 # the smallest first
    assert explorer.accuracies == pytest.approx({"A": 0.55, "B": 0.0})
    assert "55.0%" in explorer.status.value
    first_png = explorer.output.outputs[0]["data"]["image/png"]
    assert base64.b64decode(first_png).startswith(b"\x89PNG")
    slider.value = 100                                        # moving the slider redraws
    assert explorer.accuracies == pytest.approx({"A": 0.0, "B": 1.0})
    assert "100.0%" in explorer.status.value
    assert explorer.output.outputs[0]["data"]["image/png"] != first_png
    plt.close("all")


def test_mistake_explorer_rejects_unknown_size(fake_digits):
    images, labels = fake_digits
    with pytest.raises(ValueError, match="not one of the precomputed sizes"):
        widgets.mistake_explorer(images, labels, {10: {"A": labels}}, size=50)
    with pytest.raises(ValueError, match="empty"):
        widgets.mistake_explorer(images, labels, {})
