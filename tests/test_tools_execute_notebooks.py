"""tools/execute_notebooks.py: what it accepts, and the sentence it gives for what it does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import execute_notebooks

ROOT = Path(__file__).resolve().parent.parent


def small_notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    nbformat.write(notebook, path)
    return path


def run(capsys, *arguments) -> tuple[int, str, str]:
    code = execute_notebooks.main([str(argument) for argument in arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_missing_file_is_named_and_nothing_runs(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path / "nowhere.ipynb")
    assert code == 2
    assert f"{tmp_path / 'nowhere.ipynb'}: no such file" in err
    assert "Nothing was executed" in err and ".ipynb" in err
    assert "executing" not in out


def test_a_file_that_is_not_a_notebook_is_refused(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("hello\n", encoding="utf-8")
    code, _, err = run(capsys, text)
    assert code == 2 and "notes.txt: not a notebook (.ipynb) file" in err


def test_an_unreadable_ipynb_and_a_folder_are_refused(tmp_path, capsys):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not json", encoding="utf-8")
    code, _, err = run(capsys, broken, tmp_path)
    assert code == 2
    assert "broken.ipynb: not a readable notebook" in err
    assert f"{tmp_path}: a folder, not a notebook" in err


def test_one_bad_name_stops_the_good_notebooks_too(tmp_path, capsys):
    good = small_notebook(tmp_path / "good.ipynb")
    before = good.read_bytes()
    code, _, _ = run(capsys, good, tmp_path / "missing.ipynb")
    assert code == 2
    assert good.read_bytes() == before


def test_run_as_a_module_from_the_root(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tools.execute_notebooks", str(tmp_path / "x.ipynb")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_notebook_outside_the_repository_is_executed_in_place(tmp_path, capsys):
    path = small_notebook(tmp_path / "outside.ipynb")
    code, out, err = run(capsys, path)
    assert code == 0, err
    assert f"executing {path} ..." in out
    notebook = nbformat.read(path, as_version=4)
    assert notebook.cells[0].outputs[0]["text"] == "42\n"
    assert notebook.cells[0].execution_count == 1
