"""Re-execute notebooks in place, top to bottom in one fresh kernel, and store their outputs.

Usage::

    python tools/execute_notebooks.py                      # every notebook in chapters/
    python tools/execute_notebooks.py chapters/01_neurons.ipynb

Each notebook runs with its own folder as the working directory, in a kernel of the Python that runs
this script (the project's environment). Afterwards every cell's ``metadata.execution`` timestamps are
removed so that re-running a notebook without changes gives no diff. A failing cell stops the run with
the notebook's name and the error, and the notebook on disk is left untouched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_FOLDERS = ["chapters"]


def all_notebooks() -> list[Path]:
    """Every notebook of the course, in reading order."""
    found = []
    for folder in NOTEBOOK_FOLDERS:
        found += sorted((ROOT / folder).glob("*.ipynb"))
    return found


def strip_execution_metadata(notebook: nbformat.NotebookNode) -> None:
    """Remove per-cell timestamps that nbclient records; they only make noisy diffs."""
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.metadata.pop("collapsed", None)


def execute(path: Path, timeout: int = 300) -> float:
    """Execute one notebook in place; return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    strip_execution_metadata(notebook)
    # Write atomically: a failed or interrupted write never leaves half a notebook behind.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".ipynb.tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        nbformat.write(notebook, stream)
    os.chmod(temporary, 0o644)  # mkstemp creates files readable by their owner only
    os.replace(temporary, path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: all)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or all_notebooks()
    for path in paths:
        print(f"executing {path.relative_to(ROOT)} ...", end=" ", flush=True)
        try:
            seconds = execute(path)
        except Exception as error:  # noqa: BLE001 - report any kernel error with the file name
            print("FAILED")
            print(f"{path.relative_to(ROOT)}: {error}", file=sys.stderr)
            return 1
        print(f"{seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
