"""dlkit.check_gradients: small on correct models, large (and exactly right) on broken ones, float32
models and single layers checked, and what it refuses."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlkit
from dlkit import Sequential
from dlkit.layers import Dense, Identity, LeakyReLU, ReLU, Sigmoid, Step, Tanh
from dlkit.losses import BinaryCrossEntropy, CrossEntropyLoss, MSELoss


def test_check_gradients_small_on_correct_models(zoo_name, zoo):
    make_model, make_loss, kind = zoo.models[zoo_name]
    X, y = zoo.problem(kind)
    error = dlkit.check_gradients(make_model(), make_loss(), X, y)
    assert isinstance(error, float)
    assert 0 <= error < 1e-6


def test_check_gradients_agrees_with_our_own_check(zoo_name, zoo, fd):
    make_model, make_loss, kind = zoo.models[zoo_name]
    X, y = zoo.problem(kind)
    ours = fd.model_check(make_model(), make_loss(), X, y)
    assert max(v for k, v in ours.items() if k != "input") < 1e-6
    errors = dlkit.gradient_errors(make_model(), make_loss(), X, y)
    model = make_model()
    assert list(errors) == [n for n, _ in model.named_parameters()]
    assert all(0 <= e < 1e-6 for e in errors.values())


def test_check_gradients_accepts_eps(zoo):
    make_model, make_loss, kind = zoo.models["ce"]
    X, y = zoo.problem(kind)
    assert dlkit.check_gradients(make_model(), make_loss(), X, y, eps=1e-5) < 1e-6


def test_check_gradients_leaves_parameters_unchanged(zoo):
    make_model, make_loss, kind = zoo.models["mse"]
    model = make_model()
    X, y = zoo.problem(kind)
    before = [p.data.copy() for p in model.parameters()]
    X_before = X.copy()
    dlkit.check_gradients(model, make_loss(), X, y)
    for p, b in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.data, b)
    np.testing.assert_array_equal(X, X_before)


def test_check_gradients_detects_a_broken_activation_backward(monkeypatch, zoo):
    model = Sequential(Dense(3, 6, rng=0), ReLU(), Dense(6, 2, rng=1))
    X, y = zoo.problem("regression")
    assert dlkit.check_gradients(model, MSELoss(), X, y) < 1e-6
    # a ReLU that forgets its mask: gradients of the first layer go wrong
    monkeypatch.setattr(model[1], "backward", lambda grad_out, *a, **k: grad_out)
    assert dlkit.check_gradients(model, MSELoss(), X, y) > 1e-2
    errors = dlkit.gradient_errors(model, MSELoss(), X, y)
    assert errors["0.weight"] > 1e-2
    assert errors["2.weight"] < 1e-6 and errors["2.bias"] < 1e-6


def test_check_gradients_detects_a_broken_class_backward(monkeypatch, zoo):
    original = Tanh.backward

    def wrong(self, grad_out, *args, **kwargs):
        return 0.5 * original(self, grad_out, *args, **kwargs)

    make_model, make_loss, kind = zoo.models["mse"]
    X, y = zoo.problem(kind)
    monkeypatch.setattr(Tanh, "backward", wrong)
    assert dlkit.check_gradients(make_model(), make_loss(), X, y) > 0.1


def test_doubled_gradient_gives_exactly_one_third(monkeypatch, zoo):
    """‖2g − g‖ / (‖2g‖ + ‖g‖) = 1/3: the whole-array norm measure of check_gradients."""
    model = Sequential(Dense(3, 4, rng=0), Tanh(), Dense(4, 2, rng=1))
    dense = model[2]
    original = dense.backward

    def doubled(grad_out, *args, **kwargs):
        before = dense.weight.grad.copy()
        result = original(grad_out, *args, **kwargs)
        dense.weight.grad += dense.weight.grad - before
        return result

    monkeypatch.setattr(dense, "backward", doubled)
    X, y = zoo.problem("regression")
    errors = dlkit.gradient_errors(model, MSELoss(), X, y)
    assert errors["2.weight"] == pytest.approx(1 / 3, abs=1e-6)
    assert errors["0.weight"] < 1e-6 and errors["2.bias"] < 1e-6
    assert dlkit.check_gradients(model, MSELoss(), X, y) == pytest.approx(1 / 3, abs=1e-6)


def test_check_gradients_is_not_fooled_by_stale_gradients(zoo):
    """Gradients left over from an earlier backward must not leak into the check."""
    make_model, make_loss, kind = zoo.models["mse"]
    model = make_model()
    X, y = zoo.problem(kind)
    loss = make_loss()
    loss(model(X), y)
    model.backward(loss.backward())
    assert dlkit.check_gradients(model, loss, X, y) < 1e-6


def test_check_gradients_zero_gradients_give_zero_not_nan(zoo):
    """Step passes zero gradient: backprop and numeric are both 0, the 1e-12 floor gives 0."""
    model = Sequential(Dense(3, 4, rng=0), Step(), Dense(4, 2, rng=1))
    X, y = zoo.problem("regression")
    errors = dlkit.gradient_errors(model, MSELoss(), X, y)
    assert errors["0.weight"] == 0.0 and errors["0.bias"] == 0.0
    assert dlkit.check_gradients(model, MSELoss(), X, y) < 1e-6


@settings(max_examples=20, deadline=None)
@given(
    widths=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    acts=st.lists(st.sampled_from(["relu", "tanh", "sigmoid", "leaky", "identity"]), min_size=3,
                  max_size=3),
    loss_kind=st.sampled_from(["mse", "ce", "bce_logits"]),
    batch=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_random_networks_pass_both_checks(fd, widths, acts, loss_kind, batch, seed):
    make_act = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "leaky": LeakyReLU,
                "identity": Identity}
    rng = np.random.default_rng(seed)
    n_out = {"mse": 2, "ce": 3, "bce_logits": 1}[loss_kind]
    layers, n_in = [], 3
    for i, w in enumerate(widths):
        layers += [Dense(n_in, w, rng=seed + i), make_act[acts[i]]()]
        n_in = w
    layers.append(Dense(n_in, n_out, rng=seed + 99))
    model = Sequential(*layers)
    X = fd.away_from_zero(rng.normal(size=(batch, 3)))
    if loss_kind == "mse":
        loss, y = MSELoss(), rng.normal(size=(batch, 2))
    elif loss_kind == "ce":
        loss, y = CrossEntropyLoss(), rng.integers(0, 3, size=batch)
    else:
        loss, y = BinaryCrossEntropy(from_logits=True), rng.integers(0, 2, (batch, 1)).astype(float)
    # ReLU kinks: pre-activations within eps of 0 are vanishingly unlikely with these draws
    ours = fd.model_check(model, loss, X, y)
    assert max(ours.values()) < 1e-5, ours
    assert dlkit.check_gradients(model, loss, X, y) < 1e-5


# ---------------------------------------------------------------- what check_gradients accepts


def test_a_float32_model_is_checked_in_float64_and_left_float32(zoo):
    X, y = zoo.problem("labels")
    model = Sequential(Dense(3, 6, rng=0, dtype=np.float32), Tanh(),
                       Dense(6, 3, rng=1, dtype=np.float32))
    before = [p.data.copy() for p in model.parameters()]
    error = dlkit.check_gradients(model, CrossEntropyLoss(), X.astype(np.float32), y)
    assert 0 <= error < 1e-6
    for p, b in zip(model.parameters(), before, strict=True):
        assert p.dtype == np.float32
        np.testing.assert_array_equal(p.data, b)
        assert not p.grad.any()


def test_a_single_layer_can_be_checked(zoo):
    X, _ = zoo.problem("regression")
    y = np.random.default_rng(5).normal(size=(len(X), 2))
    layer = Dense(3, 2, rng=0)
    errors = dlkit.gradient_errors(layer, MSELoss(), X, y)
    assert list(errors) == ["0.weight", "0.bias"]
    assert max(errors.values()) < 1e-6
    assert dlkit.check_gradients(layer, MSELoss(), X, y) < 1e-6


def test_a_layer_without_parameters_is_refused_clearly():
    with pytest.raises(ValueError, match=r"ReLU\(\) has no parameters"):
        dlkit.check_gradients(ReLU(), MSELoss(), np.ones((2, 2)), np.ones((2, 2)))


@pytest.mark.parametrize("model", [Sequential, "model", None], ids=["class", "str", "None"])
def test_something_that_is_not_a_model_is_refused_clearly(model):
    with pytest.raises(TypeError, match=r"needs a model.*Sequential\(Dense"):
        dlkit.check_gradients(model, MSELoss(), np.ones((2, 2)), np.ones((2, 2)))
