"""The loss explorer (chapter "Loss functions: how wrong was the model?").

A slider for the predicted probability of "yes" and buttons for the true answer; both losses of
that one prediction are shown as curves with the prediction marked, and as numbers. The drawing is
dlkit.plots.plot_loss_curves, which the chapter also calls directly for its static grid.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from dlkit.widgets.base import FigureWidget


class LossExplorer(FigureWidget):
    """The widget behind :func:`loss_explorer`.

    Attributes:
        controls: dict with a ``FloatSlider`` ``"p"`` (the predicted probability of "yes", 0.01 to
            0.99) and ``ToggleButtons`` ``"label"`` (the true answer, 1 for yes or 0 for no).
        output: an ``ipywidgets.Output`` holding the figure of both loss curves (a PNG image).
        status: an ``ipywidgets.HTML`` line with both loss values.
        losses: ``(squared error, cross-entropy)`` of the current prediction (None before the first
            draw).
        widget: the whole layout (a ``VBox``); a LossExplorer displays as this widget.
    """

    static_values = {"p": (0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99)}  # × 2 answers: 14 views

    def __init__(self, p: float = 0.7, label: int = 1) -> None:
        import ipywidgets as widgets

        if label not in (0, 1):
            raise ValueError(f"label must be 0 or 1, got {label!r}.")
        controls = {
            "p": widgets.FloatSlider(value=p, min=0.01, max=0.99, step=0.01,
                                     description='p("yes")', readout_format=".2f",
                                     continuous_update=False),
            "label": widgets.ToggleButtons(options=[("yes (1)", 1), ("no (0)", 0)], value=label,
                                           description="true answer"),
        }
        super().__init__(controls)
        self.losses: tuple[float, float] | None = None

    def draw(self) -> tuple[float, float]:
        """Draw both curves with the current prediction marked; return its two losses."""
        from dlkit.plots import binary_losses, plot_loss_curves

        p = round(float(self.controls["p"].value), 6)
        label = int(self.controls["label"].value)
        mse, ce = (float(value) for value in binary_losses(p, label))
        answer = "yes" if label == 1 else "no"
        self.status.value = (f'p("yes") = {p:.2f}, true answer {answer}: squared error '
                             f"<b>{mse:.4f}</b>, cross-entropy <b>{ce:.4f}</b>")
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
        plot_loss_curves(label, [p], axes=axes)
        fig.tight_layout()
        self.show_figure(fig, "<loss curves figure>")
        self.losses = (mse, ce)
        return self.losses


def loss_explorer(p: float = 0.7, label: int = 1) -> LossExplorer:
    """A slider for a predicted probability of "yes" and buttons for the true answer, showing the
    squared error and the cross-entropy of that one prediction as curves and numbers.

    Args:
        p: the starting probability of "yes" (the slider runs from 0.01 to 0.99).
        label: the starting true answer, 1 (yes) or 0 (no).

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`LossExplorer` as the last line of a cell.
    """
    explorer = LossExplorer(p, label)
    explorer.draw()
    return explorer
