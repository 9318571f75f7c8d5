"""fit: training with meaning (XOR, spirals, digits), History, determinism, batching, accuracy, and
the mistakes it refuses before the first step or warns about."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import dlkit
from dlkit import Sequential, data, fit
from dlkit.layers import Dense, ReLU, Sigmoid, Softmax, Tanh
from dlkit.losses import BinaryCrossEntropy, CrossEntropyLoss, MSELoss
from dlkit.optim import SGD, Adam


def test_accuracy_argmax_for_several_outputs():
    outputs = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert dlkit.accuracy(outputs, np.array([1, 0, 0, 0])) == pytest.approx(0.75)


def test_accuracy_threshold_for_one_output():
    outputs = np.array([[0.9], [0.2], [0.51], [0.49]])
    assert dlkit.accuracy(outputs, np.array([1, 0, 1, 1])) == pytest.approx(0.75)
    assert dlkit.accuracy(outputs, np.array([[1], [0], [1], [1]])) == pytest.approx(0.75)


def _labels_accuracy(outputs, y):
    """Our own accuracy (independent of dlkit.accuracy)."""
    y = np.asarray(y).reshape(len(outputs), -1)
    if outputs.shape[1] == 1:
        return float(np.mean((outputs[:, 0] >= 0.5) == (y[:, 0] == 1)))
    return float(np.mean(outputs.argmax(axis=1) == y[:, 0]))


# ---------------------------------------------------------------- training with meaning


def test_fit_solves_xor():
    X, y = data.xor()
    y2 = y.reshape(-1, 1).astype(float)
    model = Sequential(Dense(2, 8, rng=0), Tanh(), Dense(8, 1, rng=1), Sigmoid())
    history = fit(model, BinaryCrossEntropy(), Adam(model.parameters(), lr=0.05), X, y2,
                  epochs=500)
    assert _labels_accuracy(model.predict(X), y) == 1.0
    assert history.accuracy[-1] == 1.0
    assert history.loss[-1] < 0.1


def test_fit_spirals_three_classes():
    X, y = data.spirals(n_per_class=100, classes=3, rng=0)
    model = Sequential(Dense(2, 64, rng=0), ReLU(), Dense(64, 64, rng=1), ReLU(), Dense(64, 3, rng=2))
    history = fit(model, CrossEntropyLoss(), Adam(model.parameters(), lr=0.01), X, y,
                  epochs=300, batch_size=32, rng=0)
    assert _labels_accuracy(model.predict(X), y) >= 0.95
    assert history.accuracy[-1] >= 0.95


def test_fit_digits_test_accuracy():
    X_train, X_test, y_train, y_test = data.digits(test_size=0.2, rng=0)
    model = Sequential(Dense(64, 64, rng=0), ReLU(), Dense(64, 10, rng=1))
    history = fit(model, CrossEntropyLoss(), Adam(model.parameters(), lr=0.01), X_train, y_train,
                  epochs=20, batch_size=32, validation_data=(X_test, y_test), rng=0)
    test_accuracy = _labels_accuracy(model.predict(X_test), y_test)
    assert test_accuracy >= 0.95
    assert history.val_accuracy[-1] == pytest.approx(test_accuracy)
    assert dlkit.accuracy(model.predict(X_test), y_test) == pytest.approx(test_accuracy)


def test_fit_regression_reduces_the_loss():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(200, 1))
    y = np.sin(X)
    model = Sequential(Dense(1, 16, rng=0), Tanh(), Dense(16, 1, rng=1))
    history = fit(model, MSELoss(), Adam(model.parameters(), lr=0.02), X, y, epochs=200,
                  batch_size=50)
    assert history.loss[-1] < 0.01 < history.loss[0]


# ---------------------------------------------------------------- History


def _spiral_run(rng=0, shuffle=True, batch_size=16, epochs=5, model_seed=0):
    X, y = data.spirals(n_per_class=30, classes=3, rng=1)
    model = Sequential(Dense(2, 16, rng=model_seed), ReLU(), Dense(16, 3, rng=model_seed + 1))
    history = fit(model, CrossEntropyLoss(), SGD(model.parameters(), lr=0.1, momentum=0.9), X, y,
                  epochs=epochs, batch_size=batch_size, shuffle=shuffle, rng=rng,
                  validation_data=(X[:20], y[:20]))
    return history, model


def test_history_has_one_entry_per_epoch():
    history, _ = _spiral_run(epochs=7)
    for name in ["loss", "val_loss", "accuracy", "val_accuracy"]:
        values = list(getattr(history, name))
        assert len(values) == 7, name
        assert all(np.isfinite(values)), name
    assert all(0 <= a <= 1 for a in history.accuracy)


def test_same_seed_gives_identical_history():
    h1, m1 = _spiral_run(rng=3)
    h2, m2 = _spiral_run(rng=3)
    for name in ["loss", "val_loss", "accuracy", "val_accuracy"]:
        assert list(getattr(h1, name)) == list(getattr(h2, name)), name
    for p, q in zip(m1.parameters(), m2.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)


def test_fit_seed_controls_the_shuffle():
    h1, _ = _spiral_run(rng=3)
    h2, _ = _spiral_run(rng=4)
    assert list(h1.loss) != list(h2.loss)
    # without shuffling, the seed has nothing to change
    h3, _ = _spiral_run(rng=3, shuffle=False)
    h4, _ = _spiral_run(rng=4, shuffle=False)
    assert list(h3.loss) == list(h4.loss)


def test_fit_does_not_depend_on_the_module_generator():
    dlkit.seed(1)
    h1, _ = _spiral_run(rng=3)
    dlkit.seed(2)
    h2, _ = _spiral_run(rng=3)
    assert list(h1.loss) == list(h2.loss)


def test_history_plot_draws():
    import matplotlib.pyplot as plt

    history, _ = _spiral_run(epochs=3)
    fig, ax = plt.subplots()
    history.plot(ax=ax)
    assert ax.lines, "plot() should draw the loss curves"
    history.plot(metric="accuracy")
    plt.close("all")


# ---------------------------------------------------------------- batching and inputs


class CountingSGD(SGD):
    steps = 0

    def step(self):
        CountingSGD.steps += 1
        super().step()


@pytest.mark.parametrize("batch_size, per_epoch", [(None, 1), (10, 5), (16, 4), (50, 1), (100, 1)])
def test_number_of_steps_per_epoch(batch_size, per_epoch):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 2)), rng.normal(size=(50, 1))
    model = Sequential(Dense(2, 1, rng=0))
    CountingSGD.steps = 0
    fit(model, MSELoss(), CountingSGD(model.parameters(), lr=0.01), X, y, epochs=3,
        batch_size=batch_size)
    assert CountingSGD.steps == 3 * per_epoch


def test_full_batch_fit_equals_manual_gradient_descent():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=(20, 1))
    model = Sequential(Dense(3, 4, rng=0), Tanh(), Dense(4, 1, rng=1))
    manual = Sequential(Dense(3, 4, rng=0), Tanh(), Dense(4, 1, rng=1))
    fit(model, MSELoss(), SGD(model.parameters(), lr=0.1), X, y, epochs=5)
    loss, opt = MSELoss(), SGD(manual.parameters(), lr=0.1)
    for _ in range(5):
        opt.zero_grad()
        loss(manual(X), y)
        manual.backward(loss.backward())
        opt.step()
    for p, q in zip(model.parameters(), manual.parameters(), strict=True):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-12)


def test_fit_does_not_modify_its_inputs():
    X, y = data.spirals(n_per_class=20, classes=3, rng=0)
    X0, y0 = X.copy(), y.copy()
    model = Sequential(Dense(2, 8, rng=0), ReLU(), Dense(8, 3, rng=1))
    fit(model, CrossEntropyLoss(), Adam(model.parameters()), X, y, epochs=2, batch_size=8)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_progress_bar_runs(capsys):
    X, y = data.xor()
    model = Sequential(Dense(2, 4, rng=0), Tanh(), Dense(4, 2, rng=1))
    history = fit(model, CrossEntropyLoss(), Adam(model.parameters()), X, y, epochs=3,
                  progress=True)
    assert len(history.loss) == 3
    assert "training" in capsys.readouterr().err


def test_no_progress_bar_by_default(capsys):
    X, y = data.xor()
    model = Sequential(Dense(2, 4, rng=0), Tanh(), Dense(4, 2, rng=1))
    fit(model, CrossEntropyLoss(), Adam(model.parameters()), X, y, epochs=3)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_fit_rng_accepts_a_generator():
    X, y = data.spirals(n_per_class=10, classes=3, rng=0)
    histories = []
    for _ in range(2):
        model = Sequential(Dense(2, 8, rng=0), ReLU(), Dense(8, 3, rng=1))
        histories.append(fit(model, CrossEntropyLoss(), SGD(model.parameters(), lr=0.1), X, y,
                             epochs=3, batch_size=8, rng=np.random.default_rng(5)).loss)
    model = Sequential(Dense(2, 8, rng=0), ReLU(), Dense(8, 3, rng=1))
    by_int = fit(model, CrossEntropyLoss(), SGD(model.parameters(), lr=0.1), X, y, epochs=3,
                 batch_size=8, rng=5).loss
    assert histories[0] == histories[1] == by_int


def test_float32_training_keeps_float32():
    X, y = data.spirals(n_per_class=20, classes=3, rng=0)
    X = X.astype(np.float32)
    model = Sequential(Dense(2, 8, rng=0, dtype=np.float32), ReLU(),
                       Dense(8, 3, rng=1, dtype=np.float32))
    fit(model, CrossEntropyLoss(), Adam(model.parameters(), lr=0.01), X, y, epochs=3,
        batch_size=16)
    for p in model.parameters():
        assert p.data.dtype == np.float32 and p.grad.dtype == np.float32


# ---------------------------------------------------------------- fit is exactly the five-line loop


def _hand_written_fit(model, loss, optimizer, X, y, *, epochs, batch_size, rng, shuffle):
    """The loop fit documents, written out with the most obvious indexing (a fresh index array per
    batch), so fit's own batching can be checked against it bit for bit."""
    generator = np.random.default_rng(rng)
    losses = []
    for _ in range(epochs):
        order = generator.permutation(len(X)) if shuffle else np.arange(len(X))
        total = 0.0
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            value = loss(model(X[batch]), y[batch])
            model.backward(loss.backward())
            optimizer.step()
            total += value * len(batch)
        losses.append(total / len(X))
    return losses


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shuffle", [True, False])
@pytest.mark.parametrize("batch_size", [7, 32, 60])
def test_fit_equals_the_hand_written_loop_exactly(batch_size, shuffle, dtype):
    X, y = data.spirals(n_per_class=20, classes=3, rng=1)
    X = X.astype(dtype)

    def make():
        return Sequential(Dense(2, 16, rng=0, dtype=dtype), ReLU(), Dense(16, 3, rng=1, dtype=dtype))

    model, manual = make(), make()
    history = fit(model, CrossEntropyLoss(), Adam(model.parameters(), lr=0.01), X, y, epochs=3,
                  batch_size=batch_size, rng=4, shuffle=shuffle)
    losses = _hand_written_fit(manual, CrossEntropyLoss(), Adam(manual.parameters(), lr=0.01), X, y,
                               epochs=3, batch_size=batch_size, rng=4, shuffle=shuffle)
    assert history.loss == losses
    for p, q in zip(model.parameters(), manual.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)
        assert p.data.dtype == dtype


