"""Sliding a small filter over an image (chapter "Where deep learning goes next").

The one operation behind convolutional networks: the same few weights slid over every position of
an image. Used for the chapter's figures and by dlkit.widgets.EdgeExplorer.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from dlkit.plots.style import COLORS


def slide_filter(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` over ``image`` and take the weighted sum at every position ("valid" mode).

    This is what a convolutional layer computes. Deep-learning libraries call it a convolution;
    strictly it is a cross-correlation (the kernel is not flipped).

    Args:
        image: ``(H, W)`` numbers.
        kernel: ``(h, w)`` weights, at most as large as the image.

    Returns:
        ``(H - h + 1, W - w + 1)``, where entry ``[i, j]`` is
        ``(image[i:i + h, j:j + w] * kernel).sum()``.
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"image and kernel must be 2-D, got shapes {image.shape} and {kernel.shape}.")
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(f"kernel {kernel.shape} is larger than the image {image.shape}.")
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.einsum("ijkl,kl->ij", windows, kernel)


def edge_kernel(angle: float) -> np.ndarray:
    """A ``(3, 3)`` edge detector that responds where the ink grows in the direction ``angle``.

    ``angle`` is in degrees: 0 means "more ink to the right" (the left side of a stroke), 90 "more
    ink above" (the bottom side of a stroke), 180 "more ink to the left". The kernel is
    ``cos(angle) * right + sin(angle) * up`` with the Prewitt detectors
    ``right = [[-1, 0, 1]] * 3`` and ``up = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]``.
    """
    right = np.array([[-1.0, 0.0, 1.0]] * 3)
    up = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]])
    radians = np.deg2rad(angle)
    kernel = np.cos(radians) * right + np.sin(radians) * up
    return np.round(kernel, 12) + 0.0   # exact zeros at multiples of 90 degrees, no "-0"


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
