"""The benchmarks' yardsticks compute what they claim to (benchmarks/training_speed.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import training_speed  # noqa: E402

CASES = {case.name: case for case in training_speed.CASES}


def _weights(model) -> list[np.ndarray]:
    return [p.data.copy() for p in model.parameters()]


@pytest.mark.parametrize("name", ["tiny", "digits"])
def test_the_handwritten_numpy_step_trains_exactly_like_dlkit(name):
    case = CASES[name]
    model, loss, optimizer, X, y = training_speed.dlkit_setup(case, np.random.default_rng(3))
    twin, _, _, _, _ = training_speed.dlkit_setup(case, np.random.default_rng(3))
    dense = [layer for layer in twin if hasattr(layer, "weight")]
    weights, biases = [d.weight.data for d in dense], [d.bias.data for d in dense]
    buffers: dict = {}
    start = _weights(model)
    for _ in range(3):  # the second and third steps reuse the buffers
        optimizer.zero_grad()
        loss(model(X), y)
        model.backward_parameters(loss.backward())
        optimizer.step()
        training_speed.handwritten_step(weights, biases, X, y, np.float32(optimizer.lr), buffers)
    trained, by_hand = _weights(model), _weights(twin)
    assert not all(np.array_equal(a, b) for a, b in zip(start, trained))  # the step did something
    for a, b in zip(trained, by_hand):
        assert a.dtype == b.dtype == np.float32
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


def test_the_handwritten_step_slices_a_large_update_exactly():
    rng = np.random.default_rng(0)
    weight = rng.standard_normal((700, 500)).astype(np.float32)  # more numbers than one slice
    grad_free = weight.copy()
    X = rng.standard_normal((4, 700)).astype(np.float32)
    y = np.array([0, 1, 2, 3])
    w_out = rng.standard_normal((500, 4)).astype(np.float32)
    biases = [np.zeros(500, np.float32), np.zeros(4, np.float32)]
    buffers: dict = {}
    training_speed.handwritten_step([weight, w_out.copy()], biases, X, y, np.float32(0.1), buffers)
    grad = buffers["weight_grads"][0]
    np.testing.assert_array_equal(weight, grad_free - np.float32(0.1) * grad)


def test_step_flops_counts_every_product_of_a_step():
    # 784-1024-1024-10, batch 512: forward and weight gradients of all three layers, input
    # gradients of the last two.
    products = [784 * 1024, 1024 * 1024, 1024 * 10]
    expected = 2 * 512 * (2 * sum(products) + products[1] + products[2])
    assert training_speed.step_flops((784, 1024, 1024, 10), 512) == expected
