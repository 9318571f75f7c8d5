"""The static page of a figure widget: every view over a grid of control values, as HTML.

A figure widget's view is a pure function of its control values. When the widget is displayed,
:meth:`FigureWidget.static_views <dlkit.widgets.base.FigureWidget.static_views>` draws it (with
its own ``draw``) for every combination of a few values per control, and :func:`static_html`
writes those views, the controls and their values into one HTML block. The book's script
(``book/_ext/static/dlkit_widgets.js``) makes those controls switch between the saved views, so
the widget works on a page with no kernel, online or offline. A live notebook shows the ipywidget
instead and ignores this HTML.

Which values a control offers on the static page:

- a slider: the values given in the widget's ``static_values`` for it (those inside its range),
  or else up to :data:`DEFAULT_SLIDER_VALUES` values spread evenly over its range (on its step
  grid);
- a drop-down, toggle buttons or a selection slider: every option;
- a text box: its value plus the ones in ``static_values``;
- a button: none (it is the widget's ``static_action``: pressing it replays a process).

The current value of every control is always on the grid, so the first view is the one the
notebook shows.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_SLIDER_VALUES = 7
# More views than this make a page heavy and a chapter slow to execute: declare fewer values.
MAX_VIEWS = 200
FORMAT = 1  # version of the data block the book's script reads


@dataclass
class StaticControl:
    """One control on the static page: its kind, label and the values it offers.

    Attributes:
        name: the key in the widget's ``controls``.
        kind: ``"range"`` (a slider over ``values``), ``"select"`` (a drop-down), ``"radio"``
            (toggle buttons) or ``"button"``.
        label: what the control is called (its ``description``).
        values: the Python values it takes, in order (empty for a button).
        labels: how each value is shown.
        index: the position of the control's current value in ``values``.
    """

    name: str
    kind: str
    label: str
    values: list
    labels: list[str]
    index: int = 0


def _slider_values(control, declared: Sequence | None) -> list:
    """The grid of a numeric slider: ``declared``, or evenly spread values on its step grid."""
    import ipywidgets as widgets

    log = isinstance(control, widgets.FloatLogSlider)
    integer = isinstance(control, widgets.IntSlider)
    if declared is not None:
        # Values outside this slider's range are left out (a widget's defaults suit most ranges).
        low, high = (control.base ** control.min, control.base ** control.max) if log else \
            (control.min, control.max)
        values = [int(v) if integer else float(v) for v in declared
                  if low - 1e-12 <= v <= high + 1e-12]
    else:
        count = int(round((control.max - control.min) / control.step)) + 1
        positions = np.unique(np.round(np.linspace(0, count - 1, min(count, DEFAULT_SLIDER_VALUES))))
        exponents = [control.min + int(k) * control.step for k in positions]
        values = [control.base ** e if log else e for e in exponents]
        values = [int(round(v)) if integer else round(float(v), 10) for v in values]
    current = control.value
    if not any(np.isclose(v, current, rtol=1e-9, atol=1e-12) for v in values):
        values.append(current)
    return sorted(set(values))


def _format(control, value) -> str:
    fmt = getattr(control, "readout_format", "") or ""
    try:
        return format(value, fmt)
    except (TypeError, ValueError):
        return str(value)


def static_control(name: str, control, declared: Sequence | None = None) -> StaticControl | None:
    """The static form of one ipywidgets control (None for what is not a control, e.g. HTML)."""
    import ipywidgets as widgets

    label = control.description or name
    if isinstance(control, widgets.Button):
        return StaticControl(name, "button", label, [], [])
    if isinstance(control, (widgets.SelectionSlider, widgets.Dropdown, widgets.ToggleButtons,
                            widgets.RadioButtons)):
        values, labels = list(control._options_values), list(control._options_labels)
        if declared is not None:
            keep = [i for i, value in enumerate(values) if value in declared or value == control.value]
            values, labels = [values[i] for i in keep], [labels[i] for i in keep]
        kind = {widgets.SelectionSlider: "range", widgets.ToggleButtons: "radio",
                widgets.RadioButtons: "radio"}.get(type(control), "select")
        return StaticControl(name, kind, label, values, labels, values.index(control.value))
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider)):
        values = _slider_values(control, declared)
        index = int(np.argmin([abs(v - control.value) for v in values]))
        return StaticControl(name, "range", label, values, [_format(control, v) for v in values],
                             index)
    if isinstance(control, widgets.Text):
        values = [control.value, *(v for v in (declared or ()) if v != control.value)]
        return StaticControl(name, "select", label, values, [v or "(none)" for v in values])
    if isinstance(control, widgets.ValueWidget):
        raise TypeError(f"The static page cannot offer a {type(control).__name__} ({label!r}) yet: "
                        "use a slider, drop-down, toggle buttons, text box or button.")
    return None


def grid_size(controls: list[StaticControl]) -> int:
    """How many views the grid of these controls holds (buttons do not count)."""
    return int(np.prod([len(c.values) for c in controls if c.kind != "button"], dtype=np.int64))


def run_lengths(row: Sequence[int]) -> list[int]:
    """``[3, 3, 0, 0, 1]`` → ``[3, 2, 0, 2, 1, 1]``: each value, then how many times it repeats
    (a row of a chart's class cells, stored compactly)."""
    runs: list[int] = []
    for value in row:
        value = int(value)
        if runs and runs[-2] == value:
            runs[-1] += 1
        else:
            runs += [value, 1]
    return runs


def plain_text(markup: str) -> str:
    """``"<b>7</b> of 8"`` → ``"7 of 8"`` (for alt text)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _attrs(**attributes) -> str:
    return "".join(f' {key.rstrip("_").replace("_", "-")}="{html.escape(str(value), quote=True)}"'
                   for key, value in attributes.items() if value is not None and value is not False)


def _control_html(uid: str, number: int, control: StaticControl) -> str:
    """One control as plain HTML, disabled until the book's script enables it. A control with a
    single value on the static page stays disabled and says so."""
    cid = f"dlkit-{uid}-{number}"
    label = html.escape(control.label)
    if control.kind != "button" and len(control.labels) < 2:
        return (f'<div class="dlkit-control dlkit-fixed"><label for="{cid}">{label}</label>'
                f'<input type="text"{_attrs(id=cid, value=control.labels[0])} readonly disabled>'
                '<small>(change it in a live notebook)</small></div>')
    if control.kind == "button":
        return (f'<div class="dlkit-control"><button type="button"{_attrs(id=cid)} '
                f'data-control="{number}" disabled>{label}</button></div>')
    if control.kind == "range":
        shown = control.labels[control.index]
        return (f'<div class="dlkit-control dlkit-range"><label for="{cid}">{label}</label>'
                f'<input type="range"{_attrs(id=cid, min=0, max=len(control.labels) - 1, step=1)}'
                f'{_attrs(value=control.index, aria_valuetext=shown)} data-control="{number}" '
                f'disabled><output for="{cid}">{html.escape(shown)}</output></div>')
    if control.kind == "radio":
        options = "".join(
            f'<label><input type="radio"{_attrs(name=cid, value=i, checked=i == control.index)} '
            f'data-control="{number}" disabled> {html.escape(text)}</label>'
            for i, text in enumerate(control.labels))
        return (f'<fieldset class="dlkit-control dlkit-radio"><legend>{label}</legend>{options}'
                "</fieldset>")
    options = "".join(f'<option{_attrs(value=i, selected=i == control.index)}>{html.escape(text)}'
                      "</option>" for i, text in enumerate(control.labels))
    return (f'<div class="dlkit-control dlkit-select"><label for="{cid}">{label}</label>'
            f'<select{_attrs(id=cid)} data-control="{number}" disabled>{options}</select></div>')


def static_html(data: dict) -> str:
    """The HTML block of a widget's static page from its :meth:`static_views` data."""
    data = dict(data)
    # A chart widget's first view as a PNG, for a page where scripts do not run (the script draws
    # every view, the first one included, from the charts).
    fallback = data.pop("fallback", None)
    payload = json.dumps(data, separators=(",", ":"), sort_keys=True)
    uid = hashlib.sha1(payload.encode()).hexdigest()[:10]
    controls = [StaticControl(**{k: c[k] for k in ("name", "kind", "label", "labels", "index")},
                              values=[]) for c in data["controls"]]
    first = data["views"][data["first"]]
    image = data["images"][first[0]] if first and first[0] is not None else None
    if data.get("render") == "chart":
        image = fallback if image is not None else None
    text = data["texts"][first[1]] if first else ""
    alt = f"{data['figure']}: {plain_text(text)}"
    figure = (f'<img{_attrs(src=f"data:image/png;base64,{image}", alt=alt)}>' if image else "")
    count = len([view for view in data["views"] if view])
    made = "computed" if data.get("render") == "chart" else "drawn"
    script = payload.replace("</", "<\\/")  # a "</script>" in the data would end the block
    return (
        f'<div class="dlkit-widget"{_attrs(id=f"dlkit-{uid}")} data-dlkit-widget="{FORMAT}">'
        f'<div class="dlkit-controls">'
        + "".join(_control_html(uid, i, c) for i, c in enumerate(controls))
        + '</div>'
        f'<div class="dlkit-status" aria-live="polite">{text}</div>'
        f'<div class="dlkit-figure">{figure}</div>'
        f'<p class="dlkit-note">This widget works without Python: its controls step through '
        f'{count} views {made} when the notebook ran (they need JavaScript). In a live notebook '
        "(Binder, Colab or Jupyter) they take any value.</p>"
        f'<script type="application/json" class="dlkit-widget-data">'
        f"{script}</script></div>"
    )
