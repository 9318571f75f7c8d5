"""The static page of every figure widget (dlkit.widgets.static, FigureWidget.static_views): each
stored view is what the live widget draws for the same setting, and the HTML block holds them."""

from __future__ import annotations

import base64
import html
import itertools
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import dlkit.widgets as W  # noqa: E402
from dlkit.widgets import static  # noqa: E402
from dlkit.widgets.activation_playground import (  # noqa: E402
    playground_chart,
    playground_data,
    playground_points,
)
from dlkit.widgets.base import FigureWidget  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RNG = np.random.default_rng(0)
POINTS = RNG.normal(size=(12, 2))
LABELS = (POINTS.sum(axis=1) > 0).astype(int)


def bowl(w1, w2):
    return w1 ** 2 + 4 * w2 ** 2


def bowl_grad(point):
    return np.array([2 * point[0], 8 * point[1]])


# Each widget as a chapter makes it, with a smaller grid where its own one is slow to draw here
# (the chapters' grids are checked without drawing in test_the_chapters_grids_are_bounded).
WIDGETS = {
    "neuron": lambda: W.neuron_playground(POINTS, LABELS),
    "network": lambda: W.network_builder(64, 10, hidden_layers=1, width=16),
    "loss": lambda: W.loss_explorer(p=0.7, label=1),
    "tangent": lambda: W.tangent_explorer(lambda w: (w - 0.3) ** 2, lambda w: 2 * (w - 0.3),
                                          (-2.5, 2.5), x0=0.5),
    "descent": lambda: W.descent_explorer(bowl, bowl_grad, [-2.5, 1.0], lr=0.05, steps=30,
                                          max_steps=100, xlim=(-3, 3), ylim=(-1.5, 1.5)),
    "playground": lambda: W.playground("xor", hidden=(4,), activation="tanh", lr=0.03, epochs=100),
    "mistakes": lambda: W.mistake_explorer(
        RNG.random((20, 64)), np.arange(20) % 10,
        {n: {"a": (np.arange(20) + n) % 10, "b": np.arange(20) % 10} for n in (10, 20, 40)}),
    "edges": lambda: W.edge_explorer(RNG.random((3, 64)), np.arange(3), angle=45, index=1),
}
SMALL_GRIDS = {
    "neuron": {"w1": (0.0, 1.0), "w2": (-1.0, 1.0), "b": (-0.5, 0.0)},
    "network": {"hidden_layers": (0, 1, 2), "width": (4, 16)},
    "descent": {"lr": (0.05, 0.25), "steps": (10, 30)},
    "playground": {"dataset": ("xor", "moons"), "activation": ("tanh",), "epochs": (50,)},
    "edges": {"angle": (0, 45, 90)},
}


def make(name: str) -> FigureWidget:
    widget = WIDGETS[name]()
    widget.static_values = {**widget.static_values, **SMALL_GRIDS.get(name, {})}
    return widget


def live_view(widget: FigureWidget, settings: dict) -> tuple[str | None, str]:
    """Set the controls as a reader would (pressing the button of an action widget) and return
    what the widget then shows: (PNG base64 or None, status HTML)."""
    for name, value in settings.items():
        widget.controls[name].value = value
    if widget.static_action is not None:
        widget.controls[widget.static_action[0]].click()
    if widget.static_render == "chart":  # the static page draws the run's numbers
        return playground_chart(widget.run), widget.status.value
    shown = widget.output.outputs
    return (shown[0]["data"]["image/png"] if shown else None), widget.status.value


def combos_position(data: dict, indices: dict) -> int:
    """Where the view of these control indices (name → index) is, found the way the book's
    script finds it (row-major over the non-button controls)."""
    position = 0
    for control in data["controls"]:
        if control["kind"] != "button":
            position = position * len(control["labels"]) + indices[control["name"]]
    return position


def stored_view(data: dict, indices: dict) -> tuple[str | None, str]:
    """The view the data block holds for these control indices (name → index)."""
    image, text = data["views"][combos_position(data, indices)]
    return (None if image is None else data["images"][image]), data["texts"][text]


@pytest.fixture(autouse=True)
def no_figures_left():
    yield
    assert plt.get_fignums() == []


@pytest.mark.slow  # draws every view of every widget's grid (a minute in all)
@pytest.mark.parametrize("name", list(WIDGETS))
def test_stored_views_are_what_the_live_widget_draws(name):
    widget = make(name)
    first = live_view(widget, {})
    data = widget.static_views()
    controls = [c for c in widget.static_controls() if c.kind != "button"]
    assert len(data["views"]) == static.grid_size(controls) and all(data["views"])
    # The widget shows its first view again, and that is the stored first view.
    assert live_view(widget, {}) == first
    first_indices = {c.name: c.index for c in controls}
    assert stored_view(data, first_indices) == first
    assert data["views"][data["first"]] == data["views"][combos_position(data, first_indices)]
    # A sample of settings (every one on a small grid), in a scrambled order, then back.
    combos = list(itertools.product(*(range(len(c.values)) for c in controls)))
    sample = [combos[i] for i in np.random.default_rng(1).permutation(len(combos))[:4]]
    for combo in [*sample, tuple(first_indices.values())]:
        settings = {c.name: c.values[i] for c, i in zip(controls, combo, strict=True)}
        indices = {c.name: i for c, i in zip(controls, combo, strict=True)}
        assert stored_view(data, indices) == live_view(widget, settings), settings
    assert live_view(widget, {}) == first


