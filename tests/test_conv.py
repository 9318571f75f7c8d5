"""Tests of dlkit/conv.py: the convolution (loops and fast), Conv2D, MaxPool2D and Flatten.

Gradients are checked against central finite differences (written here, independent of
dlkit.check_gradients) and, where PyTorch is installed, against torch's conv2d / max_pool2d.
"""

from __future__ import annotations

import numpy as np
import pytest

import dlkit
import dlkit.plots
from dlkit.conv import (
    Conv2D,
    Flatten,
    MaxPool2D,
    conv2d,
    conv2d_reference,
    edge_kernel,
    output_size,
    slide_filter,
)

# (in_channels, out_channels, kernel_size, stride, padding, height, width)
CASES = [
    (1, 1, 3, 1, 0, 8, 8),
    (1, 4, 3, 1, 1, 8, 8),
    (3, 2, 3, 2, 1, 9, 7),
    (2, 5, 2, 3, 2, 6, 6),
    (4, 3, 1, 1, 0, 5, 4),
    (2, 2, 5, 2, 0, 7, 9),
]


def conv_layer(c_in, c_out, k, s, p, rng):
    layer = Conv2D(c_in, c_out, k, stride=s, padding=p, rng=rng)
    layer.bias.data[...] = rng.normal(size=c_out)       # nonzero, so the bias is tested too
    return layer


# --- the convolution as a function ----------------------------------------------------------------

def test_conv2d_reference_hand_example():
    x = np.array([[1, 2, 0],
                  [3, 1, 2],
                  [0, 4, 1]], dtype=float)[None, None]
    weight = np.array([[1, -1],
                       [2, 0]], dtype=float)[None, None]
    # windows: 1 - 2 + 6 = 5; 2 - 0 + 2 = 4; 3 - 1 + 0 = 2; 1 - 2 + 8 = 7; plus the bias 0.5
    np.testing.assert_array_equal(conv2d_reference(x, weight, np.array([0.5])),
                                  [[[[5.5, 4.5], [2.5, 7.5]]]])
    # stride 2, padding 1: the padded image is 5×5 and the windows start at rows/columns 0 and 2:
    # [[0, 0], [0, 1]] -> 0; [[0, 0], [2, 0]] -> 4; [[0, 3], [0, 0]] -> -3; [[1, 2], [4, 1]] -> 7
    padded = conv2d_reference(x, weight, stride=2, padding=1)
    np.testing.assert_array_equal(padded, [[[[0, 4], [-3, 7]]]])


