"""The book pipeline: the table of contents, the warning-free build, notebook hygiene, and nbval.

- every _toc.yml entry exists;
- ``jupyter-book build . -W -n --keep-going`` succeeds (once per session, into a temporary folder)
  and writes an index.html and one page per _toc entry;
- every chapter notebook is executed in one run, top to bottom, seeded, without timestamps, with a
  kernelspec and alt text on every image;
- nbval fails when a committed output is edited (checked on a tiny self-made notebook).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
SOURCE_SUFFIXES = (".md", ".ipynb")


# ---------------------------------------------------------------------------------------------
# Table of contents


def toc_entries() -> list[str]:
    """Every document named in _toc.yml (root first), as paths relative to the repo, no suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc["root"]]

    def walk(items):
        for item in items or []:
            if "file" in item:
                entries.append(item["file"])
            for key in ("parts", "chapters", "sections"):
                walk(item.get(key))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return entries


def source_of(entry: str) -> Path | None:
    """The .md or .ipynb file of a toc entry, or None when it does not exist."""
    for suffix in SOURCE_SUFFIXES:
        path = ROOT / (entry + suffix)
        if path.is_file():
            return path
    return None


def test_toc_is_jb_book_with_the_expected_parts():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    assert toc["format"] == "jb-book"
    assert toc["root"] == "book/intro"
    captions = [part["caption"] for part in toc["parts"]]
    assert captions == ["Getting started", "Chapters", "Reference"]


@pytest.mark.parametrize("entry", toc_entries())
def test_toc_entry_exists(entry):
    assert source_of(entry) is not None, f"_toc.yml lists {entry}, but no {entry}.md/.ipynb exists"


def test_toc_entries_are_unique():
    entries = toc_entries()
    assert len(entries) == len(set(entries))


# ---------------------------------------------------------------------------------------------
# The build


# The build itself is the session fixture `built_book` (tests/conftest.py).


@pytest.mark.book
def test_book_builds_without_warnings(built_book):
    result, html = built_book
    log = result.stdout[-6000:] + result.stderr[-6000:]
    assert result.returncode == 0, f"jupyter-book build -W -n --keep-going failed:\n{log}"
    assert (html / "index.html").is_file()


@pytest.mark.book
@pytest.mark.parametrize("entry", toc_entries())
def test_book_has_a_page_per_toc_entry(built_book, entry):
    result, html = built_book
    if result.returncode != 0:
        pytest.fail("the book build failed (see test_book_builds_without_warnings)")
    assert (html / f"{entry}.html").is_file(), f"no page for {entry}"


@pytest.mark.book
def test_book_has_search_glossary_and_bibliography(built_book):
    result, html = built_book
    if result.returncode != 0:
        pytest.fail("the book build failed (see test_book_builds_without_warnings)")
    assert (html / "search.html").is_file()
    assert (html / "searchindex.js").is_file()
    glossary = (html / "book" / "glossary.html").read_text(encoding="utf-8")
    assert 'id="term-Neuron"' in glossary
    references = (html / "book" / "references.html").read_text(encoding="utf-8").lower()
    assert "learning representations by back-propagating errors" in references


@pytest.mark.book
def test_pages_do_not_load_the_themes_fontawesome_script(built_book):
    """The theme's 1.5 MB fontawesome.js is dropped (book/_ext/site_fixes.py): the theme's CSS
    draws the icons (tests/test_browser.py checks they show)."""
    result, html = built_book
    if result.returncode != 0:
        pytest.fail("the book build failed (see test_book_builds_without_warnings)")
    pages = list(html.rglob("*.html"))
    assert len(pages) > 10
    assert [page.name for page in pages if "fontawesome.js" in page.read_text(encoding="utf-8")] == []
    assert (html / "_static" / "vendor" / "fontawesome").is_dir()  # the CSS's web fonts stay


# The sources `make book` reads, copied into a temporary folder for a build that breaks on purpose.
BOOK_SOURCES = ["Makefile", "pyproject.toml", "_config.yml", "_toc.yml", "book", "chapters", "tools"]
BROKEN_LABEL = "no-such-label-anywhere"


@pytest.mark.book
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_book_fails_every_time_while_a_warning_remains(tmp_path):
    """`make book` twice on a copy of the book with a broken cross-reference: both builds fail, each
    on that reference alone. (An incremental Sphinx build would not re-read the unchanged page, and
    the second `-W` build would succeed.)"""
    copy = tmp_path / "course"
    copy.mkdir()
    for name in BOOK_SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    page = copy / "book" / "how_to_use.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nSee {{ref}}`{BROKEN_LABEL}`.\n",
                    encoding="utf-8")
    # A set-up .venv for the copy that runs this session's Python and jupyter-book (no install).
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    if not jupyter_book.exists():
        pytest.skip("jupyter-book is not installed (pip install -e '.[book]')")
    (venv / "bin" / "jupyter-book").symlink_to(jupyter_book)
    (venv / ".installed-book").touch()  # newer than the copied pyproject.toml: make installs nothing

    for attempt in (1, 2):
        result = subprocess.run(["make", "book", f"VENV={venv}"], cwd=copy, capture_output=True,
                                text=True, timeout=600, stdin=subprocess.DEVNULL)
        log = result.stdout + result.stderr
        assert "pip install" not in result.stdout
        assert result.returncode != 0, f"make book #{attempt} passed with a broken reference:\n{log[-3000:]}"
        # Sphinx's warnings ("file:line: WARNING: ..."), not the kernel's log lines ("WARNING |")
        warnings = [line for line in log.splitlines() if "WARNING:" in line]
        assert warnings, f"make book #{attempt} failed without a warning:\n{log[-3000:]}"
        assert all(BROKEN_LABEL in line for line in warnings), "\n".join(warnings)


