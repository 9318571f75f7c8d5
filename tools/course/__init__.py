"""Turn the chapters into an nbgrader course: student releases, and grading of a class's submissions.

    python -m tools.course release [--course-dir _build/course] [chapter ...]
    python -m tools.course autograde [--course-dir DIR] [--jobs N] [--timeout S] [chapter ...]
    python -m tools.course edition [--output _build/course-edition]
    python -m tools.course clean [--course-dir DIR] [--include-grades]

Options may come before or after the chapter names.

- ``release`` (:mod:`tools.course.releasing`): ``source/`` and the students' ``release/`` of each chapter.
- ``autograde`` (:mod:`tools.course.grading`): every ``submitted/<student>/<chapter>/`` graded or
  reported, student code in a bubblewrap sandbox (:mod:`tools.course.sandbox`), one worker process per
  submission (:mod:`tools.course.worker`), damaged notebooks repaired from the release
  (:mod:`tools.course.repair`); writes ``grades.csv``, ``grades_by_student.csv`` and ``feedback/``.
- ``edition`` (:mod:`tools.course.edition`): the book without solutions.
- ``clean`` (:mod:`tools.course.cleaning`): the course folder's build output, never a repository, and
  never submissions, graded notebooks or the gradebook without ``--include-grades``.

nbgrader is heavy, so it lives in the optional ``course`` extra: ``pip install -e ".[course]"``.
"""

import importlib

# Imported when first used: a grading worker imports tools.course.worker without the rest.
_EXPORTS = {"clean": "cleaning", "build_edition": "edition", "DEFAULT_TIMEOUT": "grading",
            "autograde": "grading", "prepare_for_students": "releasing", "release": "releasing"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'tools.course' has no attribute {name!r}")
    return getattr(importlib.import_module(f"tools.course.{_EXPORTS[name]}"), name)
