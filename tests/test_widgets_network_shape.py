"""dlkit.widgets.network_shape: layer sizes, parameter counts and the network builder (driven
without a browser)."""

from __future__ import annotations

import pytest

from dlkit.layers import Dense
from dlkit.widgets import count_parameters, layer_sizes, network_builder


def test_layer_sizes_and_parameter_count():
    assert layer_sizes(64, 2, 16, 10) == [64, 16, 16, 10]
    assert layer_sizes(2, 0, 5, 1) == [2, 1]
    assert count_parameters([2, 3, 2]) == (12, 5)
    assert count_parameters([64, 16, 16, 10]) == (64 * 16 + 16 * 16 + 16 * 10, 16 + 16 + 10)
    with pytest.raises(ValueError):
        layer_sizes(2, -1, 3, 1)


def test_builder_has_two_sliders_and_draws_a_first_view():
    builder = network_builder(4, 3, hidden_layers=1, width=5)
    assert set(builder.controls) == {"hidden_layers", "width"}
    assert builder.controls["hidden_layers"].value == 1
    assert builder.controls["width"].value == 5
    dense = [layer for layer in builder.model.layers if isinstance(layer, Dense)]
    assert [(d.in_features, d.out_features) for d in dense] == [(4, 5), (5, 3)]
    assert "4 → 5 → 3" in builder.status.value
    assert f"{builder.model.num_parameters:,} parameters" in builder.status.value
    (first,) = builder.output.outputs
    assert "image/png" in first["data"]


def test_moving_a_slider_rebuilds_the_network_and_the_count():
    builder = network_builder(64, 10, hidden_layers=1, width=16)
    before_png = builder.output.outputs[0]["data"]["image/png"]
    builder.controls["hidden_layers"].value = 3
    assert [d.out_features for d in builder.model.layers if isinstance(d, Dense)] == [16, 16, 16, 10]
    assert "64 → 16 → 16 → 16 → 10" in builder.status.value
    total = 64 * 16 + 16 + 2 * (16 * 16 + 16) + 16 * 10 + 10
    assert builder.model.num_parameters == total
    assert f"{total:,} parameters" in builder.status.value
    builder.controls["width"].value = 2
    assert builder.model.num_parameters == 64 * 2 + 2 + 2 * (2 * 2 + 2) + 2 * 10 + 10
    assert builder.output.outputs[0]["data"]["image/png"] != before_png
