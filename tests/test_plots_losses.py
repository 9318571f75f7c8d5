"""dlkit.plots.losses: the two binary losses against dlkit's, their curves, and the slopes by the logit."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlkit.losses import BinaryCrossEntropy, MSELoss
from dlkit.plots import binary_losses, logit_gradients, plot_logit_gradients, plot_loss_curves

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


# --- logit_gradients, plot_logit_gradients ---------------------------------------------------------

def test_logit_gradients_match_the_closed_forms():
    z = np.array([-6.0, -2.0, 0.0, 1.5, 6.0])
    p = 1 / (1 + np.exp(-z))
    mse_slope, ce_slope = logit_gradients(z)
    np.testing.assert_allclose(mse_slope, -2 * (1 - p) * p * (1 - p), rtol=1e-12)
    np.testing.assert_allclose(ce_slope, p - 1, rtol=1e-12, atol=1e-15)


def test_logit_gradients_match_finite_differences():
    z = np.array([-6.0, -1.0, 0.5, 3.0])
    h = 1e-6

    def losses(z):
        p = 1 / (1 + np.exp(-z))
        return (1 - p) ** 2, -np.log(p)

    (mse_up, ce_up), (mse_down, ce_down) = losses(z + h), losses(z - h)
    mse_slope, ce_slope = logit_gradients(z)
    np.testing.assert_allclose(mse_slope, (mse_up - mse_down) / (2 * h), rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(ce_slope, (ce_up - ce_down) / (2 * h), rtol=1e-5, atol=1e-9)


def test_logit_gradients_do_not_depend_on_how_many_logits_come_together():
    alone = [logit_gradients(np.array([z])) for z in (-6.0, 0.0, 4.0)]
    together = logit_gradients(np.array([-6.0, 0.0, 4.0]))
    np.testing.assert_allclose(together[0], [a[0][0] for a in alone])
    np.testing.assert_allclose(together[1], [a[1][0] for a in alone])


def test_squared_error_pushes_a_confident_wrong_logit_far_less_than_cross_entropy():
    mse_slope, ce_slope = logit_gradients(np.array([-6.0]))
    assert abs(mse_slope[0]) < 0.01 < 0.99 < abs(ce_slope[0])


def test_plot_logit_gradients_draws_both_curves_and_the_marks():
    ax = plot_logit_gradients([-6.0, 0.0])
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) == 400]
    assert len(curves) == 2
    assert len(ax.texts) == 4
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