@pytest.mark.parametrize("make_optimizer", [lambda ps: SGD(ps, lr=0.1, momentum=0.9),
                                            lambda ps: Adam(ps, lr=0.01),
                                            lambda ps: dlkit.RMSProp(ps, lr=0.01)])
def test_a_float32_training_step_never_makes_a_float64_array(make_optimizer):
    """float32 is the fast path: every array a step touches (what the layers keep for backward, the
    loss gradient, parameters, gradients, optimizer state) stays float32, so nothing is silently
    computed in float64. Labels are integers and the data float64 here, on purpose."""
    X, y = data.spirals(n_per_class=10, classes=3, rng=0)
    f32 = np.float32
    model = Sequential(Dense(2, 8, rng=0, dtype=f32), ReLU(), Dense(8, 8, rng=1, dtype=f32), Tanh(),
                       Dense(8, 3, rng=2, dtype=f32))
    optimizer = make_optimizer(model.parameters())
    loss = CrossEntropyLoss()
    history = fit(model, loss, optimizer, X, y, epochs=2, batch_size=8)
    assert all(np.isfinite(history.loss))
    for layer in model:
        assert layer._x.dtype == f32 and layer._out.dtype == f32, layer
    assert loss.backward().dtype == f32
    state = [getattr(optimizer, name) for name in ("velocity", "m", "v", "square_avg")
             if hasattr(optimizer, name)]
    for p, *p_state in zip(model.parameters(), *state, strict=True):
        assert p.data.dtype == f32 and p.grad.dtype == f32
        assert all(s.dtype == f32 for s in p_state)


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


