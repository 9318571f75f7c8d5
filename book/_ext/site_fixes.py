"""Small fixes for what a reader's browser reported on the built site (tests/test_browser.py).

1. **A script written twice.** Sphinx 7.4 writes an inline script twice when an extension adds it
   after the builder started (``app.add_js_file(None, body=...)``: the copy stored as ``None`` and the
   one re-added as ``""`` do not compare equal). sphinx-thebe's ``const THEBE_JS_URL = ...`` then
   throws "Identifier 'THEBE_JS_URL' has already been declared" on every page.
2. **Where the widget manager finds its fonts.** The ipywidgets HTML manager (``embed-amd.js``) loads
   its Font Awesome files from the folder of its AMD modules, which require.js places next to the
   page: 404s. A require.js ``paths`` entry, set before require.js loads, puts the module in the
   folder ``embed-amd.js`` really comes from (a CDN, or ``_static/vendor/`` offline).
   (``window.__jupyter_widgets_assets_path__`` is read only after the font URLs are fixed.)
3. **Bibliography entries screen readers cannot list.** docutils wraps citations in
   ``role="list"`` but gives each ``role="doc-biblioentry"`` (deprecated in DPUB-ARIA 1.1), not a
   list item: axe-core's critical "aria-required-children". They become ``role="listitem"``.
4. **1.5 MB of script that draws nothing.** pydata-sphinx-theme loads ``scripts/fontawesome.js`` (Font
   Awesome's SVG+JS version, 1.49 MB) on every page "so that users can add custom icons"; its CSS
   already draws every icon the book uses with the web font (the pages look the same without it).
   The script tag is removed from the written pages: a chapter page is 1.5 MB lighter.
5. ``static/widget_support.js``: ipywidgets' HTML widgets typeset with the MathJax 2 API
   (``MathJax.Hub.Queue``) while the book loads MathJax 3, and images drawn by the widget manager from
   a saved widget state have no alt text. See the comments there.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript

STATIC = Path(__file__).parent / "static"
# The AMD modules embed-amd.js defines (besides html-manager/dist/libembed-amd).
BUNDLED_MODULES = ["base", "base7", "controls", "controls7", "html-manager"]


def merge_inline_scripts(app: Sphinx, env) -> None:
    """Store inline scripts with the filename "" (as Sphinx re-adds them), so each is written once."""
    scripts = getattr(app.builder, "_js_files", None)
    if scripts is None:
        return
    for index, script in enumerate(scripts):
        if script.filename is None:
            scripts[index] = _JavaScript("", priority=script.priority, **script.attributes)


def add_widget_support(app: Sphinx) -> None:
    """Add static/widget_support.js to every page."""
    if app.builder.format != "html":
        return
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))
    app.add_js_file("widget_support.js", priority=400)


def locate_widget_manager(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On a page with widgets, tell require.js where the widget manager's module lives."""
    scripts = context.get("script_files", [])
    manager = next((js for js in scripts if (js.filename or "").endswith("embed-amd.js")), None)
    if manager is None:
        return
    folder = manager.filename.rsplit("/", 1)[0]
    if "://" not in folder:
        folder = context["pathto"](folder, 1)  # relative to this page, like the <script src>
    # Each module of the bundle resolves its fonts against its own folder: name them all.
    paths = {"@jupyter-widgets/html-manager/dist": folder}
    paths.update({f"@jupyter-widgets/{name}": f"{folder}/{name}" for name in BUNDLED_MODULES})
    # A global `require` object defined before require.js loads is its configuration.
    app.builder.add_js_file("", priority=400, body=f"var require = {{paths: {json.dumps(paths)}}};")


def list_citations(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Give bibliography entries the list-item role their list needs (fix 3)."""
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')


def drop_fontawesome_js(app: Sphinx, exception: Exception | None) -> None:
    """Remove the theme's fontawesome.js tag from every written page (fix 4), atomically."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lighter = FONTAWESOME_JS.sub("", text)
        if lighter == text:
            continue
        handle, temporary = tempfile.mkstemp(dir=page.parent, prefix=".", suffix=".html")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(lighter)
        os.replace(temporary, page)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", add_widget_support)
    app.connect("html-page-context", locate_widget_manager, priority=900)  # after myst-nb adds it
    app.connect("html-page-context", list_citations)
    app.connect("env-updated", merge_inline_scripts)
    app.connect("build-finished", drop_fontawesome_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
