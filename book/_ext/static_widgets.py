"""Widgets on the static page, with no kernel (see dlkit/widgets/static.py for the other half).

1. **Figure widgets.** A dlkit figure widget's output holds the ipywidget (for a live notebook) and
   a ``text/html`` block with its controls and every view saved when the notebook ran. On the
   site the HTML block wins, and ``static/dlkit_widgets.js`` (with ``dlkit_widgets.css``, shipped
   in the site's ``_static/``, never from a CDN) makes its controls switch views. The views'
   images leave the page for files ``_images/dlkit/<sha1 of the PNG>.png``: a page loads only the
   views a reader asks for (from a server or a folder alike), not all of them up front.
2. **Progress bars.** A tqdm bar is an ipywidget whose saved first view is an empty bar at 0 %;
   its final state is in the notebook's widget state. The site shows that final state as text.
3. **No unused widget manager.** A page left with no ipywidget view does not load require.js and
   the ipywidgets HTML manager (3.6 MB): myst-nb adds them to every notebook page with a widget state.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

STATIC = Path(__file__).parent / "static"
VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
MARKER = 'class="dlkit-widget"'
BAR_WIDTH = 10  # characters, as tqdm draws it
IMAGES = "_images/dlkit"  # where the views' images go, in the site
DATA = re.compile(r'(class="dlkit-widget-data">)(.*?)(</script>)', re.S)


def image_name(png_base64: str) -> str:
    """The file name of a view's image: the first 16 hex digits of the PNG's SHA-1."""
    return hashlib.sha1(base64.b64decode(png_base64)).hexdigest()[:16] + ".png"


def move_images_out(block: str, outdir: Path, prefix: str) -> str:
    """The HTML block of a figure widget with its images written to ``outdir/_images/dlkit/``
    and referred to by URL (``prefix``: from the page to the site's root)."""
    match = DATA.search(block)
    if match is None:
        return block
    data = json.loads(match.group(2).replace("<\\/", "</"))
    folder = outdir / IMAGES
    folder.mkdir(parents=True, exist_ok=True)
    if data.get("render") == "chart":
        # The views are drawn from numbers; only the PNG for a page without scripts is an image.
        return _move_fallback_out(block, folder, prefix)
    names = []
    for image in data["images"]:
        name = image_name(image)
        if not (folder / name).is_file():
            (folder / name).write_bytes(base64.b64decode(image))
        names.append(name)
        block = block.replace(f'src="data:image/png;base64,{image}"',
                              f'src="{prefix}{IMAGES}/{name}"')
    data["images"], data["image_base"] = names, f"{prefix}{IMAGES}/"
    payload = json.dumps(data, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    start, end = DATA.search(block).span(2)  # the block changed: find it again
    return block[:start] + payload + block[end:]


def _move_fallback_out(block: str, folder: Path, prefix: str) -> str:
    found = re.search(r'src="data:image/png;base64,([^"]+)"', block)
    if found is None:
        return block
    name = image_name(found.group(1))
    if not (folder / name).is_file():
        (folder / name).write_bytes(base64.b64decode(found.group(1)))
    return block[:found.start()] + f'src="{prefix}{IMAGES}/{name}"' + block[found.end():]


def _is_bundle(node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"


def _widget_state(env, docname: str) -> dict:
    """The saved ipywidgets state of a notebook page: model id → model."""
    path = Path(env.doc2path(docname))
    if path.suffix != ".ipynb":
        return {}
    notebook = nbformat.read(path, as_version=4)
    return notebook.metadata.get("widgets", {}).get(STATE, {}).get("state", {})


def progress_text(model_id: str, state: dict) -> str | None:
    """A tqdm bar's final state as text (``training: 100%|██████████| 30/30 [...]``), or None
    when the model is not a tqdm bar (an HBox of HTML, FloatProgress and HTML)."""
    box = state.get(model_id, {})
    if box.get("model_name") != "HBoxModel":
        return None
    children = [state.get(child.removeprefix("IPY_MODEL_"), {})
                for child in box.get("state", {}).get("children", [])]
    if [child.get("model_name") for child in children] != ["HTMLModel", "FloatProgressModel",
                                                           "HTMLModel"]:
        return None
    left, bar, right = (child.get("state", {}) for child in children)
    total = float(bar.get("max") or 1.0)
    filled = round(BAR_WIDTH * min(max(float(bar.get("value") or 0.0) / total, 0.0), 1.0))
    text = (f"{left.get('value', '')}|{'█' * filled}{' ' * (BAR_WIDTH - filled)}|"
            f"{right.get('value', '')}")
    return html.unescape(text).replace("\u2007", " ").strip()


class StaticWidgets(SphinxPostTransform):
    """Before myst-nb picks one output per mime bundle: keep a figure widget's HTML block, and
    turn a progress bar's widget view into its final state as text."""

    default_priority = 3  # myst-nb's SelectMimeType runs at 4
    formats = ("html",)

    def run(self, **kwargs) -> None:
        state = None
        for bundle in list(self.document.findall(_is_bundle)):
            kinds = {child.get("mime_type"): child for child in bundle.children}
            page = kinds.get("text/html")
            if page is not None and MARKER in page.astext():
                prefix = "../" * self.env.docname.count("/")
                block = move_images_out(page.astext(), Path(self.app.outdir), prefix)
                bundle.replace_self(nodes.raw(block, block, format="html",
                                              classes=["output", "text_html"]))
                continue
            view = kinds.get(VIEW)
            if view is None:
                continue
            if state is None:
                state = _widget_state(self.env, self.env.docname)
            script = re.search(r"<script[^>]*>(.*)</script>", view.astext(), re.S)
            try:
                model_id = json.loads(script.group(1))["model_id"]
            except (AttributeError, ValueError, KeyError):
                continue
            text = progress_text(model_id, state)
            if text is not None:
                block = nodes.literal_block(text, text, classes=["output", "text_plain",
                                                                 "dlkit-progress"])
                bundle.replace_self(block)


def drop_unused_widget_manager(app: Sphinx, pagename: str, templatename: str, context: dict,
                               doctree) -> None:
    """A page without any ipywidget view loads neither require.js nor the widget manager."""
    scripts = context.get("script_files")
    if scripts is None or VIEW in context.get("body", ""):
        return
    manager = ("require.js", "require.min.js", "embed-amd.js")

    def unused(script) -> bool:
        name = (script.filename or "").split("?")[0]
        return name.endswith(manager) or script.attributes.get("type") == STATE

    scripts[:] = [script for script in scripts if not unused(script)]


def add_assets(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))
    app.add_js_file("dlkit_charts.js", priority=499)
    app.add_js_file("dlkit_widgets.js", priority=500)
    app.add_css_file("dlkit_widgets.css")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", add_assets)
    app.add_post_transform(StaticWidgets)
    # after myst-nb adds the widget scripts (500), before site_fixes looks for them (900)
    app.connect("html-page-context", drop_unused_widget_manager, priority=850)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
