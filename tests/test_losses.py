"""dlkit.losses: values as PyTorch's defaults, gradients against finite differences, stability,
dtype, and the predictions and targets a loss refuses."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlkit
from dlkit.losses import BinaryCrossEntropy, CrossEntropyLoss, MSELoss


def test_losses_are_exported_at_top_level():
    for name in ["MSELoss", "BinaryCrossEntropy", "CrossEntropyLoss"]:
        assert getattr(dlkit, name) is getattr(dlkit.losses, name)


# ---------------------------------------------------------------- values (reductions as PyTorch)


def test_mse_averages_over_all_elements():
    rng = np.random.default_rng(0)
    pred, target = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    value = MSELoss()(pred, target)
    assert isinstance(value, float)
    assert value == pytest.approx(np.mean((pred - target) ** 2), rel=1e-13)
    # 12 elements, not 4 samples
    assert value != pytest.approx(np.sum((pred - target) ** 2) / 4)


def test_mse_backward_formula():
    rng = np.random.default_rng(1)
    pred, target = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    loss = MSELoss()
    loss(pred, target)
    np.testing.assert_allclose(loss.backward(), 2 * (pred - target) / pred.size, rtol=1e-13)


def test_bce_on_probabilities_value():
    rng = np.random.default_rng(2)
    p = rng.uniform(0.05, 0.95, size=(6, 1))
    t = rng.integers(0, 2, size=(6, 1)).astype(float)
    value = BinaryCrossEntropy()(p, t)
    assert isinstance(value, float)
    expected = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert value == pytest.approx(expected, rel=1e-12)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_bce_averages_over_all_elements_for_several_outputs():
    """MSE and BCE average over all elements, also for multi-label targets (batch, k)."""
    rng = np.random.default_rng(3)
    p = rng.uniform(0.05, 0.95, size=(5, 3))
    t = rng.integers(0, 2, size=(5, 3)).astype(float)
    expected = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert BinaryCrossEntropy()(p, t) == pytest.approx(expected, rel=1e-12)
    z = rng.normal(size=(5, 3))
    assert BinaryCrossEntropy(from_logits=True)(z, t) == pytest.approx(
        -np.mean(t * np.log(_sigmoid(z)) + (1 - t) * np.log(1 - _sigmoid(z))), rel=1e-12
    )


def test_bce_from_logits_equals_bce_of_sigmoid():
    rng = np.random.default_rng(4)
    z = rng.normal(scale=3, size=(8, 1))
    t = rng.integers(0, 2, size=(8, 1)).astype(float)
    a = BinaryCrossEntropy(from_logits=True)
    b = BinaryCrossEntropy()
    assert a(z, t) == pytest.approx(b(_sigmoid(z), t), rel=1e-12)
    np.testing.assert_allclose(a.backward(), (_sigmoid(z) - t) / z.size, rtol=1e-11)


def _log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def test_cross_entropy_averages_over_samples():
    rng = np.random.default_rng(5)
    logits = rng.normal(size=(6, 4))
    labels = rng.integers(0, 4, size=6)
    value = CrossEntropyLoss()(logits, labels)
    assert isinstance(value, float)
    expected = -np.mean(_log_softmax(logits)[np.arange(6), labels])
    assert value == pytest.approx(expected, rel=1e-13)


def test_cross_entropy_backward_formula():
    rng = np.random.default_rng(6)
    logits = rng.normal(size=(6, 4))
    labels = rng.integers(0, 4, size=6)
    loss = CrossEntropyLoss()
    loss(logits, labels)
    onehot = np.eye(4)[labels]
    expected = (np.exp(_log_softmax(logits)) - onehot) / 6
    np.testing.assert_allclose(loss.backward(), expected, rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize("label_dtype", [np.int64, np.int32, np.uint8])
def test_cross_entropy_accepts_any_integer_labels(label_dtype):
    logits = np.array([[2.0, 0.0, -1.0], [0.0, 3.0, 0.0]])
    labels = np.array([0, 1], dtype=label_dtype)
    expected = -np.mean(_log_softmax(logits)[[0, 1], [0, 1]])
    assert CrossEntropyLoss()(logits, labels) == pytest.approx(expected, rel=1e-13)


# ---------------------------------------------------------------- gradients by finite differences


def _loss_cases(rng):
    n = 5
    yield "mse", MSELoss(), rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    yield (
        "bce",
        BinaryCrossEntropy(),
        rng.uniform(0.1, 0.9, size=(n, 1)),
        rng.integers(0, 2, size=(n, 1)).astype(float),
    )
    yield (
        "bce_logits",
        BinaryCrossEntropy(from_logits=True),
        rng.normal(scale=2, size=(n, 1)),
        rng.integers(0, 2, size=(n, 1)).astype(float),
    )
    yield "ce", CrossEntropyLoss(), rng.normal(scale=2, size=(n, 4)), rng.integers(0, 4, size=n)


@pytest.mark.parametrize("case", ["mse", "bce", "bce_logits", "ce"])
def test_loss_backward_matches_finite_differences(case, fd):
    cases = {c[0]: c[1:] for c in _loss_cases(np.random.default_rng(7))}
    loss, pred, target = cases[case]
    loss(pred, target)
    grad = loss.backward()
    assert grad.shape == pred.shape
    numeric = fd.numeric_grad(lambda: loss(pred, target), pred)
    assert fd.rel_error(grad, numeric) < 1e-7


@settings(max_examples=30, deadline=None)
@given(
    batch=st.integers(1, 8),
    classes=st.integers(2, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_cross_entropy_gradient_property(fd, batch, classes, seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=3, size=(batch, classes))
    labels = rng.integers(0, classes, size=batch)
    loss = CrossEntropyLoss()
    loss(logits, labels)
    grad = loss.backward()
    numeric = fd.numeric_grad(lambda: loss(logits, labels), logits)
    assert fd.rel_error(grad, numeric) < 1e-6
    # each row of the gradient sums to zero (softmax minus one-hot)
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(
    batch=st.integers(1, 8),
    width=st.integers(1, 4),
    from_logits=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_mse_and_bce_gradient_property(fd, batch, width, from_logits, seed):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 2, size=(batch, width)).astype(float)
    for loss, pred in [
        (MSELoss(), rng.normal(size=(batch, width))),
        (
            BinaryCrossEntropy(from_logits=from_logits),
            rng.normal(size=(batch, width)) if from_logits else rng.uniform(0.05, 0.95, (batch, width)),
        ),
    ]:
        loss(pred, t)
        grad = loss.backward()
        assert grad.shape == pred.shape
        numeric = fd.numeric_grad(lambda loss=loss, pred=pred: loss(pred, t), pred)
        assert fd.rel_error(grad, numeric) < 1e-6


# ---------------------------------------------------------------- stability at |logit| = 1e4


def test_bce_from_logits_is_stable_at_1e4():
    z = np.array([[1e4], [-1e4], [1e4], [-1e4]])
    t = np.array([[1.0], [0.0], [0.0], [1.0]])
    loss = BinaryCrossEntropy(from_logits=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = loss(z, t)
        grad = loss.backward()
    assert np.isfinite(value)
    # two confident right answers (loss 0) and two confident wrong ones (loss 1e4 each)
    assert value == pytest.approx((0 + 0 + 1e4 + 1e4) / 4, rel=1e-12)
    np.testing.assert_allclose(grad, np.array([[0.0], [0.0], [1.0], [-1.0]]) / 4, atol=1e-300)


def test_cross_entropy_is_stable_at_1e4():
    logits = np.array([[1e4, 0.0, -1e4], [1e4, 0.0, -1e4]])
    labels = np.array([0, 2])
    loss = CrossEntropyLoss()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = loss(logits, labels)
        grad = loss.backward()
    assert value == pytest.approx((0 + 2e4) / 2, rel=1e-12)
    np.testing.assert_allclose(grad, np.array([[0, 0, 0], [1, 0, -1]]) / 2, atol=1e-300)


# ---------------------------------------------------------------- dtype


def test_losses_keep_float32_gradients():
    rng = np.random.default_rng(8)
    f32 = np.float32
    cases = [
        (MSELoss(), rng.normal(size=(4, 2)).astype(f32), rng.normal(size=(4, 2)).astype(f32)),
        (BinaryCrossEntropy(), np.full((4, 1), 0.3, f32), np.array([[0], [1], [1], [0]], f32)),
        (
            BinaryCrossEntropy(from_logits=True),
            rng.normal(size=(4, 1)).astype(f32),
            np.array([[0], [1], [1], [0]], f32),
        ),
        (CrossEntropyLoss(), rng.normal(size=(4, 3)).astype(f32), np.array([0, 2, 1, 1])),
    ]
    for loss, pred, target in cases:
        value = loss(pred, target)
        assert np.isfinite(value)
        assert loss.backward().dtype == np.float32, type(loss).__name__


# ---------------------------------------------------------------- the fused softmax + cross-entropy


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_cross_entropy_fused_gradient_equals_the_chain_through_softmax(dtype):
    """CrossEntropyLoss differentiates softmax and -log together: (softmax - onehot) / batch. The
    unfused way, dL/dp = -onehot / (p * batch) sent back through Softmax, must give the same."""
    rng = np.random.default_rng(9)
    logits = rng.normal(scale=2, size=(8, 5)).astype(dtype)
    labels = rng.integers(0, 5, size=8)
    loss = CrossEntropyLoss()
    value = loss(logits, labels)
    fused = loss.backward()

    softmax = dlkit.Softmax()
    probs = softmax(logits)
    onehot = np.eye(5, dtype=dtype)[labels]
    unfused = softmax.backward(-onehot / (probs * 8))
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(fused, unfused, rtol=tol, atol=tol)
    assert fused.dtype == dtype
    assert value == pytest.approx(-np.mean(np.log(probs[np.arange(8), labels])), rel=tol)


def test_cross_entropy_value_is_exactly_the_mean_of_the_picked_log_probabilities():
    rng = np.random.default_rng(10)
    logits = rng.normal(size=(13, 4))
    labels = rng.integers(0, 4, size=13)
    expected = -np.mean(dlkit.activations.log_softmax(logits, axis=1)[np.arange(13), labels])
    assert CrossEntropyLoss()(logits, labels) == float(expected)  # bit for bit


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


@pytest.mark.parametrize(
    "loss", [MSELoss(), BinaryCrossEntropy(), BinaryCrossEntropy(from_logits=True),
             CrossEntropyLoss()],
    ids=["mse", "bce", "bce_logits", "ce"],
)
def test_loss_backward_before_call(loss):
    with pytest.raises(RuntimeError, match=r"(?i)forward|call|before|first"):
        loss.backward()


# ---------------------------------------------------------------- targets that are not numbers


@pytest.mark.parametrize("loss", [MSELoss(), BinaryCrossEntropy(), CrossEntropyLoss()],
                         ids=["mse", "bce", "ce"])
def test_text_targets_are_refused_with_how_to_convert_them(loss):
    pred = np.full((3, 1), 0.5) if not isinstance(loss, CrossEntropyLoss) else np.zeros((3, 2))
    target = np.array([["yes"], ["no"], ["yes"]])
    if isinstance(loss, CrossEntropyLoss):
        target = target.reshape(-1)
    with pytest.raises(TypeError, match=r"targets that are numbers.*<U3.*astype"):
        loss(pred, target)


@pytest.mark.parametrize("target", [[[1.0], [None]], [["1.5"], ["2"]]], ids=["None", "text"])
def test_mse_targets_with_none_or_text_are_refused_not_converted(target):
    with pytest.raises(TypeError, match="targets that are numbers"):
        MSELoss()(np.zeros((2, 1)), np.array(target, dtype=object) if None in target[1] else
                  np.array(target))


def test_object_targets_name_what_to_drop():
    with pytest.raises(TypeError, match=r"dtype object.*None.*dtype=float"):
        BinaryCrossEntropy()(np.full((2, 1), 0.5), np.array([[1], [None]], dtype=object))


def test_text_predictions_are_refused():
    with pytest.raises(TypeError, match="predictions that are numbers"):
        MSELoss()(np.array([["1"]]), np.zeros((1, 1)))


@pytest.mark.parametrize("loss, pred, target", [
    (MSELoss(), np.zeros((0, 1)), np.zeros((0, 1))),
    (BinaryCrossEntropy(), np.zeros((0, 1)), np.zeros((0, 1))),
    (CrossEntropyLoss(), np.zeros((0, 3)), np.zeros(0, dtype=int)),
], ids=["mse", "bce", "ce"])
def test_an_empty_batch_is_refused_instead_of_nan(loss, pred, target):
    with pytest.raises(ValueError, match="empty batch"):
        loss(pred, target)
