"""Readers never see nbgrader's authoring lines: ``### BEGIN SOLUTION`` and ``### END SOLUTION``.

The chapters' solution cells keep those lines (nbgrader needs them to make the student release), but on a
book page they are noise inside the solution dropdown. This transform removes them from the code of every
notebook cell as it is rendered; the notebooks themselves are not changed.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

_MARKER_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*$")


def strip_markers(code: str) -> str:
    """``code`` without its ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines."""
    return "\n".join(line for line in code.split("\n") if not _MARKER_LINE.match(line))


class StripSolutionMarkers(SphinxTransform):
    """Drop the nbgrader marker lines from the source code of notebook cells (myst-nb's
    ``cell_code_source`` containers)."""

    default_priority = 15  # before course_edition's RemoveSolutions (20); order does not matter

    def apply(self) -> None:
        for container in self.document.findall(nodes.container):
            if container.get("nb_element") != "cell_code_source":
                continue
            for block in list(container.findall(nodes.literal_block)):
                code = block.astext()
                stripped = strip_markers(code)
                if stripped == code:
                    continue
                # The HTML writer highlights rawsource when it equals the text, so both change.
                new = nodes.literal_block(stripped, stripped, **block.attributes)
                block.replace_self(new)


def setup(app: Sphinx) -> dict:
    app.add_transform(StripSolutionMarkers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
