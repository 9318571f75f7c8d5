"""The base of every figure widget, dlkit.widgets.FigureWidget (driven without a browser)."""

from __future__ import annotations

import base64

import ipywidgets as widgets
import matplotlib.pyplot as plt

from dlkit.widgets.base import FigureWidget

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Counter(FigureWidget):
    """The smallest figure widget: one slider, and a figure whose title is the slider's value."""

    def __init__(self, **options) -> None:
        super().__init__({"n": widgets.IntSlider(value=1)}, **options)
        self.draws = 0

    def draw(self) -> None:
        self.draws += 1
        fig, ax = plt.subplots()
        ax.set_title(str(self.controls["n"].value))
        self.show_figure(fig, "<counter figure>")


def test_show_figure_puts_one_png_into_output_and_closes_the_figure():
    counter = Counter()
    fig, _ = plt.subplots()
    counter.show_figure(fig, "<a figure>")
    (shown,) = counter.output.outputs
    assert shown["output_type"] == "display_data"
    assert shown["data"]["text/plain"] == "<a figure>"
    assert base64.b64decode(shown["data"]["image/png"]).startswith(PNG_SIGNATURE)
    assert not plt.fignum_exists(fig.number)
    counter.show_figure(plt.figure(), "<another>")
    assert len(counter.output.outputs) == 1  # replaced, not appended
    assert plt.get_fignums() == []


def test_moving_a_control_redraws_unless_told_not_to():
    counter = Counter()
    counter.controls["n"].value = 5
    assert counter.draws == 1
    assert counter.output.outputs[0]["data"]["text/plain"] == "<counter figure>"
    still = Counter(redraw_on_change=False)
    still.controls["n"].value = 5
    assert still.draws == 0 and still.output.outputs == ()


def test_layout_is_controls_then_status_then_figure():
    counter = Counter(status="hello")
    slider, status, output = counter.widget.children
    assert slider is counter.controls["n"]  # a single control stands alone
    assert status is counter.status and status.value == "hello"
    assert output is counter.output
    pair = FigureWidget({"a": widgets.IntSlider(), "b": widgets.IntSlider()})
    row = pair.widget.children[0]
    assert isinstance(row, widgets.HBox) and list(row.children) == list(pair.controls.values())


def test_displays_as_its_widget_plus_its_static_page():
    counter = Counter()
    counter.draw()
    bundle = counter._repr_mimebundle_()
    widget = counter.widget._repr_mimebundle_()
    assert {key: bundle[key] for key in widget} == widget  # a live notebook shows the ipywidget
    assert set(bundle) - set(widget) == {"text/html"}
    assert 'class="dlkit-widget"' in bundle["text/html"]  # the static page (dlkit.widgets.static)
    assert counter.controls["n"].value == 1 and counter.draws > 1


def test_static_views_can_be_switched_off_for_a_live_session(monkeypatch):
    counter = Counter()
    counter.draw()
    monkeypatch.setenv("DLKIT_STATIC_VIEWS", "0")
    draws = counter.draws
    assert counter._repr_mimebundle_() == counter.widget._repr_mimebundle_()
    assert counter.draws == draws
