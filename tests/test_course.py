"""The instructor's workflow, end to end: student release, autograding, and the course edition.

Uses nbgrader (the optional ``course`` extra, which ``make test`` and CI install). Every chapter is
released; the reference solutions, the untouched release and a release with one exercise solved
are autograded; the course edition of the site is built and searched for solution text.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("nbgrader", reason="needs the course extra: pip install -e '.[course]'")

from tools import course  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _solution_cells(notebook) -> list:
    return [c for c in notebook.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]


def _check_cells(notebook) -> list:
    return [c for c in notebook.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]


def _squeezed(text: str) -> str:
    """Without any whitespace: highlighted code splits a line into spans, and spaces move."""
    return re.sub(r"\s+", "", text)


def solution_lines(notebook) -> dict[str, list[str]]:
    """Each solution cell's grade_id → the lines between ``### BEGIN SOLUTION`` and
    ``### END SOLUTION`` (stripped) that appear in no other cell of the chapter, so finding one
    anywhere means that solution leaked."""
    result = {}
    for cell in _solution_cells(notebook):
        others = _squeezed("\n".join(c.source for c in notebook.cells if c is not cell))
        body, inside = [], False
        for line in cell.source.splitlines():
            if line.strip() == "### BEGIN SOLUTION":
                inside = True
            elif line.strip() == "### END SOLUTION":
                inside = False
            elif inside and len(line.strip()) > 8 and _squeezed(line) not in others:
                body.append(line.strip())
        result[_grade_id(cell)] = body
    return result


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("course")
    course.release(directory, [])
    return directory


def test_every_chapter_has_coding_exercises_with_markers():
    """The scans below can only fail if there is something to find."""
    for chapter in CHAPTERS:
        notebook = nbformat.read(chapter, as_version=4)
        solutions = _solution_cells(notebook)
        assert solutions, f"{chapter.name} has no code exercise with nbgrader solution metadata"
        for cell in solutions:
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source, \
                f"{chapter.name}: solution cell {_grade_id(cell)} lacks the solution markers"
        assert _check_cells(notebook), f"{chapter.name} has no autograded check cell"
        for grade_id, lines in solution_lines(notebook).items():
            assert lines, f"{chapter.name}: {grade_id} has no line of its own to look for in a release"


@pytest.mark.course
def test_release_has_every_chapter_without_solutions(course_dir):
    for chapter in CHAPTERS:
        released = course_dir / "release" / chapter.stem / chapter.name
        assert released.is_file(), f"no student release of {chapter.name}"
        notebook = nbformat.read(released, as_version=4)
        released_text = "\n".join(c.source for c in notebook.cells)
        for grade_id, lines in solution_lines(nbformat.read(chapter, as_version=4)).items():
            leaked = [line for line in lines if line in released_text]
            assert not leaked, f"solution code of {grade_id} left in the release: {leaked}"
        for cell in _solution_cells(notebook):
            assert "raise NotImplementedError()" in cell.source
        for cell in notebook.cells:
            assert "{solution" not in cell.source, f"book-only solution markup in {chapter.name}"
            assert not cell.get("outputs"), f"outputs left in the release of {chapter.name}"


@pytest.mark.course
def test_release_replaces_written_answers(course_dir):
    source = nbformat.read(course_dir / "source" / "01_neurons" / "01_neurons.ipynb", as_version=4)
    released = nbformat.read(course_dir / "release" / "01_neurons" / "01_neurons.ipynb",
                             as_version=4)
    answers = [c for c in source.cells if c.cell_type == "markdown"
               and c.metadata.get("nbgrader", {}).get("solution")]
    assert answers, "chapter 1's written solutions are not marked as answers"
    released_text = "\n".join(c.source for c in released.cells)
    for cell in answers:
        body = max(cell.source.splitlines(), key=len)
        assert body not in released_text
    assert released_text.count("YOUR ANSWER HERE") == len(answers)


@pytest.fixture(scope="module")
def graded(course_dir) -> Path:
    """Three students: the reference solutions, the untouched release, one exercise solved."""
    submitted = course_dir / "submitted"
    for chapter in CHAPTERS:
        for student, origin in [("reference", "source"), ("blank", "release")]:
            target = submitted / student / chapter.stem
            target.mkdir(parents=True)
            shutil.copy(course_dir / origin / chapter.stem / chapter.name, target / chapter.name)
    first = CHAPTERS[0]
    source = nbformat.read(course_dir / "source" / first.stem / first.name, as_version=4)
    release = nbformat.read(course_dir / "release" / first.stem / first.name, as_version=4)
    solved_id = _grade_id(_solution_cells(source)[0])
    for cell in release.cells:
        if _grade_id(cell) == solved_id:
            cell.source = next(c.source for c in source.cells if _grade_id(c) == solved_id)
    target = submitted / "one-solved" / first.stem
    target.mkdir(parents=True)
    nbformat.write(release, target / first.name)
    course.autograde(course_dir, [])
    return course_dir


def _scores(course_dir: Path, chapter: Path, student: str) -> dict[str, tuple[float, float]]:
    """Autograded cells of one submission: grade_id → (score, max score)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(chapter.stem, chapter.stem, student)
        return {g.name: (g.score, g.max_score) for g in notebook.grades if g.auto_score is not None}


