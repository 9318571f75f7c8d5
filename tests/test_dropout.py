"""Dropout: inverted masks while training, the identity at inference, gradients through the mask."""

from __future__ import annotations

import numpy as np
import pytest

import dlkit
from dlkit import SGD, CrossEntropyLoss, Dense, Dropout, ReLU, Sequential, check_gradients, fit
from dlkit.dropout import dropout_layers, freeze_dropout


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_each_number_is_dropped_with_probability_p(p):
    out = Dropout(p, rng=0)(np.ones((400, 500)))
    dropped = np.mean(out == 0)
    # 200,000 Bernoulli draws: the standard error is below 0.0012
    assert dropped == pytest.approx(p, abs=0.006)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_survivors_are_scaled_by_one_over_keep_probability(p):
    x = np.random.default_rng(1).normal(size=(300, 40))
    out = Dropout(p, rng=0)(x)
    kept = out != 0
    np.testing.assert_allclose(out[kept], x[kept] / (1 - p))
    # so the mean is kept: E[out] = x
    assert np.mean(Dropout(p, rng=2)(np.ones((500, 400)))) == pytest.approx(1.0, abs=0.02)


def test_masks_differ_between_forward_passes_and_are_reproducible_with_a_seed():
    x = np.ones((10, 20))
    layer = Dropout(0.5, rng=3)
    first, second = layer(x).copy(), layer(x).copy()
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(Dropout(0.5, rng=3)(x), first)


def test_rng_none_uses_dlkits_module_generator():
    x = np.ones((5, 30))
    dlkit.seed(7)
    a = Dropout(0.5)(x)
    dlkit.seed(7)
    b = Dropout(0.5)(x)
    np.testing.assert_array_equal(a, b)


def test_backward_uses_the_same_mask():
    layer = Dropout(0.4, rng=0)
    x = np.random.default_rng(0).normal(size=(6, 9))
    out = layer(x)
    grad = np.random.default_rng(1).normal(size=(6, 9))
    back = layer.backward(grad)
    np.testing.assert_allclose(back, grad * layer.mask)
    np.testing.assert_array_equal(back == 0, out == 0)


def test_backward_before_forward_is_a_clear_error():
    with pytest.raises(RuntimeError, match="before forward"):
        Dropout(0.5).backward(np.ones((2, 2)))


def test_predict_is_the_identity():
    x = np.random.default_rng(0).normal(size=(7, 5))
    np.testing.assert_array_equal(Dropout(0.9, rng=0).predict(x), x)


def test_p_zero_changes_nothing():
    x = np.random.default_rng(0).normal(size=(7, 5))
    layer = Dropout(0.0, rng=0)
    np.testing.assert_array_equal(layer(x), x)
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), np.ones_like(x))


def test_keeps_float32():
    out = Dropout(0.5, rng=0)(np.ones((3, 4), dtype=np.float32))
    assert out.dtype == np.float32


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_p_outside_zero_one_is_a_value_error(p):
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        Dropout(p)


@pytest.mark.parametrize("p", ["0.5", None, True])
def test_p_not_a_number_is_a_type_error(p):
    with pytest.raises(TypeError, match="p must be a number"):
        Dropout(p)


def test_repr():
    assert repr(Dropout(0.25)) == "Dropout(p=0.25)"


def test_freeze_holds_the_mask_for_forward_and_predict():
    layer = Dropout(0.5, rng=0)
    x = np.ones((4, 6))
    last = layer(x).copy()
    with layer.freeze():
        np.testing.assert_array_equal(layer(x), last)  # the last forward's mask
        np.testing.assert_array_equal(layer.predict(x), last)
        with pytest.raises(ValueError, match="same batch"):
            layer(np.ones((3, 6)))
    assert not np.array_equal(layer(x), last)  # a new mask again after the block
    np.testing.assert_array_equal(layer.predict(x), x)  # identity again after the block


def test_freeze_draws_a_mask_when_the_shape_changed():
    layer = Dropout(0.5, rng=0)
    layer(np.ones((8, 6)))
    with layer.freeze():
        a = layer(np.ones((3, 6))).copy()
        np.testing.assert_array_equal(layer.predict(np.ones((3, 6))), a)


def test_freeze_dropout_finds_dropout_in_nested_models():
    inner = Dropout(0.3)
    outer = Dropout(0.5)
    model = Sequential(Dense(2, 3, rng=0), Sequential(ReLU(), inner), outer, Dense(3, 1, rng=0))
    assert dropout_layers(model) == [inner, outer]
    with freeze_dropout(model):
        assert inner._frozen and outer._frozen
    assert not inner._frozen and not outer._frozen


def network(p=0.5, rng=0):
    """Dense–ReLU–Dropout twice, then Dense; biases away from 0 (no ReLU input exactly at its kink)."""
    model = Sequential(Dense(5, 8, rng=rng), ReLU(), Dropout(p, rng=rng), Dense(8, 6, rng=rng + 1),
                       ReLU(), Dropout(p, rng=rng + 1), Dense(6, 3, rng=rng + 2))
    for layer in model:
        if isinstance(layer, Dense):
            layer.bias.data[...] = np.random.default_rng(rng).uniform(0.1, 0.5, layer.bias.shape)
    return model


def test_check_gradients_works_with_dropout():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 5)), rng.integers(0, 3, size=10)
    model = network()
    assert check_gradients(model, CrossEntropyLoss(), X, y) < 1e-6
    # and the layers are left unfrozen
    assert all(not layer._frozen for layer in dropout_layers(model))


def test_a_wrong_dropout_backward_is_caught_by_check_gradients():
    class Forgetful(Dropout):
        def backward(self, grad_out):  # forgets the mask
            return grad_out

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 5)), rng.integers(0, 3, size=10)
    model = Sequential(Dense(5, 8, rng=0), ReLU(), Forgetful(0.5, rng=0), Dense(8, 3, rng=1))
    assert check_gradients(model, CrossEntropyLoss(), X, y) > 1e-2


def test_model_predict_has_no_dropout_and_forward_does():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 5))
    model = network(p=0.5)
    without = Sequential(*[layer for layer in model if not isinstance(layer, Dropout)])
    np.testing.assert_array_equal(model.predict(X), without.predict(X))
    assert not np.allclose(model(X), without(X))


def test_fit_trains_with_dropout_and_evaluates_without():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 5)), rng.integers(0, 3, size=60)
    X_val, y_val = rng.normal(size=(30, 5)), rng.integers(0, 3, size=30)
    model, loss = network(p=0.5), CrossEntropyLoss()
    history = fit(model, loss, SGD(model.parameters(), lr=0.1), X, y, epochs=3, batch_size=20,
                  validation_data=(X_val, y_val))
    # the validation numbers are those of predict (no dropout): reproducible after training
    assert history.val_loss[-1] == pytest.approx(loss(model.predict(X_val), y_val))
    assert history.val_loss[-1] == pytest.approx(loss(model.predict(X_val), y_val))
    # training ran through forward: the dropout layers drew masks of the batch's shape
    assert dropout_layers(model)[0].mask.shape == (20, 8)
