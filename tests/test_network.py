"""Sequential: forward/backward, accumulation, shared parameters, nested models, predict, summary,
float32, make_mlp, and the mistakes it refuses (a layer used twice, a class for a layer, a gradient
shaped unlike the output)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import dlkit
from dlkit import Sequential
from dlkit.layers import Dense, Identity, LeakyReLU, ReLU, Sigmoid, Step, Tanh
from dlkit.losses import BinaryCrossEntropy, CrossEntropyLoss, MSELoss
from dlkit.network import make_mlp
from dlkit.optim import SGD, Adam, RMSProp


def small_model():
    return Sequential(Dense(3, 5, rng=0), Tanh(), Dense(5, 2, rng=1))


def data(n=6, d=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.normal(size=(n, 2))


# ---------------------------------------------------------------- forward, structure


def test_forward_composes_the_layers():
    model = small_model()
    X, _ = data()
    d0, d2 = model[0], model[2]
    expected = np.tanh(X @ d0.weight.data + d0.bias.data) @ d2.weight.data + d2.bias.data
    np.testing.assert_allclose(model(X), expected, rtol=1e-13)
    np.testing.assert_allclose(model.forward(X), expected, rtol=1e-13)
    np.testing.assert_allclose(model.predict(X), expected, rtol=1e-13)


def test_len_index_layers_and_parameters():
    model = small_model()
    assert len(model) == 3
    assert isinstance(model[1], Tanh)
    assert list(model.layers)[0] is model[0]
    params = list(model.parameters())
    assert params == [model[0].weight, model[0].bias, model[2].weight, model[2].bias]
    names = [name for name, _ in model.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_num_parameters_is_a_property_counting_all_numbers():
    model = Sequential(Dense(5, 7, rng=0), ReLU(), Dense(7, 11, rng=0))
    assert isinstance(type(model).num_parameters, property)
    assert model.num_parameters == 5 * 7 + 7 + 7 * 11 + 11 == 130


def test_summary_lists_layers_shapes_counts_and_total():
    model = Sequential(Dense(5, 7, rng=0), ReLU(), Dense(7, 11, rng=0))
    summary = model.summary()
    text = summary if isinstance(summary, str) else repr(summary)
    lines = [line for line in text.splitlines() if re.search(r"Dense|ReLU", line)]
    assert len(lines) == 3, text
    assert "Dense" in lines[0] and "ReLU" in lines[1] and "Dense" in lines[2]
    # output widths and parameter counts on each layer's line
    assert re.search(r"\b7\b", lines[0]) and re.search(r"\b42\b", lines[0]), text
    assert re.search(r"\b7\b", lines[1]) and re.search(r"\b0\b", lines[1]), text
    assert re.search(r"\b11\b", lines[2]) and re.search(r"\b88\b", lines[2]), text
    total = [line for line in text.splitlines() if "total" in line.lower()]
    assert total and re.search(r"\b130\b", total[0]), text


# ---------------------------------------------------------------- backward


def test_backward_runs_layers_in_reverse_order(monkeypatch):
    model = Sequential(Dense(3, 4, rng=0), ReLU(), Dense(4, 4, rng=1), Sigmoid(), Dense(4, 2, rng=2))
    calls = []
    for i, layer in enumerate(model.layers):
        original = layer.backward

        def spy(*args, _i=i, _orig=original, **kwargs):
            calls.append(_i)
            return _orig(*args, **kwargs)

        monkeypatch.setattr(layer, "backward", spy)
    X, _ = data()
    model(X)
    model.backward(np.ones((6, 2)))
    # Sequential may skip the first layer's input gradient (and so call it differently)
    assert calls in ([4, 3, 2, 1, 0], [4, 3, 2, 1]), calls
    assert model[0].weight.grad.any()


def test_backward_input_grad_matches_finite_differences(fd):
    model = Sequential(Dense(3, 4, rng=0), Tanh(), Dense(4, 2, rng=1))
    X, Y = data()
    loss = MSELoss()
    loss(model(X), Y)
    grad_x = model.backward(loss.backward())
    assert grad_x.shape == X.shape
    numeric = fd.numeric_grad(lambda: loss(model(X), Y), X)
    assert fd.rel_error(grad_x, numeric) < 1e-7


def test_backward_before_forward_raises():
    with pytest.raises(RuntimeError, match="(?i)forward"):
        small_model().backward(np.ones((6, 2)))


def test_predict_keeps_no_state_for_backward():
    model = small_model()
    X, _ = data()
    model.predict(X)
    with pytest.raises(RuntimeError, match="(?i)forward"):
        model.backward(np.ones((6, 2)))


def test_predict_does_not_overwrite_the_forward_state():
    X1, _ = data(seed=1)
    X2, _ = data(seed=2)
    g = np.random.default_rng(3).normal(size=(6, 2))
    reference = small_model()
    reference(X1)
    reference.backward(g)
    model = small_model()
    model(X1)
    model.predict(X2)
    model.backward(g)
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        np.testing.assert_array_equal(p.grad, q.grad)


# ---------------------------------------------------------------- accumulation (+=, as in PyTorch)


def _grads_after_one_step(model, X, Y, loss):
    loss(model(X), Y)
    model.backward(loss.backward())
    return [p.grad.copy() for p in model.parameters()]


def test_second_backward_without_zero_grad_doubles():
    model, (X, Y), loss = small_model(), data(), MSELoss()
    once = _grads_after_one_step(model, X, Y, loss)
    twice = _grads_after_one_step(model, X, Y, loss)
    for g1, g2 in zip(once, twice, strict=True):
        np.testing.assert_allclose(g2, 2 * g1, rtol=1e-14)


def test_zero_grad_resets_to_zero():
    model, (X, Y), loss = small_model(), data(), MSELoss()
    _grads_after_one_step(model, X, Y, loss)
    model.zero_grad()
    for p in model.parameters():
        assert p.grad.shape == p.data.shape
        assert not p.grad.any()
    again = _grads_after_one_step(model, X, Y, loss)
    model.zero_grad()
    fresh = _grads_after_one_step(model, X, Y, loss)
    for a, b in zip(again, fresh, strict=True):
        np.testing.assert_array_equal(a, b)


def shared_model():
    first = Dense(3, 3, rng=0)
    second = Dense(3, 3, rng=1)
    second.weight = first.weight  # the same Parameter object, used twice
    return Sequential(first, Tanh(), second), first.weight


def test_shared_parameter_gets_the_sum_of_both_uses(fd):
    model, shared = shared_model()
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    loss = MSELoss()
    model.zero_grad()
    loss(model(X), Y)
    model.backward(loss.backward())
    numeric = fd.numeric_grad(lambda: loss(model(X), Y), shared.data)
    assert fd.rel_error(shared.grad, numeric) < 1e-7
    # and it really is a sum: neither use alone explains it
    t = np.tanh(X @ shared.data + model[0].bias.data)
    g_out = 2 * (model(X) - Y) / Y.size
    second_use = t.T @ g_out
    assert fd.rel_error(shared.grad, second_use) > 1e-3


def test_shared_parameter_is_listed_once():
    """As PyTorch's Module.parameters(): a shared Parameter appears (and is counted) once."""
    model, shared = shared_model()
    params = list(model.parameters())
    assert sum(p is shared for p in params) == 1
    assert model.num_parameters == 9 + 3 + 3


