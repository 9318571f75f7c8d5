"""tools.course.sandbox: what a program in the grading sandbox can see, write and reach.

Skipped without bubblewrap (apt-get install bubblewrap); in CI (``CI=true``, which installs it) a
missing sandbox fails instead."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tools.course.sandbox import MEMORY_BYTES, SUBMISSION, WORK, find_sandbox

ROOT = Path(__file__).resolve().parent.parent
SANDBOX, MESSAGE = find_sandbox()
if SANDBOX is None and os.environ.get("CI"):
    pytest.fail(MESSAGE, pytrace=False)
pytestmark = pytest.mark.skipif(SANDBOX is None, reason=MESSAGE)


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    submission, runtime = tmp_path / "submission", tmp_path / "runtime"
    submission.mkdir(exist_ok=True)
    runtime.mkdir(exist_ok=True)
    (submission / "data.txt").write_text("the student's file")
    command = SANDBOX.command([sys.executable, "-c", code], submission=submission, runtime=runtime)
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_sees_its_submission_copy_and_dlkit_only(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("solutions")
    result = _run(f"""
import os, dlkit
print(os.getcwd(), open("data.txt").read())
for path in [{str(secret)!r}, {str(ROOT / "chapters")!r}, {str(ROOT / "pyproject.toml")!r}, "/etc/passwd"]:
    print(path, os.path.exists(path) and bool(os.listdir(path) if os.path.isdir(path) else True))
""", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{WORK} the student's file"
    assert all(line.endswith("False") for line in lines[1:]), lines


def test_writes_only_its_scratch_copy(tmp_path):
    result = _run(f"""
import os
open("data.txt", "w").write("changed")  # the work copy: allowed
for path in ["{SUBMISSION}/data.txt", "{ROOT / 'dlkit' / 'x.py'}", "/usr/x", "{sys.prefix}/x"]:
    try:
        open(path, "w").write("x")
        print("wrote", path)
    except OSError as error:
        print("refused", path, error.errno)
""", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "wrote" not in result.stdout, result.stdout
    assert (tmp_path / "submission" / "data.txt").read_text() == "the student's file"
    assert not (ROOT / "dlkit" / "x.py").exists()


def test_has_no_network(tmp_path):
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(3)
    port = server.getsockname()[1]
    try:
        result = _run(f"""
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
    print("connected")
except OSError as error:
    print("refused", error)
""", tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("refused"), result.stdout
    finally:
        server.close()


def test_runs_without_capabilities_as_an_ordinary_user(tmp_path):
    result = _run("print(open('/proc/self/status').read())", tmp_path)
    status = dict(line.split(":\t", 1) for line in result.stdout.splitlines() if ":\t" in line)
    assert int(status["CapEff"].strip(), 16) == 0
    assert status["Uid"].split()[0] == "1000"


def test_memory_is_capped(tmp_path):
    result = _run("""
import numpy
try:
    numpy.ones(MEMORY // 4)  # twice the cap, in 8-byte numbers
    print("allocated")
except MemoryError:
    print("MemoryError")
""".replace("MEMORY", str(MEMORY_BYTES)), tmp_path)
    assert result.stdout.strip() == "MemoryError", result.stdout + result.stderr


def test_python_and_dlkit_stay_visible_when_they_live_under_tmp(tmp_path):
    """The sandbox's /tmp is empty; a Python or a repository under /tmp (a CI clone) is mounted on top."""
    from tools.course.sandbox import Sandbox, _python_mounts

    args = Sandbox("bwrap").command(["python"], submission=tmp_path, runtime=tmp_path)
    empty_tmp = args.index("/tmp", args.index("--tmpfs"))
    for source, target in _python_mounts():
        mount = next(i for i in range(len(args) - 2) if args[i:i + 3] == ["--ro-bind", source, target])
        assert mount > empty_tmp, f"{target} is mounted before /tmp is emptied, so it would be hidden"
