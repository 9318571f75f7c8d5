"""Parameter.grad after zero_grad(): always an array of zeros to readers, and gradients still add."""

from __future__ import annotations

import numpy as np
import pytest

import dlkit
from dlkit import Parameter

RNG = np.random.default_rng(0)
A, B, C = (RNG.standard_normal(shape) for shape in [(4, 3), (3, 5), (3, 5)])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_zero_grad_reads_as_zeros_after_a_gradient(dtype):
    p = Parameter(np.ones((4, 5), dtype=dtype))
    p.add_matmul(A.astype(dtype), B.astype(dtype))
    assert p.grad.any()
    p.zero_grad()
    grad = p.grad
    assert isinstance(grad, np.ndarray) and grad.shape == (4, 5) and grad.dtype == dtype
    assert not grad.any()


def test_add_matmul_writes_then_adds():
    p = Parameter(np.zeros((4, 5)))
    p.zero_grad()
    p.add_matmul(A, B)
    np.testing.assert_array_equal(p.grad, A @ B)
    p.add_matmul(A, C)  # a second contribution without zero_grad adds
    np.testing.assert_array_equal(p.grad, A @ B + A @ C)


def test_add_matmul_adds_to_what_a_reader_wrote_after_zero_grad():
    p = Parameter(np.zeros((4, 5)))
    p.add_matmul(A, B)
    p.zero_grad()
    p.grad += 1.0  # a hand-written gradient, as the chapters do
    p.add_matmul(A, C)
    np.testing.assert_array_equal(p.grad, 1.0 + A @ C)


def test_assigned_grad_is_kept():
    p = Parameter(np.zeros((4, 5)))
    p.zero_grad()
    p.grad = np.full((4, 5), 2.0)
    np.testing.assert_array_equal(p.grad, 2.0)
    p.add_matmul(A, B)
    np.testing.assert_array_equal(p.grad, 2.0 + A @ B)


def _dense_pair():
    first, second = dlkit.Dense(3, 3, rng=0), dlkit.Dense(3, 3, rng=1)
    second.weight, second.bias = first.weight, first.bias
    return first, second


def test_a_parameter_used_twice_gets_the_sum_after_zero_grad():
    first, second = _dense_pair()
    model = dlkit.Sequential(first, dlkit.Tanh(), second)
    x = RNG.standard_normal((6, 3))
    g = RNG.standard_normal((6, 3))
    model.zero_grad()
    model(x)
    model.backward(g)
    # The same two contributions by hand: the second layer's, then the first layer's.
    hidden = np.tanh(x @ first.weight.data + first.bias.data)
    g_hidden = (g @ first.weight.data.T) * (1 - hidden * hidden)
    np.testing.assert_allclose(first.weight.grad, hidden.T @ g + x.T @ g_hidden, rtol=1e-12)
    np.testing.assert_allclose(first.bias.grad, g.sum(axis=0) + g_hidden.sum(axis=0), rtol=1e-12)


def test_second_backward_without_zero_grad_adds():
    model = dlkit.Sequential(dlkit.Dense(3, 4, rng=0), dlkit.ReLU(), dlkit.Dense(4, 2, rng=1))
    x, g = RNG.standard_normal((5, 3)), RNG.standard_normal((5, 2))
    model.zero_grad()
    model(x)
    model.backward(g)
    once = [p.grad.copy() for p in model.parameters()]
    model.backward(g)
    for p, first in zip(model.parameters(), once, strict=True):
        np.testing.assert_array_equal(p.grad, first + first)
    model.zero_grad()
    model.backward(g)
    for p, first in zip(model.parameters(), once, strict=True):
        np.testing.assert_array_equal(p.grad, first)
