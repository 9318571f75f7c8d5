"""dlkit.neuron: activation(w · x + b) on one sample (a float) or a batch ((batch,))."""

from __future__ import annotations

import numpy as np
import pytest

import dlkit
from dlkit import Neuron, Parameter

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def test_and_gate_with_step():
    neuron = Neuron([1.0, 1.0], bias=-1.5, activation="step")
    np.testing.assert_array_equal(neuron(INPUTS), [0, 0, 0, 1])


def test_or_gate_default_activation_is_step():
    neuron = Neuron([1.0, 1.0], bias=-0.5)
    np.testing.assert_array_equal(neuron(INPUTS), [0, 1, 1, 1])


def test_one_sample_returns_a_float():
    neuron = Neuron([0.5, -1.0, 2.0], bias=0.25, activation="sigmoid")
    out = neuron(np.array([1.0, 2.0, 3.0]))
    assert isinstance(out, float)
    z = 0.5 - 2.0 + 6.0 + 0.25
    assert out == pytest.approx(1 / (1 + np.exp(-z)), rel=1e-14)
    assert isinstance(neuron([1, 2, 3]), float)  # a plain list works too


def test_batch_returns_batch_shape():
    neuron = Neuron([0.5, -1.0], bias=0.1, activation="identity")
    out = neuron(INPUTS)
    assert isinstance(out, np.ndarray) and out.shape == (4,)
    np.testing.assert_allclose(out, INPUTS @ [0.5, -1.0] + 0.1, rtol=1e-14)


@pytest.mark.parametrize(
    "activation, f",
    [
        ("step", lambda z: (z >= 0).astype(float)),
        ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
        ("relu", lambda z: np.maximum(z, 0)),
        ("tanh", np.tanh),
        ("identity", lambda z: z),
    ],
)
def test_each_activation(activation, f):
    w, b = np.array([1.5, -2.0]), 0.25
    X = np.random.default_rng(0).normal(size=(10, 2))
    neuron = Neuron(w, bias=b, activation=activation)
    z = X @ w + b
    np.testing.assert_allclose(neuron(X), f(z), rtol=1e-14)
    for x, expected in zip(X, f(z), strict=True):
        assert neuron(x) == pytest.approx(expected, rel=1e-14)


def test_step_fires_at_exactly_zero():
    assert Neuron([1.0], bias=-1.0)(np.array([1.0])) == 1.0
    assert Neuron([1.0], bias=-1.0)(np.array([0.999])) == 0.0


def test_unknown_activation_is_rejected():
    with pytest.raises(ValueError, match="(?i)activation"):
        Neuron([1.0, 2.0], activation="softplus")


def test_wrong_number_of_inputs():
    neuron = Neuron([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="3"):
        neuron(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="3"):
        neuron(np.ones((4, 2)))


def test_neuron_is_exported():
    assert dlkit.Neuron is Neuron and dlkit.Parameter is Parameter
