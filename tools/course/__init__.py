"""Turn the chapters into an nbgrader course: student releases, and grading of a class's submissions.

    python -m tools.course release [--course-dir _build/course] [chapter ...]
    python -m tools.course autograde [--course-dir DIR] [--jobs N] [--timeout S] [chapter ...]
    python -m tools.course edition [--output _build/course-edition]
    python -m tools.course clean [--course-dir DIR] [--include-grades]

Options may come before or after the chapter names.

- ``release`` (:mod:`tools.course.release`): ``source/`` and the students' ``release/`` of each chapter.
- ``autograde`` (:mod:`tools.course.grading`): every ``submitted/<student>/<chapter>/`` graded or
  reported, student code in a bubblewrap sandbox (:mod:`tools.course.sandbox`), one worker process per
  submission (:mod:`tools.course.worker`), damaged notebooks repaired from the release
  (:mod:`tools.course.repair`); writes ``grades.csv``, ``grades_by_student.csv`` and ``feedback/``.
- ``edition`` (:mod:`tools.course.edition`): the book without solutions.
- ``clean`` (:mod:`tools.course.clean`): the course folder's build output, never a repository, and
  never submissions, graded notebooks or the gradebook without ``--include-grades``.

nbgrader is heavy, so it lives in the optional ``course`` extra: ``pip install -e ".[course]"``.
"""

from tools.course.clean import clean
from tools.course.edition import build_edition
from tools.course.grading import DEFAULT_TIMEOUT, autograde
from tools.course.release import prepare_for_students, release

__all__ = ["DEFAULT_TIMEOUT", "autograde", "build_edition", "clean", "prepare_for_students", "release"]