@pytest.mark.course
def test_reference_solutions_get_full_marks(graded):
    for chapter in CHAPTERS:
        scores = _scores(graded, chapter, "reference")
        assert scores, f"nothing autograded in {chapter.name}"
        lost = {name: s for name, s in scores.items() if s[0] != s[1]}
        assert not lost, f"reference solutions of {chapter.name} lose points: {lost}"


@pytest.mark.course
def test_untouched_release_scores_zero_on_every_coding_exercise(graded):
    for chapter in CHAPTERS:
        scores = _scores(graded, chapter, "blank")
        check_ids = {_grade_id(c) for c in _check_cells(nbformat.read(chapter, as_version=4))}
        assert check_ids <= set(scores), f"{chapter.name}: check cells missing from the grades"
        earned = {name: s for name, s in scores.items() if s[0] != 0}
        assert not earned, f"the untouched release of {chapter.name} earns points: {earned}"


@pytest.mark.course
def test_one_solved_exercise_earns_exactly_its_points(graded):
    first = CHAPTERS[0]
    notebook = nbformat.read(first, as_version=4)
    solved_check = _grade_id(_solution_cells(notebook)[0]).replace("-solution", "-check")
    scores = _scores(graded, first, "one-solved")
    assert scores[solved_check][0] == scores[solved_check][1] > 0
    others = {name: s for name, s in scores.items() if name != solved_check and s[0] != 0}
    assert not others, f"unsolved exercises earned points: {others}"


def _plain_words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _solution_phrases(notebook) -> list[str]:
    """From each written solution, its longest run of plain words that appears nowhere else in the
    chapter (so finding it on a page means the solution is there); such runs survive rendering."""
    is_solution = [c.cell_type == "markdown" and re.match(r"\s*(`{3,}|:{3,})\{solution\}", c.source)
                   for c in notebook.cells]
    elsewhere = _plain_words(" ".join(c.source for c, s in zip(notebook.cells, is_solution) if not s))
    phrases = []
    for cell, solution in zip(notebook.cells, is_solution):
        if solution:
            body = "\n".join(line for line in cell.source.splitlines()[1:]
                             if not line.startswith(":"))  # skip the directive's options
            runs = re.findall(r"[A-Za-z][A-Za-z ]{30,}[A-Za-z]", _plain_words(body))
            unique = [run for run in runs if run not in elsewhere]
            if unique:
                phrases.append(max(unique, key=len))
    return phrases


def _page_text(path: Path) -> str:
    return _plain_words(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))))


def _page_code(path: Path) -> str:
    return _squeezed(html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))))


@pytest.mark.book
def test_course_edition_has_no_solutions(built_book, tmp_path):
    result, normal = built_book  # the normal build, shared with tests/test_book.py
    assert result.returncode == 0, "the normal book did not build (see test_book.py)"
    edition = course.build_edition(tmp_path / "edition").parent
    checked = 0
    for chapter in CHAPTERS:
        page = Path("chapters") / f"{chapter.stem}.html"
        with_solutions, without = _page_text(normal / page), _page_text(edition / page)
        code_with, code_without = _page_code(normal / page), _page_code(edition / page)
        notebook = nbformat.read(chapter, as_version=4)
        for grade_id, lines in solution_lines(notebook).items():
            for line in lines:
                assert _squeezed(line) in code_with, f"the normal build lost {grade_id}: {line!r}"
                assert _squeezed(line) not in code_without, \
                    f"solution code of {grade_id} on the course edition: {line!r}"
        for phrase in _solution_phrases(notebook):
            assert phrase in with_solutions, f"{phrase!r} not found in the normal build"
            assert phrase not in without, f"written solution {phrase!r} in the course edition"
            checked += 1
        assert "Exercise" in without, f"the course edition dropped the exercises of {chapter.name}"
    assert checked >= len(CHAPTERS), "too few written solutions found to check"
