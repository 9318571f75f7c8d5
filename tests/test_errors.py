"""Bad input gets a clear error, never a silent wrong answer: every error path and its message."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dlkit import Sequential, data, fit
from dlkit.layers import Dense, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Step, Tanh
from dlkit.losses import BinaryCrossEntropy, CrossEntropyLoss, MSELoss
from dlkit.optim import SGD, Adam, RMSProp

# ---------------------------------------------------------------- wrong feature count


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


def test_exact_example_message_from_the_issue():
    with pytest.raises(ValueError, match=re.escape(
            "Dense(3 → 4) expects inputs of shape (batch, 3) but got (10, 5)")):
        Dense(3, 4, rng=0)(np.ones((10, 5)))


def test_wrong_feature_count_inside_sequential_names_the_layer():
    model = Sequential(Dense(2, 8, rng=0), ReLU(), Dense(5, 1, rng=1))
    with pytest.raises(ValueError, match=re.escape("Dense(5 → 1)")) as info:
        model(np.ones((4, 2)))
    assert "(4, 8)" in str(info.value)
    with pytest.raises(ValueError, match=re.escape("Dense(5 → 1)")):
        model.predict(np.ones((4, 2)))


# ---------------------------------------------------------------- loss targets that do not fit


def test_label_equal_to_number_of_classes():
    logits = np.zeros((3, 10))
    with pytest.raises(ValueError, match="10") as info:
        CrossEntropyLoss()(logits, np.array([0, 9, 10]))
    assert re.search(r"(?i)label|class", str(info.value))


def test_negative_label():
    with pytest.raises(ValueError, match=r"(?i)label|class"):
        CrossEntropyLoss()(np.zeros((3, 4)), np.array([0, -1, 2]))


def test_float_labels_for_cross_entropy():
    with pytest.raises(ValueError, match=r"(?i)int"):
        CrossEntropyLoss()(np.zeros((3, 4)), np.array([0.0, 1.0, 2.0]))


def test_one_hot_or_2d_labels_for_cross_entropy():
    with pytest.raises(ValueError, match=r"(?i)\(3, ?1\)|\(3, ?4\)|shape|1-D|1D"):
        CrossEntropyLoss()(np.zeros((3, 4)), np.array([[0], [1], [2]]))


def test_label_count_mismatch_for_cross_entropy():
    with pytest.raises(ValueError, match=r"\b3\b|\b4\b"):
        CrossEntropyLoss()(np.zeros((3, 4)), np.array([0, 1, 2, 3]))


@pytest.mark.parametrize(
    "loss, pred",
    [
        (MSELoss(), np.zeros((8, 1))),
        (BinaryCrossEntropy(), np.full((8, 1), 0.5)),
        (BinaryCrossEntropy(from_logits=True), np.zeros((8, 1))),
    ],
    ids=["mse", "bce", "bce_logits"],
)
def test_n_vs_n1_targets_are_rejected(loss, pred):
    """(8, 1) predictions with (8,) targets would broadcast to (8, 8): a silent wrong answer."""
    target = np.zeros(8)
    with pytest.raises(ValueError) as info:
        loss(pred, target)
    message = str(info.value)
    assert "(8, 1)" in message and "(8,)" in message, message
    with pytest.raises(ValueError):
        loss(np.zeros(8) + 0.5, np.zeros((8, 1)))


def test_mse_shape_mismatch():
    with pytest.raises(ValueError, match=re.escape("(5, 2)")):
        MSELoss()(np.zeros((5, 2)), np.zeros((5, 3)))


# ---------------------------------------------------------------- backward before forward


@pytest.mark.parametrize(
    "layer",
    [Dense(3, 3, rng=0), ReLU(), LeakyReLU(), Sigmoid(), Tanh(), Softmax(), Identity(), Step()],
    ids=lambda layer: type(layer).__name__,
)
def test_layer_backward_before_forward(layer):
    with pytest.raises(RuntimeError, match="(?i)forward"):
        layer.backward(np.ones((2, 3)))


def test_sequential_backward_before_forward():
    model = Sequential(Dense(3, 3, rng=0), ReLU(), Dense(3, 1, rng=1))
    with pytest.raises(RuntimeError, match="(?i)forward"):
        model.backward(np.ones((2, 1)))


@pytest.mark.parametrize(
    "loss", [MSELoss(), BinaryCrossEntropy(), BinaryCrossEntropy(from_logits=True),
             CrossEntropyLoss()],
    ids=["mse", "bce", "bce_logits", "ce"],
)
def test_loss_backward_before_call(loss):
    with pytest.raises(RuntimeError, match=r"(?i)forward|call|before|first"):
        loss.backward()


# ---------------------------------------------------------------- hyperparameters


def _params():
    return Dense(2, 2, rng=0).parameters()


@pytest.mark.parametrize("lr", [0.0, -0.1])
@pytest.mark.parametrize("optimizer", [SGD, RMSProp, Adam])
def test_non_positive_learning_rate(optimizer, lr):
    with pytest.raises(ValueError, match=r"(?i)\blr\b|learning rate"):
        optimizer(_params(), lr=lr)


def test_unknown_init_is_rejected():
    with pytest.raises(ValueError, match=r"(?i)init|he|xavier"):
        Dense(2, 2, init="zeros")


def _xor_problem():
    X, y = data.xor()
    model = Sequential(Dense(2, 4, rng=0), Tanh(), Dense(4, 2, rng=1))
    return model, CrossEntropyLoss(), SGD(model.parameters(), lr=0.1), X, y


@pytest.mark.parametrize("epochs", [0, -1])
def test_epochs_below_one(epochs):
    model, loss, opt, X, y = _xor_problem()
    with pytest.raises(ValueError, match="(?i)epochs"):
        fit(model, loss, opt, X, y, epochs=epochs, progress=False)


@pytest.mark.parametrize("batch_size", [0, -4])
def test_batch_size_below_one(batch_size):
    model, loss, opt, X, y = _xor_problem()
    with pytest.raises(ValueError, match="(?i)batch.size"):
        fit(model, loss, opt, X, y, epochs=1, batch_size=batch_size, progress=False)


def test_fit_length_mismatch():
    model, loss, opt, X, y = _xor_problem()
    with pytest.raises(ValueError, match=r"\b4\b|\b3\b"):
        fit(model, loss, opt, X, y[:3], epochs=1, progress=False)


# ---------------------------------------------------------------- NaN / inf in fit's data


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_X_names_X(bad):
    model, loss, opt, X, y = _xor_problem()
    X = X.astype(float)
    X[2, 1] = bad
    with pytest.raises(ValueError, match=r"\bX\b") as info:
        fit(model, loss, opt, X, y, epochs=1, progress=False)
    assert re.search(r"(?i)nan|inf|finite", str(info.value))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_y_names_y(bad):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    y[3, 0] = bad
    model = Sequential(Dense(2, 1, rng=0))
    with pytest.raises(ValueError, match=r"\by\b") as info:
        fit(model, MSELoss(), SGD(model.parameters(), lr=0.1), X, y, epochs=1, progress=False)
    assert re.search(r"(?i)nan|inf|finite", str(info.value))


def test_nan_in_validation_data_is_rejected():
    model, loss, opt, X, y = _xor_problem()
    X_val = X.astype(float).copy()
    X_val[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"(?i)nan|inf|finite"):
        fit(model, loss, opt, X, y, epochs=1, validation_data=(X_val, y), progress=False)


def test_nan_check_happens_before_training():
    model, loss, opt, X, y = _xor_problem()
    X = X.astype(float)
    X[3, 0] = np.nan
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(ValueError):
        fit(model, loss, opt, X, y, epochs=3, progress=False)
    for p, b in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.data, b)


# ---------------------------------------------------------------- divergence


def test_diverging_loss_raises_floating_point_error_naming_the_epoch():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]]) + 0.1 * rng.normal(size=(50, 1))
    model = Sequential(Dense(3, 8, rng=0), ReLU(), Dense(8, 1, rng=1))
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError) as info:
        fit(model, MSELoss(), SGD(model.parameters(), lr=1e6), X, y, epochs=50, progress=False)
    message = str(info.value)
    assert re.search(r"(?i)epoch\s*\d+", message), message
    assert re.search(
        r"(?i)(smaller|lower|reduce|too large).*(learning rate|\blr\b)"
        r"|(learning rate|\blr\b).*(smaller|lower|too large)",
        message,
    ), message