def test_shared_parameter_is_updated_once_per_step():
    """One step applies the summed gradient once: p -= lr * (g1 + g2), not twice."""
    model, shared = shared_model()
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    loss = MSELoss()
    for make in [lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps, lr=0.1)]:
        opt = make(model.parameters())
        opt.zero_grad()
        loss(model(X), Y)
        model.backward(loss.backward())
        before, grad = shared.data.copy(), shared.grad.copy()
        opt.step()
        if isinstance(opt, SGD):
            expected = before - 0.1 * grad
        else:  # Adam's first step: m_hat = g, v_hat = g**2
            expected = before - 0.1 * grad / (np.abs(grad) + 1e-8)
        np.testing.assert_allclose(shared.data, expected, rtol=1e-12)


def test_same_layer_object_twice_is_rejected_with_advice():
    layer = Dense(3, 3, rng=0)
    with pytest.raises(ValueError, match="(?i)shar"):
        Sequential(layer, ReLU(), layer)


def test_same_activation_object_twice_is_rejected_or_correct(fd):
    act = Tanh()
    try:
        model = Sequential(Dense(3, 3, rng=0), act, Dense(3, 2, rng=1), act)
    except ValueError:
        return
    X, Y = data()
    errors = fd.model_check(model, MSELoss(), X, Y)
    assert max(errors.values()) < 1e-6, errors


