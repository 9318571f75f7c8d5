"""dlkit.plots.style: the class colours come from the one palette, and the Axes every figure starts
from. (That the palette is Okabe–Ito is checked in tests/test_accessibility.py.)"""

from __future__ import annotations

import matplotlib.pyplot as plt

from dlkit.plots.style import CLASS_COLORS, COLORS, MARKERS, _axes


def test_class_colours_are_distinct_palette_colours_with_one_marker_each():
    assert set(CLASS_COLORS) <= set(COLORS.values())
    assert len(set(CLASS_COLORS)) == len(CLASS_COLORS) == len(MARKERS) == len(set(MARKERS))


def test_axes_makes_a_5_by_4_inch_figure_or_uses_the_given_axes():
    ax = _axes(None)
    assert tuple(ax.figure.get_size_inches()) == (5, 4)
    _, given = plt.subplots()
    assert _axes(given) is given
