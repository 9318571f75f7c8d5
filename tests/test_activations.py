"""dlkit.activations: the activation functions, stable at extreme inputs."""

from __future__ import annotations

import numpy as np

from dlkit import activations
from dlkit.layers import Softmax


def test_softmax_and_log_softmax_are_stable_at_1e4():
    x = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = activations.softmax(x)
        ls = activations.log_softmax(x)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ls))
    np.testing.assert_allclose(s[0], [1.0, 0.0, 0.0], atol=1e-300)
    np.testing.assert_allclose(s[1], [1 / 3] * 3, rtol=1e-12)
    np.testing.assert_allclose(ls[0], [0.0, -1e4, -2e4], rtol=1e-12)
    np.testing.assert_allclose(ls[1], [-np.log(3)] * 3, rtol=1e-12)
    layer = Softmax()
    np.testing.assert_allclose(layer(x), s, rtol=1e-12, atol=1e-300)
    assert np.all(np.isfinite(layer.backward(np.ones_like(x))))