# ---------------------------------------------------------------- arguments, checked before the first step


def _untouched(model, before):
    return all(np.array_equal(p.data, b) for p, b in zip(model.parameters(), before, strict=True))


def test_an_empty_data_set_is_refused_before_batch_size_is_mentioned():
    model, loss, opt, X, y = _xor_problem()
    with pytest.raises(ValueError, match=r"X has no samples.*nothing to train on") as info:
        fit(model, loss, opt, X[:0], y[:0], epochs=1)
    assert "batch_size" not in str(info.value)


def test_a_single_number_as_the_data_is_refused_with_the_shape_fit_needs():
    model, loss, opt, X, y = _xor_problem()
    with pytest.raises(ValueError, match=r"X is a single number.*\(n, features\)"):
        fit(model, loss, opt, 3.0, y, epochs=1)
    with pytest.raises(ValueError, match=r"y is a single number"):
        fit(model, loss, opt, X, 1, epochs=1)


@pytest.mark.parametrize("position, cls", [(1, Sequential), (2, CrossEntropyLoss), (3, SGD)],
                         ids=["model", "loss", "optimizer"])
def test_a_class_instead_of_an_object_says_to_create_one(position, cls):
    model, loss, opt, X, y = _xor_problem()
    args = [model, loss, opt]
    args[position - 1] = cls
    with pytest.raises(TypeError, match=rf"the class {cls.__name__} itself.*with parentheses"):
        fit(*args, X, y, epochs=1)


