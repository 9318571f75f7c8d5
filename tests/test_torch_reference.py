"""The same float64 networks in dlkit and PyTorch: losses, gradients and optimizer steps agree.

torch is an optional reference (never a dependency of dlkit); without it these tests skip.
dlkit's Dense stores weight as (in, out) with y = x @ W + b; torch.nn.Linear stores (out, in).
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from dlkit import Sequential  # noqa: E402
from dlkit.layers import Dense, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh  # noqa: E402
from dlkit.losses import BinaryCrossEntropy, CrossEntropyLoss, MSELoss  # noqa: E402
from dlkit.optim import SGD, Adam, RMSProp  # noqa: E402

RTOL, ATOL = 1e-8, 1e-12


def build(spec, seed=0):
    """spec: list of ("dense", in, out) or activation names; returns (dlkit model, torch model)."""
    rng = np.random.default_rng(seed)
    ours, theirs = [], []
    for item in spec:
        if isinstance(item, tuple):
            _, n_in, n_out = item
            W = rng.normal(scale=0.7, size=(n_in, n_out))
            b = rng.normal(scale=0.3, size=n_out)
            layer = Dense(n_in, n_out, rng=0)
            layer.weight.data[...] = W
            layer.bias.data[...] = b
            ours.append(layer)
            linear = torch.nn.Linear(n_in, n_out, dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(W.T.copy()))
                linear.bias.copy_(torch.from_numpy(b.copy()))
            theirs.append(linear)
        else:
            ours.append({"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "leaky": LeakyReLU,
                         "softmax": Softmax}[item]())
            theirs.append({"relu": torch.nn.ReLU(), "tanh": torch.nn.Tanh(),
                           "sigmoid": torch.nn.Sigmoid(), "leaky": torch.nn.LeakyReLU(0.01),
                           "softmax": torch.nn.Softmax(dim=1)}[item])
    return Sequential(*ours), torch.nn.Sequential(*theirs)


def torch_grads(model):
    """Gradients of a torch Sequential in dlkit's order and layout (weight transposed)."""
    grads = []
    for module in model:
        if isinstance(module, torch.nn.Linear):
            grads.append(module.weight.grad.numpy().T)
            grads.append(module.bias.grad.numpy())
    return grads


BODY = [("dense", 4, 6), "relu", ("dense", 6, 5), "tanh", ("dense", 5, 4), "sigmoid"]

CASES = {
    "mse": (BODY + [("dense", 4, 3)], MSELoss, torch.nn.MSELoss, "regression"),
    "mse_softmax_leaky": (
        [("dense", 4, 5), "leaky", ("dense", 5, 3), "softmax"], MSELoss, torch.nn.MSELoss,
        "regression",
    ),
    "bce": (BODY + [("dense", 4, 1), "sigmoid"], BinaryCrossEntropy, torch.nn.BCELoss, "binary"),
    "bce_logits": (
        BODY + [("dense", 4, 1)],
        lambda: BinaryCrossEntropy(from_logits=True),
        torch.nn.BCEWithLogitsLoss,
        "binary",
    ),
    "ce": (BODY + [("dense", 4, 3)], CrossEntropyLoss, torch.nn.CrossEntropyLoss, "labels"),
}


def problem(kind, n=9, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    if kind == "regression":
        y = rng.normal(size=(n, 3))
        return X, y, torch.from_numpy(y)
    if kind == "binary":
        y = rng.integers(0, 2, size=(n, 1)).astype(float)
        return X, y, torch.from_numpy(y)
    y = rng.integers(0, 3, size=n)
    return X, y, torch.from_numpy(y.astype(np.int64))


@pytest.mark.parametrize("case", list(CASES))
def test_loss_and_gradients_match_torch(case):
    spec, make_loss, make_torch_loss, kind = CASES[case]
    ours, theirs = build(spec)
    X, y, y_t = problem(kind)

    loss = make_loss()
    value = loss(ours(X), y)
    grad_x = ours.backward(loss.backward())

    X_t = torch.from_numpy(X.copy()).requires_grad_(True)
    value_t = make_torch_loss()(theirs(X_t), y_t)
    value_t.backward()

    assert value == pytest.approx(value_t.item(), rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(ours.predict(X), theirs(X_t).detach().numpy(), rtol=RTOL, atol=ATOL)
    ours_grads = [p.grad for p in ours.parameters()]
    theirs_grads = torch_grads(theirs)
    assert len(ours_grads) == len(theirs_grads)
    for g, g_t in zip(ours_grads, theirs_grads, strict=True):
        assert g.shape == g_t.shape
        np.testing.assert_allclose(g, g_t, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(grad_x, X_t.grad.numpy(), rtol=RTOL, atol=ATOL)


def _train_both(make_ours, make_theirs, steps=3):
    ours, theirs = build(BODY + [("dense", 4, 3)])
    X, y, y_t = problem("labels")
    loss, loss_t = CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    opt, opt_t = make_ours(ours.parameters()), make_theirs(theirs.parameters())
    X_t = torch.from_numpy(X)
    for _ in range(steps):
        opt.zero_grad()
        loss(ours(X), y)
        ours.backward(loss.backward())
        opt.step()
        opt_t.zero_grad()
        loss_t(theirs(X_t), y_t).backward()
        opt_t.step()
    ours_params = [p.data for p in ours.parameters()]
    theirs_params = []
    for module in theirs:
        if isinstance(module, torch.nn.Linear):
            theirs_params += [module.weight.detach().numpy().T, module.bias.detach().numpy()]
    for p, p_t in zip(ours_params, theirs_params, strict=True):
        np.testing.assert_allclose(p, p_t, rtol=RTOL, atol=ATOL)


def test_adam_steps_match_torch():
    _train_both(
        lambda ps: Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8),
        lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8),
    )


def test_sgd_momentum_steps_match_torch():
    _train_both(
        lambda ps: SGD(ps, lr=0.05, momentum=0.9),
        lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9),
    )


def test_rmsprop_steps_match_torch():
    _train_both(
        lambda ps: RMSProp(ps, lr=0.01, alpha=0.99, eps=1e-8),
        lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.99, eps=1e-8),
    )
