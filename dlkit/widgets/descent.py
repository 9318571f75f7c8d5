"""The learning-rate explorer (chapter "Optimizers and the training loop").

Two sliders, the learning rate and the number of steps, and a gradient-descent path on a 2-D loss
surface that is redrawn whenever one of them moves. The numbers come from
dlkit.descent.gradient_descent_path, the drawing from dlkit.plots.plot_descent_paths.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dlkit.widgets.base import FigureWidget


class DescentExplorer(FigureWidget):
    """The widget behind :func:`descent_explorer`.

    Attributes:
        controls: dict of the sliders: ``"lr"`` (a ``FloatSlider``) and ``"steps"`` (an ``IntSlider``).
        output: an ``ipywidgets.Output`` holding the figure of the current path (a PNG image).
        status: an ``ipywidgets.HTML`` line: where the loss started and ended, or that it blew up.
        path: the current path, ``(k, 2)`` points (None before the first draw).
        widget: the whole layout (a ``VBox``); a DescentExplorer displays as this widget.
    """

    static_values = {"lr": (0.01, 0.05, 0.1, 0.15, 0.2, 0.25), "steps": (10, 30, 60)}  # 18 views

    def __init__(self, loss_fn, grad_fn, start, *, lr: float = 0.05,
                 lr_range: tuple[float, float] = (0.005, 0.25), lr_step: float = 0.005,
                 steps: int = 25, max_steps: int = 80,
                 xlim: tuple[float, float] = (-3.0, 3.0), ylim: tuple[float, float] = (-2.0, 2.0),
                 minimum: tuple[float, float] | None = (0.0, 0.0)) -> None:
        import ipywidgets as widgets

        self.loss_fn, self.grad_fn = loss_fn, grad_fn
        self.start = np.asarray(start, dtype=np.float64)
        self.xlim, self.ylim, self.minimum = xlim, ylim, minimum
        style = {"description_width": "110px"}
        controls = {
            "lr": widgets.FloatSlider(value=lr, min=lr_range[0], max=lr_range[1], step=lr_step,
                                      description="learning rate", readout_format=".3f",
                                      continuous_update=False, style=style),
            "steps": widgets.IntSlider(value=steps, min=1, max=max_steps, step=1,
                                       description="steps", continuous_update=False, style=style),
        }
        super().__init__(controls)
        self.path: np.ndarray | None = None

    def draw(self) -> np.ndarray:
        """Compute the path for the current slider values, show it, and return it ``(k, 2)``."""
        from dlkit.descent import gradient_descent_path
        from dlkit.plots import plot_descent_paths

        lr, steps = float(self.controls["lr"].value), int(self.controls["steps"].value)
        path = gradient_descent_path(self.grad_fn, self.start, lr, steps)
        first = float(self.loss_fn(*path[0]))
        last = float(self.loss_fn(*path[-1]))
        if len(path) < steps + 1 or last > 1e6 * max(first, 1e-12):
            verdict = "the steps overshoot further each time: <b>it diverges</b>"
        elif last > first:
            verdict = "the loss <b>grew</b>: the steps overshoot the valley"
        else:
            verdict = f"loss {first:.3g} → <b>{last:.3g}</b>"
        self.status.value = f"learning rate {lr:.3f}, {steps} steps: {verdict}"
        fig, ax = plt.subplots(figsize=(6.4, 4))
        plot_descent_paths(self.loss_fn, {f"lr = {lr:.3f}": path}, ax=ax, xlim=self.xlim,
                           ylim=self.ylim, minimum=self.minimum,
                           title=f"Gradient descent, learning rate {lr:.3f}, {steps} steps")
        fig.tight_layout()
        self.show_figure(fig, "<descent path figure>")
        self.path = path
        return path


def descent_explorer(loss_fn, grad_fn, start, **options) -> DescentExplorer:
    """A learning-rate slider and a steps slider that redraw a gradient-descent path.

    Args:
        loss_fn: the loss of two weights, vectorised: ``loss_fn(w1, w2)`` (arrays of one shape in,
            same shape out).
        grad_fn: its gradient at a point ``(2,)`` → ``(2,)``.
        start: where the path starts, ``(2,)``.
        options: passed to :class:`DescentExplorer` (``lr``, ``lr_range``, ``lr_step``, ``steps``,
            ``max_steps``, ``xlim``, ``ylim``, ``minimum``).

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`DescentExplorer` as the last line of a cell.
    """
    explorer = DescentExplorer(loss_fn, grad_fn, start, **options)
    explorer.draw()
    return explorer