def test_different_settings_give_different_views():
    data = make("loss").static_views()
    assert len(set(map(tuple, data["views"]))) == len(data["views"]) == 14
    assert len(data["images"]) == 14 and len(data["texts"]) == 14


@pytest.mark.parametrize("name", list(WIDGETS))
def test_the_chapters_grids_are_bounded(name):
    """The grids the widgets offer by default (what the chapters get) stay small, and every
    control with a value offers the current one."""
    widget = WIDGETS[name]()
    controls = widget.static_controls()
    # A view drawn as a PNG weighs about 40 KB, one drawn from numbers by the page about 3 KB.
    assert 2 <= static.grid_size(controls) <= (60 if widget.static_render == "png" else 216)
    for control in controls:
        if control.kind == "button":
            continue
        current = widget.controls[control.name].value
        assert control.values[control.index] == pytest.approx(current)
        assert len(control.labels) == len(control.values)


def test_default_grid_of_a_slider_is_spread_over_its_range_and_holds_the_value():
    slider = widgets.FloatSlider(value=0.4, min=-1.0, max=1.0, step=0.05, readout_format=".2f")
    control = static.static_control("x", slider)
    assert control.values[0] == -1.0 and control.values[-1] == 1.0
    assert len(control.values) == static.DEFAULT_SLIDER_VALUES + 1  # + the current 0.4
    assert control.labels[control.index] == "0.40"
    log = widgets.FloatLogSlider(value=0.03, base=10, min=-3, max=0, step=0.25)
    assert static.static_control("lr", log, (0.001, 0.1, 5.0)).values == [0.001, 0.03, 0.1]


def test_too_many_views_is_a_clear_error():
    widget = make("neuron")
    widget.static_values = {"w1": np.arange(-3, 3.01, 0.5), "w2": np.arange(-3, 3.01, 0.5)}
    with pytest.raises(ValueError, match=r"would need \d+ views .*give fewer values"):
        widget.static_views()


def test_static_values_must_name_controls():
    class Counter(FigureWidget):
        def draw(self):
            fig, _ = plt.subplots()
            self.show_figure(fig, "<counter>")

    with pytest.raises(ValueError, match="not controls of this widget"):
        Counter({"n": widgets.IntSlider()}, static_values={"m": (1, 2)})


def test_html_block_has_named_controls_the_first_view_and_the_data():
    widget = make("loss")
    page = widget._repr_mimebundle_()["text/html"]
    data = json.loads(re.search(r'class="dlkit-widget-data">(.*?)</script>', page, re.S)
                      .group(1).replace("<\\/", "</"))
    assert data == json.loads(json.dumps(widget.static_views()))
    slider = re.search(r'<label for="([^"]+)">p\(&quot;yes&quot;\)</label><input type="range"'
                       r' id="\1" min="0" max="6" step="1" value="4" aria-valuetext="0.70"', page)
    assert slider, page[:600]
    assert '<legend>true answer</legend>' in page and page.count('type="radio"') == 2
    first_png = stored_view(data, {"p": 4, "label": 0})[0]
    assert f'src="data:image/png;base64,{first_png}"' in page
    assert "disabled" in page  # until the book's script enables the controls
    text = html.unescape(re.search(r'<div class="dlkit-status"[^>]*>(.*?)</div>', page).group(1))
    assert "cross-entropy" in text


def test_the_live_widget_still_displays_as_the_ipywidget():
    widget = make("loss")
    bundle = widget._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == widget.widget.model_id


def test_a_script_end_in_the_data_cannot_close_the_block():
    data = {"controls": [], "views": [[None, 0]], "first": 0, "images": [],
            "texts": ["</script><b>x</b>"], "figure": "f", "action": None, "format": 1}
    page = static.static_html(data)
    assert page.count("</script>") == 2  # the data block's own end, and the status line's text
    block = page.split('class="dlkit-widget-data">')[1]
    assert block.count("</script>") == 1