@pytest.mark.parametrize("order", ["model X y loss opt", "model opt loss X y", "loss model opt X y"])
def test_swapped_arguments_name_the_order(order):
    model, loss, opt, X, y = _xor_problem()
    parts = dict(model=model, loss=loss, opt=opt, X=X, y=y)
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(TypeError, match=re.escape("fit(model, loss, optimizer, X, y, epochs=...)")):
        fit(*[parts[name] for name in order.split()], epochs=1)
    assert _untouched(model, before)


@pytest.mark.parametrize("validation_data", [(np.zeros((4, 2)),), np.zeros((4, 2)),
                                             (np.zeros((4, 2)), np.zeros(4), np.zeros(4))],
                         ids=["one", "array", "three"])
def test_validation_data_must_be_a_pair(validation_data):
    model, loss, opt, X, y = _xor_problem()
    with pytest.raises(ValueError, match=re.escape("pair (X_val, y_val)")):
        fit(model, loss, opt, X, y, epochs=1, validation_data=validation_data)


def test_validation_lengths_must_match():
    model, loss, opt, X, y = _xor_problem()
    with pytest.raises(ValueError, match="validation X has 4 samples but validation y has 3"):
        fit(model, loss, opt, X, y, epochs=1, validation_data=(X, y[:3]))


@pytest.mark.parametrize("bad", [np.array(["a", "b", "a", "b"]), np.array([0, 1, None, 1])],
                         ids=["text", "None"])
