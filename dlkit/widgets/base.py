"""What every figure widget shares: controls, a status line, and one figure shown as a PNG image.

A widget subclasses :class:`FigureWidget`, builds its controls, and in its ``draw`` method makes a
matplotlib figure of the current control values and hands it to :meth:`FigureWidget.show_figure`.

The same declaration gives the widget's static page (:mod:`dlkit.widgets.static`): displayed, a
FigureWidget also draws its views over a grid of control values (``static_values``) and ships them
as HTML, which the book turns into controls that work without a kernel. In a live notebook the
ipywidget is shown and behaves as always.
"""

from __future__ import annotations

import base64
import contextlib
import io
import itertools
import json
import os
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from dlkit.widgets import static


class FigureWidget:
    """Controls, a status line and an Output holding one figure; displays as its ``widget``.

    Attributes:
        controls: dict of the ipywidgets controls, by name.
        output: an ``ipywidgets.Output`` holding the current figure (a PNG image).
        status: an ``ipywidgets.HTML`` line under the controls.
        widget: the whole layout (a ``VBox``); the object displays as this widget.
        static_values: control name → the values that control offers on the static page (see
            :mod:`dlkit.widgets.static` for the defaults). A subclass sets it as a class
            attribute; an instance may be given its own.
        static_action: ``(button, replay)`` for a widget whose button runs a process (None for
            the others): on the static page, pressing the control ``button`` steps through the
            views of the control ``replay`` up to its value (a training replayed epoch by epoch),
            and the other controls change nothing until it is pressed, as in the live widget.
        static_render: ``"png"`` (the static page shows the PNGs ``draw`` makes) or ``"chart"``
            (it shows the numbers :meth:`static_chart` returns, drawn by the book's script as an
            SVG: for a widget whose figure is slow to draw but is only points, cells and lines).
    """

    static_values: dict[str, Sequence] = {}
    static_action: tuple[str, str] | None = None
    static_render: str = "png"
    max_static_views: int = static.MAX_VIEWS

    def __init__(self, controls: dict, *, status: str = "", redraw_on_change: bool = True,
                 static_values: dict[str, Sequence] | None = None) -> None:
        """``redraw_on_change``: call ``self.draw()`` whenever a control's value changes.
        ``static_values``: overrides the class's ``static_values`` for some controls."""
        import ipywidgets as widgets

        self.controls = controls
        self.output = widgets.Output()
        self.status = widgets.HTML(value=status)
        self.static_values = {**type(self).static_values, **(static_values or {})}
        unknown = set(self.static_values) - set(self.controls)
        if unknown:
            raise ValueError(f"static_values names {sorted(unknown)}, which are not controls of this "
                             f"widget ({sorted(self.controls)}).")
        self._muted = False
        if redraw_on_change:
            for control in self.controls.values():
                control.observe(lambda _change: self._muted or self.draw(), names="value")
        self.widget = self._layout()

    def draw(self):
        """Draw the view of the current control values: a figure into ``output`` (with
        :meth:`show_figure`) and a line into ``status``. Every widget implements it."""
        raise NotImplementedError(f"{type(self).__name__} must implement draw().")

    def _layout(self):
        """The controls in a row, the status line under them, the figure at the bottom."""
        import ipywidgets as widgets

        controls = list(self.controls.values())
        row = controls[0] if len(controls) == 1 else widgets.HBox(controls)
        return widgets.VBox([row, self.status, self.output])

    def show_figure(self, fig: Figure, text: str) -> None:
        """Show ``fig`` in ``output`` as a PNG (80 dpi) and close it; ``text`` is its plain-text form."""
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        plt.close(fig)
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.output.outputs = ({"output_type": "display_data",
                                "data": {"image/png": png, "text/plain": text},
                                "metadata": {}},)

    def static_chart(self) -> tuple[dict | None, str]:
        """For ``static_render = "chart"``: the view of the current control values as numbers for
        the book's script to draw (None when there is nothing to draw) and its status line."""
        raise NotImplementedError(f"{type(self).__name__} must implement static_chart() to use "
                                  'static_render = "chart".')

    def static_shared(self) -> dict:
        """For ``static_render = "chart"``: what every chart of the grid refers to (drawn once)."""
        return {}

    # -----------------------------------------------------------------------------------------
    # The static page

    def static_controls(self) -> list[static.StaticControl]:
        """Every control as the static page offers it (its grid of values), in layout order."""
        found = [static.static_control(name, control, self.static_values.get(name))
                 for name, control in self.controls.items()]
        return [control for control in found if control is not None]

    @contextlib.contextmanager
    def _setting_controls(self):
        """Set control values without redrawing; afterwards the values are as before."""
        saved = {name: control.value for name, control in self.controls.items()
                 if hasattr(control, "value")}
        self._muted = True
        try:
            yield
        finally:
            for name, value in saved.items():
                self.controls[name].value = value
            self._muted = False

    def view_at(self, settings: dict) -> tuple[str | None, str]:
        """``(PNG as base64 or None, status HTML)`` that ``draw`` shows for these control values
        (name → value; the others keep theirs). The controls are put back afterwards; the
        figure shown stays that of ``settings``. For ``static_render = "chart"`` the first item is
        the chart of :meth:`static_chart` as JSON, and the figure shown does not change."""
        with self._setting_controls():
            for name, value in settings.items():
                self.controls[name].value = value
            if self.static_render == "chart":
                chart, text = self.static_chart()
                return (None if chart is None else
                        json.dumps(chart, sort_keys=True, separators=(",", ":"))), text
            self.output.outputs = ()
            self.draw()
            shown = self.output.outputs
            image = shown[0]["data"].get("image/png") if shown else None
            return image, self.status.value

    def static_views(self) -> dict:
        """Draw every view of the static grid; the data block :func:`static.static_html` writes.

        Keys: ``controls`` (name, kind, label, labels and index of each), ``action`` (the button
        and replay control numbers, or None), ``views`` (one ``[image, text]`` pair of indices
        per combination of control values, row-major in control order, buttons left out),
        ``first`` (the position of the current combination), ``images`` (distinct PNGs,
        base64; for ``static_render = "chart"``, distinct charts), ``texts`` (distinct status
        lines), ``figure`` (what the figure shows) and ``render``; a chart widget adds ``shared``
        (:meth:`static_shared`) and ``fallback`` (the PNG shown where scripts do not run).
        Afterwards the widget shows its current view again.
        """
        controls = self.static_controls()
        axes = [c for c in controls if c.kind != "button"]
        total = static.grid_size(controls)
        if total > self.max_static_views:
            sizes = ", ".join(f"{c.name}: {len(c.values)}" for c in axes)
            raise ValueError(f"{type(self).__name__} would need {total} views on the static page "
                             f"({sizes} values), more than {self.max_static_views}: give fewer "
                             "values in static_values.")
        shape = [len(c.values) for c in axes]
        current = tuple(c.index for c in axes)
        # The current setting last, so the widget ends showing it (and its attributes match it).
        order = [combo for combo in itertools.product(*map(range, shape)) if combo != current]
        images: dict[str, int] = {}
        texts: dict[str, int] = {}
        views: list = [None] * total
        saved = (self.output.outputs, self.status.value)
        for combo in [*order, current]:
            image, text = self.view_at({c.name: c.values[i] for c, i in zip(axes, combo,
                                                                            strict=True)})
            views[_flat(combo, shape)] = [None if image is None else images.setdefault(image, len(images)),
                            texts.setdefault(text, len(texts))]
        if saved[0]:
            self.output.outputs, self.status.value = saved
        names = [c.name for c in controls]
        action = None
        if self.static_action is not None:
            button, replay = self.static_action
            action = {"button": names.index(button), "replay": names.index(replay)}
        figure = saved[0][0]["data"].get("text/plain", "figure") if saved[0] else "figure"
        data = {
            "format": static.FORMAT, "render": self.static_render,
            "controls": [{"name": c.name, "kind": c.kind, "label": c.label, "labels": c.labels,
                          "index": c.index} for c in controls],
            "action": action, "views": views, "first": _flat(current, shape),
            "images": list(images), "texts": list(texts), "figure": figure.strip("<>"),
        }
        if self.static_render == "chart":
            data["images"] = [json.loads(chart) for chart in images]
            data["shared"] = self.static_shared()
            data["fallback"] = saved[0][0]["data"].get("image/png") if saved[0] else None
        return data

    def _repr_mimebundle_(self, **kwargs):
        """The ipywidget (what a live notebook shows) and the static page (``text/html``).

        Drawing the static views takes a few seconds when the widget is displayed; with the
        environment variable ``DLKIT_STATIC_VIEWS=0`` a live session skips them (a notebook saved
        that way shows only the widget's first view in the book)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if os.environ.get("DLKIT_STATIC_VIEWS", "1").strip() == "0":
            return bundle
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = {**data, "text/html": static.static_html(self.static_views())}
        return (data, metadata) if isinstance(bundle, tuple) else data


def _flat(combo: Sequence[int], shape: Sequence[int]) -> int:
    """The row-major position of the index tuple ``combo`` in a grid of ``shape``."""
    position = 0
    for index, size in zip(combo, shape, strict=True):
        position = position * size + index
    return position
