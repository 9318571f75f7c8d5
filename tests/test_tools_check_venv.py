"""tools/check_venv.sh, which the Makefile runs before every target that uses .venv.

Each test builds a small environment folder in a temporary directory: a real one (``python -m venv``
without pip), or one whose ``bin/python`` is a stand-in (a script that runs this Python, one that
reports an old version, a link to a removed interpreter). The real .venv is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "check_venv.sh"
SH = shutil.which("sh")

pytestmark = pytest.mark.skipif(SH is None, reason="needs a POSIX sh")


def check(venv: Path, python: str = sys.executable, *extra: str, cwd: Path | None = None
          ) -> subprocess.CompletedProcess:
    return subprocess.run([SH, str(SCRIPT), str(venv), python, *extra], capture_output=True, text=True,
                          timeout=60, cwd=cwd)


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


def this_python(venv: Path) -> Path:
    """A venv folder whose bin/python runs the Python (and packages) of this test session."""
    return executable(venv / "bin" / "python", f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')


def old_python(path: Path) -> Path:
    """A stand-in for a Python 3.9 interpreter: it answers the version question with 3.9."""
    return executable(path, "#!/bin/sh\necho 3.9\n")


def set_up_programs(venv: Path) -> None:
    """The programs make runs from a set-up venv, started by its bin/python."""
    for program in ("jupyter-book", "pytest"):
        executable(venv / "bin" / program, f"#!{venv / 'bin' / 'python'}\nprint('{program}')\n")


def test_a_working_set_up_venv_is_ok_and_keeps_its_stamps(tmp_path):
    venv = tmp_path / ".venv"
    this_python(venv)
    set_up_programs(venv)
    stamps = [venv / ".installed-book", venv / ".installed"]
    for stamp in stamps:
        stamp.touch()
    result = check(venv)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert all(stamp.exists() for stamp in stamps)


def test_a_venv_made_with_python_3_9_is_refused_with_what_to_do(tmp_path):
    venv = tmp_path / ".venv"
    old_python(venv / "bin" / "python")
    result = check(venv)
    assert result.returncode == 1
    assert result.stdout.strip() == ""
    assert "made with Python 3.9" in result.stderr
    assert "3.10 or newer" in result.stderr
    assert "make distclean" in result.stderr
    assert "make PYTHON=" in result.stderr


def test_a_venv_whose_python_was_removed_is_called_broken(tmp_path):
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(tmp_path / "removed" / "python3.12")
    result = check(venv)
    assert result.returncode == 1
    assert "broken" in result.stderr and "removed" in result.stderr
    assert str(tmp_path / "removed" / "python3.12") in result.stderr
    assert "make distclean" in result.stderr


def test_a_program_missing_while_its_package_is_installed_is_called_damaged(tmp_path):
    pytest.importorskip("jupyter_book", reason="needs the book extra")
    venv = tmp_path / ".venv"
    this_python(venv)
    (venv / ".installed-book").touch()
    result = check(venv)
    assert result.returncode == 1
    assert "jupyter-book is missing although its package is installed" in result.stderr
    assert "make distclean" in result.stderr


def test_a_moved_venv_is_found_by_its_programs_interpreter(tmp_path):
    venv = tmp_path / ".venv"
    this_python(venv)
    executable(venv / "bin" / "jupyter-book", "#!/somewhere/else/.venv/bin/python\nprint('hi')\n")
    (venv / ".installed-book").touch()
    result = check(venv)
    assert result.returncode == 1
    assert "moved or copied" in result.stderr and "/somewhere/else/.venv/bin/python" in result.stderr
    assert "make distclean" in result.stderr


@pytest.fixture(scope="module")
def bare_venv(tmp_path_factory) -> Path:
    """A real virtual environment with nothing installed, not even pip (each test sets its stamps)."""
    venv = tmp_path_factory.mktemp("bare") / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    return venv


def test_missing_packages_remove_the_stamp_so_make_installs_them_again(bare_venv):
    venv = bare_venv
    stamp = venv / ".installed-book"
    stamp.touch()
    # Run from a folder holding dlkit's metadata, as the repository does after `pip install -e .`
    # (dlkit.egg-info): only what the environment itself holds counts.
    folder = venv.parent / "repository"
    (folder / "dlkit-0.1.0.dist-info").mkdir(parents=True, exist_ok=True)
    (folder / "dlkit-0.1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: dlkit\nVersion: 0.1.0\nRequires-Dist: numpy\n", encoding="utf-8")
    result = check(venv, cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert "lacks packages it was set up with (dlkit)" in result.stderr
    assert not stamp.exists()


def test_a_venv_without_pip_and_not_yet_set_up_is_refused(bare_venv):
    for stamp in bare_venv.glob(".installed*"):
        stamp.unlink()
    result = check(bare_venv)
    assert result.returncode == 1
    assert "has no pip" in result.stderr and "python3-venv" in result.stderr


def test_without_a_venv_the_python_that_creates_it_is_checked(tmp_path):
    assert check(tmp_path / ".venv").stdout.strip() == "ok"
    old = old_python(tmp_path / "python3.9")
    result = check(tmp_path / ".venv", str(old))
    assert result.returncode == 1
    assert "is Python 3.9" in result.stderr and "make PYTHON=" in result.stderr
    missing = check(tmp_path / ".venv", str(tmp_path / "no-such-python"))
    assert missing.returncode == 1 and "does not run" in missing.stderr


def test_fresh_ignores_the_venv_about_to_be_removed(tmp_path):
    venv = tmp_path / ".venv"
    old_python(venv / "bin" / "python")
    assert check(venv).returncode == 1
    result = check(venv, sys.executable, "--fresh")
    assert result.returncode == 0 and result.stdout.strip() == "ok"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_stops_before_using_an_old_venv_but_can_still_remove_it(tmp_path):
    venv = tmp_path / ".venv"
    old_python(venv / "bin" / "python")

    def make(*goals: str) -> subprocess.CompletedProcess:
        return subprocess.run(["make", "-n", *goals, f"VENV={venv}"], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)

    book = make("book")
    assert book.returncode != 0
    assert "made with Python 3.9" in book.stderr and "make distclean" in book.stderr
    assert "pip install" not in book.stdout and "jupyter-book" not in book.stdout
    assert make("help").returncode == 0
    distclean = make("distclean")
    assert distclean.returncode == 0 and f"rm -rf {venv}" in distclean.stdout
