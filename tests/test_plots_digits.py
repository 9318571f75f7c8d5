"""dlkit.plots.digits: digit images with their predictions, and the first mistakes."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlkit import plots
from dlkit.plots import plot_digit_predictions


def test_plot_digit_predictions_images_bars_and_colours():
    rng = np.random.default_rng(0)
    images = rng.uniform(0, 16, size=(3, 64))
    probs = np.full((3, 10), 0.05)
    probs[0, 4] = 0.55   # right: true 4, guess 4
    probs[1, 7] = 0.55   # wrong: true 1, guess 7
    probs[2, 2] = 0.55   # right
    labels = np.array([4, 1, 2])
    axes = plot_digit_predictions(images, probs, labels)
    assert axes.shape == (2, 3)
    assert axes[0, 0].images[0].get_array().shape == (8, 8)
    assert "true 4, guess 4" in axes[0, 0].get_title()
    assert "wrong" in axes[0, 1].get_title()
    bars = axes[1, 1].patches
    assert len(bars) == 10
    np.testing.assert_allclose([bar.get_height() for bar in bars], probs[1])
    colours = [matplotlib.colors.to_hex(bar.get_facecolor()) for bar in bars]
    assert colours[1] == "#009e73"   # the true digit: green
    assert colours[7] == "#d55e00"   # the wrong guess: vermillion
    assert colours[0] == "#999999"


def test_plot_digit_predictions_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="expected probs"):
        plot_digit_predictions(np.zeros((2, 64)), np.full((3, 10), 0.1), np.array([0, 1]))


def test_plot_mistakes_shows_first_wrong_digits(fake_digits):
    images, labels = fake_digits
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


def test_plot_mistakes_rejects_mismatched_predictions(fake_digits):
    images, labels = fake_digits
    with pytest.raises(ValueError, match="expected 20 predictions"):
        plots.plot_mistakes(images, labels, {"A": labels[:5]})
    plt.close("all")
