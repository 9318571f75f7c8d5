"""tools.course.common: results are written whole or not at all."""

from __future__ import annotations

import os

import pytest

from tools.course import common


def test_write_atomic_replaces_the_whole_file(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("old\n")
    common.write_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv"]
    assert os.stat(path).st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_debris(tmp_path, monkeypatch):
    path = tmp_path / "grades.csv"
    path.write_text("old\n")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(common.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        common.write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv"]


def test_replace_dir_atomic_swaps_a_folder(tmp_path):
    old, new = tmp_path / "autograded" / "ada", tmp_path / "made"
    old.mkdir(parents=True)
    (old / "stale.ipynb").write_text("{}")
    new.mkdir()
    (new / "01_neurons.ipynb").write_text("{}")
    common.replace_dir_atomic(new, old)
    assert sorted(p.name for p in old.iterdir()) == ["01_neurons.ipynb"]
    assert sorted(p.name for p in old.parent.iterdir()) == ["ada"]
