"""Check a submitted notebook before grading, and restore its graded cells from the student release.

nbgrader finds a notebook's graded cells by their ``grade_id`` (cell metadata). A student who deletes a
check cell, changes a ``grade_id`` or the cell's metadata, or turns a code cell into markdown makes
``nbgrader autograde`` fail for that notebook, or score it wrongly. :func:`restore_graded_cells` puts
every graded cell of the release back into the submission (a private copy: submitted files are never
changed) and says what it restored; nbgrader then overwrites the locked cells' code from the gradebook
as usual. A deleted solution cell comes back as the release's ``raise NotImplementedError()``, so that
exercise scores 0, and the rest of the notebook is graded normally.
"""

from __future__ import annotations

import copy
import json
import uuid

import nbformat

# The metadata that decides how nbgrader grades a cell.
_GRADING_KEYS = ("grade", "grade_id", "locked", "points", "solution", "task")


class NotANotebook(ValueError):
    """The file is not a Jupyter notebook nbgrader can read (the message says why)."""


def read_notebook(data: bytes) -> nbformat.NotebookNode:
    """A submitted file as a notebook, or :class:`NotANotebook` with a short reason."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotANotebook(f"not a notebook (not UTF-8 text: {error.reason} at byte {error.start})") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise NotANotebook(f"not a notebook (invalid JSON: {error.msg} at line {error.lineno} "
                           f"column {error.colno})") from None
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # nbformat raises several kinds; all mean "not a valid notebook"
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise NotANotebook(f"not a valid notebook ({reason[:200]})") from None
    return notebook


def _nbgrader(cell) -> dict | None:
    return cell.get("metadata", {}).get("nbgrader")


def _grade_id(cell) -> str | None:
    meta = _nbgrader(cell)
    return meta.get("grade_id") if isinstance(meta, dict) else None


def _as_type(cell, cell_type: str):
    """``cell`` turned into a cell of ``cell_type`` (same source, metadata and id)."""
    make = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell,
            "raw": nbformat.v4.new_raw_cell}[cell_type]
    new = make(source=cell.source, metadata=cell.metadata)
    if "id" in cell:
        new.id = cell.id
    return new


def restore_graded_cells(submission: nbformat.NotebookNode,
                         release: nbformat.NotebookNode) -> list[str]:
    """Make every graded cell of ``release`` present, once, with its metadata and cell type, in
    ``submission`` (changed in place). Returns one sentence per change, in notebook order."""
    notes: list[str] = []
    released = {_grade_id(c): c for c in release.cells if _grade_id(c)}
    released_by_cell_id = {c.id: c for c in release.cells if _grade_id(c) and "id" in c}
    seen: set[str] = set()
    for index, cell in enumerate(submission.cells):
        grade_id = _grade_id(cell)
        original = released.get(grade_id) if grade_id not in seen else None
        if original is None:
            by_id = released_by_cell_id.get(cell.get("id"))
            if by_id is not None and _grade_id(by_id) not in seen:
                original = by_id
                if grade_id is None:
                    notes.append(f"cell {_grade_id(by_id)} had lost its grading metadata: restored")
                else:
                    notes.append(f"cell {_grade_id(by_id)} had its grade_id changed to {grade_id!r}: "
                                 "restored")
            elif _nbgrader(cell) is not None:
                del cell.metadata["nbgrader"]
                why = "is a second copy" if grade_id in seen else "is not in the release"
                notes.append(f"a cell marked {grade_id!r} {why}: graded as an ordinary cell")
                continue
            else:
                continue
        wanted = original.metadata["nbgrader"]
        current = _nbgrader(cell) if isinstance(_nbgrader(cell), dict) else {}
        if any(current.get(key) != wanted.get(key) for key in _GRADING_KEYS):
            if grade_id == _grade_id(original):
                notes.append(f"cell {grade_id} had its grading metadata changed: restored")
            cell.metadata["nbgrader"] = copy.deepcopy(wanted)
        if cell.cell_type != original.cell_type:
            notes.append(f"cell {_grade_id(original)} was turned into {cell.cell_type}: restored to "
                         f"{original.cell_type}")
            submission.cells[index] = cell = _as_type(cell, original.cell_type)
        seen.add(_grade_id(original))

    cell_ids = {c.get("id") for c in submission.cells}
    for position, cell in enumerate(release.cells):
        grade_id = _grade_id(cell)
        if not grade_id or grade_id in seen:
            continue
        # After the submission's copy of the nearest earlier release cell that it still has.
        at = 0
        for earlier in reversed(release.cells[:position]):
            matches = [i for i, c in enumerate(submission.cells)
                       if (_grade_id(earlier) and _grade_id(c) == _grade_id(earlier))
                       or ("id" in earlier and c.get("id") == earlier.id)]
            if matches:
                at = matches[0] + 1
                break
        restored = copy.deepcopy(cell)
        if restored.get("id") in cell_ids:
            restored.id = uuid.uuid4().hex[:8]
        cell_ids.add(restored.get("id"))
        submission.cells.insert(at, restored)
        seen.add(grade_id)
        notes.append(f"cell {grade_id} was deleted: restored from the release")
    return notes
