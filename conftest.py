"""Project-wide pytest set-up for nbval.

pyproject.toml turns nbval on (``--nbval --nbval-current-env``), so every notebook in ``chapters/``
is checked against its committed outputs. This file adds two things:

1. The sanitize file ``tools/nbval_sanitize.cfg`` (memory addresses, and the PNG frames embedded
   in animations), by absolute path, so it works from any working directory.
2. nbval runs cells the way Jupyter (and ``tools/execute_notebooks.py``) does, with
   ``store_history=True``. nbval 0.10+ executes with ``store_history=False``, and then IPython ignores
   a trailing ``;`` (it reads the cell from the history to decide), so a line such as
   ``ax.set_ylabel("y");`` prints ``Text(0, 0.5, 'y')`` under nbval but not in the saved notebook:
   https://github.com/computationalmodelling/nbval/issues/194,
   https://github.com/ipython/ipython/issues/14162.
"""

from __future__ import annotations

from pathlib import Path

SANITIZE_FILE = Path(__file__).parent / "tools" / "nbval_sanitize.cfg"


def _execute_cell_with_history(self, cell_input, allow_stdin=None):
    """nbval's RunningKernel.execute_cell_input, but storing history like a notebook does."""
    return self.kc.execute(
        cell_input,
        store_history=True,
        allow_stdin=allow_stdin,
        stop_on_error=False,
    )


def pytest_configure(config):
    option = config.option
    if not (getattr(option, "nbval", False) or getattr(option, "nbval_lax", False)):
        return
    if getattr(option, "nbval_sanitize_with", None) is None and SANITIZE_FILE.is_file():
        option.nbval_sanitize_with = str(SANITIZE_FILE)
    from nbval.kernel import RunningKernel

    RunningKernel.execute_cell_input = _execute_cell_with_history