def test_labels_that_are_not_numbers_are_refused_before_training(bad):
    model, loss, opt, X, _ = _xor_problem()
    before = [p.data.copy() for p in model.parameters()]
    with pytest.raises(TypeError, match=r"y should hold numbers.*np\.asarray"):
        fit(model, loss, opt, X, bad, epochs=1)
    assert _untouched(model, before)


def test_binary_cross_entropy_with_text_labels_names_the_fix():
    X = np.zeros((4, 2))
    model = Sequential(Dense(2, 1, rng=0), Sigmoid())
    with pytest.raises(TypeError, match="numbers"):
        fit(model, BinaryCrossEntropy(), SGD(model.parameters(), lr=0.1), X,
            np.array([["yes"], ["no"], ["yes"], ["no"]]), epochs=1)


def test_a_single_layer_can_be_trained():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    y = X @ np.array([[2.0], [-1.0]]) + 0.5
    layer = Dense(2, 1, rng=0)
    history = fit(layer, MSELoss(), SGD(layer.parameters(), lr=0.1), X, y, epochs=200)
    assert history.loss[-1] < 1e-6
    np.testing.assert_allclose(layer.weight.data, [[2.0], [-1.0]], atol=1e-3)


# ---------------------------------------------------------------- set-ups that train badly: one warning


def test_an_optimizer_of_another_model_warns_once_and_the_model_stays_unchanged():
    model, loss, _, X, y = _xor_problem()
    other = Sequential(Dense(2, 4, rng=5), Tanh(), Dense(4, 2, rng=6))
    before = [p.data.copy() for p in model.parameters()]
    with pytest.warns(UserWarning, match=r"does not hold 4 of the model's 4 parameters") as record:
        fit(model, loss, SGD(other.parameters(), lr=0.1), X, y, epochs=3)
    assert len(record) == 1
    assert "SGD(model.parameters()" in str(record[0].message)
    assert _untouched(model, before)


def test_parameters_replaced_after_the_optimizer_was_built_warn():
    model, loss, opt, X, y = _xor_problem()
    model[0].weight = dlkit.Parameter(model[0].weight.data.copy(), name="weight")
    with pytest.warns(UserWarning, match=r"does not hold 1 of the model's 4 parameters.*replaced"):
        fit(model, loss, opt, X, y, epochs=1)


def test_sigmoid_before_bce_from_logits_warns_once():
    X, y = data.xor()
    model = Sequential(Dense(2, 4, rng=0), Tanh(), Dense(4, 1, rng=1), Sigmoid())
    with pytest.warns(UserWarning, match=r"ends with Sigmoid\(\).*from_logits=True.*Remove") as record:
        fit(model, BinaryCrossEntropy(from_logits=True), SGD(model.parameters(), lr=0.1), X,
            y.reshape(-1, 1).astype(float), epochs=2)
    assert len(record) == 1


def test_softmax_before_cross_entropy_warns_even_inside_a_nested_model():
    X, y = data.xor()
    model = Sequential(Dense(2, 4, rng=0), Sequential(Tanh(), Dense(4, 2, rng=1), Softmax()))
    with pytest.warns(UserWarning, match=r"ends with Softmax\(\).*raw scores.*Remove"):
        fit(model, CrossEntropyLoss(), SGD(model.parameters(), lr=0.1), X, y, epochs=1)


def test_a_correct_set_up_gives_no_warning():
    X, y = data.xor()
    model = Sequential(Dense(2, 4, rng=0), Tanh(), Dense(4, 1, rng=1), Sigmoid())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit(model, BinaryCrossEntropy(), SGD(model.parameters(), lr=0.1), X,
            y.reshape(-1, 1).astype(float), epochs=2)
        logits = Sequential(Dense(2, 4, rng=0), Tanh(), Dense(4, 1, rng=1))
        fit(logits, BinaryCrossEntropy(from_logits=True), SGD(logits.parameters(), lr=0.1), X,
            y.reshape(-1, 1).astype(float), epochs=2)
