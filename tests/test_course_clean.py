"""``python -m tools.course clean`` deletes build output only: never a repository, never students' work
or grades unless asked (``--include-grades``); and ``make clean`` keeps the course folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tools.course.cleaning import BUILD_OUTPUT, GRADES, clean
from tools.course.common import MARKER

ROOT = Path(__file__).resolve().parent.parent


def _course(folder: Path) -> Path:
    """A fake course folder, as `release` and `autograde` leave it."""
    (folder / MARKER).parent.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by release\n")
    for name in BUILD_OUTPUT + GRADES:
        if "." in name:
            (folder / name).write_text("x")
        else:
            (folder / name / "ada").mkdir(parents=True)
            (folder / name / "ada" / "file.ipynb").write_text("{}")
    return folder


def test_clean_refuses_the_repository_root():
    before = sorted(p.name for p in ROOT.iterdir())
    with pytest.raises(SystemExit, match="refusing to clean .*pyproject.toml|refusing to clean .*\\.git"):
        clean(ROOT, include_grades=True)
    assert sorted(p.name for p in ROOT.iterdir()) == before


@pytest.mark.parametrize("guard", [".git", "pyproject.toml"])
def test_clean_refuses_a_folder_holding_a_repository_or_project(tmp_path, guard):
    course = _course(tmp_path / "course")
    (course / guard).mkdir() if guard == ".git" else (course / guard).write_text("")
    with pytest.raises(SystemExit, match=f"holds {guard}"):
        clean(course, include_grades=True)
    assert (course / "submitted" / "ada" / "file.ipynb").exists()
    assert (course / "source").exists()


def test_clean_refuses_a_folder_release_did_not_make(tmp_path):
    (tmp_path / "mine" / "source").mkdir(parents=True)
    with pytest.raises(SystemExit, match=f"no {MARKER}"):
        clean(tmp_path / "mine")
    assert (tmp_path / "mine" / "source").exists()


def test_clean_keeps_submissions_and_grades_unless_asked(tmp_path):
    course = _course(tmp_path / "course")
    clean(course)
    for name in BUILD_OUTPUT:
        assert not (course / name).exists(), name
    for name in GRADES:
        assert (course / name).exists(), f"clean deleted {name} without --include-grades"
    clean(course, include_grades=True)
    assert not course.exists()


def test_clean_of_a_missing_folder_does_nothing(tmp_path):
    assert clean(tmp_path / "nowhere") == []


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_clean_keeps_the_course_folder(tmp_path):
    """`make clean` in a copy of the Makefile's folder layout: _build goes, _build/course stays."""
    (tmp_path / "Makefile").write_text((ROOT / "Makefile").read_text())
    (tmp_path / "tools").mkdir()
    (tmp_path / "_build" / "html").mkdir(parents=True)
    (tmp_path / "_build" / "html" / "index.html").write_text("")
    course = _course(tmp_path / "_build" / "course")
    result = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "_build" / "html").exists()
    assert (course / "submitted" / "ada" / "file.ipynb").exists()
    assert (course / "gradebook.db").exists()