def test_conv2d_reference_sums_over_channels():
    rng = np.random.default_rng(0)
    x, weight = rng.normal(size=(2, 3, 5, 5)), rng.normal(size=(4, 3, 3, 3))
    per_channel = sum(conv2d_reference(x[:, [c]], weight[:, [c]]) for c in range(3))
    np.testing.assert_allclose(conv2d_reference(x, weight), per_channel, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("c_in, c_out, k, s, p, h, w", CASES)
def test_conv2d_matches_the_reference_loops(c_in, c_out, k, s, p, h, w):
    rng = np.random.default_rng(1)
    x, weight, bias = rng.normal(size=(3, c_in, h, w)), rng.normal(size=(c_out, c_in, k, k)), \
        rng.normal(size=c_out)
    fast = conv2d(x, weight, bias, stride=s, padding=p)
    slow = conv2d_reference(x, weight, bias, stride=s, padding=p)
    assert fast.shape == (3, c_out, output_size(h, k, s, p), output_size(w, k, s, p))
    np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


def test_conv2d_non_square_kernel_matches_the_reference():
    rng = np.random.default_rng(2)
    x, weight = rng.normal(size=(2, 2, 6, 7)), rng.normal(size=(3, 2, 2, 4))
    np.testing.assert_allclose(conv2d(x, weight, stride=2, padding=1),
                               conv2d_reference(x, weight, stride=2, padding=1), atol=1e-12)


def test_output_size():
    assert output_size(8, 3) == 6
    assert output_size(8, 3, padding=1) == 8
    assert output_size(8, 2, stride=2) == 4
    assert output_size(7, 2, stride=2) == 3        # the leftover row is dropped
    assert output_size(9, 3, stride=2, padding=1) == 5


# --- slide_filter and edge_kernel (the chapter's one-image case) ----------------------------------

def test_slide_filter_is_conv2d_on_one_image():
    rng = np.random.default_rng(3)
    image, kernel = rng.normal(size=(8, 8)), rng.normal(size=(3, 2))
    expected = conv2d_reference(image[None, None], kernel[None, None])[0, 0]
    np.testing.assert_allclose(slide_filter(image, kernel), expected, atol=1e-12)
    assert dlkit.plots.slide_filter is slide_filter and dlkit.plots.edge_kernel is edge_kernel


def test_slide_filter_hand_example_and_errors():
    image = np.array([[1, 2, 0], [0, 1, 3], [4, 0, 1]])
    np.testing.assert_array_equal(slide_filter(image, np.array([[1, 0], [0, -1]])), [[0, -1], [0, 0]])
    with pytest.raises(ValueError, match="2-D"):
        slide_filter(np.zeros(8), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="larger than the image"):
        slide_filter(np.zeros((2, 2)), np.zeros((3, 3)))


def test_edge_kernel_finds_a_vertical_edge():
    image = np.zeros((5, 5))
    image[:, 3:] = 1.0                                   # ink on the right
    assert slide_filter(image, edge_kernel(0)).max() == pytest.approx(3.0)
    np.testing.assert_allclose(slide_filter(image, edge_kernel(90)), 0.0, atol=1e-12)


# --- Conv2D ---------------------------------------------------------------------------------------

def test_conv2d_layer_shapes_init_and_repr():
    layer = Conv2D(3, 16, 5, stride=2, padding=1, rng=0)
    assert layer.weight.shape == (16, 3, 5, 5) and layer.bias.shape == (16,)
    assert np.all(layer.bias.data == 0)
    assert layer.weight.data.std() == pytest.approx(np.sqrt(2 / (3 * 25)), rel=0.1)   # He
    xavier = Conv2D(3, 16, 5, init="xavier", rng=0)
    assert xavier.weight.data.std() == pytest.approx(np.sqrt(2 / (3 * 25 + 16 * 25)), rel=0.1)
    np.testing.assert_array_equal(Conv2D(3, 16, 5, rng=7).weight.data, Conv2D(3, 16, 5, rng=7).weight.data)
    assert repr(layer) == "Conv2D(3 → 16, 5×5, stride=2, padding=1)"
    assert repr(Conv2D(1, 8, 3, rng=0)) == "Conv2D(1 → 8, 3×3)"
    assert layer(np.zeros((2, 3, 9, 9))).shape == (2, 16, 4, 4)


def test_conv2d_layer_float32():
    layer = Conv2D(1, 2, 3, rng=0, dtype=np.float32)
    out = layer(np.ones((2, 1, 5, 5)))
    assert out.dtype == np.float32
    assert layer.backward(np.ones_like(out)).dtype == np.float32
    assert layer.weight.grad.dtype == np.float32


@pytest.mark.parametrize("c_in, c_out, k, s, p, h, w", CASES)
def test_conv2d_layer_gradients_match_finite_differences(c_in, c_out, k, s, p, h, w, fd):
    rng = np.random.default_rng(4)
    layer = conv_layer(c_in, c_out, k, s, p, rng)
    x = rng.normal(size=(2, c_in, h, w))
    upstream = rng.normal(size=(2, c_out, output_size(h, k, s, p), output_size(w, k, s, p)))
    layer.forward(x)
    grad_x = layer.backward(upstream)
    assert grad_x.shape == x.shape

    def loss() -> float:
        return float(np.sum(layer.predict(x) * upstream))

    assert fd.rel_error(grad_x, fd.numeric_grad(loss, x)) < 1e-7
    assert fd.rel_error(layer.weight.grad, fd.numeric_grad(loss, layer.weight.data)) < 1e-7
    assert fd.rel_error(layer.bias.grad, fd.numeric_grad(loss, layer.bias.data)) < 1e-7


def test_conv2d_gradients_accumulate():
    rng = np.random.default_rng(5)
    layer = conv_layer(2, 3, 3, 1, 1, rng)
    x, upstream = rng.normal(size=(2, 2, 5, 5)), rng.normal(size=(2, 3, 5, 5))
    layer.forward(x)
    layer.backward(upstream)
    once = layer.weight.grad.copy()
    layer.backward(upstream)
    np.testing.assert_allclose(layer.weight.grad, 2 * once)


@pytest.mark.parametrize("c_in, c_out, k, s, p, h, w", CASES)
def test_conv2d_layer_matches_torch(c_in, c_out, k, s, p, h, w):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    layer = conv_layer(c_in, c_out, k, s, p, rng)
    x = rng.normal(size=(3, c_in, h, w))
    out = layer(x)
    upstream = rng.normal(size=out.shape)
    grad_x = layer.backward(upstream)

    x_t = torch.tensor(x, requires_grad=True)
    w_t = torch.tensor(layer.weight.data, requires_grad=True)
    b_t = torch.tensor(layer.bias.data, requires_grad=True)
    out_t = torch.nn.functional.conv2d(x_t, w_t, b_t, stride=s, padding=p)
    (out_t * torch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(grad_x, x_t.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(layer.weight.grad, w_t.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(layer.bias.grad, b_t.grad.numpy(), rtol=0, atol=1e-10)


def test_conv2d_layer_matches_torch_module_with_its_weights():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    module = torch.nn.Conv2d(3, 4, 3, stride=2, padding=1).double()
    layer = Conv2D(3, 4, 3, stride=2, padding=1, rng=0)
    layer.weight.data[...] = module.weight.detach().numpy()    # the same (out, in, k, k) layout
    layer.bias.data[...] = module.bias.detach().numpy()
    x = np.random.default_rng(7).normal(size=(2, 3, 8, 8))
    np.testing.assert_allclose(layer(x), module(torch.tensor(x)).detach().numpy(), rtol=0, atol=1e-10)


def test_conv2d_errors_say_how_to_fix_the_input():
    layer = Conv2D(1, 8, 3, rng=0)
    with pytest.raises(ValueError, match=r"reshape them to \(batch, 1, 8, 8\).*reshape\(-1, 1, 8, 8\)"):
        layer(np.zeros((5, 64)))
    with pytest.raises(ValueError, match=r"x\[:, np.newaxis\]"):
        layer(np.zeros((5, 8, 8)))
    with pytest.raises(ValueError, match="expects 1 channel"):
        layer(np.zeros((5, 3, 8, 8)))
    with pytest.raises(ValueError, match="smaller than the 3×3 window"):
        layer(np.zeros((5, 1, 2, 8)))
    with pytest.raises(ValueError, match=r"single image, use x\[np.newaxis\]"):
        Conv2D(3, 2, 3, rng=0)(np.zeros((3, 8, 8)))
    with pytest.raises(TypeError, match="array of numbers"):
        layer(np.array([["a"] * 8] * 8, dtype=object).reshape(1, 1, 8, 8))
    with pytest.raises(RuntimeError, match="before forward"):
        Conv2D(1, 2, 3, rng=0).backward(np.zeros((1, 2, 3, 3)))


@pytest.mark.parametrize("kwargs, message", [
    ({"kernel_size": 0}, "kernel_size must be a whole number of at least 1"),
    ({"kernel_size": 2.5}, "kernel_size"),
    ({"stride": 0}, "stride must be"),
    ({"padding": -1}, "padding must be a whole number of at least 0"),
    ({"in_channels": 0}, "in_channels"),
    ({"init": "zeros"}, "Unknown init"),
])
def test_conv2d_rejects_bad_settings(kwargs, message):
    settings = {"in_channels": 1, "out_channels": 2, "kernel_size": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        Conv2D(settings.pop("in_channels"), settings.pop("out_channels"), settings.pop("kernel_size"),
               **settings)


def test_conv2d_rejects_an_integer_dtype():
    with pytest.raises(TypeError, match="floating-point dtype"):
        Conv2D(1, 2, 3, dtype=np.int64)


# --- MaxPool2D ------------------------------------------------------------------------------------

def test_max_pool_hand_example():
    x = np.array([[1, 5, 2, 0],
                  [3, 4, 8, 1],
                  [0, 2, 6, 7],
                  [9, 1, 3, 4]], dtype=float)[None, None]
    pool = MaxPool2D(2)
    np.testing.assert_array_equal(pool(x), [[[[5, 8], [9, 7]]]])
    grad = pool.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    expected = np.zeros((4, 4))
    expected[0, 1], expected[1, 2], expected[3, 0], expected[2, 3] = 10, 20, 30, 40
    np.testing.assert_array_equal(grad[0, 0], expected)
    assert repr(pool) == "MaxPool2D(2×2)" and repr(MaxPool2D(3, stride=1)) == "MaxPool2D(3×3, stride=1)"
    assert pool.parameters() == []


@pytest.mark.parametrize("k, s, h, w", [(2, None, 8, 8), (2, None, 7, 5), (3, 1, 6, 6), (3, 2, 7, 8),
                                        (2, 3, 8, 8)])
def test_max_pool_gradient_matches_finite_differences(k, s, h, w, fd):
    rng = np.random.default_rng(8)
    pool = MaxPool2D(k, stride=s)
    x = rng.normal(size=(2, 3, h, w))
    out = pool(x)
    stride = k if s is None else s
    assert out.shape == (2, 3, output_size(h, k, stride), output_size(w, k, stride))
    upstream = rng.normal(size=out.shape)
    grad = pool.backward(upstream)
    assert fd.rel_error(grad, fd.numeric_grad(lambda: float(np.sum(pool.predict(x) * upstream)), x)) < 1e-7


@pytest.mark.parametrize("k, s, h, w", [(2, None, 8, 8), (2, None, 7, 5), (3, 1, 6, 6), (3, 2, 7, 8)])
def test_max_pool_matches_torch(k, s, h, w):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(9)
    pool = MaxPool2D(k, stride=s)
    x = rng.normal(size=(2, 3, h, w))
    out = pool(x)
    upstream = rng.normal(size=out.shape)
    grad = pool.backward(upstream)
    x_t = torch.tensor(x, requires_grad=True)
    out_t = torch.nn.functional.max_pool2d(x_t, k, stride=s)
    (out_t * torch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(grad, x_t.grad.numpy(), rtol=0, atol=1e-10)


def test_max_pool_errors():
    with pytest.raises(ValueError, match=r"\(batch, channels, height, width\)"):
        MaxPool2D(2)(np.zeros((4, 64)))
    with pytest.raises(ValueError, match="smaller than the 3×3 window"):
        MaxPool2D(3)(np.zeros((1, 1, 2, 2)))
    with pytest.raises(ValueError, match="kernel_size"):
        MaxPool2D(0)
    with pytest.raises(ValueError, match="stride"):
        MaxPool2D(2, stride=0)


# --- Flatten --------------------------------------------------------------------------------------

def test_flatten_forward_backward_and_order():
    x = np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2)
    flat = Flatten()
    out = flat(x)
    assert out.shape == (2, 12)
    np.testing.assert_array_equal(out[1], x[1].ravel())          # channel by channel, row by row
    np.testing.assert_array_equal(flat.backward(out * 2), x * 2)
    assert Flatten()(np.ones((4, 5))).shape == (4, 5)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        Flatten()(np.ones(5))


def test_flatten_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(10).normal(size=(2, 3, 4, 5))
    np.testing.assert_array_equal(Flatten()(x), torch.nn.Flatten()(torch.tensor(x)).numpy())


# --- a tiny CNN in Sequential ---------------------------------------------------------------------

def tiny_cnn(rng):
    return dlkit.Sequential(
        dlkit.Conv2D(1, 3, 3, padding=1, rng=rng), dlkit.ReLU(), dlkit.MaxPool2D(2),
        dlkit.Conv2D(3, 4, 2, stride=2, rng=rng), dlkit.Tanh(), dlkit.Flatten(),
        dlkit.Dense(16, 3, rng=rng),
    )


def test_tiny_cnn_check_gradients():
    rng = np.random.default_rng(11)
    model = tiny_cnn(rng)
    X, y = rng.normal(size=(6, 1, 8, 8)), rng.integers(0, 3, size=6)
    errors = dlkit.gradient_errors(model, dlkit.CrossEntropyLoss(), X, y)
    assert set(errors) == {"0.weight", "0.bias", "3.weight", "3.bias", "6.weight", "6.bias"}
    assert max(errors.values()) < 1e-6


def test_tiny_cnn_summary_counts_and_shapes():
    model = tiny_cnn(np.random.default_rng(12))
    summary = model.summary(input_shape=(1, 8, 8))
    shapes = [shape for _, shape, _ in summary.rows]
    assert shapes == ["(batch, 3, 8, 8)", "(batch, 3, 8, 8)", "(batch, 3, 4, 4)",
                      "(batch, 4, 2, 2)", "(batch, 4, 2, 2)", "(batch, 16)", "(batch, 3)"]
    assert [count for *_, count in summary.rows] == [30, 0, 0, 52, 0, 0, 51]
    assert summary.total == model.num_parameters == (9 + 1) * 3 + (3 * 4 + 1) * 4 + (16 * 3 + 3)
    assert "Conv2D(1 → 3, 3×3, padding=1)" in repr(summary)
    assert model.summary().total == summary.total                 # without an input shape too


def test_cnn_learns_the_digits_with_fit():
    X_train, X_test, y_train, y_test = dlkit.data.digits(standardize=False)
    images, test_images = X_train[:400].reshape(-1, 1, 8, 8) / 16, X_test.reshape(-1, 1, 8, 8) / 16
    rng = np.random.default_rng(13)
    model = dlkit.Sequential(dlkit.Conv2D(1, 4, 3, rng=rng), dlkit.ReLU(), dlkit.MaxPool2D(2),
                             dlkit.Flatten(), dlkit.Dense(36, 10, rng=rng))
    history = dlkit.fit(model, dlkit.CrossEntropyLoss(), dlkit.Adam(model.parameters(), lr=0.01),
                        images, y_train[:400], epochs=15, batch_size=32,
                        validation_data=(test_images, y_test))
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert history.val_accuracy[-1] > 0.8                       # chance is 0.1
    np.testing.assert_allclose(model.predict(test_images), model(test_images))


def test_conv2d_backward_parameters_matches_backward_without_the_input_gradient():
    rng = np.random.default_rng(14)
    layer = conv_layer(2, 3, 3, 2, 1, rng)
    x, upstream = rng.normal(size=(2, 2, 7, 7)), rng.normal(size=(2, 3, 4, 4))
    layer.forward(x)
    layer.backward(upstream)
    full = [p.grad.copy() for p in layer.parameters()]
    for p in layer.parameters():
        p.zero_grad()
    assert layer.backward_parameters(upstream) is None
    for p, expected in zip(layer.parameters(), full):
        np.testing.assert_allclose(p.grad, expected, rtol=1e-12, atol=1e-12)


def test_cnn_gradients_are_the_same_with_and_without_the_input_gradient():
    rng = np.random.default_rng(15)
    model = tiny_cnn(rng)
    X, y = rng.normal(size=(4, 1, 8, 8)), rng.integers(0, 3, size=4)
    loss = dlkit.CrossEntropyLoss()
    grads = []
    for backward in (model.backward, model.backward_parameters):
        model.zero_grad()
        loss(model(X), y)
        grad_x = backward(loss.backward())
        assert (grad_x is None) == (backward == model.backward_parameters)
        grads.append([p.grad.copy() for p in model.parameters()])
    for with_input, without in zip(*grads):
        np.testing.assert_allclose(with_input, without, rtol=1e-12, atol=1e-12)


def test_float32_cnn_is_checked_on_a_float64_copy():
    rng = np.random.default_rng(16)
    model = dlkit.Sequential(dlkit.Conv2D(1, 2, 3, rng=rng, dtype=np.float32), dlkit.Tanh(),
                             dlkit.Flatten(), dlkit.Dense(18, 3, rng=rng, dtype=np.float32))
    X, y = rng.normal(size=(3, 1, 5, 5)), rng.integers(0, 3, size=3)
    assert dlkit.check_gradients(model, dlkit.CrossEntropyLoss(), X, y) < 1e-6
    assert model[0].weight.dtype == np.float32            # the model itself is left as it was
