"""The command line of ``python -m tools.course``: options before or after the chapter names, and
errors that say what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.course import cli
from tools.course.grading import find_submissions, released_chapters


@pytest.mark.parametrize("argv", [
    ["release", "--course-dir", "DIR", "01_neurons"],
    ["release", "01_neurons", "--course-dir", "DIR"],
])
def test_both_argument_orders(argv):
    args = cli.parser().parse_args(argv)
    assert args.command == "release" and args.chapters == ["01_neurons"] and args.course_dir == Path("DIR")


def test_autograde_options():
    args = cli.parser().parse_args(["autograde", "--jobs", "3", "01_neurons", "02_layers", "--course-dir",
                                    "D", "--timeout", "7"])
    assert (args.chapters, args.jobs, args.timeout, args.course_dir) == (["01_neurons", "02_layers"], 3, 7,
                                                                         Path("D"))
    assert cli.parser().parse_args(["autograde"]).timeout == 30
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["autograde", "--jobs", "0"])


def test_autograde_of_a_missing_course_folder_says_so(tmp_path):
    with pytest.raises(SystemExit, match="there is no course folder .*release"):
        released_chapters(tmp_path / "nowhere")


def test_autograde_before_release_says_to_release_first(tmp_path):
    (tmp_path / "submitted" / "ada" / "01_neurons").mkdir(parents=True)
    with pytest.raises(SystemExit, match="nothing has been released .*tools.course release"):
        released_chapters(tmp_path)


def test_autograde_of_an_unreleased_chapter_says_so(tmp_path):
    with pytest.raises(SystemExit, match="02_layers has not been released"):
        find_submissions(tmp_path, ["01_neurons"], ["02_layers"])


def test_a_misnamed_student_folder_is_reported_with_the_likely_name(tmp_path):
    (tmp_path / "submitted" / "ada" / "01-neurons").mkdir(parents=True)
    (tmp_path / "submitted" / "bo" / "01_neurons").mkdir(parents=True)
    jobs, rows = find_submissions(tmp_path, ["01_neurons", "02_layers"], [])
    assert [(j.student, j.chapter) for j in jobs] == [("bo", "01_neurons")]
    assert len(rows) == 1 and rows[0].status == "unknown-chapter" and rows[0].student == "ada"
    assert "Did you mean 01_neurons?" in rows[0].detail and "submitted/ada/01_neurons/" in rows[0].detail


def test_no_submissions_says_where_to_put_them(tmp_path):
    with pytest.raises(SystemExit, match="no submissions .*submitted/<student>/<chapter>"):
        find_submissions(tmp_path, ["01_neurons"], [])


def test_the_package_exports_functions_even_after_its_modules_are_imported():
    import importlib

    import tools.course as course

    for module in ("releasing", "cleaning", "edition", "grading", "worker", "sandbox", "repair", "cli"):
        importlib.import_module(f"tools.course.{module}")
    for name in ("release", "autograde", "build_edition", "clean", "prepare_for_students"):
        assert callable(getattr(course, name)), name
