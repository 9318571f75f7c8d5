"""Re-execute notebooks in place, top to bottom in one fresh kernel, and store their outputs.

Usage::

    python -m tools.execute_notebooks                      # every notebook in chapters/
    python -m tools.execute_notebooks chapters/01_neurons.ipynb [more.ipynb ...]

Run it from the repository's root (``make execute`` does). It accepts Jupyter notebook files
(``.ipynb``), in the repository or anywhere else; every name is checked before any notebook runs.

Each notebook runs with its own folder as the working directory, in a kernel of the Python that runs
this script (the project's environment). Afterwards every cell's ``metadata.execution`` timestamps are
removed so that re-running a notebook without changes gives no diff, and each cell's printed text is
joined into one output (as it was printed, however the kernel happened to send it). A failing cell
stops the run with the notebook's name and the error, and the notebook on disk is left untouched.
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
CHAPTERS = ROOT / "chapters"


def all_notebooks() -> list[Path]:
    """Every chapter notebook, in reading order."""
    return sorted(CHAPTERS.glob("*.ipynb"))


def strip_execution_metadata(notebook: nbformat.NotebookNode) -> None:
    """Remove per-cell timestamps that nbclient records; they only make noisy diffs."""
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.metadata.pop("collapsed", None)


def coalesce_streams(notebook: nbformat.NotebookNode) -> None:
    """Join each cell's consecutive outputs to the same stream (stdout, stderr) into one.

    The kernel sends printed text in chunks as it flushes, so one ``print`` can arrive as two
    outputs, depending on the machine's load; the book would show each as its own box.
    """
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        joined = []
        for output in cell.outputs:
            previous = joined[-1] if joined else None
            if (output.output_type == "stream" and previous is not None
                    and previous.output_type == "stream" and previous.name == output.name):
                previous.text += output.text
            else:
                joined.append(output)
        cell.outputs = joined


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
    coalesce_streams(notebook)
    # Write atomically: a failed or interrupted write never leaves half a notebook behind.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".ipynb.tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        nbformat.write(notebook, stream)
    os.chmod(temporary, 0o644)  # mkstemp creates files readable by their owner only
    os.replace(temporary, path)
    return seconds


ACCEPTS = "give notebook files (.ipynb), e.g. chapters/01_neurons.ipynb, or nothing for every chapter"


def shown(path: Path) -> str:
    """The path relative to the repository when it is inside it, else as it is."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def problem_with(path: Path) -> str | None:
    """Why ``path`` cannot be executed as a notebook, or None when it can."""
    if not path.exists():
        return "no such file"
    if path.is_dir():
        return "a folder, not a notebook"
    if path.suffix != ".ipynb":
        return "not a notebook (.ipynb) file"
    try:
        nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001 - any reason the file does not parse as a notebook
        return f"not a readable notebook ({type(error).__name__}: {str(error).splitlines()[0][:200]})"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: all)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or all_notebooks()
    problems = [(given, problem_with(path)) for given, path in zip(args.notebooks, paths)]
    problems = [(given, problem) for given, problem in problems if problem]
    for given, problem in problems:
        print(f"{given}: {problem}", file=sys.stderr)
    if problems:
        print(f"Nothing was executed: {ACCEPTS}.", file=sys.stderr)
        return 2
    for path in paths:
        print(f"executing {shown(path)} ...", end=" ", flush=True)
        try:
            seconds = execute(path)
        except Exception as error:  # noqa: BLE001 - report any kernel error with the file name
            print("FAILED")
            print(f"{shown(path)}: {error}", file=sys.stderr)
            return 1
        print(f"{seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
