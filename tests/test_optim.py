"""dlkit.optim: steps computed by hand (PyTorch's conventions), in place, dtype kept, and the
hyperparameters an optimizer refuses."""

from __future__ import annotations

import numpy as np
import pytest

import dlkit
from dlkit import Parameter
from dlkit.layers import Dense
from dlkit.optim import SGD, Adam, RMSProp


def test_optimizers_are_exported_at_top_level():
    for name in ["SGD", "RMSProp", "Adam"]:
        assert getattr(dlkit, name) is getattr(dlkit.optim, name)

W0 = np.array([[0.5, -1.0, 2.0], [0.0, 0.3, -0.7]])
B0 = np.array([0.1, -0.2])
GRADS_W = [
    np.array([[0.2, -0.1, 0.4], [1.5, -2.0, 0.0]]),
    np.array([[-0.3, 0.05, 0.4], [0.5, 1.0, -0.25]]),
    np.array([[0.1, 0.1, -0.1], [-1.0, 0.0, 2.0]]),
]
GRADS_B = [np.array([0.3, -0.6]), np.array([-0.1, 0.2]), np.array([0.0, 1.0])]


def params(dtype=np.float64):
    return Parameter(W0.astype(dtype).copy()), Parameter(B0.astype(dtype).copy())


def run(opt, ps, n_steps):
    """n_steps optimizer steps with the fixed gradient sequence; grads set by hand."""
    for t in range(n_steps):
        opt.zero_grad()
        ps[0].grad += GRADS_W[t].astype(ps[0].grad.dtype)
        ps[1].grad += GRADS_B[t].astype(ps[1].grad.dtype)
        opt.step()


# ---------------------------------------------------------------- the formulas


