"""dlkit.layers: forward values, backward against finite differences, repr, parameters, dtype, init,
and the inputs a layer refuses."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlkit
from dlkit import activations
from dlkit.layers import Dense, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Step, Tanh

# ---------------------------------------------------------------- the layers' public names


def test_layers_are_exported_at_top_level():
    for name in ["Dense", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "Identity", "Step"]:
        assert getattr(dlkit, name) is getattr(dlkit.layers, name)

ACTIVATION_LAYERS = {
    "ReLU": ReLU,
    "LeakyReLU": LeakyReLU,
    "LeakyReLU(0.2)": lambda: LeakyReLU(slope=0.2),
    "Sigmoid": Sigmoid,
    "Tanh": Tanh,
    "Softmax": Softmax,
    "Identity": Identity,
    "Step": Step,
}


def reference(name: str, x: np.ndarray) -> np.ndarray:
    """The formulas, written independently of dlkit."""
    if name == "ReLU":
        return np.maximum(x, 0)
    if name == "LeakyReLU":
        return np.where(x >= 0, x, 0.01 * x)
    if name == "LeakyReLU(0.2)":
        return np.where(x >= 0, x, 0.2 * x)
    if name == "Sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "Tanh":
        return np.tanh(x)
    if name == "Softmax":
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    if name == "Identity":
        return x
    if name == "Step":
        return (x >= 0).astype(float)
    raise KeyError(name)


# ---------------------------------------------------------------- forward values


@pytest.mark.parametrize("name", list(ACTIVATION_LAYERS))
def test_activation_forward_matches_formula(name):
    x = np.random.default_rng(1).normal(scale=3, size=(6, 5))
    x[0, 0] = 0.0
    out = ACTIVATION_LAYERS[name]()(x)
    assert out.shape == x.shape
    np.testing.assert_allclose(out, reference(name, x), rtol=1e-12, atol=1e-15)


def test_step_is_one_at_zero_and_zero_below():
    out = Step()(np.array([[-1e-12, 0.0, 1e-12, -3.0, 2.0]]))
    np.testing.assert_array_equal(out, [[0, 1, 1, 0, 1]])


def test_leaky_relu_default_slope_is_0_01():
    np.testing.assert_allclose(LeakyReLU()(np.array([[-2.0, 3.0]])), [[-0.02, 3.0]])
    np.testing.assert_allclose(LeakyReLU(slope=0.2)(np.array([[-2.0, 3.0]])), [[-0.4, 3.0]])


def test_softmax_rows_sum_to_one():
    x = np.random.default_rng(2).normal(size=(7, 4))
    np.testing.assert_allclose(Softmax()(x).sum(axis=1), np.ones(7), rtol=1e-12)


def test_dense_forward_is_x_at_w_plus_b():
    layer = Dense(3, 4, rng=0)
    assert layer.weight.data.shape == (3, 4)
    assert layer.bias.data.shape == (4,)
    layer.bias.data[...] = np.arange(4.0)
    x = np.random.default_rng(3).normal(size=(5, 3))
    np.testing.assert_allclose(layer(x), x @ layer.weight.data + layer.bias.data, rtol=1e-13)
    np.testing.assert_allclose(layer.forward(x), layer(x), rtol=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dense_adds_the_bias_in_place_without_touching_its_inputs(dtype):
    """predict adds the bias into the product's own array: the same numbers as x @ W + b, bit for
    bit, and neither x nor the parameters change."""
    layer = Dense(6, 5, rng=0, dtype=dtype)
    layer.bias.data[...] = np.linspace(-1, 1, 5)
    x = np.random.default_rng(4).normal(size=(7, 6)).astype(dtype)
    x0, w0, b0 = x.copy(), layer.weight.data.copy(), layer.bias.data.copy()
    out = layer.predict(x)
    np.testing.assert_array_equal(out, x @ w0 + b0)
    assert out.dtype == dtype
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(layer.weight.data, w0)
    np.testing.assert_array_equal(layer.bias.data, b0)
    assert layer.forward(x) is not layer.forward(x)  # a fresh output every call


def test_dense_parameters_are_weight_then_bias():
    layer = Dense(3, 4, rng=0)
    params = layer.parameters()
    assert len(params) == 2
    assert all(isinstance(p, dlkit.Parameter) for p in params)
    assert params[0] is layer.weight and params[1] is layer.bias
    for p in params:
        assert p.grad.shape == p.data.shape
        assert not p.grad.any()


@pytest.mark.parametrize("name", list(ACTIVATION_LAYERS))
def test_activation_layers_have_no_parameters(name):
    assert list(ACTIVATION_LAYERS[name]().parameters()) == []


# ---------------------------------------------------------------- repr


def test_dense_repr():
    assert "Dense(2 → 8)" in repr(Dense(2, 8, rng=0))
    assert "Dense(64 → 10)" in repr(Dense(64, 10, rng=0))


@pytest.mark.parametrize("cls", [ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, Identity, Step])
def test_activation_repr_names_the_layer(cls):
    assert cls.__name__ in repr(cls())


# ---------------------------------------------------------------- backward vs finite differences


@pytest.mark.parametrize("name", list(ACTIVATION_LAYERS))
def test_activation_backward_matches_finite_differences(name, fd):
    rng = np.random.default_rng(4)
    x = fd.away_from_zero(rng.normal(scale=2, size=(5, 4)))
    upstream = rng.normal(size=(5, 4))
    errors = fd.layer_check(ACTIVATION_LAYERS[name](), x, upstream)
    assert errors["input"] < 1e-7, errors


@pytest.mark.parametrize("init", ["he", "xavier", "normal"])
def test_dense_backward_matches_finite_differences(init, fd):
    rng = np.random.default_rng(5)
    layer = Dense(3, 4, init=init, rng=1)
    layer.bias.data[...] = rng.normal(size=4)
    x = rng.normal(size=(6, 3))
    upstream = rng.normal(size=(6, 4))
    errors = fd.layer_check(layer, x, upstream)
    assert max(errors.values()) < 1e-7, errors


def test_dense_backward_formulas():
    """dW = xᵀ g, db = sum of g over the batch, dx = g Wᵀ."""
    rng = np.random.default_rng(6)
    layer = Dense(3, 2, rng=0)
    x = rng.normal(size=(4, 3))
    g = rng.normal(size=(4, 2))
    layer(x)
    grad_in = layer.backward(g)
    np.testing.assert_allclose(layer.weight.grad, x.T @ g, rtol=1e-13)
    np.testing.assert_allclose(layer.bias.grad, g.sum(axis=0), rtol=1e-13)
    np.testing.assert_allclose(grad_in, g @ layer.weight.data.T, rtol=1e-13)


def test_step_passes_zero_gradient():
    x = np.random.default_rng(7).normal(size=(3, 4))
    layer = Step()
    layer(x)
    grad_in = layer.backward(np.ones((3, 4)))
    assert grad_in.shape == (3, 4)
    assert not np.any(grad_in)


def test_sigmoid_tanh_backward_formulas():
    x = np.random.default_rng(8).normal(size=(3, 4))
    g = np.random.default_rng(9).normal(size=(3, 4))
    s = 1 / (1 + np.exp(-x))
    layer = Sigmoid()
    layer(x)
    np.testing.assert_allclose(layer.backward(g), g * s * (1 - s), rtol=1e-12)
    layer = Tanh()
    layer(x)
    np.testing.assert_allclose(layer.backward(g), g * (1 - np.tanh(x) ** 2), rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    batch=st.integers(1, 6),
    n_in=st.integers(1, 5),
    n_out=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_dense_gradients_property(fd, batch, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    layer = Dense(n_in, n_out, rng=seed)
    layer.bias.data[...] = rng.normal(size=n_out)
    errors = fd.layer_check(layer, rng.normal(size=(batch, n_in)), rng.normal(size=(batch, n_out)))
    assert max(errors.values()) < 1e-6, errors


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "Identity"]),
    batch=st.integers(1, 6),
    width=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_activation_gradients_property(fd, name, batch, width, seed):
    rng = np.random.default_rng(seed)
    x = fd.away_from_zero(rng.normal(scale=2, size=(batch, width)))
    errors = fd.layer_check(ACTIVATION_LAYERS[name](), x, rng.normal(size=(batch, width)))
    # A one-column softmax is constant (gradient exactly 0): the measure then is 0/1e-12 = 0.
    assert errors["input"] < 1e-6, errors


# ---------------------------------------------------------------- predict and forward state


@pytest.mark.parametrize(
    "make", [lambda: Dense(3, 3, rng=0), ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, Identity, Step]
)
def test_layer_predict_same_output_but_keeps_no_state(make):
    x = np.random.default_rng(10).normal(size=(4, 3))
    layer = make()
    np.testing.assert_allclose(layer.predict(x), layer.forward(x), rtol=0)
    fresh = make()
    fresh.predict(x)
    with pytest.raises(RuntimeError, match="(?i)forward"):
        fresh.backward(np.ones((4, 3)))


def test_dense_backward_uses_the_forward_input_not_a_later_predict():
    rng = np.random.default_rng(11)
    layer = Dense(3, 2, rng=0)
    x1, x2 = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    g = rng.normal(size=(4, 2))
    layer(x1)
    layer.predict(x2)
    layer.backward(g)
    np.testing.assert_allclose(layer.weight.grad, x1.T @ g, rtol=1e-13)


# ---------------------------------------------------------------- dtype


@pytest.mark.parametrize("name", list(ACTIVATION_LAYERS))
def test_activation_keeps_float32(name):
    x = np.random.default_rng(12).normal(size=(4, 3)).astype(np.float32)
    layer = ACTIVATION_LAYERS[name]()
    assert layer(x).dtype == np.float32
    assert layer.backward(np.ones((4, 3), dtype=np.float32)).dtype == np.float32
    assert layer.predict(x).dtype == np.float32


def test_dense_float32():
    layer = Dense(3, 4, rng=0, dtype=np.float32)
    assert layer.weight.data.dtype == np.float32 and layer.bias.data.dtype == np.float32
    assert layer.weight.grad.dtype == np.float32 and layer.bias.grad.dtype == np.float32
    x = np.ones((2, 3), dtype=np.float32)
    assert layer(x).dtype == np.float32
    assert layer.backward(np.ones((2, 4), dtype=np.float32)).dtype == np.float32
    assert layer.weight.grad.dtype == np.float32 and layer.bias.grad.dtype == np.float32


def test_dense_default_dtype_is_float64():
    layer = Dense(3, 4, rng=0)
    assert layer.weight.data.dtype == np.float64 and layer.bias.data.dtype == np.float64


# ---------------------------------------------------------------- initialisation


def test_he_init_variance():
    w = Dense(500, 400, init="he", rng=0).weight.data
    assert abs(w.std() / np.sqrt(2 / 500) - 1) < 0.05
    assert abs(w.mean()) < 0.01


def test_xavier_init_variance():
    w = Dense(500, 300, init="xavier", rng=0).weight.data
    assert abs(w.std() / np.sqrt(2 / 800) - 1) < 0.05


def test_init_differs_between_schemes():
    he = Dense(200, 100, init="he", rng=0).weight.data
    xavier = Dense(200, 100, init="xavier", rng=0).weight.data
    assert he.std() > 1.2 * xavier.std()  # sqrt(2/200) vs sqrt(2/300)


# ---------------------------------------------------------------- numerical stability at |x| = 1e4


def test_sigmoid_is_stable_at_1e4():
    x = np.array([[-1e4, -800.0, 0.0, 800.0, 1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = activations.sigmoid(x)
        layer_out = Sigmoid()(x)
    np.testing.assert_allclose(out, [[0.0, 0.0, 0.5, 1.0, 1.0]], atol=1e-300)
    np.testing.assert_array_equal(out, layer_out)
    layer = Sigmoid()
    layer(x)
    grad = layer.backward(np.ones_like(x))
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, [[0.0, 0.0, 0.25, 0.0, 0.0]], atol=1e-300)


def test_tanh_is_stable_at_1e4():
    x = np.array([[-1e4, 1e4]])
    layer = Tanh()
    np.testing.assert_array_equal(layer(x), [[-1.0, 1.0]])
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), [[0.0, 0.0]])


# ---------------------------------------------------------------- randomness: rng=None / int / Generator


def test_dense_rng_none_follows_dlkit_seed():
    dlkit.seed(3)
    a = Dense(4, 5).weight.data.copy()
    b = Dense(4, 5).weight.data.copy()
    dlkit.seed(3)
    c = Dense(4, 5).weight.data.copy()
    np.testing.assert_array_equal(a, c)  # bit-identical after re-seeding
    assert not np.array_equal(a, b)  # the module generator moves on


def test_dense_int_rng_is_reproducible_and_leaves_the_module_generator_alone():
    dlkit.seed(0)
    a = Dense(4, 5, rng=7).weight.data.copy()
    dlkit.seed(1)
    b = Dense(4, 5, rng=7).weight.data.copy()
    np.testing.assert_array_equal(a, b)
    dlkit.seed(2)
    expected = Dense(4, 5).weight.data.copy()
    dlkit.seed(2)
    Dense(4, 5, rng=7)
    np.testing.assert_array_equal(Dense(4, 5).weight.data, expected)


def test_dense_generator_rng_is_used_as_is():
    g1, g2 = np.random.default_rng(11), np.random.default_rng(11)
    a1, a2 = Dense(4, 5, rng=g1), Dense(4, 5, rng=g1)
    b1 = Dense(4, 5, rng=g2)
    np.testing.assert_array_equal(a1.weight.data, b1.weight.data)
    assert not np.array_equal(a1.weight.data, a2.weight.data)  # the generator advanced


def test_calling_a_layer_runs_the_subclass_forward():
    calls = []

    class Logged(dlkit.ReLU):
        def forward(self, x):
            calls.append(np.shape(x))
            return super().forward(x)

    layer = Logged()
    np.testing.assert_array_equal(layer(np.array([[-1.0, 2.0]])), [[0.0, 2.0]])
    model = dlkit.Sequential(dlkit.Dense(2, 2, rng=0), Logged())
    model(np.ones((3, 2)))
    assert calls == [(1, 2), (3, 2)]


def test_activation_layers_have_the_activation_functions_names():
    from dlkit.activations import ACTIVATIONS
    from dlkit.layers import ACTIVATION_LAYERS

    assert list(ACTIVATION_LAYERS) == list(ACTIVATIONS)
    x = np.linspace(-3, 3, 13).reshape(1, -1)
    for name, layer in ACTIVATION_LAYERS.items():
        np.testing.assert_array_equal(layer().predict(x), ACTIVATIONS[name](x))


def test_a_layer_without_compute_says_what_to_define():
    class Half(dlkit.layers.Layer):
        pass

    with pytest.raises(NotImplementedError, match=r"compute\(x\)"):
        Half()(np.ones((1, 2)))


def test_dense_wrong_feature_count_names_layer_and_shapes():
    layer = Dense(3, 4, rng=0)
    with pytest.raises(ValueError) as info:
        layer(np.ones((10, 5)))
    message = str(info.value)
    assert "Dense(3 → 4)" in message
    assert re.search(r"\(batch, 3\)", message), message
    assert "(10, 5)" in message
    with pytest.raises(ValueError, match=re.escape("(10, 5)")):
        layer.predict(np.ones((10, 5)))


def test_dense_wrong_feature_count_message_in_full():
    with pytest.raises(ValueError, match=re.escape(
            "Dense(3 → 4) expects inputs of shape (batch, 3) but got (10, 5)")):
        Dense(3, 4, rng=0)(np.ones((10, 5)))


@pytest.mark.parametrize(
    "layer",
    [Dense(3, 3, rng=0), ReLU(), LeakyReLU(), Sigmoid(), Tanh(), Softmax(), Identity(), Step()],
    ids=lambda layer: type(layer).__name__,
)
def test_layer_backward_before_forward(layer):
    with pytest.raises(RuntimeError, match="(?i)forward"):
        layer.backward(np.ones((2, 3)))


def test_unknown_init_is_rejected():
    with pytest.raises(ValueError, match=r"(?i)init|he|xavier"):
        Dense(2, 2, init="zeros")


@pytest.mark.parametrize("dtype", [np.float16, np.int64, "float128", complex])
def test_dense_accepts_only_float64_and_float32(dtype):
    with pytest.raises(TypeError, match=r"float64.*float32"):
        Dense(2, 2, rng=0, dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, "float32"])
def test_dense_dtype_is_its_weights_dtype_and_its_inputs_become_it(dtype):
    layer = Dense(2, 3, rng=0, dtype=dtype)
    assert layer.dtype == np.dtype(dtype) == layer.weight.dtype
    assert layer(np.ones((4, 2), dtype=int)).dtype == np.dtype(dtype)


def test_dense_backward_parameters_adds_the_same_gradients_without_the_input_gradient():
    x = np.random.default_rng(3).normal(size=(5, 3))
    g = np.random.default_rng(4).normal(size=(5, 2))
    full, partial = Dense(3, 2, rng=0), Dense(3, 2, rng=0)
    full(x)
    partial(x)
    full.backward(g)
    assert partial.backward_parameters(g) is None
    np.testing.assert_array_equal(partial.weight.grad, full.weight.grad)
    np.testing.assert_array_equal(partial.bias.grad, full.bias.grad)


def test_activation_backward_parameters_runs_backward():
    layer = Tanh()
    layer(np.ones((2, 2)))
    assert layer.backward_parameters(np.ones((2, 2))) is None
    with pytest.raises(RuntimeError, match="before forward"):
        Tanh().backward_parameters(np.ones((2, 2)))


@pytest.mark.parametrize("make", [lambda: Dense(2, 2, rng=0), ReLU], ids=["Dense", "ReLU"])
def test_text_input_to_a_layer_is_refused(make):
    layer = make()
    with pytest.raises(TypeError, match="array of numbers.*<U"):
        layer(np.array([["a", "b"]]))
    with pytest.raises(TypeError, match="array of numbers"):
        layer.predict(np.array([["a", "b"]]))
