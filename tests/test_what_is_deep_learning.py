"""The opening page, book/what_is_deep_learning.md: a MyST notebook that the book build executes.

It has no saved outputs (the build runs its code each time, and an error fails the `-W` build).
These tests run its code cells here too, and check that what its text says about their results holds.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "book" / "what_is_deep_learning.md"
CODE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)\n```", re.S)


@pytest.fixture(scope="module")
def page():
    text = PAGE.read_text(encoding="utf-8")
    cells = CODE_CELL.findall(text)
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for cell in cells:
            exec(compile(cell, str(PAGE), "exec"), namespace)  # the page's own code
    return text, cells, namespace, printed.getvalue()


def percent(printed: str, label: str) -> float:
    match = re.search(re.escape(label) + r"[^\n]*?([\d.]+)% right", printed)
    assert match, f"the page no longer prints {label!r}:\n{printed}"
    return float(match.group(1))


def test_the_page_is_a_notebook_the_build_executes():
    front = PAGE.read_text(encoding="utf-8").split("---")[1]
    assert "file_format: mystnb" in front
    assert "execution_mode: force" in front


def test_the_page_has_code_and_it_runs(page):
    text, cells, namespace, printed = page
    assert len(cells) >= 2
    assert printed.count("\n") >= 3


def test_the_data_is_as_the_text_says(page):
    text, cells, namespace, printed = page
    assert "1,797" in text and "1,437" in text and "360" in text
    assert len(namespace["X_train"]) == 1437 and len(namespace["X_test"]) == 360
    assert namespace["X_train"].min() == 0 and namespace["X_train"].max() == 16


def test_the_hand_rule_wins_its_own_question_and_the_learned_rule_answers_all_ten(page):
    text, cells, namespace, printed = page
    hand = percent(printed, "rule written by hand")
    learned_01 = percent(printed, "rule learned from examples, 0 or 1")
    learned_all = percent(printed, "rule learned from examples, all ten digits")
    assert "the hand-written rule wins" in text
    assert hand > learned_01
    assert learned_all > 50       # far better than a blind guess among ten (10 %)
    assert {namespace["learned_rule"](image) for image in namespace["X_test"]} == set(range(10))


def test_the_learned_knowledge_is_640_numbers(page):
    text, cells, namespace, printed = page
    assert "640 numbers" in text
    assert namespace["averages"].size == 640
