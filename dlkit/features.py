"""Features a person designs for 8×8 digit images, and digits moved around a larger canvas.

All functions take raw ink (0 to 16, as ``dlkit.data.digits(standardize=False)`` gives it) and
return numpy arrays; images are rows of pixels, ``X: (n, side * side)``.

- :func:`hand_features` — 17 numbers per image (ink, where the ink sits, symmetry, crossings ...);
- :func:`enclosed_pixels` — the blank pixels walled in by ink (the inside of a 0's loop);
- :func:`shift_digits` — each 8×8 digit pasted at a random place on a larger blank canvas;
- :func:`align_digits` — the hand-made undo of a shift: the 8×8 window starting at the ink's
  top-left corner, the same for a digit wherever it sits.
"""

from __future__ import annotations

import numpy as np

from dlkit.rng import RngLike, as_generator

FEATURE_NAMES = ["ink", "rows 1-2", "rows 3-4", "rows 5-6", "rows 7-8", "cols 1-2", "cols 3-4",
                 "cols 5-6", "cols 7-8", "centre row", "centre col", "L-R asymmetry",
                 "T-B asymmetry", "middle ink", "row crossings", "col crossings",
                 "enclosed pixels"]
"""The names of :func:`hand_features`' 17 columns, in order."""

INK_THRESHOLD = 0.25
"""A pixel counts as inked above this share of full ink (4 of 16), as blank at or below it."""


def _images(X: np.ndarray, side: int) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != side * side:
        raise ValueError(f"Expected images as rows of {side * side} pixels, shape (n, {side * side}), "
                         f"got shape {X.shape}. Reshape with X.reshape(len(X), -1).")
    return X.reshape(-1, side, side)


def enclosed_pixels(images: np.ndarray, threshold: float = INK_THRESHOLD) -> np.ndarray:
    """``images: (n, h, w)`` scaled 0..1 → ``(n, h, w)`` True where a blank pixel is walled in by ink.

    A blank pixel (ink ``<= threshold``) is *outside* if a path of blank pixels (up, down, left,
    right) joins it to the border; every other blank pixel lies inside a loop. "Outside" grows one
    pixel at a time from the border until it stops growing, for all images at once.
    """
    blank = np.asarray(images) <= threshold
    outside = np.zeros_like(blank)
    outside[:, [0, -1], :] = blank[:, [0, -1], :]          # blank pixels on the border ...
    outside[:, :, [0, -1]] |= blank[:, :, [0, -1]]
    while True:                                           # ... spread to blank neighbours
        grown = outside.copy()
        grown[:, 1:, :] |= outside[:, :-1, :]
        grown[:, :-1, :] |= outside[:, 1:, :]
        grown[:, :, 1:] |= outside[:, :, :-1]
        grown[:, :, :-1] |= outside[:, :, 1:]
        grown &= blank
        if np.array_equal(grown, outside):
            return blank & ~outside                       # blank but unreachable: inside a loop
        outside = grown


def hand_features(X_raw: np.ndarray) -> np.ndarray:
    """Raw 8×8 digits ``(n, 64)``, ink 0..16 → ``(n, 17)`` features, named in :data:`FEATURE_NAMES`."""
    images = _images(X_raw, 8) / 16.0
    ink = images.sum(axis=(1, 2)) + 1e-9
    rows, cols = images.sum(axis=2), images.sum(axis=1)            # (n, 8) ink per row / column
    row_bands = rows.reshape(-1, 4, 2).sum(axis=2) / ink[:, None]  # (n, 4) shares of the ink
    col_bands = cols.reshape(-1, 4, 2).sum(axis=2) / ink[:, None]
    position = np.arange(8)
    centre_row, centre_col = rows @ position / ink, cols @ position / ink
    lr_asymmetry = np.abs(images - images[:, :, ::-1]).sum(axis=(1, 2)) / ink
    tb_asymmetry = np.abs(images - images[:, ::-1, :]).sum(axis=(1, 2)) / ink
    middle_ink = images[:, 3:5, 2:6].sum(axis=(1, 2)) / ink
    inked = (images > INK_THRESHOLD).astype(int)
    row_crossings = np.abs(np.diff(inked[:, 3:5, :], axis=2)).sum(axis=(1, 2)) / 4
    col_crossings = np.abs(np.diff(inked[:, :, 3:5], axis=1)).sum(axis=(1, 2)) / 4
    enclosed = enclosed_pixels(images).sum(axis=(1, 2))
    return np.column_stack([ink / 64, row_bands, col_bands, centre_row, centre_col, lr_asymmetry,
                            tb_asymmetry, middle_ink, row_crossings, col_crossings, enclosed])


def shift_digits(X_raw: np.ndarray, canvas: int = 12, *, rng: RngLike = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Paste each 8×8 digit at a random place on a blank ``canvas × canvas`` image.

    Returns ``(X_shifted, offsets)``: ``X_shifted: (n, canvas * canvas)`` and ``offsets: (n, 2)``,
    the (row, column) of each digit's top-left corner, drawn uniformly from ``0 .. canvas - 8``.
    """
    images = _images(X_raw, 8)
    if not isinstance(canvas, (int, np.integer)) or canvas < 8:
        raise ValueError(f"canvas must be a whole number of at least 8 pixels, got {canvas!r}.")
    offsets = as_generator(rng).integers(0, canvas - 8 + 1, size=(len(images), 2))
    out = np.zeros((len(images), canvas, canvas))
    for k, (r, c) in enumerate(offsets):
        out[k, r:r + 8, c:c + 8] = images[k]
    return out.reshape(len(images), -1), offsets


def align_digits(X_shifted: np.ndarray, canvas: int = 12,
                 threshold: float = INK_THRESHOLD) -> np.ndarray:
    """Undo a shift by hand: ``(n, canvas * canvas)`` → the 8×8 window at the ink's top-left, ``(n, 64)``.

    The window starts at the first row and the first column holding a pixel above ``threshold``
    (as a share of full ink, 16), so a digit gives the same 8×8 image wherever it was pasted. An
    image without ink gives its top-left window.
    """
    images = _images(X_shifted, canvas)
    padded = np.zeros((len(images), canvas + 8, canvas + 8))
    padded[:, :canvas, :canvas] = images
    inked = images > threshold * 16
    top = np.where(inked.any(axis=2).any(axis=1), inked.any(axis=2).argmax(axis=1), 0)
    left = np.where(inked.any(axis=1).any(axis=1), inked.any(axis=1).argmax(axis=1), 0)
    rows = top[:, None, None] + np.arange(8)[None, :, None]
    cols = left[:, None, None] + np.arange(8)[None, None, :]
    return padded[np.arange(len(images))[:, None, None], rows, cols].reshape(len(images), 64)
