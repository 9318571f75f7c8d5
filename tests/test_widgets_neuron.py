"""dlkit.widgets.neuron: the neuron playground (driven without a browser)."""

from __future__ import annotations

import base64

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlkit import Neuron
from dlkit.widgets.neuron import NeuronPlayground, neuron_playground


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0.0, 0.45, (12, 2)), rng.normal(2.0, 0.45, (12, 2))])
    y = np.repeat([0, 1], 12)
    return X, y


def _png(playground: NeuronPlayground) -> bytes:
    (output,) = playground.output.outputs
    return base64.b64decode(output["data"]["image/png"])


def test_neuron_playground_has_three_sliders_and_a_first_view(blobs):
    X, y = blobs
    playground = neuron_playground(X, y, w1=1.0, w2=1.0, b=0.0)
    assert list(playground.controls) == ["w1", "w2", "b"]
    assert [c.description for c in playground.controls.values()] == ["w1", "w2", "b"]
    assert _png(playground).startswith(b"\x89PNG")
    assert playground.correct == int(np.sum(Neuron([1, 1], 0)(X) == y))
    assert f"{playground.correct} of 24" in playground.status.value
    assert playground.widget.children[-1] is playground.output
    assert plt.get_fignums() == []  # the figure is closed after drawing, nothing leaks


def test_moving_a_slider_redraws_the_neuron(blobs):
    X, y = blobs
    playground = neuron_playground(X, y, w1=1.0, w2=1.0, b=0.0)
    before = _png(playground)
    playground.controls["b"].value = -2.0
    assert playground.neuron.bias == -2.0
    assert playground.correct == 24
    assert "24 of 24" in playground.status.value
    assert _png(playground) != before
    playground.controls["w1"].value = 3.0
    np.testing.assert_allclose(playground.neuron.weights, [3.0, 1.0])
    assert playground.correct == int(np.sum(Neuron([3, 1], -2)(X) == y))


def test_neuron_playground_without_labels_and_bad_shapes(blobs):
    X, _ = blobs
    playground = neuron_playground(X)
    assert playground.correct is None and "fires where" in playground.status.value
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        NeuronPlayground(np.zeros((5, 3)))