# ---------------------------------------------------------------- our own gradient checks of networks




def test_network_gradients_match_our_finite_differences(zoo_name, zoo, fd):
    make_model, make_loss, kind = zoo.models[zoo_name]
    model = make_model()
    for layer in model.layers:  # non-zero biases, so they matter
        for p in layer.parameters():
            if p.data.ndim == 1:
                p.data[...] = np.random.default_rng(9).normal(scale=0.5, size=p.data.shape)
    X = np.random.default_rng(11).normal(size=(7, 3))
    errors = fd.model_check(model, make_loss(), X, zoo.targets(kind, np.random.default_rng(0), 7))
    assert max(errors.values()) < 1e-6, errors


def test_step_network_first_layer_gets_zero_gradient():
    model = Sequential(Dense(3, 4, rng=0), Step(), Dense(4, 2, rng=1))
    loss = MSELoss()
    loss(model(np.random.default_rng(0).normal(size=(5, 3))), np.ones((5, 2)))
    model.backward(loss.backward())
    assert not model[0].weight.grad.any() and not model[0].bias.grad.any()
    assert model[2].weight.grad.any()


# ---------------------------------------------------------------- float32 end to end


FLOAT32_CASES = {
    "mse": (Identity, 2, MSELoss, "regression"),
    "bce": (Sigmoid, 1, BinaryCrossEntropy, "binary"),
    "bce_logits": (Identity, 1, lambda: BinaryCrossEntropy(from_logits=True), "binary"),
    "ce": (Identity, 4, CrossEntropyLoss, "labels4"),
}


@pytest.mark.parametrize("optimizer", [SGD, RMSProp, Adam])
@pytest.mark.parametrize("case", list(FLOAT32_CASES))
def test_float32_network_stays_float32(case, optimizer, zoo):
    head, width, make_loss, kind = FLOAT32_CASES[case]
    f32 = np.float32
    model = Sequential(
        Dense(3, 6, rng=0, dtype=f32),
        ReLU(),
        Dense(6, 5, rng=1, dtype=f32),
        LeakyReLU(),
        Dense(5, 4, rng=2, dtype=f32),
        Tanh(),
        Dense(4, width, rng=3, dtype=f32),
        head(),
    )
    X = np.random.default_rng(0).normal(size=(7, 3)).astype(f32)
    y = zoo.targets(kind, np.random.default_rng(0), 7)
    if y.dtype.kind == "f":
        y = y.astype(f32)
    loss = make_loss()
    opt = optimizer(model.parameters(), lr=0.01)
    out = model(X)
    assert out.dtype == f32
    assert np.isfinite(loss(out, y))
    g = loss.backward()
    assert g.dtype == f32
    assert model.backward(g).dtype == f32
    for p in model.parameters():
        assert p.grad.dtype == f32
    data_before = [p.data for p in model.parameters()]
    opt.step()
    opt.step()
    for p, before in zip(model.parameters(), data_before, strict=True):
        assert p.data.dtype == f32
        assert p.data is before
    assert model.predict(X).dtype == f32


def test_make_mlp_layers():
    model = make_mlp((8, 4), "tanh", out_features=3, rng=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "Tanh", "Dense", "Tanh", "Dense"]
    assert model.predict(np.zeros((5, 2))).shape == (5, 3)
    assert [type(layer).__name__ for layer in make_mlp((), "relu").layers] == ["Dense"]
    with pytest.raises(ValueError, match="Unknown activation"):
        make_mlp((4,), "swish")


def test_wrong_feature_count_inside_sequential_names_the_layer():
    model = Sequential(Dense(2, 8, rng=0), ReLU(), Dense(5, 1, rng=1))
    with pytest.raises(ValueError, match=re.escape("Dense(5 → 1)")) as info:
        model(np.ones((4, 2)))
    assert "(4, 8)" in str(info.value)
    with pytest.raises(ValueError, match=re.escape("Dense(5 → 1)")):
        model.predict(np.ones((4, 2)))


def test_sequential_backward_before_forward():
    model = Sequential(Dense(3, 3, rng=0), ReLU(), Dense(3, 1, rng=1))
    with pytest.raises(RuntimeError, match="(?i)forward"):
        model.backward(np.ones((2, 1)))


# ---------------------------------------------------------------- construction and backward mistakes


