"""Student releases: each chapter, prepared for students, through ``nbgrader generate_assignment``.

``release`` copies each chapter into ``<course-dir>/source/<chapter>/<chapter>.ipynb``, prepared for
students (see :func:`prepare_for_students`), then runs ``nbgrader generate_assignment``, which
replaces every solution with ``raise NotImplementedError()`` (code) or ``YOUR ANSWER HERE`` (written
answers) and clears the outputs. Students get ``<course-dir>/release/<chapter>/``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat

from tools.course.common import COURSE_ID, MARKER, MARKER_TEXT, chapters, run, write_atomic

# Fences may be ``` or longer (````), or MyST's colon fences (:::); the closing one matches.
# A gated fence, ```{solution-start} label``` or ```{solution-end}```, with its options.
_GATE = re.compile(r"(`{3,}|:{3,})\{(solution|exercise)-(start|end)\}[^\n]*\n(?::[^\n]*\n)*\s*\1[ \t]*\n?")
# A whole ```{exercise} Title / :label: ... / body ``` block (or the -start form), to plain markdown.
_EXERCISE = re.compile(r"(`{3,}|:{3,})\{exercise(?:-start)?\}[ \t]*([^\n]*)\n((?::[^\n]*\n)*)(.*?)\1", re.S)
_SOLUTION = re.compile(r"(`{3,}|:{3,})\{solution\}\s*([\w-]*)")


def _nbgrader_metadata(grade_id: str, *, grade: bool, solution: bool, points: int = 0) -> dict:
    metadata = {"grade": grade, "grade_id": grade_id, "locked": not solution,
                "schema_version": 3, "solution": solution, "task": False}
    if grade:
        metadata["points"] = points
    return metadata


def prepare_for_students(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Make a chapter read well outside the book, before nbgrader strips the solutions.

    - Markdown solutions (```{solution} ...```) become manually graded written answers, which
      nbgrader replaces with ``YOUR ANSWER HERE``.
    - The book-only fences around code solutions (``solution-start``/``solution-end``) are dropped.
    - Exercise directives become plain markdown: a bold "Exercise: title" and the task.
    """
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            cell.source = _GATE.sub("", cell.source).strip()
            if not cell.source:
                continue
            solution = _SOLUTION.search(cell.source)
            if solution and "nbgrader" not in cell.metadata:
                grade_id = f"{solution.group(2) or f'cell-{index}'}-answer"
                cell.metadata["nbgrader"] = _nbgrader_metadata(grade_id, grade=True, solution=True,
                                                               points=1)

            def plain(match: re.Match) -> str:
                title = match.group(2).strip()
                return f"**Exercise{': ' + title if title else ''}**\n\n{match.group(4).strip()}\n"

            cell.source = _EXERCISE.sub(plain, cell.source)
        cells.append(cell)
    notebook.cells = cells
    return notebook


# Runs nbgrader API calls, e.g. [["generate_assignment", "01_neurons"], ...], in one process: starting
# nbgrader costs about 2 s, so one process for every chapter saves that much per chapter. Each call does
# what the command line's `nbgrader generate_assignment <chapter> --create --force` does.
_API_BATCH = """
import json, sys
from nbgrader.apps import NbGraderAPI
from traitlets.config.loader import PyFileConfigLoader

api = NbGraderAPI(config=PyFileConfigLoader("nbgrader_config.py", path=".").load_config())
for method, *args in json.loads(sys.argv[1]):
    result = getattr(api, method)(*args, force=True, create=True)
    if not result["success"]:
        sys.exit(f"{method} {' '.join(args)}:\\n{result.get('log', '')}\\n{result.get('error', '')}")
"""


def _nbgrader_batch(course_dir: Path, calls: list[list[str]]) -> None:
    if calls:
        run(course_dir, [sys.executable, "-c", _API_BATCH, json.dumps(calls)], "nbgrader")


def write_config(course_dir: Path) -> None:
    """nbgrader's configuration. Paths are relative to the course folder (nbgrader runs from it), so
    the folder can be moved or copied to another machine and graded there."""
    write_atomic(course_dir / "nbgrader_config.py",
                 "c = get_config()\n"
                 f'c.CourseDirectory.course_id = "{COURSE_ID}"\n'
                 "# The course folder is the folder nbgrader runs in (run nbgrader from here).\n"
                 'c.CourseDirectory.root = "."\n'
                 "# Every chapter runs in seconds; a cell that runs longer is stopped (see tools/course).\n"
                 "c.ExecutePreprocessor.timeout = 30\n")


def release(course_dir: Path, names: list[str]) -> list[Path]:
    """Write ``source/`` from the chapters and generate the student ``release/``; returns the
    released notebooks."""
    course_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(course_dir / MARKER, MARKER_TEXT)
    write_config(course_dir)
    released_chapters = chapters(names)
    for chapter in released_chapters:
        source = course_dir / "source" / chapter.stem / chapter.name
        source.parent.mkdir(parents=True, exist_ok=True)
        notebook = prepare_for_students(nbformat.read(chapter, as_version=4))
        nbformat.write(notebook, source)
    _nbgrader_batch(course_dir, [["generate_assignment", chapter.stem] for chapter in released_chapters])
    released = [course_dir / "release" / chapter.stem / chapter.name for chapter in released_chapters]
    for path in released:
        print(f"released {path.relative_to(course_dir)}")
    return released
