"""tools.execute_notebooks.coalesce_streams: one cell's printed text is one output, however it arrived."""

from __future__ import annotations

import nbformat

from tools.execute_notebooks import coalesce_streams


def stream(text: str, name: str = "stdout") -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_consecutive_chunks_of_one_stream_become_one_output():
    cell = nbformat.v4.new_code_cell("print('a'); print('b')")
    cell.outputs = [stream("a"), stream("\n"), stream("b\n")]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    coalesce_streams(notebook)
    assert [(o.output_type, o.text) for o in notebook.cells[0].outputs] == [("stream", "a\nb\n")]


def test_other_streams_and_other_outputs_stay_apart_and_in_order():
    figure = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    cell = nbformat.v4.new_code_cell("...")
    cell.outputs = [stream("1\n"), stream("warning\n", "stderr"), stream("2\n"), figure, stream("3\n"),
                    stream("4\n")]
    notebook = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("text")])
    coalesce_streams(notebook)
    kinds = [(o.output_type, o.get("name"), o.get("text")) for o in notebook.cells[0].outputs]
    assert kinds == [("stream", "stdout", "1\n"), ("stream", "stderr", "warning\n"),
                     ("stream", "stdout", "2\n"), ("display_data", None, None),
                     ("stream", "stdout", "3\n4\n")]