# ---------------------------------------------------------------------------------------------
# Notebook hygiene (every chapter)

SEED_PATTERN = re.compile(
    r"dlkit\.seed\(|\bseed\(|default_rng\(|np\.random\.seed\(|random\.seed\(|manual_seed\("
)


def code_cells(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code" and cell.source.strip()]


@pytest.fixture(params=NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_notebook_is_valid(notebook):
    path, nb = notebook
    nbformat.validate(nb)


def test_notebook_has_a_kernelspec(notebook):
    path, nb = notebook
    kernelspec = nb.metadata.get("kernelspec", {})
    assert kernelspec.get("name"), f"{path.name}: no kernelspec in the notebook metadata"
    assert kernelspec.get("language", "python") == "python"


def test_notebook_executed_in_one_run_in_order(notebook):
    path, nb = notebook
    counts = [cell.get("execution_count") for cell in code_cells(nb)]
    assert counts, f"{path.name} has no code cells"
    expected = list(range(1, len(counts) + 1))
    hint = "re-execute it with `make execute`"
    assert counts == expected, f"{path.name}: execution counts {counts} are not 1..n; {hint}"


def test_notebook_has_no_execution_timestamps(notebook):
    path, nb = notebook
    stamped = [i for i, cell in enumerate(nb.cells) if "execution" in cell.get("metadata", {})]
    assert not stamped, f"{path.name}: metadata.execution in cells {stamped}"


def test_notebook_seeds_in_first_code_cell(notebook):
    path, nb = notebook
    first = code_cells(nb)[0].source
    assert SEED_PATTERN.search(first), (
        f"{path.name}: the first code cell should call dlkit.seed(...) or seed an rng"
    )


def test_notebook_images_have_alt_text(notebook):
    path, nb = notebook
    missing = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if any("image/png" in output.get("data", {}) for output in cell.get("outputs", [])):
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            if not alt.strip():
                missing.append(index)
    assert not missing, f"{path.name}: cells {missing} show an image without mystnb.image.alt"


def test_notebook_has_no_errors_in_outputs(notebook):
    path, nb = notebook
    errors = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        and any(output.get("output_type") == "error" for output in cell.get("outputs", []))
    ]
    assert not errors, f"{path.name}: cells {errors} stored an error"


# ---------------------------------------------------------------------------------------------
# nbval catches an edited output


def tiny_notebook() -> nbformat.NotebookNode:
    """A three-cell notebook executed in one run, with plain-text outputs (pure Python, fast).

    Cell 3 prints a memory address (normalised by the sanitize file) and ends with ``;`` (no
    output, as in Jupyter): both must pass, so that only real changes fail.
    """
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    first = nbformat.v4.new_code_cell("import random\nrng = random.Random(0)\nx = 0.5")
    first.execution_count = 1
    second = nbformat.v4.new_code_cell("print(f'{3 * x:.4f}')\nround(x + 0.25, 4)")
    second.execution_count = 2
    second.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1.5000\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "0.75"}, execution_count=2),
    ]
    third = nbformat.v4.new_code_cell("print(f'<Random at {hex(id(rng))}>')\nx * 2;")
    third.execution_count = 3
    third.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="<Random at 0x7f00deadbeef>\n"),
    ]
    nb.cells = [first, second, third]
    return nb


EDITS = {
    "untouched": None,
    "edited_print": ("stream", "1.5001\n"),  # one digit of a printed number
    "edited_result": ("execute_result", "0.76"),  # one digit of a displayed value
}


@pytest.fixture(scope="module")
def nbval_results(tmp_path_factory) -> dict[str, dict[str, int]]:
    """Run pytest --nbval once over the tiny notebook and two edited copies.

    Uses this project's nbval set-up (conftest.py and the sanitize file are copied next to the
    notebooks) but none of its tests: the folder has its own pytest.ini, so it is the rootdir.
    Returns {notebook stem: {"passed": n, "failed": n}} read from a JUnit XML report.
    """
    pytest.importorskip("nbval")
    folder = tmp_path_factory.mktemp("nbval")
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    shutil.copy(ROOT / "conftest.py", folder / "conftest.py")
    (folder / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "nbval_sanitize.cfg", folder / "tools" / "nbval_sanitize.cfg")
    for name, edit in EDITS.items():
        nb = tiny_notebook()
        outputs = nb.cells[1].outputs
        if edit is not None:
            kind, text = edit
            if kind == "stream":
                outputs[0].text = text
            else:
                outputs[1].data["text/plain"] = text
        nbformat.write(nb, folder / f"{name}.ipynb")
    report = folder / "report.xml"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        f"--junitxml={report}",
        *[f"{name}.ipynb" for name in EDITS],
    ]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)
    assert report.is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    counts = {name: {"passed": 0, "failed": 0} for name in EDITS}
    for case in ElementTree.parse(report).iter("testcase"):
        stem = case.get("classname").removesuffix(".ipynb")  # e.g. "untouched.ipynb"
        failed = case.find("failure") is not None or case.find("error") is not None
        counts[stem]["failed" if failed else "passed"] += 1
    return counts


@pytest.mark.slow
def test_nbval_passes_an_untouched_notebook(nbval_results):
    # includes a memory address (sanitized) and a cell silenced with ';'
    assert nbval_results["untouched"] == {"passed": 3, "failed": 0}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["edited_print", "edited_result"])
def test_nbval_fails_when_a_committed_output_is_edited(nbval_results, name):
    assert nbval_results[name] == {"passed": 2, "failed": 1}
