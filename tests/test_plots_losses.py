"""Tests of the figure and widget helpers of the chapter "Loss functions: how wrong was the model?"."""

from __future__ import annotations

import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlkit.losses import BinaryCrossEntropy, MSELoss  # noqa: E402
from dlkit.plots import binary_losses, plot_digit_predictions, plot_loss_curves  # noqa: E402
from dlkit.widgets.loss import LossExplorer, loss_explorer  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- binary_losses ---------------------------------------------------------------------------------

@pytest.mark.parametrize("label", [0, 1])
def test_binary_losses_match_dlkit_losses(label):
    p = np.array([0.01, 0.2, 0.5, 0.9, 0.99])
    mse, ce = binary_losses(p, label)
    assert mse.shape == ce.shape == p.shape
    target = np.full((1, 1), float(label))
    for i, p_i in enumerate(p):
        assert mse[i] == pytest.approx(MSELoss()(np.array([[p_i]]), target))
        assert ce[i] == pytest.approx(BinaryCrossEntropy()(np.array([[p_i]]), target))


def test_binary_losses_known_values_and_bad_label():
    mse, ce = binary_losses(0.01, 1)
    assert float(mse) == pytest.approx(0.9801)
    assert float(ce) == pytest.approx(4.605170186)
    mse, ce = binary_losses(0.01, 0)
    assert float(mse) == pytest.approx(0.0001)
    assert float(ce) == pytest.approx(-np.log(0.99))
    with pytest.raises(ValueError, match="label must be 0 or 1"):
        binary_losses(0.5, 2)


# --- plot_loss_curves ------------------------------------------------------------------------------

@pytest.mark.parametrize("label", [0, 1])
def test_plot_loss_curves_draws_both_curves_and_marks(label):
    marks = [0.01, 0.5, 0.9]
    mse_ax, ce_ax = plot_loss_curves(label, marks)
    assert mse_ax.figure is ce_ax.figure
    # one curve, one set of marked points and one vertical line at the true answer per panel
    for ax, which in ((mse_ax, 0), (ce_ax, 1)):
        curve, points, target_line = ax.get_lines()
        p, values = curve.get_data()
        np.testing.assert_allclose(values, binary_losses(p, label)[which])
        np.testing.assert_allclose(points.get_xdata(), marks)
        np.testing.assert_allclose(target_line.get_xdata(), [label, label])
        assert len(ax.texts) == len(marks)
        assert ax.get_xlabel().startswith("predicted probability")
        assert ax.get_title()
    answer = "yes" if label == 1 else "no"
    assert answer in ce_ax.get_title()
    expected_ce = binary_losses(np.array(marks), label)[1]
    assert [t.get_text() for t in ce_ax.texts] == [f"{v:.2f}" for v in expected_ce]


def test_plot_loss_curves_into_given_axes_without_marks():
    fig, axes = plt.subplots(1, 2)
    returned = plot_loss_curves(1, axes=axes)
    assert returned[0] is axes[0] and returned[1] is axes[1]
    assert len(axes[0].get_lines()) == 2  # curve and target line, no marks
    assert not axes[1].texts


# --- plot_digit_predictions ------------------------------------------------------------------------

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


# --- loss_explorer widget --------------------------------------------------------------------------

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
