"""The neuron playground (chapter "The artificial neuron").

Three sliders, w1, w2 and b, and the decision boundary of one two-input step neuron over a small
data set, redrawn whenever a slider moves. The drawing is dlkit.plots.plot_neuron_boundary, which
the chapter also calls directly for its static grid of slider positions.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dlkit.widgets.base import FigureWidget


class NeuronPlayground(FigureWidget):
    """The widget behind :func:`neuron_playground`.

    Attributes:
        controls: dict of three ``FloatSlider``: ``"w1"``, ``"w2"`` and ``"b"``.
        output: an ``ipywidgets.Output`` holding the figure of the current neuron (a PNG image).
        status: an ``ipywidgets.HTML`` line: the rule the neuron applies and how many points it gets
            right.
        neuron: the current :class:`dlkit.Neuron` (None before the first draw).
        correct: how many points of ``X`` the current neuron labels as ``y`` says (None without ``y``).
        widget: the whole layout (a ``VBox``); a NeuronPlayground displays as this widget.
    """

    # The static page's grid (36 views): with w1 = w2 = 1, b = -1.5 is AND and b = -0.5 is OR.
    static_values = {"w1": (-1.0, 0.0, 1.0), "w2": (-1.0, 0.0, 1.0), "b": (-1.5, -0.5, 0.0, 0.5)}

    def __init__(self, X: np.ndarray, y: np.ndarray | None = None, *, w1: float = 1.0,
                 w2: float = 1.0, b: float = 0.0,
                 weight_range: tuple[float, float] = (-3.0, 3.0),
                 bias_range: tuple[float, float] = (-5.0, 5.0), step: float = 0.1) -> None:
        import ipywidgets as widgets

        self.X = np.asarray(X, dtype=np.float64)
        if self.X.ndim != 2 or self.X.shape[1] != 2:
            raise ValueError(f"The neuron playground needs points of shape (n, 2); got {self.X.shape}.")
        self.y = None if y is None else np.asarray(y).reshape(-1).astype(int)
        style = {"description_width": "30px"}

        def slider(value: float, bounds: tuple[float, float], name: str):
            return widgets.FloatSlider(value=value, min=bounds[0], max=bounds[1], step=step,
                                       description=name, readout_format=".1f",
                                       continuous_update=False, style=style)

        controls = {"w1": slider(w1, weight_range, "w1"), "w2": slider(w2, weight_range, "w2"),
                    "b": slider(b, bias_range, "b")}
        super().__init__(controls)
        self.neuron = None
        self.correct: int | None = None

    def draw(self):
        """Draw the neuron of the current slider values into ``output``; return that Neuron."""
        from dlkit.neuron import Neuron
        from dlkit.plots import plot_neuron_boundary

        w1, w2, b = (round(float(self.controls[name].value), 6) for name in ("w1", "w2", "b"))
        neuron = Neuron([w1, w2], b)
        fig, ax = plt.subplots(figsize=(5.2, 4.6))
        plot_neuron_boundary([w1, w2], b, self.X, self.y, ax=ax)
        fig.tight_layout()
        self.show_figure(fig, "<neuron figure>")
        rule = f"fires where {w1:g}·x<sub>1</sub> + {w2:g}·x<sub>2</sub> + {b:g} ≥ 0"
        if self.y is not None:
            self.correct = int(np.sum(neuron(self.X) == self.y))
            rule += f": <b>{self.correct} of {len(self.y)}</b> points right"
        self.status.value = f"The neuron {rule}."
        self.neuron = neuron
        return neuron


def neuron_playground(X: np.ndarray, y: np.ndarray | None = None, **options) -> NeuronPlayground:
    """Sliders for the two weights and the bias of one step neuron, and its decision boundary.

    Args:
        X: ``(n, 2)`` points to draw; y: ``(n,)`` their labels 0/1 (optional; with them the widget
            counts how many points the neuron gets right).
        options: passed to :class:`NeuronPlayground` (``w1``, ``w2``, ``b`` for the start,
            ``weight_range``, ``bias_range``, ``step``).

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`NeuronPlayground` as the last line of a cell.
    """
    playground = NeuronPlayground(X, y, **options)
    playground.draw()
    return playground
