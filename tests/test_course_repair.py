"""tools.course.repair: reading a submitted file, and restoring the release's graded cells into it."""

from __future__ import annotations

import json

import nbformat
import pytest

from tools.course.repair import NotANotebook, read_notebook, restore_graded_cells


def _meta(grade_id: str, *, grade: bool, solution: bool) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = 1
    return {"nbgrader": meta}


def _release() -> nbformat.NotebookNode:
    v4 = nbformat.v4
    cells = [v4.new_markdown_cell("intro"),
             v4.new_code_cell("raise NotImplementedError()", metadata=_meta("ex-solution", grade=False,
                                                                            solution=True)),
             v4.new_code_cell("check(x)", metadata=_meta("ex-check", grade=True, solution=False)),
             v4.new_markdown_cell("YOUR ANSWER HERE", metadata=_meta("ex-answer", grade=True, solution=True)),
             v4.new_markdown_cell("the end")]
    for index, cell in enumerate(cells):
        cell.id = f"cell-{index}"
    return v4.new_notebook(cells=cells)


def _copy(notebook):
    return nbformat.from_dict(json.loads(nbformat.writes(notebook)))


def _ids(notebook) -> list:
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in notebook.cells]


def test_an_untouched_submission_needs_nothing():
    submission = _copy(_release())
    submission.cells[1].source = "x = 1"
    assert restore_graded_cells(submission, _release()) == []
    assert submission.cells[1].source == "x = 1"


def test_a_deleted_check_cell_comes_back_in_its_place():
    submission = _copy(_release())
    del submission.cells[2]
    notes = restore_graded_cells(submission, _release())
    assert notes == ["cell ex-check was deleted: restored from the release"]
    assert _ids(submission) == _ids(_release())
    assert submission.cells[2].source == "check(x)"


def test_a_deleted_solution_cell_comes_back_unsolved():
    submission = _copy(_release())
    del submission.cells[1]
    restore_graded_cells(submission, _release())
    assert submission.cells[1].source == "raise NotImplementedError()"


def test_a_changed_grade_id_is_restored_by_the_cell_id():
    submission = _copy(_release())
    submission.cells[2].metadata.nbgrader.grade_id = "mine"
    submission.cells[1].source = "x = 1"
    notes = restore_graded_cells(submission, _release())
    assert notes == ["cell ex-check had its grade_id changed to 'mine': restored"]
    assert _ids(submission) == _ids(_release())


def test_changed_points_and_cell_type_are_restored():
    submission = _copy(_release())
    submission.cells[2].metadata.nbgrader.points = 100
    submission.cells[2] = nbformat.v4.new_markdown_cell("check(x)", metadata=submission.cells[2].metadata)
    submission.cells[2].id = "cell-2"
    notes = restore_graded_cells(submission, _release())
    assert "cell ex-check had its grading metadata changed: restored" in notes
    assert "cell ex-check was turned into markdown: restored to code" in notes
    assert submission.cells[2].cell_type == "code" and submission.cells[2].metadata.nbgrader.points == 1
    nbformat.validate(submission)


def test_an_unknown_or_duplicated_grade_id_becomes_an_ordinary_cell():
    submission = _copy(_release())
    copy = _copy(submission).cells[1]
    copy.id = "my-copy"
    submission.cells.insert(2, copy)
    stranger = nbformat.v4.new_code_cell("y = 2", metadata=_meta("not-ours", grade=True, solution=False))
    submission.cells.append(stranger)
    notes = restore_graded_cells(submission, _release())
    assert "a cell marked 'ex-solution' is a second copy: graded as an ordinary cell" in notes
    assert "a cell marked 'not-ours' is not in the release: graded as an ordinary cell" in notes
    assert [i for i in _ids(submission) if i] == [i for i in _ids(_release()) if i]


@pytest.mark.parametrize("data, reason", [
    (b'{"cells": [', "invalid JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (b'{"hello": 1}', "not a valid notebook"),
    (b"[]", "not a valid notebook"),
])
def test_files_that_are_not_notebooks_are_named_so(data, reason):
    with pytest.raises(NotANotebook, match=reason):
        read_notebook(data)


def test_a_notebook_reads():
    assert read_notebook(nbformat.writes(_release()).encode()).cells[1].source.startswith("raise")
