"""Tests of the slopes-by-logit figure helpers in dlkit.plots.losses."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlkit.plots import logit_gradients, plot_logit_gradients  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


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
