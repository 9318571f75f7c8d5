"""The edge explorer (chapter "Where deep learning goes next").

Turn a 3×3 edge detector (dlkit.plots.edge_kernel) and slide it over a handwritten digit: the
response map shows which strokes face that direction. The drawing is
dlkit.plots.plot_filter_response, which the chapter also calls for its static grid.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dlkit.widgets.base import FigureWidget


class EdgeExplorer(FigureWidget):
    """The widget behind :func:`edge_explorer`.

    Attributes:
        controls: dict with an ``IntSlider`` ``"angle"`` (the direction the detector looks for, in
            degrees, 0 to 345 in steps of 15) and an ``IntSlider`` ``"image"`` (which image).
        output: an ``ipywidgets.Output`` holding the three-panel figure (a PNG image).
        status: an ``ipywidgets.HTML`` line naming the digit and the strongest response.
        response: the last response map, ``(6, 6)`` for an 8×8 image (None before the first draw).
        widget: the whole layout (a ``VBox``); an EdgeExplorer displays as this widget.
    """

    static_values = {"angle": (0, 45, 90, 135, 180, 270)}  # × every image

    def __init__(self, images: np.ndarray, labels: np.ndarray | None = None, *, angle: int = 0,
                 index: int = 0) -> None:
        import ipywidgets as widgets

        images = np.asarray(images, dtype=np.float64)
        if images.ndim == 2:
            side = int(round(np.sqrt(images.shape[1])))
            images = images.reshape(len(images), side, side)
        if images.ndim != 3:
            raise ValueError(f"images must be (n, 64) or (n, 8, 8)-like, got shape {images.shape}.")
        self.images = images
        self.labels = None if labels is None else np.asarray(labels).reshape(-1)
        controls = {
            "angle": widgets.IntSlider(value=int(angle) % 360, min=0, max=345, step=15,
                                       description="direction (°)", continuous_update=False),
            "image": widgets.IntSlider(value=int(index), min=0, max=len(images) - 1,
                                       description="image", continuous_update=False),
        }
        super().__init__(controls)
        self.response: np.ndarray | None = None

    def draw(self) -> np.ndarray:
        """Draw the image, the kernel for the current direction and its response; return the map."""
        from dlkit.plots import edge_kernel, plot_filter_response, slide_filter

        angle = int(self.controls["angle"].value)
        index = int(self.controls["image"].value)
        image, kernel = self.images[index], edge_kernel(angle)
        response = slide_filter(image, kernel)
        row, col = np.unravel_index(int(np.argmax(response)), response.shape)
        name = "image" if self.labels is None else f"a handwritten {self.labels[index]}"
        self.status.value = (f"{name}, detector for ink growing towards {angle}°: strongest "
                             f"response <b>{response[row, col]:.1f}</b> at window row {row}, "
                             f"column {col}")
        fig, axes = plt.subplots(1, 3, figsize=(11, 3.6),
                                 gridspec_kw={"width_ratios": [8, 5, 8]})
        plot_filter_response(image, kernel, axes=axes, window=(int(row), int(col)),
                             titles=(name, f"edge detector, {angle}°", "response"))
        fig.tight_layout()
        self.show_figure(fig, "<edge response figure>")
        self.response = response
        return response


def edge_explorer(images: np.ndarray, labels: np.ndarray | None = None, *, angle: int = 0,
                  index: int = 0) -> EdgeExplorer:
    """Sliders for the direction of a 3×3 edge detector and for the image it slides over.

    Args:
        images: ``(n, 64)`` pixels of 8×8 images, or ``(n, H, W)``.
        labels: ``(n,)`` the digits, named in the status line (optional).
        angle: the starting direction in degrees (0: ink growing to the right).
        index: the starting image.

    The first view is drawn right away, so a saved notebook shows it. Display the returned
    :class:`EdgeExplorer` as the last line of a cell.
    """
    explorer = EdgeExplorer(images, labels, angle=angle, index=index)
    explorer.draw()
    return explorer
