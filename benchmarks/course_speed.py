"""Course-level timings: executing each chapter, the whole nbval suite, a clean book build,
``make check``, the instructor workflow test (the slowest part of ``make test``) and, when asked,
the whole ``make test``.

Each job runs in its own child process, so its wall time and peak memory (the largest resident
set of any process it started, e.g. the notebook's kernel) are measured separately.

    python benchmarks/course_speed.py [--no-course] [--make-test]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Runs a command, then prints its wall time and the largest peak RSS (KiB on Linux) of any process
# in its tree (RUSAGE_CHILDREN: the command and everything it started and waited for).
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mib": peak / 1024, "returncode": code}))
"""

# Executes a notebook without writing it back (the committed outputs stay as they are).
_EXECUTE = """
import sys, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
NotebookClient(notebook, timeout=600, kernel_name="python3",
               resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}).execute()
"""


def measured(command: list[str]) -> dict:
    output = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True,
                            text=True, cwd=ROOT, check=True).stdout
    return json.loads(output)


def measure(course: bool = True, make_test: bool = False) -> list[dict]:
    """Each job once: every chapter, the nbval suite, a clean book build, ``make check``, (with
    ``course``) the instructor workflow test (nbgrader release and autograding of every chapter)
    and (with ``make_test``) the whole ``make test``, about ten minutes."""
    rows = []
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        result = measured([sys.executable, "-c", _EXECUTE, str(notebook)])
        rows.append({"job": f"execute {notebook.relative_to(ROOT)}", "target": 20, **result})
    result = measured([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "chapters"])
    rows.append({"job": "nbval suite (pytest chapters)", "target": 90, **result})
    with tempfile.TemporaryDirectory() as output:
        result = measured([str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", output,
                           "-W", "-n", "--keep-going"])
    rows.append({"job": "clean book build (-W -n)", "target": 120, **result})
    rows.append({"job": "make check (the fast tests)", "target": None,
                 **measured(["make", "check"])})
    if course:
        result = measured([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_course.py"])
        rows.append({"job": "instructor workflow (pytest tests/test_course.py)", "target": None,
                     **result})
    if make_test:
        rows.append({"job": "the whole make test", "target": None, **measured(["make", "test"])})
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| job | wall time (s) | target | peak memory (MiB) | ran cleanly |",
             "| --- | ---: | --- | ---: | --- |"]
    for r in rows:
        ok = "yes" if r["returncode"] == 0 else f"no (exit {r['returncode']})"
        target = "–" if r["target"] is None else (
            f"< {r['target']} s: {'met' if r['seconds'] < r['target'] else 'NOT met'}")
        lines.append(f"| {r['job']} | {r['seconds']:.1f} | {target} | {r['peak_mib']:.0f} | {ok} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(measure(course="--no-course" not in sys.argv,
                        make_test="--make-test" in sys.argv)))
