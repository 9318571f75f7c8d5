"""Drawing a small filter slid over an image (chapter "Where deep learning goes next").

The computation lives in :mod:`dlkit.conv` (``slide_filter`` and ``edge_kernel``, re-exported here
for the figures' callers); this module only draws. Used for the chapter's figures and
by dlkit.widgets.EdgeExplorer.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dlkit.conv import edge_kernel, slide_filter
from dlkit.plots.style import COLORS

__all__ = ["edge_kernel", "plot_filter_response", "slide_filter"]


def _signed_cmap():
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("signed", [COLORS["blue"], "white", COLORS["vermillion"]])


def plot_filter_response(image: np.ndarray, kernel: np.ndarray, *, axes=None,
                         window: tuple[int, int] | None = None, vmax: float | None = None,
                         titles: tuple[str, str, str] | None = None):
    """Three panels: the image, the kernel (with its numbers) and the map of its responses.

    Args:
        image: ``(H, W)`` pixels, or ``(64,)`` for an 8×8 digit; drawn dark where there is ink.
        kernel: ``(h, w)`` weights; drawn blue (negative) to vermillion (positive).
        axes: three Axes side by side; a new figure when None.
        window: ``(row, col)`` of a window to outline on the image and the matching cell of the
            response map, e.g. the position computed by hand.
        vmax: colour limit of the response map (symmetric, ``-vmax`` to ``vmax``); default the
            largest absolute response.
        titles: titles of the three panels (defaults describe each panel).

    Returns:
        The array of three Axes.
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim == 1:
        side = int(round(np.sqrt(image.size)))
        image = image.reshape(side, side)
    kernel = np.asarray(kernel, dtype=np.float64)
    response = slide_filter(image, kernel)
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(11, 3.6),
                               gridspec_kw={"width_ratios": [image.shape[1], kernel.shape[1] + 2,
                                                             response.shape[1] + 2]})
    axes = np.asarray(axes).reshape(-1)
    if titles is None:
        titles = ("the image", "the filter (its weights)", "the filter's response")
    cmap = _signed_cmap()
    image_ax, kernel_ax, response_ax = axes
    image_ax.imshow(image, cmap="gray_r")
    image_ax.set_title(titles[0])
    image_ax.set_xlabel("pixel column")
    image_ax.set_ylabel("pixel row")
    kernel_limit = float(np.abs(kernel).max()) or 1.0
    kernel_ax.imshow(kernel, cmap=cmap, vmin=-kernel_limit, vmax=kernel_limit)
    for (row, col), value in np.ndenumerate(kernel):
        kernel_ax.text(col, row, f"{value:.2g}", ha="center", va="center", fontsize=9)
    kernel_ax.set_title(titles[1])
    kernel_ax.set_xlabel("column")
    kernel_ax.set_ylabel("row")
    limit = float(vmax if vmax is not None else np.abs(response).max()) or 1.0
    shown = response_ax.imshow(response, cmap=cmap, vmin=-limit, vmax=limit)
    response_ax.figure.colorbar(shown, ax=response_ax, fraction=0.046, pad=0.04,
                                label="weighted sum")
    response_ax.set_title(titles[2])
    response_ax.set_xlabel("window column")
    response_ax.set_ylabel("window row")
    for ax, size in ((image_ax, image.shape), (kernel_ax, kernel.shape),
                     (response_ax, response.shape)):
        ax.set_xticks(range(size[1]))
        ax.set_yticks(range(size[0]))
        ax.tick_params(labelsize=7)
    if window is not None:
        from matplotlib.patches import Rectangle

        row, col = window
        h, w = kernel.shape
        image_ax.add_patch(Rectangle((col - 0.5, row - 0.5), w, h, fill=False,
                                     edgecolor=COLORS["orange"], linewidth=2.5))
        response_ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False,
                                        edgecolor=COLORS["orange"], linewidth=2.5))
    return axes
