"""Helpers of the chapter "Machine learning vs deep learning": dlkit.plots.plot_mistakes and the
data-hunger widget dlkit.widgets.mistake_explorer (driven without a browser)."""

from __future__ import annotations

import base64

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from dlkit import plots, widgets  # noqa: E402


@pytest.fixture
def digits():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 17, size=(20, 64)).astype(float)
    labels = np.arange(20) % 10
    return images, labels


def test_plot_mistakes_shows_first_wrong_digits(digits):
    images, labels = digits
    good = labels.copy()
    good[[3, 7]] = (labels[[3, 7]] + 1) % 10            # two mistakes: test images 3 and 7
    bad = (labels + 1) % 10                              # everything wrong
    axes = plots.plot_mistakes(images, labels, {"A": good, "B": bad}, n_show=4)
    assert axes.shape == (2, 4)
    titles_a = [ax.get_title() for ax in axes[0]]
    assert titles_a == [f"{labels[3]} → {good[3]}", f"{labels[7]} → {good[7]}", "", ""]
    assert len(axes[0, 0].images) == 1 and len(axes[0, 3].images) == 0   # empty slots stay blank
    np.testing.assert_array_equal(axes[0, 1].images[0].get_array(), images[7].reshape(8, 8))
    assert [ax.get_title() for ax in axes[1]] == [f"{labels[i]} → {bad[i]}" for i in range(4)]
    assert "A" in axes[0, 0].get_ylabel() and "90.0% right" in axes[0, 0].get_ylabel()
    assert "0.0% right" in axes[1, 0].get_ylabel() and "20 wrong" in axes[1, 0].get_ylabel()
    plt.close("all")


def test_plot_mistakes_rejects_mismatched_predictions(digits):
    images, labels = digits
    with pytest.raises(ValueError, match="expected 20 predictions"):
        plots.plot_mistakes(images, labels, {"A": labels[:5]})
    plt.close("all")


def test_mistake_explorer_controls_and_update(digits):
    images, labels = digits
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


def test_mistake_explorer_rejects_unknown_size(digits):
    images, labels = digits
    with pytest.raises(ValueError, match="not one of the precomputed sizes"):
        widgets.mistake_explorer(images, labels, {10: {"A": labels}}, size=50)
    with pytest.raises(ValueError, match="empty"):
        widgets.mistake_explorer(images, labels, {})
