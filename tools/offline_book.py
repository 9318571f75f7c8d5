"""Build the offline edition of the book: a website that needs no internet at all.

    python -m tools.offline_book [--output _build/offline] [--course-edition]

The normal build (``make book``) loads three things from CDNs: MathJax (formulas), require.js and
the ipywidgets HTML manager (widgets). Offline, formulas would show as raw TeX and widgets would not
appear. This script

1. fetches those packages from the npm registry, at the versions pinned in ``package-lock.json``,
   with ``npm ci`` into ``node_modules/`` (a cache, not committed; skipped when it is up to date);
2. copies the files the pages load into ``<output>/assets/vendor/`` (see :data:`ASSETS`);
3. builds the book with ``-W -n --keep-going`` into ``<output>/_build/html``, with a config that
   adds those files to the site's ``_static/`` and points MathJax (``mathjax_path``) and the widgets
   (myst-nb's ``nb_ipywidgets_js``) at them. Thebe ("Live code") is switched off: it could only load
   its code from unpkg.com and talk to mybinder.org. The Binder and Colab launch buttons stay: they
   are plain links, for readers who do have internet.

Copy ``<output>/_build/html`` to a USB stick or any static web server; the tests in
``tests/test_browser.py`` load every page in Chromium and fail on any request that leaves the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from tools.book_build import book_config, build_book

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "_build" / "offline"
NODE_MODULES = ROOT / "node_modules"
LOCK_FILE = ROOT / "package-lock.json"
STAMP = NODE_MODULES / ".offline-book-lock.sha256"  # the lock file node_modules was installed from

# What the site needs, as (package folder in node_modules, files or folders to copy, destination
# under _static/vendor/). Fonts and MathJax's extensions load relative to the script, so they
# travel with it.
ASSETS = [
    ("mathjax/es5", ["tex-mml-chtml.js", "input", "output/chtml", "a11y", "ui", "sre", "adaptors"],
     "mathjax"),
    ("requirejs", ["require.js"], "requirejs"),
    # embed-amd.js plus the Font Awesome files it loads from its own folder
    ("@jupyter-widgets/html-manager/dist",
     ["embed-amd.js", "*.woff2", "*.woff", "*.ttf", "*.eot", "*.svg"], "html-manager"),
]
MATHJAX_PATH = "vendor/mathjax/tex-mml-chtml.js"  # relative to _static/
IPYWIDGETS_JS = {
    "vendor/requirejs/require.js": {},
    "vendor/html-manager/embed-amd.js": {},
}


def _lock_digest() -> str:
    return hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()


def packages_up_to_date() -> bool:
    """Whether node_modules/ holds exactly what package-lock.json pins (npm ci ran on it)."""
    return STAMP.is_file() and STAMP.read_text().strip() == _lock_digest()


def fetch_packages(force: bool = False) -> Path:
    """``npm ci`` the pinned packages into node_modules/, unless they are already there."""
    if not force and packages_up_to_date():
        return NODE_MODULES
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch MathJax and the widget manager "
                         "(Debian/Ubuntu: apt-get install npm).")
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    print("fetching the offline assets:", " ".join(command[1:]), flush=True)
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        raise SystemExit("npm ci failed: is the npm registry reachable?")
    STAMP.write_text(_lock_digest() + "\n")
    return NODE_MODULES


def copy_assets(static: Path) -> Path:
    """Copy the files of :data:`ASSETS` into ``static/vendor/``; returns ``static``."""
    for package, patterns, destination in ASSETS:
        source, target = NODE_MODULES / package, static / "vendor" / destination
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for pattern in patterns:
            matches = sorted(source.glob(pattern))
            if not matches:
                raise SystemExit(f"{package}/{pattern} is missing from node_modules: run npm ci")
            for path in matches:
                copy = target / path.relative_to(source)
                if path.is_dir():
                    shutil.copytree(path, copy)
                else:
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, copy)
    return static


def offline_config(static: Path, course_edition: bool = False) -> dict:
    """The book's _config.yml with the offline overrides."""
    config = book_config(course_edition=course_edition)
    settings = config["sphinx"]["config"]
    settings["html_static_path"] = [*settings.get("html_static_path", []), str(static)]
    settings["mathjax_path"] = MATHJAX_PATH
    settings["nb_ipywidgets_js"] = IPYWIDGETS_JS
    config.setdefault("launch_buttons", {})["thebe"] = False
    return config


def build(output: Path = DEFAULT_OUTPUT, course_edition: bool = False, quiet: bool = False) -> Path:
    """Fetch, copy and build; returns the site folder (``output/_build/html``)."""
    output = output.resolve()
    fetch_packages()
    static = copy_assets(output / "assets")
    shutil.rmtree(output / "_build" / "html", ignore_errors=True)  # no stale pages or assets
    return build_book(offline_config(static, course_edition), output,
                      what="The offline edition", quiet=quiet)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="build folder (the site is <output>/_build/html)")
    parser.add_argument("--course-edition", action="store_true",
                        help="also remove every solution (as `make course-edition` does)")
    args = parser.parse_args(argv)
    html = build(args.output, args.course_edition)
    print("\nThe offline edition is built; it loads nothing from the internet.")
    print(f"  open file://{html / 'index.html'}")
    print(f"  or serve it: python3 -m http.server --directory {html} 8000")
    print(f"Copy the folder {html} to a USB stick or a classroom web server.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
