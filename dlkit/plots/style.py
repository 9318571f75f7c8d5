"""The course's colours and markers, and the one helper every figure starts from.

Colours are the Okabe–Ito palette, which stays distinguishable with every common colour-vision
deficiency. Chapters take their colours from here too (``COLORS["blue"]``, ...).
"""

from __future__ import annotations

import matplotlib.pyplot as plt

# Okabe & Ito (2008), "Color Universal Design": safe for colour-blind readers.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
CLASS_COLORS = [COLORS["blue"], COLORS["orange"], COLORS["green"], COLORS["purple"],
                COLORS["vermillion"], COLORS["sky"]]
MARKERS = ["o", "s", "^", "D", "v", "P"]


def _axes(ax):
    """``ax`` itself, or the Axes of a new 5 × 4 inch figure when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    return ax
