"""What the course tools share: the repository's folders, the chapters, atomic writes, running nbgrader."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS_DIR = ROOT / "chapters"
DEFAULT_COURSE_DIR = ROOT / "_build" / "course"
DEFAULT_EDITION_DIR = ROOT / "_build" / "course-edition"
COURSE_ID = "deep-learning-simply"
# `release` writes this file into the course folder it makes; `clean` deletes only folders that hold it.
MARKER = ".course-folder"
MARKER_TEXT = ("This folder was made by `python -m tools.course release`; "
               "`python -m tools.course clean` may delete its build output.\n")


def chapters(names: list[str]) -> list[Path]:
    """The chapter notebooks called ``names`` (``01_neurons`` or ``01_neurons.ipynb``), or all of them."""
    found = sorted(CHAPTERS_DIR.glob("*.ipynb"))
    if names:
        wanted = {Path(n).stem for n in names}
        found = [c for c in found if c.stem in wanted]
        missing = wanted - {c.stem for c in found}
        if missing:
            known = ", ".join(c.stem for c in sorted(CHAPTERS_DIR.glob("*.ipynb")))
            raise SystemExit(f"No such chapter(s): {', '.join(sorted(missing))}. The chapters are: {known}.")
    return found


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``path`` through a temporary file in the same folder and a rename: readers (and a crash)
    see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data.encode("utf-8") if isinstance(data, str) else data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; these are ordinary files
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def replace_dir_atomic(source: Path, target: Path) -> None:
    """Put the folder ``source`` at ``target`` (same file system after a copy), replacing what was there
    with two renames: ``target`` is the old folder or the new one, never a mix."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent))
    shutil.copytree(source, staging, dirs_exist_ok=True)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def tool_env() -> dict[str, str]:
    """The environment for nbgrader and the grading workers: this Python's bin/ on PATH (nbgrader runs
    alembic), and this repository importable (``python -m tools.course.worker``)."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    pythonpath = os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH", "")] if p)
    return dict(os.environ, PATH=path, PYTHONPATH=pythonpath)


def run(course_dir: Path, command: list[str], what: str) -> None:
    result = subprocess.run(command, cwd=course_dir, env=tool_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{what} failed:\n{result.stdout}\n{result.stderr}")
