"""Readers never see nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines on the site
(book/_ext/solution_markers.py strips them at build time), while the solution code itself stays."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest
from solution_markers import strip_markers

ROOT = Path(__file__).resolve().parent.parent

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def test_strip_markers_keeps_the_code_around_them():
    code = "def f(x):\n    ### BEGIN SOLUTION\n    return x  # ### END SOLUTION stays\n    ### END SOLUTION"
    assert strip_markers(code) == "def f(x):\n    return x  # ### END SOLUTION stays"
    assert strip_markers("x = 1\n# ### BEGIN SOLUTION is prose here") == \
        "x = 1\n# ### BEGIN SOLUTION is prose here"


def _code_text(page: Path) -> str:
    """The page's text with tags removed and no whitespace (highlighting splits a line into spans)."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))))


@pytest.mark.book
def test_built_chapters_show_solutions_without_nbgrader_markers(built_book):
    result, built = built_book  # the normal build, shared with tests/test_book.py
    assert result.returncode == 0, "the book did not build (see test_book.py)"
    checked = 0
    for chapter in CHAPTERS:
        page = built / "chapters" / f"{chapter.stem}.html"
        text = _code_text(page)
        for marker in MARKERS:
            assert re.sub(r"\s+", "", marker) not in text, f"{marker!r} shown on {page.name}"
        notebook = nbformat.read(chapter, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
                assert any(m in cell.source for m in MARKERS), "the notebook should keep its markers"
                code = re.sub(r"\s+", "", strip_markers(cell.source))
                assert code in text, f"solution of {cell.metadata['nbgrader']['grade_id']} missing"
                checked += 1
    assert checked >= len(CHAPTERS)
