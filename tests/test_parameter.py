"""dlkit.Parameter: a learnable array and its accumulating gradient."""

from __future__ import annotations

import numpy as np

import dlkit
from dlkit import Parameter


def test_parameter_zero_grad():
    p = dlkit.Parameter(np.ones((2, 3)))
    assert p.grad.shape == (2, 3) and not p.grad.any()
    p.grad += 5
    p.zero_grad()
    assert not p.grad.any()


def test_parameter_data_and_grad():
    p = Parameter(np.arange(6.0).reshape(2, 3))
    assert p.data.shape == p.grad.shape == (2, 3)
    assert p.grad.dtype == p.data.dtype
    assert not p.grad.any()
    p32 = Parameter(np.ones(3, dtype=np.float32))
    assert p32.data.dtype == np.float32 and p32.grad.dtype == np.float32
