"""Accessibility of the figures, checked in the sources (the browser side is in test_browser.py).

- every picture a chapter shows has alt text: image outputs carry ``mystnb.image.alt`` in their
  cell's metadata, and every ``<img>`` inside an HTML output (an animation) has an ``alt``;
- colours are colour-blind safe: ``dlkit.plots.COLORS`` is the Okabe–Ito palette, named colour maps
  are perceptually uniform ones (viridis, cividis, ...) or greys, home-made colour maps are built
  from ``COLORS``, and every colour written as a literal is a neutral grey, black or white.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from dlkit.plots import COLORS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")

OKABE_ITO = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
             "purple": "#CC79A7", "sky": "#56B4E9", "yellow": "#F0E442", "black": "#000000"}
UNIFORM_MAPS = {"viridis", "cividis", "plasma", "inferno", "magma", "gray", "Greys", "binary", "bone"}
SAFE_MAPS = UNIFORM_MAPS | {f"{name}_r" for name in UNIFORM_MAPS} | {"gray_r", "Greys_r"}
NEUTRAL = {"black", "white", "k", "w", "none", "gray", "grey", "lightgray", "lightgrey", "darkgray"}


def code_sources() -> list[tuple[str, str]]:
    """(where, code) for every dlkit module and every chapter code cell."""
    modules = sorted((ROOT / "dlkit").rglob("*.py"))
    sources = [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")) for path in modules]
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        sources += [(f"{path.name} cell {i}", cell.source) for i, cell in enumerate(notebook.cells)
                    if cell.cell_type == "code"]
    return sources


def is_neutral(colour: str) -> bool:
    """Black, white, a grey (named, "0.6", or #RRGGBB with R = G = B), or no colour."""
    colour = colour.strip().lower()
    if colour in NEUTRAL or re.fullmatch(r"0?\.\d+|[01](\.0*)?", colour):
        return True
    hex_colour = re.fullmatch(r"#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})", colour)
    return bool(hex_colour) and len(set(hex_colour.groups())) == 1


def test_the_palette_is_okabe_ito():
    assert {name: value.upper() for name, value in COLORS.items()} == OKABE_ITO


@pytest.mark.parametrize(("where", "code"), code_sources(), ids=lambda value: str(value)[:40])
def test_colours_are_colour_blind_safe(where, code):
    named_maps = re.findall(r"""cmap\s*=\s*["'](\w+)["']|get_cmap\(\s*["'](\w+)|colormaps\[\s*["'](\w+)""",
                            code)
    unsafe = [name for match in named_maps for name in match if name and name not in SAFE_MAPS]
    assert not unsafe, f"{where}: colour maps {unsafe} are not perceptually uniform / colour-blind safe"
    for maker, arguments in re.findall(r"(from_list|ListedColormap)\(([^)]*)\)", code):
        literals = re.findall(r"""["'](#?\w+)["']""", re.sub(r"COLORS\[[^\]]*\]", "", arguments))
        if maker == "from_list":
            literals = literals[1:]  # the first is the map's name
        colours = [value for value in literals if not is_neutral(value)]
        assert not colours, f"{where}: a colour map made from {colours}; use dlkit.plots.COLORS"
    keywords = r"""(?:color|colour|facecolor|edgecolor|markerfacecolor|markeredgecolor|c)"""
    for colour in re.findall(rf"""\b{keywords}\s*=\s*["']([^"']+)["']""", code):
        assert is_neutral(colour), f"{where}: colour {colour!r}; use dlkit.plots.COLORS"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_every_picture_in_a_chapter_has_alt_text(path):
    notebook = nbformat.read(path, as_version=4)
    missing = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if any(kind in data for kind in IMAGE_TYPES):
                if not cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "").strip():
                    missing.append(f"cell {index}: an image without mystnb.image.alt")
            for tag in re.findall(r"<img\b[^>]*>", data.get("text/html", "")):
                if not re.search(r"""\balt\s*=\s*["'][^"']*\w""", tag):
                    missing.append(f"cell {index}: {tag[:60]} in an HTML output has no alt text")
    assert not missing, f"{path.name}:\n" + "\n".join(missing)
