"""Grade one submission in its own process: ``python -m tools.course.worker <job.json>``.

The job names a private copy of the course (a copy of the gradebook and of this one submission, made by
:mod:`tools.course.grading`), the chapter, the student, the per-cell time limit and whether to sandbox
the kernel. The worker runs nbgrader's ``autograde`` and ``generate_feedback`` there, with the kernel
in the sandbox (:mod:`tools.course.sandbox`), and writes ``result.json`` next to the job: success,
nbgrader's error, and what happened while the notebook ran (cells stopped at the time limit, a kernel
that died). Grades stay in the private gradebook, which the parent merges into the course's.

A cell that kills its kernel (``os._exit``, a crash) or that ignores the interrupt at its time limit
would stop nbclient, and nbgrader with it. Here the notebook is then run again from the top with that
cell replaced by one that raises an error saying why, so the rest of the notebook is still graded.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
import tempfile
from pathlib import Path

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.apps import NbGraderAPI
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    Execute,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)
from traitlets.config import Config

from tools.course.common import COURSE_ID
from tools.course.sandbox import Sandbox, SandboxKernelManager

# How often a notebook is run again without a cell that stopped the kernel, before giving up.
MAX_RERUNS = 3
_SKIPPED = {
    "kernel-died": "This cell was not run during grading: it stopped the Python kernel "
                   "(os._exit, a crash, or too much memory).",
    "unresponsive": "This cell was not run during grading: it ran past the time limit and did not stop "
                    "when interrupted.",
}


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


class GradingExecute(Execute):
    """nbgrader's Execute, with the kernel in the sandbox, recording timeouts and kernel deaths."""

    events: list[dict] = []  # one submission per process

    def __init__(self, **kwargs):
        if SandboxKernelManager.sandbox is not None:
            kwargs["kernel_manager_class"] = SandboxKernelManager
        super().__init__(**kwargs)
        self._cell_index = -1

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self._cell_index = cell_index
        cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError"
               for o in cell.get("outputs", [])):
            self.events.append({"kind": "timeout", "cell": cell_index + 1, "grade_id": _grade_id(cell)})
        return cell

    execute_cell = run_sync(async_execute_cell)

    def preprocess(self, nb, resources=None, km=None):
        for rerun in range(MAX_RERUNS + 1):
            attempt = copy.deepcopy(nb)
            try:
                result, resources = super().preprocess(attempt, resources, km)
            except (DeadKernelError, CellTimeoutError) as error:
                kind = "kernel-died" if isinstance(error, DeadKernelError) else "unresponsive"
                index = self._cell_index
                if index < 0 or rerun == MAX_RERUNS:
                    raise
                self.events.append({"kind": kind, "cell": index + 1, "grade_id": _grade_id(nb.cells[index])})
                nb.cells[index].source = f"raise RuntimeError({_SKIPPED[kind]!r})"
                nb.cells[index].outputs = []
                continue
            nb.cells = result.cells
            return nb, resources
        raise AssertionError("unreachable")


def config(root: Path, timeout: int) -> Config:
    c = Config()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = COURSE_ID
    c.Execute.timeout = timeout
    c.Autograde.autograde_preprocessors = [GradingExecute, IgnorePattern, ClearMetadataPreprocessor,
                                           LimitOutput, SaveAutoGrades, AssignLatePenalties,
                                           CheckCellMetadata]
    return c


def _tail(result: dict) -> str:
    """The last lines of nbgrader's error (or log) that say what went wrong."""
    text = (result.get("error") or result.get("log") or "").strip().splitlines()
    return "\n".join(text[-3:])


def grade(job: dict) -> dict:
    root = Path(job["root"])
    if job.get("bwrap"):
        SandboxKernelManager.sandbox = Sandbox(job["bwrap"])
        # A short folder: the kernel's Unix sockets live there, and their paths may not exceed 107 bytes.
        SandboxKernelManager.runtime_root = tempfile.mkdtemp(prefix="k")
    try:
        return _grade(job, root)
    finally:
        if SandboxKernelManager.runtime_root:
            shutil.rmtree(SandboxKernelManager.runtime_root, ignore_errors=True)


def _grade(job: dict, root: Path) -> dict:
    api = NbGraderAPI(config=config(root, job["timeout"]))
    graded = api.autograde(job["chapter"], job["student"], force=True, create=True)
    result = {"success": bool(graded["success"]), "events": GradingExecute.events, "error": ""}
    if not graded["success"]:
        result["error"] = _tail(graded)
        return result
    feedback = api.generate_feedback(job["chapter"], job["student"], force=True)
    result["feedback"] = bool(feedback["success"])
    if not feedback["success"]:
        result["feedback_error"] = _tail(feedback)
    return result


def main(argv: list[str]) -> int:
    job_file = Path(argv[0])
    job = json.loads(job_file.read_text(encoding="utf-8"))
    result = grade(job)
    (job_file.parent / "result.json").write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
