"""Weight decay in SGD and Adam (L2 added to the gradient) and AdamW (decoupled), against torch.

The same float64 network is trained for several steps in dlkit and in PyTorch with the same
optimizer settings; the weights must agree to 1e-10. torch is only a reference: without it the
comparisons skip (the hand-computed checks below still run).
"""

from __future__ import annotations

import numpy as np
import pytest

import dlkit
from dlkit import SGD, Adam, AdamW, CrossEntropyLoss, Dense, Parameter, ReLU, Sequential, Tanh

STEPS = 12


def make_problem(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(16, 5))
    y = rng.integers(0, 3, size=16)
    layers = [Dense(5, 7, rng=rng), Tanh(), Dense(7, 6, rng=rng), ReLU(), Dense(6, 3, rng=rng)]
    for layer in layers:
        if isinstance(layer, Dense):
            layer.bias.data[...] = rng.normal(scale=0.3, size=layer.bias.shape)
    return Sequential(*layers), X, y


def train_dlkit(model, X, y, optimizer, steps=STEPS):
    loss = CrossEntropyLoss()
    for _ in range(steps):
        optimizer.zero_grad()
        loss(model(X), y)
        model.backward(loss.backward())
        optimizer.step()
    return [p.data.copy() for p in model.parameters()]


def train_torch(model, X, y, make_optimizer, steps=STEPS):
    torch = pytest.importorskip("torch")
    modules = []
    for layer in model:
        if isinstance(layer, Dense):
            linear = torch.nn.Linear(layer.in_features, layer.out_features, dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(layer.weight.data.T.copy()))
                linear.bias.copy_(torch.from_numpy(layer.bias.data.copy()))
            modules.append(linear)
        else:
            modules.append({Tanh: torch.nn.Tanh, ReLU: torch.nn.ReLU}[type(layer)]())
    net = torch.nn.Sequential(*modules)
    optimizer = make_optimizer(torch.optim, net.parameters())
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(Xt), yt).backward()
        optimizer.step()
    weights = []
    for module in net:
        if isinstance(module, torch.nn.Linear):
            weights += [module.weight.detach().numpy().T, module.bias.detach().numpy()]
    return weights


CASES = {
    "sgd_wd": (lambda p: SGD(p, lr=0.1, weight_decay=0.05),
               lambda o, p: o.SGD(p, lr=0.1, weight_decay=0.05)),
    "sgd_momentum_wd": (lambda p: SGD(p, lr=0.05, momentum=0.9, weight_decay=0.02),
                        lambda o, p: o.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.02)),
    "sgd_no_wd": (lambda p: SGD(p, lr=0.1), lambda o, p: o.SGD(p, lr=0.1)),
    "adam_wd": (lambda p: Adam(p, lr=0.01, weight_decay=0.1),
                lambda o, p: o.Adam(p, lr=0.01, weight_decay=0.1)),
    "adam_wd_betas": (lambda p: Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.3),
                      lambda o, p: o.Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6,
                                          weight_decay=0.3)),
    "adamw_defaults": (lambda p: AdamW(p), lambda o, p: o.AdamW(p)),
    "adamw_strong": (lambda p: AdamW(p, lr=0.01, betas=(0.85, 0.995), eps=1e-7, weight_decay=0.5),
                     lambda o, p: o.AdamW(p, lr=0.01, betas=(0.85, 0.995), eps=1e-7,
                                          weight_decay=0.5)),
}


@pytest.mark.parametrize("case", CASES)
def test_training_matches_torch_to_1e_10(case):
    pytest.importorskip("torch")
    ours, theirs = CASES[case]
    model, X, y = make_problem()
    expected = train_torch(model, X, y, theirs)  # reads the starting weights before training
    got = train_dlkit(model, X, y, ours(model.parameters()))
    start_model, _, _ = make_problem()
    moved = max(np.abs(g - s.data).max() for g, s in zip(got, start_model.parameters()))
    assert moved > 1e-3  # the weights really moved, so agreement is not trivial
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=0, atol=1e-10)


def one_parameter(value=2.0, grad=0.5):
    p = Parameter(np.array([value]))
    p.grad[...] = grad
    return p


def test_sgd_weight_decay_adds_wd_times_weight_to_the_gradient():
    p = one_parameter()
    SGD([p], lr=0.1, weight_decay=0.2).step()
    assert p.data[0] == pytest.approx(2.0 - 0.1 * (0.5 + 0.2 * 2.0))


def test_adam_weight_decay_goes_through_adams_scaling():
    # first Adam step moves by lr * sign(g): with L2 the gradient 0.5 + 0.2*2 is still positive
    p = one_parameter()
    Adam([p], lr=0.1, weight_decay=0.2).step()
    assert p.data[0] == pytest.approx(2.0 - 0.1, abs=1e-6)


def test_adamw_shrinks_the_weight_then_takes_adams_step():
    p = one_parameter()
    AdamW([p], lr=0.1, weight_decay=0.2).step()
    assert p.data[0] == pytest.approx(2.0 * (1 - 0.1 * 0.2) - 0.1, abs=1e-6)


def test_adamw_with_zero_decay_is_adam():
    a, b = one_parameter(), one_parameter()
    opt_a, opt_b = Adam([a], lr=0.05), AdamW([b], lr=0.05, weight_decay=0.0)
    for _ in range(5):
        opt_a.step()
        opt_b.step()
    assert a.data[0] == b.data[0]


def test_weight_decay_alone_shrinks_weights_towards_zero():
    p = one_parameter(grad=0.0)
    optimizer = SGD([p], lr=0.1, weight_decay=0.5)
    for _ in range(10):
        optimizer.step()
    assert p.data[0] == pytest.approx(2.0 * 0.95**10)


def test_adamw_is_exported_and_has_pytorch_defaults():
    optimizer = dlkit.AdamW([one_parameter()])
    assert (optimizer.lr, optimizer.betas, optimizer.eps, optimizer.weight_decay) == (
        1e-3, (0.9, 0.999), 1e-8, 0.01)
    assert dlkit.SGD([one_parameter()], lr=0.1).weight_decay == 0.0
    assert dlkit.Adam([one_parameter()]).weight_decay == 0.0