@pytest.mark.parametrize("n_steps", [1, 2, 3])
def test_sgd_plain(n_steps):
    ps = params()
    run(SGD(list(ps), lr=0.1), ps, n_steps)
    w, b = W0.copy(), B0.copy()
    for t in range(n_steps):
        w -= 0.1 * GRADS_W[t]
        b -= 0.1 * GRADS_B[t]
    np.testing.assert_allclose(ps[0].data, w, rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(ps[1].data, b, rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize("n_steps", [1, 2, 3])
def test_sgd_momentum(n_steps):
    ps = params()
    run(SGD(list(ps), lr=0.1, momentum=0.9), ps, n_steps)
    w, b = W0.copy(), B0.copy()
    vw, vb = np.zeros_like(w), np.zeros_like(b)
    for t in range(n_steps):
        vw = 0.9 * vw + GRADS_W[t]
        vb = 0.9 * vb + GRADS_B[t]
        w -= 0.1 * vw
        b -= 0.1 * vb
    np.testing.assert_allclose(ps[0].data, w, rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(ps[1].data, b, rtol=1e-14, atol=1e-16)


def test_sgd_momentum_default_is_zero():
    a, b = params(), params()
    run(SGD(list(a), lr=0.1), a, 3)
    run(SGD(list(b), lr=0.1, momentum=0.0), b, 3)
    np.testing.assert_array_equal(a[0].data, b[0].data)


@pytest.mark.parametrize("n_steps", [1, 2, 3])
def test_rmsprop(n_steps):
    lr, alpha, eps = 0.01, 0.9, 1e-8
    ps = params()
    run(RMSProp(list(ps), lr=lr, alpha=alpha, eps=eps), ps, n_steps)
    w, b = W0.copy(), B0.copy()
    sw, sb = np.zeros_like(w), np.zeros_like(b)
    for t in range(n_steps):
        sw = alpha * sw + (1 - alpha) * GRADS_W[t] ** 2
        sb = alpha * sb + (1 - alpha) * GRADS_B[t] ** 2
        w -= lr * GRADS_W[t] / (np.sqrt(sw) + eps)
        b -= lr * GRADS_B[t] / (np.sqrt(sb) + eps)
    np.testing.assert_allclose(ps[0].data, w, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ps[1].data, b, rtol=1e-12, atol=1e-15)


def test_rmsprop_defaults():
    """RMSProp(lr=1e-3, alpha=0.99, eps=1e-8)."""
    ps = params()
    run(RMSProp(list(ps)), ps, 2)
    w = W0.copy()
    s = np.zeros_like(w)
    for t in range(2):
        s = 0.99 * s + 0.01 * GRADS_W[t] ** 2
        w -= 1e-3 * GRADS_W[t] / (np.sqrt(s) + 1e-8)
    np.testing.assert_allclose(ps[0].data, w, rtol=1e-12, atol=1e-15)


def _adam_reference(n_steps, lr, b1, b2, eps):
    w = W0.copy()
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, n_steps + 1):
        g = GRADS_W[t - 1]
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        w -= lr * m_hat / (np.sqrt(v_hat) + eps)
    return w


@pytest.mark.parametrize("n_steps", [1, 2, 3])
def test_adam_with_bias_correction(n_steps):
    ps = params()
    run(Adam(list(ps), lr=0.01, betas=(0.8, 0.95), eps=1e-6), ps, n_steps)
    expected = _adam_reference(n_steps, 0.01, 0.8, 0.95, 1e-6)
    np.testing.assert_allclose(ps[0].data, expected, rtol=1e-10, atol=1e-13)


def test_adam_defaults_and_first_step_size():
    """Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8); bias correction makes step 1 ≈ lr·sign(g)."""
    ps = params()
    run(Adam(list(ps)), ps, 1)
    np.testing.assert_allclose(ps[0].data, _adam_reference(1, 1e-3, 0.9, 0.999, 1e-8), rtol=1e-10)
    moved = W0 - ps[0].data
    nonzero = GRADS_W[0] != 0
    np.testing.assert_allclose(moved[nonzero], 1e-3 * np.sign(GRADS_W[0][nonzero]), rtol=1e-4)


def test_optimizers_keep_separate_state_per_parameter():
    a = Parameter(np.array([1.0, 2.0]))
    b = Parameter(np.array([1.0, 2.0]))
    opt = Adam([a, b], lr=0.1)
    a.grad += np.array([1.0, 1.0])
    b.grad += np.array([-3.0, 0.5])
    opt.step()
    opt.zero_grad()
    b.grad += np.array([2.0, 2.0])
    opt.step()
    # a's second gradient was zero: its update is momentum only
    m = 0.9 * 0.1 * np.array([1.0, 1.0])
    v = 0.999 * 0.001 * np.array([1.0, 1.0])
    first = np.array([1.0, 2.0]) - 0.1 * 1.0 / (1.0 + 1e-8)
    expected_a = first - 0.1 * (m / (1 - 0.81)) / (np.sqrt(v / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(a.data, expected_a, rtol=1e-10)


def test_optimizer_accepts_model_parameters():
    model = dlkit.Sequential(dlkit.Dense(2, 3, rng=0), dlkit.ReLU(), dlkit.Dense(3, 1, rng=1))
    for p in model.parameters():
        p.grad += 1.0
    before = [p.data.copy() for p in model.parameters()]
    SGD(model.parameters(), lr=0.5).step()
    for p, b in zip(model.parameters(), before, strict=True):
        np.testing.assert_allclose(p.data, b - 0.5)


# ---------------------------------------------------------------- zero_grad, in place, dtype


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1, momentum=0.9), RMSProp, Adam])
def test_optimizer_zero_grad(make):
    ps = params()
    opt = make(list(ps))
    for p in ps:
        p.grad += 3.0
    opt.zero_grad()
    for p in ps:
        assert p.grad.shape == p.data.shape and not p.grad.any()


@pytest.mark.parametrize(
    "make",
    [lambda ps: SGD(ps, lr=0.1), lambda ps: SGD(ps, lr=0.1, momentum=0.9), RMSProp, Adam],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_step_is_in_place_and_keeps_dtype(make, dtype):
    ps = params(dtype)
    arrays = [p.data for p in ps]
    grads = [p.grad for p in ps]
    run(make(list(ps)), ps, 3)
    for p, array, grad in zip(ps, arrays, grads, strict=True):
        assert p.data is array, "step must update the array in place"
        assert p.data.dtype == dtype and p.grad.dtype == dtype
        assert p.grad is grad or p.grad.dtype == dtype
        assert not np.allclose(p.data, W0 if p.data.ndim == 2 else B0)


def test_in_place_update_is_seen_through_views():
    p = Parameter(np.zeros(3))
    view = p.data
    p.grad += np.array([1.0, 2.0, 3.0])
    SGD([p], lr=1.0).step()
    np.testing.assert_array_equal(view, [-1.0, -2.0, -3.0])


def test_lr_attribute():
    ps = params()
    assert SGD(list(ps), lr=0.25).lr == 0.25
    assert Adam(list(ps)).lr == 1e-3
    assert RMSProp(list(ps)).lr == 1e-3


def _params():
    return Dense(2, 2, rng=0).parameters()


@pytest.mark.parametrize("lr", [0.0, -0.1])
@pytest.mark.parametrize("optimizer", [SGD, RMSProp, Adam])
def test_non_positive_learning_rate(optimizer, lr):
    with pytest.raises(ValueError, match=r"(?i)\blr\b|learning rate"):
        optimizer(_params(), lr=lr)