def test_a_layer_shared_through_a_nested_sequential_is_refused_with_advice():
    shared = Dense(2, 2, rng=0)
    with pytest.raises(ValueError, match=r"appears twice.*second\.weight, second\.bias"):
        Sequential(Sequential(shared), Tanh(), shared)
    with pytest.raises(ValueError, match="appears twice"):
        Sequential(Dense(2, 2, rng=1), Sequential(Sequential(shared)), Sequential(shared))


def test_nested_sequentials_without_sharing_get_correct_gradients(fd):
    model = Sequential(Sequential(Dense(3, 4, rng=0), Tanh()), Sequential(Dense(4, 2, rng=1)))
    X, Y = data()
    errors = fd.model_check(model, MSELoss(), X, Y)
    assert max(errors.values()) < 1e-6, errors
    assert dlkit.check_gradients(model, MSELoss(), X, Y) < 1e-6


def test_weights_shared_the_advised_way_inside_a_nested_sequential_get_summed_gradients(fd):
    first = Dense(2, 2, rng=0)
    second = Dense(2, 2, rng=1)
    second.weight, second.bias = first.weight, first.bias
    model = Sequential(Sequential(first), Tanh(), second)
    X, Y = data(d=2)
    errors = fd.model_check(model, MSELoss(), X, Y)
    assert len(model.parameters()) == 2
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("cls", [ReLU, Dense])
def test_a_layer_class_instead_of_a_layer_says_to_call_it(cls):
    call = "ReLU()" if cls is ReLU else "Dense(...)"
    with pytest.raises(TypeError, match=re.escape(f"the class {cls.__name__} itself") + ".*"
                       + re.escape(call)):
        Sequential(Dense(2, 2, rng=0), cls)


def test_a_list_of_layers_says_to_unpack_it():
    with pytest.raises(TypeError, match=re.escape("Sequential(*layers)")):
        Sequential([Dense(2, 2, rng=0), ReLU()])


def test_something_that_is_not_a_layer_is_refused():
    with pytest.raises(TypeError, match="argument 1 is str"):
        Sequential(Dense(2, 2, rng=0), "relu")


def test_an_empty_sequential_is_refused():
    with pytest.raises(ValueError, match="at least one layer"):
        Sequential()


@pytest.mark.parametrize("shape", [(6,), (6, 1), (2, 6)])
def test_a_gradient_shaped_unlike_the_output_is_refused_before_any_change(shape):
    model = Sequential(Dense(3, 4, rng=0), Sigmoid(), Dense(4, 2, rng=1))
    X, _ = data()
    model(X)
    with pytest.raises(ValueError, match=re.escape(f"shape {shape}") + ".*"
                       + re.escape("(6, 2)") + ".*loss.backward()"):
        model.backward(np.ones(shape))
    assert not any(p.grad.any() for p in model.parameters())


def test_backward_parameters_gives_backwards_parameter_gradients_without_the_input_gradient():
    X, Y = data()
    grads = []
    for method in ("backward", "backward_parameters"):
        model = Sequential(Dense(3, 4, rng=0), Tanh(), Dense(4, 2, rng=1))
        loss = MSELoss()
        loss(model(X), Y)
        result = getattr(model, method)(loss.backward())
        assert (result is None) == (method == "backward_parameters")
        grads.append([p.grad.copy() for p in model.parameters()])
    for full, partial in zip(*grads, strict=True):
        np.testing.assert_array_equal(full, partial)


def test_a_nested_sequential_passes_its_input_gradient_on(fd):
    inner = Sequential(Dense(4, 2, rng=1))
    model = Sequential(Dense(3, 4, rng=0), Tanh(), inner)
    X, Y = data()
    loss = MSELoss()
    loss(model(X), Y)
    model.backward_parameters(loss.backward())
    assert model[0].weight.grad.any()


def test_a_subclass_backward_runs_even_as_the_first_layer():
    calls = []

    class LoudDense(Dense):
        def backward(self, grad_out):
            calls.append(grad_out.shape)
            return super().backward(grad_out)

    model = Sequential(LoudDense(3, 2, rng=0))
    X, _ = data()
    model(X)
    model.backward_parameters(np.ones((6, 2)))
    assert calls == [(6, 2)]
    np.testing.assert_allclose(model[0].weight.grad, X.T @ np.ones((6, 2)))
