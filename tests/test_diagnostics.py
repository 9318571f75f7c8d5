"""Per-layer activations and their statistics (dlkit.diagnostics), and their histogram figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dlkit import Dense, Dropout, ReLU, Sequential, Sigmoid, Tanh  # noqa: E402
from dlkit.diagnostics import activation_stats, layer_stats, record_activations  # noqa: E402
from dlkit.plots import plot_activation_histograms  # noqa: E402


def test_records_every_layers_output_in_order():
    X = np.random.default_rng(0).normal(size=(6, 3))
    model = Sequential(Dense(3, 4, rng=0), ReLU(), Dense(4, 2, rng=1))
    records = record_activations(model, X)
    assert [name for name, _ in records] == ["0: Dense(3 → 4)", "1: ReLU()", "2: Dense(4 → 2)"]
    first = X @ model[0].weight.data + model[0].bias.data
    np.testing.assert_allclose(records[0][1], first)
    np.testing.assert_allclose(records[1][1], np.maximum(first, 0))
    np.testing.assert_allclose(records[2][1], model.predict(X))


def test_inference_by_default_training_on_request():
    X = np.ones((50, 10))
    model = Sequential(Dropout(0.5, rng=0))
    np.testing.assert_array_equal(record_activations(model, X)[0][1], X)
    assert np.mean(record_activations(model, X, training=True)[0][1] == 0) > 0.3


def test_a_single_layer_is_recorded_too():
    records = record_activations(Tanh(), np.zeros((2, 2)))
    assert records[0][0] == "0: Tanh()"
    with pytest.raises(TypeError, match="expects a model or layer"):
        record_activations("model", np.zeros((2, 2)))


def test_stats_by_hand():
    out = np.array([[0.0, 2.0, 0.0], [0.0, 4.0, 3.0]])
    s = layer_stats("x", out)
    assert s.mean == pytest.approx(1.5)
    assert s.std == pytest.approx(np.std(out))
    assert s.zero_fraction == pytest.approx(3 / 6)
    assert s.dead_fraction == pytest.approx(1 / 3)  # only the first unit is 0 for both samples
    assert s.saturated_fraction is None


def test_saturation_for_tanh_and_sigmoid():
    out = np.array([[0.995, -0.999, 0.5, 0.0]])
    assert layer_stats("t", out, Tanh()).saturated_fraction == pytest.approx(0.5)
    out = np.array([[0.01, 0.99, 0.5, 0.97]])
    assert layer_stats("s", out, Sigmoid()).saturated_fraction == pytest.approx(0.5)
    assert layer_stats("r", out, ReLU()).saturated_fraction is None


def test_deep_tanh_network_with_std_one_saturates_and_he_relu_keeps_its_spread():
    X = np.random.default_rng(0).normal(size=(200, 64))
    big = Sequential(*[m for _ in range(6) for m in (Dense(64, 64, init="normal", rng=0), Tanh())])
    last_tanh = activation_stats(big, X)[-1]
    assert last_tanh.saturated_fraction > 0.5
    he = Sequential(*[m for _ in range(6) for m in (Dense(64, 64, init="he", rng=0), ReLU())])
    stds = [s.std for s in activation_stats(he, X)[1::2]]
    assert 0.3 < stds[-1] / stds[0] < 3


def test_stats_table_lists_every_layer():
    X = np.random.default_rng(0).normal(size=(20, 3))
    model = Sequential(Dense(3, 4, rng=0), Tanh(), Dense(4, 2, rng=1))
    stats = activation_stats(model, X)
    assert len(stats) == 3
    text = repr(stats)
    assert text.splitlines()[0].split() == ["layer", "mean", "std", "zero", "dead", "saturated"]
    assert "1: Tanh()" in text and len(text.splitlines()) == 5


def test_histograms_draw_one_panel_per_record():
    X = np.random.default_rng(0).normal(size=(30, 3))
    model = Sequential(Dense(3, 4, rng=0), ReLU(), Dense(4, 2, rng=1))
    records = record_activations(model, X)
    axes = plot_activation_histograms(records, value_range=(-3, 3), title="he")
    assert len(axes) == 3
    assert axes[1].get_title().startswith("1: ReLU()")
    heights = [patch.get_height() for patch in axes[1].patches]
    assert sum(heights) == pytest.approx(1.0)  # shares of values, clipped values included
    plt.close("all")


def test_histogram_titles_give_the_spread_before_clipping():
    out = np.array([[0.0, 10.0, 20.0, 30.0]])
    axes = plot_activation_histograms([("big", out)], value_range=(0, 4))
    assert axes[0].get_title() == f"big\nstd {out.std():.2g}"
    plt.close("all")
