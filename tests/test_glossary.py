"""The glossary (book/glossary.md) and the {term} links of the chapters and book pages.

- every {term} link in a chapter's markdown (chapters/*.ipynb) or a book page (book/*.md) names a term
  the glossary defines (Sphinx would only warn, and a `-W` build would stop, far later);
- every glossary term is linked from some page at least once, or is listed in UNLINKED with the
  reason why not;
- the glossary's terms are in alphabetical order.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "book" / "glossary.md"

# Glossary terms that no page links to, on purpose, each with its reason.
UNLINKED: dict[str, str] = {}

TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")


def term_targets(markdown: str) -> list[str]:
    """The glossary terms a markdown text links to: ``{term}`text <Target>` `` → "Target",
    ``{term}`Target` `` → "Target"."""
    targets = []
    for content in TERM_ROLE.findall(markdown):
        explicit = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", content)
        targets.append((explicit.group(2) if explicit else content).strip())
    return targets


def glossary_terms(markdown: str) -> list[str]:
    """The terms a MyST ``{glossary}`` block defines: its unindented, non-empty lines."""
    block = re.search(r"```\{glossary\}\n(.*?)\n```", markdown, re.S)
    assert block, "no ```{glossary} block found"
    return [line.strip() for line in block.group(1).splitlines() if line.strip() and not line[0].isspace()]


def pages() -> dict[str, str]:
    """The markdown a reader sees, by page: chapters' markdown cells and the book's .md pages."""
    found = {}
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        found[f"chapters/{path.name}"] = "\n".join(
            cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    for path in sorted((ROOT / "book").glob("*.md")):
        found[f"book/{path.name}"] = path.read_text(encoding="utf-8")
    return found


# --- the helpers themselves -------------------------------------------------------------------------

def test_term_targets_reads_plain_and_explicit_targets():
    text = ("A {term}`neuron`, its {term}`weights <Weight>` and "
            "{term}`decision boundaries\n<decision boundary>`.")
    assert term_targets(text) == ["neuron", "Weight", "decision boundary"]


def test_glossary_terms_reads_only_the_unindented_lines():
    text = "# G\n\n```{glossary}\nBias\n  An offset.\n\nOne-hot\n  A row of 0s\n  and one 1.\n```\n"
    assert glossary_terms(text) == ["Bias", "One-hot"]


# --- the course -----------------------------------------------------------------------------------

TERMS = glossary_terms(GLOSSARY.read_text(encoding="utf-8"))
PAGES = pages()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_term_link_names_a_glossary_term(page):
    known = {term.lower() for term in TERMS}   # Sphinx matches glossary terms case-insensitively
    missing = sorted({t for t in term_targets(PAGES[page]) if t.lower() not in known})
    assert not missing, (f"{page} links to {missing}, which book/glossary.md does not define: add an "
                         "entry there (alphabetical order) or link an existing term")


def test_every_glossary_term_is_linked_somewhere_or_listed():
    used = {t.lower() for page, text in PAGES.items() if page != "book/glossary.md"
            for t in term_targets(text)}
    unused = [term for term in TERMS if term.lower() not in used and term not in UNLINKED]
    assert not unused, (f"no chapter or page links to the glossary terms {unused}: link each where it "
                        "is first used, with {term}`...`, or list it in UNLINKED with a reason")


def test_unlinked_lists_only_glossary_terms_that_are_really_unlinked():
    used = {t.lower() for page, text in PAGES.items() if page != "book/glossary.md"
            for t in term_targets(text)}
    stale = [term for term in UNLINKED if term not in TERMS or term.lower() in used]
    assert not stale, f"UNLINKED lists {stale}, which are linked now or not glossary terms: remove them"


def test_glossary_terms_are_in_alphabetical_order():
    assert TERMS == sorted(TERMS, key=str.lower), "book/glossary.md: keep the terms in alphabetical order"


def test_glossary_terms_are_unique():
    lowered = [term.lower() for term in TERMS]
    assert len(lowered) == len(set(lowered))
