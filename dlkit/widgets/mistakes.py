"""The data-hunger explorer (chapter "Machine learning vs deep learning").

A slider over training-set sizes. Everything was trained beforehand (the chapter passes in each
model's predictions on held-out digits, e.g. the validation set, for every size), so moving the
slider only redraws: each model's accuracy on those digits and the first ones it got wrong
(dlkit.plots.plot_mistakes).
"""

from __future__ import annotations

import html

import numpy as np

from dlkit.widgets.base import FigureWidget


class MistakeExplorer(FigureWidget):
    """The widget behind :func:`mistake_explorer`.

    Attributes:
        controls: dict with the ``"size"`` slider (a ``SelectionSlider`` over the training-set sizes).
        output: an ``ipywidgets.Output`` holding the figure of the current size (a PNG image).
        status: an ``ipywidgets.HTML`` line: every model's accuracy at the current size.
        accuracies: model name → accuracy at the current size (empty before the first draw).
        widget: the whole layout (a ``VBox``); a MistakeExplorer displays as this widget.
    """

    def __init__(self, images: np.ndarray, labels: np.ndarray,
                 results: dict[int, dict[str, np.ndarray]], *, size: int | None = None,
                 n_show: int = 6, images_name: str = "validation") -> None:
        import ipywidgets as widgets

        if not results:
            raise ValueError("results is empty: give at least one training-set size.")
        self.images = np.asarray(images, dtype=np.float64)
        self.labels = np.asarray(labels).reshape(-1).astype(int)
        self.results = {int(n): dict(per_model) for n, per_model in sorted(results.items())}
        self.n_show = int(n_show)
        self.images_name = str(images_name)
        sizes = list(self.results)
        if size is None:
            size = sizes[0]
        if size not in self.results:
            raise ValueError(f"size {size} is not one of the precomputed sizes {sizes}.")
        controls = {
            "size": widgets.SelectionSlider(options=sizes, value=size,
                                            description="training images",
                                            continuous_update=False,
                                            style={"description_width": "110px"},
                                            layout=widgets.Layout(width="480px")),
        }
        super().__init__(controls)
        self.accuracies: dict[str, float] = {}

    def draw(self) -> dict[str, float]:
        """Show the accuracies and mistakes for the slider's size; return the accuracies."""
        from dlkit.plots import plot_mistakes

        size = int(self.controls["size"].value)
        predictions = self.results[size]
        self.accuracies = {name: float(np.mean(np.asarray(guess).reshape(-1) == self.labels))
                           for name, guess in predictions.items()}
        self.status.value = f"trained on <b>{size:,}</b> images: " + ", ".join(
            f"{html.escape(name)} <b>{acc:.1%}</b>" for name, acc in self.accuracies.items())
        axes = plot_mistakes(self.images, self.labels, predictions, n_show=self.n_show)
        fig = axes[0, 0].figure
        fig.suptitle(f"First {self.images_name} digits each model gets wrong after {size:,} training images "
                     "(true → guess)", fontsize=10)
        fig.tight_layout()
        self.show_figure(fig, "<mistakes figure>")
        return self.accuracies


def mistake_explorer(images: np.ndarray, labels: np.ndarray,
                     results: dict[int, dict[str, np.ndarray]], **options) -> MistakeExplorer:
    """A training-set-size slider showing each model's accuracy and a few digits it got wrong.

    Args:
        images: ``(n, 64)`` held-out images (8×8 pixels, any scale), e.g. the validation set.
        labels: ``(n,)`` their true digits.
        results: training-set size → {model name → ``(n,)`` that model's predicted digits}, all
            computed beforehand, so the slider only redraws.
        options: ``size`` (the first size shown; default the smallest), ``n_show`` (mistakes per
            model, default 6) and ``images_name`` (what the images are, for the title; default
            ``"validation"``).

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`MistakeExplorer` as the last line of a cell.
    """
    explorer = MistakeExplorer(images, labels, results, **options)
    explorer.draw()
    return explorer
