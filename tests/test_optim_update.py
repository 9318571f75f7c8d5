"""SGD's in-place update on arrays larger than one slice: the same numbers as data -= lr * grad."""

from __future__ import annotations

import numpy as np
import pytest

import dlkit
import dlkit.optim


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_large_update_matches_the_formula(dtype, momentum):
    rng = np.random.default_rng(0)
    shape = (601, 517)  # more numbers than one slice, and not a multiple of it
    assert np.prod(shape) > dlkit.optim._CHUNK and np.prod(shape) % dlkit.optim._CHUNK
    data = rng.standard_normal(shape).astype(dtype)
    grads = [rng.standard_normal(shape).astype(dtype) for _ in range(3)]
    p = dlkit.Parameter(data.copy())
    optimizer = dlkit.SGD([p], lr=0.037, momentum=momentum)
    expected, velocity = data.copy(), np.zeros_like(data)
    for g in grads:
        p.zero_grad()
        p.grad += g
        optimizer.step()
        velocity = momentum * velocity + g if momentum else g
        expected = expected - 0.037 * velocity
    assert p.data.dtype == dtype
    np.testing.assert_array_equal(p.data, expected)


def test_sgd_update_of_a_non_contiguous_parameter():
    rng = np.random.default_rng(1)
    base = rng.standard_normal((600, 400))
    p = dlkit.Parameter(base.T)  # a transposed view: not C-contiguous
    g = rng.standard_normal((400, 600))
    p.grad = g.copy()
    expected = base.T - 0.5 * g
    dlkit.SGD([p], lr=0.5).step()
    np.testing.assert_array_equal(p.data, expected)
    np.testing.assert_array_equal(base.T, expected)  # updated in place
