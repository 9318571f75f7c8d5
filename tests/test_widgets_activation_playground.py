"""The activation playground (dlkit.widgets.playground) and the training function behind it.

Everything runs without a browser: the controls are ipywidgets objects, the Train button is pressed
with ``Button.click()``, and the figure lands in the Output widget's ``outputs`` as a PNG.
"""

from __future__ import annotations

import base64

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest

import dlkit
from dlkit.widgets import activation_playground as dw


@pytest.mark.parametrize("name", dw.PLAYGROUND_DATASETS)
def test_playground_data_shapes_and_determinism(name):
    X, y = dw.playground_data(name, rng=0)
    assert X.ndim == 2 and X.shape[1] == 2 and X.dtype == np.float64
    assert y.shape == (X.shape[0],) and y.dtype.kind == "i"
    assert set(np.unique(y)) == set(range(3 if name == "spirals" else 2))
    X2, y2 = dw.playground_data(name, rng=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_playground_data_rejects_unknown_name():
    with pytest.raises(ValueError, match="Unknown data set"):
        dw.playground_data("checkerboard")


def test_parse_widths():
    assert dw.parse_widths("8, 4") == (8, 4)
    assert dw.parse_widths(" 16 ") == (16,)
    assert dw.parse_widths("") == ()
    for bad in ["a, b", "8, 0", "1000"]:
        with pytest.raises(ValueError):
            dw.parse_widths(bad)

FAST = {"epochs": 60}


def test_train_playground_learns_and_is_deterministic():
    run = dw.train_playground("circles", (8,), "relu", lr=0.05, **FAST)
    assert isinstance(run.model, dlkit.Sequential)
    assert len(run.history.loss) == FAST["epochs"]
    assert run.history.loss[-1] < run.history.loss[0]
    assert run.accuracy > 0.9
    again = dw.train_playground("circles", (8,), "relu", lr=0.05, **FAST)
    assert again.loss == run.loss


def test_linear_network_cannot_solve_circles_but_relu_can():
    linear = dw.train_playground("circles", (8, 8), "identity", lr=0.05, **FAST)
    bent = dw.train_playground("circles", (8, 8), "relu", lr=0.05, **FAST)
    assert linear.accuracy < 0.7
    assert bent.accuracy > 0.9


def test_plot_playground_draws_boundary_and_loss():
    run = dw.train_playground("xor", (4,), "tanh", lr=0.05, **FAST)
    fig = dw.plot_playground(run, resolution=40)
    boundary, loss = fig.axes[:2]
    assert boundary.collections, "the decision boundary (contourf) and points are drawn"
    assert "xor" in boundary.get_title() and "tanh" in boundary.get_title()
    assert loss.get_xlabel() == "epoch"
    np.testing.assert_allclose(loss.lines[0].get_ydata(), run.history.loss)
    assert "accuracy" in loss.get_title()
    matplotlib.pyplot.close(fig)


def test_playground_has_expected_controls():
    pg = dw.playground(train_now=False)
    assert set(pg.controls) == {"dataset", "hidden", "activation", "lr", "epochs", "train"}
    assert isinstance(pg.controls["dataset"], widgets.Dropdown)
    assert tuple(pg.controls["dataset"].options) == dw.PLAYGROUND_DATASETS
    assert "relu" in pg.controls["activation"].options
    assert "identity" in pg.controls["activation"].options
    assert isinstance(pg.controls["hidden"], widgets.Text)
    assert isinstance(pg.controls["lr"], widgets.FloatLogSlider)
    assert isinstance(pg.controls["train"], widgets.Button)
    assert isinstance(pg.output, widgets.Output)
    assert pg.run is None and pg.output.outputs == ()
    assert isinstance(pg.widget, widgets.VBox)
    assert "application/vnd.jupyter.widget-view+json" in pg._repr_mimebundle_()


def test_train_button_updates_output_and_loss():
    pg = dw.playground("moons", (8,), "relu", lr=0.05, epochs=50, train_now=False)
    pg.controls["train"].click()
    assert pg.run is not None
    assert len(pg.output.outputs) == 1
    png = base64.b64decode(pg.output.outputs[0]["data"]["image/png"])
    assert png.startswith(b"\x89PNG")
    assert f"{pg.run.loss:.3f}" in pg.status.value
    assert not pg.controls["train"].disabled


def grid_predictions(run: dw.PlaygroundRun) -> np.ndarray:
    """The class the run's model predicts on a fixed 30 x 30 grid over [-1.5, 1.5]^2."""
    xs = np.linspace(-1.5, 1.5, 30)
    grid = np.array([[a, b] for a in xs for b in xs])
    return run.model.predict(grid).argmax(axis=1)


def test_changing_activation_changes_the_decision_boundary():
    pg = dw.playground("circles", (8, 8), "identity", lr=0.05, epochs=60)
    linear_run, linear_image = pg.run, pg.output.outputs[0]["data"]["image/png"]
    pg.controls["activation"].value = "relu"
    pg.controls["train"].click()
    assert pg.run is not linear_run
    assert pg.run.activation == "relu"
    assert pg.run.loss < linear_run.loss
    assert np.mean(grid_predictions(pg.run) != grid_predictions(linear_run)) > 0.1
    assert pg.output.outputs[0]["data"]["image/png"] != linear_image
    assert len(pg.output.outputs) == 1, "the old figure is replaced, not appended to"


def test_bad_widths_show_a_message_instead_of_raising():
    pg = dw.playground(train_now=False)
    pg.controls["hidden"].value = "eight"
    assert pg.train() is None
    assert "whole numbers" in pg.status.value
    assert pg.output.outputs == ()
