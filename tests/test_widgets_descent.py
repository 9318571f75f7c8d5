"""dlkit.widgets.descent: the gradient-descent explorer (driven without a browser)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dlkit.descent import gradient_descent_path

A, B = 1.0, 10.0


def bowl(w1, w2):
    return 0.5 * (A * w1**2 + B * w2**2)


def bowl_grad(w):
    return np.array([A * w[0], B * w[1]])


def test_descent_explorer_has_two_sliders_and_redraws_when_they_move():
    from dlkit.widgets import descent_explorer

    explorer = descent_explorer(bowl, bowl_grad, (-2.5, 1.0), lr=0.05, steps=10,
                                lr_range=(0.005, 0.25))
    assert set(explorer.controls) == {"lr", "steps"}
    assert explorer.controls["lr"].description == "learning rate"
    np.testing.assert_allclose(explorer.path,
                               gradient_descent_path(bowl_grad, (-2.5, 1.0), 0.05, 10))
    first_image = explorer.output.outputs[0]["data"]["image/png"]
    assert "0.050" in explorer.status.value and "10 steps" in explorer.status.value

    explorer.controls["lr"].value = 0.19
    np.testing.assert_allclose(explorer.path,
                               gradient_descent_path(bowl_grad, (-2.5, 1.0), 0.19, 10))
    assert explorer.output.outputs[0]["data"]["image/png"] != first_image
    explorer.controls["steps"].value = 30
    assert explorer.path.shape == (31, 2)

    explorer.controls["lr"].value = 0.25  # factor 1 - 2.5 = -1.5 on w2: it blows up
    assert "diverges" in explorer.status.value
    assert plt.get_fignums() == []  # every figure was closed after being turned into a PNG
