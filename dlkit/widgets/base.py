"""What every figure widget shares: controls, a status line, and one figure shown as a PNG image.

A widget subclasses :class:`FigureWidget`, builds its controls, and in its ``draw`` method makes a
matplotlib figure and hands it to :meth:`FigureWidget.show_figure`.
"""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt
from matplotlib.figure import Figure


class FigureWidget:
    """Controls, a status line and an Output holding one figure; displays as its ``widget``.

    Attributes:
        controls: dict of the ipywidgets controls, by name.
        output: an ``ipywidgets.Output`` holding the current figure (a PNG image).
        status: an ``ipywidgets.HTML`` line under the controls.
        widget: the whole layout (a ``VBox``); the object displays as this widget.
    """

    def __init__(self, controls: dict, *, status: str = "", redraw_on_change: bool = True) -> None:
        """``redraw_on_change``: call ``self.draw()`` whenever a control's value changes."""
        import ipywidgets as widgets

        self.controls = controls
        self.output = widgets.Output()
        self.status = widgets.HTML(value=status)
        if redraw_on_change:
            for control in self.controls.values():
                control.observe(lambda _change: self.draw(), names="value")
        self.widget = self._layout()

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

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
