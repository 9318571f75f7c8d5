"""Turn the chapters into an nbgrader course: student releases, and grading of submissions.

    python tools/course.py release [--course-dir _build/course] [chapter ...]
    python tools/course.py autograde [--course-dir _build/course] [chapter ...]
    python tools/course.py edition [--output _build/course-edition]

``release`` copies each chapter into ``<course-dir>/source/<chapter>/<chapter>.ipynb``, prepared for
students (see :func:`prepare_for_students`), then runs ``nbgrader generate_assignment``, which
replaces every solution with ``raise NotImplementedError()`` (code) or ``YOUR ANSWER HERE`` (written
answers) and clears the outputs. Students get ``<course-dir>/release/<chapter>/``.

``autograde`` runs ``nbgrader autograde`` on ``<course-dir>/submitted/<student>/<chapter>/`` and
exports every score to ``<course-dir>/grades.csv``. Written answers are graded by hand in
nbgrader's formgrader (see the book's page for instructors).

``edition`` builds the book's course edition: the website with every solution removed
(``course_edition: true``, see ``book/_ext/course_edition.py``), for use while a course runs.

nbgrader is heavy, so it lives in the optional ``course`` extra: ``pip install -e ".[course]"``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from tools.book_build import book_config, build_book

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COURSE_DIR = ROOT / "_build" / "course"
DEFAULT_EDITION_DIR = ROOT / "_build" / "course-edition"

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


def _chapters(names: list[str]) -> list[Path]:
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    if names:
        wanted = {Path(n).stem for n in names}
        chapters = [c for c in chapters if c.stem in wanted]
        missing = wanted - {c.stem for c in chapters}
        if missing:
            raise SystemExit(f"No such chapter(s): {', '.join(sorted(missing))}")
    return chapters


def _run(course_dir: Path, command: list[str], what: str) -> None:
    # nbgrader runs its own helper programs (alembic), so this Python's bin/ must be on PATH.
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(command, cwd=course_dir, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{what} failed:\n{result.stdout}\n{result.stderr}")


def _nbgrader(course_dir: Path, *args: str) -> None:
    """One nbgrader command, e.g. ``_nbgrader(course_dir, "export", "--to", "grades.csv")``."""
    _run(course_dir, [sys.executable, "-m", "nbgrader", *args], " ".join(args))


# Runs a list of nbgrader API calls, e.g. [["autograde", "01_neurons", "ada"], ...], in one process.
# Starting nbgrader costs about 2 s, so one process for a whole batch (instead of one command per
# chapter and student) saves that much per command. The calls do what the command line's
# `nbgrader db student add <student>`, `nbgrader generate_assignment <chapter> --create --force` and
# `nbgrader autograde <chapter> --force` (for one student) do.
_API_BATCH = """
import json, sys
from nbgrader.apps import NbGraderAPI
from traitlets.config.loader import PyFileConfigLoader

api = NbGraderAPI(config=PyFileConfigLoader("nbgrader_config.py", path=".").load_config())
for method, *args in json.loads(sys.argv[1]):
    if method == "add_student":
        with api.gradebook as gradebook:
            gradebook.update_or_create_student(*args)
        continue
    result = getattr(api, method)(*args, force=True, create=True)
    if not result["success"]:
        sys.exit(f"{method} {' '.join(args)}:\\n{result.get('log', '')}\\n{result.get('error', '')}")
"""


def _nbgrader_batch(course_dir: Path, calls: list[list[str]]) -> None:
    if calls:
        _run(course_dir, [sys.executable, "-c", _API_BATCH, json.dumps(calls)], "nbgrader")


def write_config(course_dir: Path) -> None:
    (course_dir / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        'c.CourseDirectory.course_id = "deep-learning-simply"\n'
        f"c.CourseDirectory.root = {str(course_dir)!r}\n"
        "# Chapters take a few seconds each; allow slow machines.\n"
        "c.ExecutePreprocessor.timeout = 300\n",
        encoding="utf-8",
    )


def release(course_dir: Path, names: list[str]) -> list[Path]:
    """Write ``source/`` from the chapters and generate the student ``release/``; returns the
    released notebooks."""
    course_dir.mkdir(parents=True, exist_ok=True)
    write_config(course_dir)
    chapters = _chapters(names)
    for chapter in chapters:
        source = course_dir / "source" / chapter.stem / chapter.name
        source.parent.mkdir(parents=True, exist_ok=True)
        notebook = prepare_for_students(nbformat.read(chapter, as_version=4))
        nbformat.write(notebook, source)
    _nbgrader_batch(course_dir, [["generate_assignment", chapter.stem] for chapter in chapters])
    released = [course_dir / "release" / chapter.stem / chapter.name for chapter in chapters]
    for path in released:
        print(f"released {path.relative_to(course_dir)}")
    return released


def autograde(course_dir: Path, names: list[str]) -> Path:
    """Autograde every submission under ``submitted/`` and export ``grades.csv``."""
    submitted = course_dir / "submitted"
    students = sorted(p.name for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []
    if not students:
        raise SystemExit(f"No submissions in {submitted}: put them in submitted/<student>/<chapter>/.")
    calls = [["add_student", student] for student in students]
    calls += [["autograde", chapter.stem, student] for chapter in _chapters(names)
              for student in students if (submitted / student / chapter.stem).is_dir()]
    _nbgrader_batch(course_dir, calls)
    _nbgrader(course_dir, "export", "--to", str(course_dir / "grades.csv"))
    print(f"grades written to {course_dir / 'grades.csv'}")
    return course_dir / "grades.csv"


def build_edition(output: Path) -> Path:
    """Build the book without solutions into ``output``; returns the path of its index.html."""
    html = build_book(book_config(course_edition=True), output, what="The course edition")
    index = html / "index.html"
    print(f"The course edition (no solutions) is built. Open file://{index}")
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["release", "autograde", "edition", "clean"])
    parser.add_argument("chapters", nargs="*", help="chapter names, e.g. 01_neurons (default: all)")
    parser.add_argument("--course-dir", type=Path, default=DEFAULT_COURSE_DIR)
    parser.add_argument("--output", type=Path, default=DEFAULT_EDITION_DIR,
                        help="where `edition` builds the site")
    args = parser.parse_args(argv)
    course_dir = args.course_dir.resolve()
    if args.command == "release":
        release(course_dir, args.chapters)
    elif args.command == "autograde":
        autograde(course_dir, args.chapters)
    elif args.command == "edition":
        build_edition(args.output.resolve())
    else:
        shutil.rmtree(course_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
