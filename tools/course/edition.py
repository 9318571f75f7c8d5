"""The book's course edition: the website with every solution removed (``course_edition: true``, see
``book/_ext/course_edition.py``), for use while a course runs."""

from __future__ import annotations

from pathlib import Path

from tools.book_build import book_config, build_book


def build_edition(output: Path) -> Path:
    """Build the book without solutions into ``output``; returns the path of its index.html."""
    html = build_book(book_config(course_edition=True), output, what="The course edition")
    index = html / "index.html"
    print(f"The course edition (no solutions) is built. Open file://{index}")
    return index
