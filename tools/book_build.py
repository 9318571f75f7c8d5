"""Build a variant of the book (course edition, offline edition) from a modified _config.yml.

    config = book_config(course_edition=True)   # _config.yml, ready to be written elsewhere
    html = build_book(config, output)           # jupyter-book build -W -n --keep-going --all

Used by ``python -m tools.course edition`` and ``python -m tools.offline_book``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def book_config(*, course_edition: bool = False) -> dict:
    """The book's _config.yml, with local extension paths made absolute so the config can be
    written to another folder; with ``course_edition`` every solution is removed (see
    ``book/_ext/course_edition.py``) and the title says so."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {})
    # Paths in a config file are read relative to it: make the local extensions' absolute.
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in sphinx.get("local_extensions", {}).items()}
    sphinx.setdefault("config", {})
    if course_edition:
        sphinx["config"]["course_edition"] = True
        config["title"] = f"{config.get('title', 'The book')} (course edition)"
    return config


def build_book(config: dict, output: Path, *, what: str = "The book", quiet: bool = False) -> Path:
    """Build the book with ``config`` into ``output`` (``-W -n --keep-going --all``); returns the site
    folder ``output/_build/html``. Raises SystemExit when the build fails (``quiet``: with the end
    of its log in the message instead of on the terminal)."""
    output.mkdir(parents=True, exist_ok=True)
    config_file = output / "_config_build.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT),
               "--config", str(config_file), "--path-output", str(output), "-W", "-n", "--keep-going",
               "--all"]  # every page read again: -W must fail on each build while a warning remains
    result = subprocess.run(command, cwd=ROOT, capture_output=quiet, text=True)
    if result.returncode != 0:
        log = (result.stdout or "")[-4000:] + (result.stderr or "")[-4000:] if quiet else ""
        raise SystemExit(f"{what} did not build (see the warnings above).\n{log}")
    return output / "_build" / "html"