def test_a_progress_bar_is_shown_as_its_final_state():
    from static_widgets import progress_text

    def model(name, **state):
        return {"model_name": name, "state": state}

    state = {"box": model("HBoxModel", children=["IPY_MODEL_l", "IPY_MODEL_b", "IPY_MODEL_r"]),
             "l": model("HTMLModel", value="training:\u2007100%"),
             "b": model("FloatProgressModel", value=30.0, max=30.0),
             "r": model("HTMLModel", value="\u200730/30\u2007[00:00&lt;00:00]")}
    assert progress_text("box", state) == "training: 100%|██████████| 30/30 [00:00<00:00]"
    state["b"]["state"]["value"] = 15.0
    assert "|█████     |" in progress_text("box", state)
    state["box"]["model_name"] = "VBoxModel"
    assert progress_text("box", state) is None


def test_the_site_keeps_each_view_image_as_a_file(tmp_path):
    from static_widgets import IMAGES, image_name, move_images_out
    widget = make("loss")
    block = widget._repr_mimebundle_()["text/html"]
    data = widget.static_views()
    moved = move_images_out(block, tmp_path, "../")
    assert "data:image/png" not in moved and moved.endswith("</script></div>")
    assert moved.count("</script>") == 1
    shown = json.loads(re.search(r'class="dlkit-widget-data">(.*?)</script>', moved, re.S)
                       .group(1).replace("<\\/", "</"))
    assert shown["image_base"] == f"../{IMAGES}/"
    assert shown["views"] == data["views"] and shown["texts"] == data["texts"]
    for name, image in zip(shown["images"], data["images"], strict=True):
        assert name == image_name(image)
        assert (tmp_path / IMAGES / name).read_bytes() == base64.b64decode(image)
    first = data["images"][data["views"][data["first"]][0]]
    assert f'src="../{IMAGES}/{image_name(first)}"' in moved


def test_the_playground_replay_frames_are_the_start_of_one_run():
    """Train replays the run at fewer epochs first: with the same seed that is the same training,
    stopped earlier (so each frame is a state the chosen run went through)."""
    short = W.train_playground("xor", hidden=(4,), activation="tanh", lr=0.03, epochs=20)
    long = W.train_playground("xor", hidden=(4,), activation="tanh", lr=0.03, epochs=50)
    assert np.array_equal(short.history.loss, long.history.loss[:20])


def test_run_lengths_store_a_row_of_cells_compactly():
    assert static.run_lengths([3, 3, 0, 0, 1]) == [3, 2, 0, 2, 1, 1]
    assert static.run_lengths([]) == []
    row = np.random.default_rng(0).integers(0, 3, size=50)
    runs = static.run_lengths(row)
    assert np.repeat(runs[0::2], runs[1::2]).tolist() == row.tolist()


def test_a_playground_chart_holds_what_the_run_predicts_and_its_loss():
    from dlkit.plots.boundaries import plane_grid

    run = W.train_playground("moons", hidden=(8,), activation="tanh", lr=0.03, epochs=40)
    chart = playground_chart(run, cells=30)
    xx, yy, grid = plane_grid(run.X, resolution=30, padding=0.5)
    predicted = run.model.predict(grid).argmax(axis=1).reshape(30, 30)
    region = np.array([np.repeat(row[0::2], row[1::2]) for row in chart["region"]])
    np.testing.assert_array_equal(region, predicted)  # bottom row (smallest x2) first
    np.testing.assert_allclose(chart["extent"], [xx.min(), xx.max(), yy.min(), yy.max()],
                               atol=1e-6)
    np.testing.assert_allclose(chart["loss"], run.history.loss, rtol=1e-3)
    assert chart["dataset"] == "moons" and "tanh" in chart["titles"][0]
    assert f"{run.loss:.3f}" in chart["titles"][1]
    json.dumps(chart)  # plain numbers and strings, for the page


def test_playground_points_are_the_data_sets_of_the_charts():
    shared = playground_points(("xor", "spirals"))
    X, y = playground_data("spirals", rng=0)
    points = np.array(shared["points"]["spirals"])
    np.testing.assert_allclose(points[:, :2], X, atol=5e-4)
    np.testing.assert_array_equal(points[:, 2], y)
    assert len(shared["colors"]) >= 3 and shared["markers"][0] == "o"


def test_the_chapters_playground_offers_every_control_on_the_static_page():
    """Every control of the activations chapter's playground changes the view without a kernel,
    and its views (drawn from numbers) stay light."""
    path = Path(__file__).resolve().parent.parent / "chapters" / "08_activations.ipynb"
    blocks = [block for cell in json.loads(path.read_text())["cells"]
              for output in cell.get("outputs", [])
              for block in re.findall(r'class="dlkit-widget-data">(.*?)</script>',
                                      "".join(output.get("data", {}).get("text/html", "")), re.S)]
    charts = [json.loads(block.replace("<\\/", "</")) for block in blocks]
    charts = [data for data in charts if data.get("render") == "chart"]
    assert len(charts) == 1
    data = charts[0]
    for control in data["controls"]:
        if control["kind"] != "button":
            assert len(control["labels"]) >= 2, control["label"]
    assert all(view is not None for view in data["views"])
    assert len(json.dumps(data)) < 1_000_000
