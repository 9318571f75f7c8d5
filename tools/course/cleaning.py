"""Delete a course folder's build output and only that: never a repository, never students' work
unless asked."""

from __future__ import annotations

import shutil
from pathlib import Path

from tools.course.common import MARKER, ROOT

# Made by `release` and `autograde`, made again by running them: deleted by `clean`.
BUILD_OUTPUT = ["source", "release", "feedback", "nbgrader_config.py", "grades.csv",
                "grades_by_student.csv", "results.json"]
# Students' work and the grading record (hand grades live in the gradebook): only with --include-grades.
GRADES = ["submitted", "autograded", "gradebook.db"]


def clean(course_dir: Path, *, include_grades: bool = False) -> list[Path]:
    """Delete the build output of ``course_dir`` (and with ``include_grades`` the submissions, the
    graded notebooks, the gradebook and then the folder); returns what was deleted."""
    course_dir = course_dir.resolve()
    if not course_dir.exists():
        print(f"Nothing to clean: {course_dir} does not exist.")
        return []
    for guard in (".git", "pyproject.toml"):
        if (course_dir / guard).exists():
            raise SystemExit(f"clean: refusing to clean {course_dir}: it holds {guard}, so it is a "
                             "repository or a project, not a course folder. Pass the course folder "
                             f"(--course-dir {ROOT / '_build' / 'course'} by default).")
    if course_dir in ROOT.parents or course_dir == Path.home() or course_dir == Path(course_dir.anchor):
        raise SystemExit(f"clean: refusing to clean {course_dir}: it holds the repository.")
    if not (course_dir / MARKER).is_file():
        raise SystemExit(f"clean: refusing to clean {course_dir}: it has no {MARKER} file, so it was not "
                         "made by `python -m tools.course release`. Delete it yourself if you mean to.")
    names = BUILD_OUTPUT + (GRADES if include_grades else [])
    deleted = []
    for name in names:
        path = course_dir / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        else:
            continue
        deleted.append(path)
        print(f"deleted {path}")
    kept = [course_dir / n for n in GRADES if (course_dir / n).exists()]
    if kept:
        print(f"Kept the students' work and grades: {', '.join(p.name for p in kept)} "
              "(python -m tools.course clean --include-grades deletes them too).")
    elif include_grades:
        (course_dir / MARKER).unlink()
        if not any(course_dir.iterdir()):
            course_dir.rmdir()
            deleted.append(course_dir)
            print(f"deleted {course_dir}")
    return deleted
