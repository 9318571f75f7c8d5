"""The course edition of the book: every exercise solution removed from the HTML.

Set ``course_edition: true`` in Sphinx's config (``make course-edition`` does it) to build the book
with no solutions at all: the one-cell ``{solution}`` directives *and* the gated
``solution-start`` / ``solution-end`` blocks with their code cells.

Why not sphinx-exercise's own ``hide_solutions``? In sphinx-exercise 1.2.1 it drops the
``solution-start`` node but leaves ``solution-end`` (the HTML writer then fails on the unknown node),
and the code cells between the two would stay on the page. Here the gated blocks are first merged
into ordinary solution nodes by sphinx-exercise (its ``MergeGatedSolutions`` transform, priority 10),
and then removed, whole.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_node


class RemoveSolutions(SphinxTransform):
    """Delete every solution node (with everything inside it) when ``course_edition`` is on."""

    default_priority = 20  # after sphinx-exercise's MergeGatedSolutions (10)

    def apply(self) -> None:
        if not self.config.course_edition:
            return
        for node in list(self.document.findall(solution_node)):
            node.parent.remove(node)


def setup(app: Sphinx) -> dict:
    app.add_config_value("course_edition", False, "env")
    app.add_transform(RemoveSolutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
