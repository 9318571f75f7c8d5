"""The tangent explorer (chapter "Backpropagation: sending the error backward").

One slider moves a weight along a loss curve; the tangent line at that point has the gradient as
its slope, and a status line says which way to turn the knob. The drawing is
dlkit.plots.plot_tangent, which the chapter also calls directly for its static grid.
"""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import numpy as np

from dlkit.widgets.base import FigureWidget


class TangentExplorer(FigureWidget):
    """The widget behind :func:`tangent_explorer`.

    Attributes:
        controls: dict with one ``FloatSlider``, ``"x"``: where on the curve the tangent touches.
        output: an ``ipywidgets.Output`` holding the figure of the curve and its tangent (a PNG image).
        status: an ``ipywidgets.HTML`` line: the value and the gradient there, and which way to turn.
        slope: the gradient ``df(x)`` at the current slider value (None before the first draw).
        widget: the whole layout (a ``VBox``); a TangentExplorer displays as this widget.
    """

    def __init__(self, f, df, x_range: tuple[float, float], *, x0: float | None = None,
                 step: float = 0.05, xlabel: str = "w", ylabel: str = "loss",
                 title: str | None = None) -> None:
        import ipywidgets as widgets

        self.f, self.df = f, df
        self.x_range = (float(x_range[0]), float(x_range[1]))
        if not self.x_range[0] < self.x_range[1]:
            raise ValueError(f"x_range must be (low, high) with low < high, got {x_range}.")
        self.xlabel, self.ylabel, self.title = xlabel, ylabel, title
        start = sum(self.x_range) / 2 if x0 is None else float(x0)
        controls = {
            "x": widgets.FloatSlider(value=start, min=self.x_range[0], max=self.x_range[1],
                                     step=step, description=xlabel, readout_format=".2f",
                                     continuous_update=False),
        }
        # The static page's slider: 11 points evenly over x_range (and the start).
        super().__init__(controls, static_values={"x": np.linspace(*self.x_range, 11).round(6)})
        self.slope: float | None = None

    def draw(self) -> float:
        """Draw the curve and the tangent at the slider's value; return the slope there."""
        from dlkit.plots import plot_tangent

        x0 = round(float(self.controls["x"].value), 6)
        slope = float(self.df(x0))
        value = float(np.asarray(self.f(np.array([x0])))[0])
        if abs(slope) < 1e-3:
            advice = "flat: this is the bottom, leave it"
        elif slope > 0:
            advice = f"positive: turn {html.escape(self.xlabel)} <b>down</b>"
        else:
            advice = f"negative: turn {html.escape(self.xlabel)} <b>up</b>"
        self.status.value = (f"{html.escape(self.xlabel)} = {x0:.2f}: {html.escape(self.ylabel)} "
                             f"{value:.4f}, gradient {slope:+.4f}, {advice}")
        fig, ax = plt.subplots(figsize=(6, 3.8))
        plot_tangent(self.f, self.df, x0, self.x_range, ax=ax, xlabel=self.xlabel,
                     ylabel=self.ylabel, title=self.title)
        fig.tight_layout()
        self.show_figure(fig, "<tangent figure>")
        self.slope = slope
        return slope


def tangent_explorer(f, df, x_range: tuple[float, float], **options) -> TangentExplorer:
    """A slider that moves a point along the curve ``f`` and draws the tangent line there.

    Args:
        f: the curve, vectorised: an array ``(n,)`` of knob values → ``(n,)`` values (e.g. the loss
            as a function of one weight).
        df: its derivative (the gradient), a float → a float.
        x_range: ``(low, high)``, the slider's range and the plot's horizontal axis.
        options: passed to :class:`TangentExplorer` (``x0`` the start, ``step``, ``xlabel``,
            ``ylabel``, ``title``).

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`TangentExplorer` as the last line of a cell.
    """
    explorer = TangentExplorer(f, df, x_range, **options)
    explorer.draw()
    return explorer
