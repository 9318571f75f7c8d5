"""What a reader's browser sees on the built site: the checks behind tests/test_browser.py.

Each check is a plain function of a loaded page (or of the site's files) that returns a list of
problems, empty when all is well. The same functions judge the real site and the copies that the
tests break on purpose, so a check that would miss a broken image, an unrendered formula, a dead link
or a widget that does not render fails a test itself.

Chromium comes from the system (Debian's ``chromium`` package), driven by Playwright's Python API;
Playwright's own browser download is never used. Every request that does not go to 127.0.0.1 is
blocked and recorded (``external_requests``): the site must work with no internet.
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
# Headless, and quiet: no first-run, sync, update or other background traffic of its own; and no
# host name resolves, so not even the browser itself can reach beyond 127.0.0.1.
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic", "--disable-default-apps", "--disable-extensions", "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'
SETTLE_TIMEOUT_MS = 20_000  # MathJax and the widget manager finish well within this


def find_chromium() -> str | None:
    """The Chromium to drive: $CHROMIUM, or the first of CHROMIUM_NAMES on the PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


# ---------------------------------------------------------------------------------------------
# Serving a site and visiting its pages


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class SiteServer:
    """Serve a folder on http://127.0.0.1:<free port>/ from a background thread.

    >>> with SiteServer(folder) as server:
    ...     server.url  # 'http://127.0.0.1:41234/'
    """

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.folder = Path(folder)
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def is_local(url: str) -> bool:
    """Requests the site may make: to 127.0.0.1, to files (a site opened from a folder), or to
    data:/blob: URLs inside the page."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob", "about", "file") or parts.hostname == "127.0.0.1"


@dataclass
class Visit:
    """A page loaded in the browser, with everything it reported while loading."""

    page: object  # playwright.sync_api.Page
    url: str
    errors: list[str] = field(default_factory=list)  # uncaught exceptions and console errors
    external: list[str] = field(default_factory=list)  # requests that tried to leave 127.0.0.1
    failed: list[str] = field(default_factory=list)  # local requests that failed (404, ...)
    status: int = 0  # of the page itself


def new_context(browser, viewport=(1280, 800)):
    """A fresh browser context whose requests may only go to 127.0.0.1; the others are blocked.

    Returns (context, blocked): ``blocked`` lists every URL that tried to leave the machine.
    """
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  service_workers="block")
    blocked: list[str] = []

    def guard(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    return context, blocked


def visit(context, blocked: list[str], url: str, settle_ms: int = SETTLE_TIMEOUT_MS) -> Visit:
    """Open ``url`` in a new page of ``context`` and wait (up to ``settle_ms``) until MathJax and
    the widgets are done."""
    page = context.new_page()
    result = Visit(page, url)
    start = len(blocked)
    page.on("pageerror", lambda error: result.errors.append(f"uncaught: {error}"))
    page.on("console", lambda message: message.type == "error"
            and result.errors.append(f"console: {message.text} ({message.location.get('url', '')})"))
    page.on("response", lambda response: response.status >= 400
            and result.failed.append(f"HTTP {response.status}: {response.url}"))
    page.on("requestfailed", lambda request: is_local(request.url)
            and not any(request.url in seen for seen in result.failed)
            and result.failed.append(f"{request.failure}: {request.url}"))
    response = page.goto(url, wait_until="load")
    result.status = response.status if response else 0
    settle(page, settle_ms)
    result.external = blocked[start:]
    return result


SETTLE = """async (timeout) => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const start = Date.now();
  const late = () => Date.now() - start > timeout;
  if (document.querySelector(".math")) {
    while (!(window.MathJax && MathJax.startup && MathJax.startup.promise) && !late()) await sleep(50);
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  }
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
  const rendered = () => [...views].filter((view) => {
    const area = view.previousElementSibling;
    return area && area.classList.contains("widget-subarea") && area.children.length > 0;
  }).length;
  while (rendered() < views.length && !late()) await sleep(50);
  await sleep(300);  // let the last widget draw its children (and MathJax typeset them)
  await Promise.all([...document.images].map((image) => image.decode().catch(() => null)));
}"""


def settle(page, timeout_ms: int = SETTLE_TIMEOUT_MS) -> None:
    """Wait (up to ``timeout_ms``) for MathJax to typeset and every saved widget to render."""
    page.evaluate(SETTLE, timeout_ms)


# ---------------------------------------------------------------------------------------------
# Checks of one loaded page: each returns a list of problems


def js_errors(result: Visit) -> list[str]:
    """Uncaught JavaScript exceptions and console errors while loading."""
    return list(result.errors)


def external_requests(result: Visit) -> list[str]:
    """Requests that tried to leave 127.0.0.1 (all are blocked)."""
    return list(result.external)


def failed_requests(result: Visit) -> list[str]:
    """Local files the page asked for and did not get (404s: a missing font, script, image)."""
    return list(dict.fromkeys(result.failed))


def _words(text: str) -> str:
    """Lower-case words only: compares a source heading with its rendered form."""
    text = re.sub(r"\$[^$]*\$", " ", text)  # math renders differently; compare the words
    text = re.sub(r"\{[\w:-]+\}`([^`<]*)(?:<[^>]*>)?`", r"\1", text)  # {term}`word <target>`
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](link)
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def heading_problems(page, title: str, headings: list[str]) -> list[str]:
    """The page's title and main heading show the source's ``#`` title; every ``##`` is there."""
    problems = []
    page_title = page.title()
    if _words(title) not in _words(page_title):
        problems.append(f"the window title {page_title!r} does not show {title!r}")
    h1 = page.locator("main h1, article h1").all_inner_texts()
    if not any(_words(title) in _words(text) for text in h1):
        problems.append(f"no <h1> shows {title!r} (found {h1})")
    shown = [_words(text) for text in page.locator("main h2, article h2").all_inner_texts()]
    for heading in headings:
        if not any(_words(heading) in text for text in shown):
            problems.append(f"the heading {heading!r} is missing")
    return problems


def broken_images(page) -> list[str]:
    """Every <img> on the page loaded (a broken image has no natural width)."""
    return page.evaluate("""() => [...document.images]
        .filter((image) => !(image.complete && image.naturalWidth > 0))
        .map((image) => `broken image: ${image.getAttribute("src").slice(0, 120)}`)""")


def missing_icons(page) -> list[str]:
    """Every visible Font Awesome icon (``<i class="fa-...">``, drawn by the theme's CSS with its web
    font) shows a glyph in that font."""
    return page.evaluate("""async () => {
      await document.fonts.ready;
      const icons = [...document.querySelectorAll('i[class*="fa-"]')].filter((i) => i.offsetParent);
      return icons.filter((icon) => {
        const glyph = getComputedStyle(icon, "::before");
        const family = glyph.fontFamily || "";
        const drawn = glyph.content && glyph.content !== "none" && glyph.content !== "normal";
        return !(drawn && /Font Awesome/.test(family) &&
                 document.fonts.check(`${glyph.fontWeight} 16px ${family.split(",")[0]}`) &&
                 icon.getBoundingClientRect().width > 0);
      }).map((icon) => `icon not drawn: <i class="${icon.className}">`);
    }""")


def images_without_alt(page) -> list[str]:
    """Every <img> has alt text (screen readers read it; axe-core calls its absence critical)."""
    return page.evaluate("""() => [...document.images]
        .filter((image) => !(image.getAttribute("alt") || "").trim())
        .map((image) => `no alt text: <img src="${(image.getAttribute("src") || "").slice(0, 80)}">`)""")


def unrendered_math(page) -> list[str]:
    """Every formula was typeset by MathJax, without errors, and no raw TeX is left in the text."""
    return page.evaluate(r"""() => {
      const problems = [];
      const short = (text) => text.trim().replace(/\s+/g, " ").slice(0, 80);
      document.querySelectorAll(".math").forEach((math) => {
        if (!math.querySelector("mjx-container")) problems.push(`not typeset: ${short(math.textContent)}`);
      });
      document.querySelectorAll("mjx-merror, mjx-container [data-mjx-error]").forEach((error) => {
        problems.push(`MathJax error: ${short(error.getAttribute("data-mjx-error") || error.textContent)}`);
      });
      // Raw TeX in the visible text (code, scripts and typeset math excluded).
      const skip = "script, style, pre, code, textarea, mjx-container, .highlight";
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      // \( \[ $$, or $...$ holding TeX (a backslash, ^, _, braces or =) or one short symbol
      // such as $x$; prices such as "$20 an hour ... $40" are not TeX.
      const raw = /\\\(|\\\[|\$\$|\$[^$\n]*[\\^_{}=][^$\n]*\$|\$[A-Za-z][A-Za-z0-9']{0,3}\$/;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest(skip) || !raw.test(node.textContent)) continue;
        problems.push(`raw TeX in the text: ${short(node.textContent)}`);
      }
      return problems;
    }""")


def unrendered_widgets(page) -> list[str]:
    """Every saved widget view was drawn by the widget manager (not left as a placeholder)."""
    return page.evaluate("""() => {
      const problems = [];
      document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')
        .forEach((view, index) => {
          const area = view.previousElementSibling;
          const drawn = area && area.classList.contains("widget-subarea")
            && area.querySelector(".jupyter-widgets, .lm-Widget")
            && area.getBoundingClientRect().height > 0;
          const model = view.textContent.trim().slice(0, 60);
          if (!drawn) problems.push(`widget ${index + 1} (${model}) is not rendered`);
          else if (/Error displaying widget|Error rendering/i.test(area.innerText)) {
            problems.push(`widget ${index + 1} shows an error: ${area.innerText.slice(0, 120)}`);
          }
        });
      if (/Loading widget/i.test(document.body.innerText)) problems.push('"Loading widget..." is showing');
      return problems;
    }""")


def launch_links(page) -> list[str]:
    """The hrefs of the page's Binder and Colab launch buttons."""
    return page.evaluate("""() => [...document.querySelectorAll("a[href]")].map((a) => a.href)
        .filter((href) => href.includes("/v2/gh/") || href.includes("colab.research.google.com"))""")


def launch_problems(links: list[str], notebook: str, repository: str, branch: str,
                    binderhub: str, colab: str) -> list[str]:
    """The Binder and Colab buttons open ``notebook`` (a path in the repository, e.g.
    ``chapters/06_training.ipynb``) of ``repository`` (``owner/name``) at ``branch``."""
    expected = {
        "Binder": f"{binderhub.rstrip('/')}/v2/gh/{repository}/{branch}?urlpath=lab/tree/{notebook}",
        "Colab": f"{colab.rstrip('/')}/github/{repository}/blob/{branch}/{notebook}",
    }
    return [f"no {name} button to {url} (found {links})"
            for name, url in expected.items() if url not in links]


ANIMATIONS = """async () => Promise.all([...document.querySelectorAll("div.animation")].map(async (div) => {
  const image = div.querySelector("img");
  const id = image ? image.id.replace("_anim_img", "") : "";
  const player = window["anim" + id];
  if (player) await Promise.all(player.frames.map((frame) => frame.decode().catch(() => null)));
  return {
    id: id,
    alt: image ? image.getAttribute("alt") || "" : "",
    started: Boolean(player),
    frames: player ? player.frames.length : 0,
    loaded: player ? player.frames.filter((f) => f.complete && f.naturalWidth > 0).length : 0,
    shown: image ? image.complete && image.naturalWidth > 0 : false,
    frame: player ? player.current_frame : -1,
    src: image ? image.src.length + ":" + image.src.slice(-40) : "",
  };
}))"""


def animations(page) -> list[dict]:
    """The matplotlib (``to_jshtml``) players on the page and their state."""
    return page.evaluate(ANIMATIONS)


def _animation(page, animation_id: str) -> dict:
    return next(a for a in animations(page) if a["id"] == animation_id)


def animation_problems(page, play_seconds: float = 0.8) -> list[str]:
    """Every animation's frames loaded, and pressing its play button moves it forward."""
    problems = []
    for before in animations(page):
        name = f"animation {before['id'][:8]}"
        if not before["started"]:
            problems.append(f"{name}: the player did not start")
            continue
        if before["frames"] < 2 or before["loaded"] < before["frames"]:
            problems.append(f"{name}: {before['loaded']} of {before['frames']} frames loaded")
        if not before["shown"]:
            problems.append(f"{name}: shows no picture")
        player = page.locator(f"div.animation:has(#_anim_img{before['id']})")
        player.locator('button[title="First frame"]').click()
        first = _animation(page, before["id"])
        player.locator('button[title="Play"]').click()
        time.sleep(play_seconds)
        player.locator('button[title="Pause"]').click()
        after = _animation(page, before["id"])
        if after["frame"] <= first["frame"] or after["src"] == first["src"]:
            problems.append(f"{name}: pressing play did not move it (frame {after['frame']})")
    return problems


def axe_violations(page, axe_script: Path, impacts=("critical",), within: str | None = None) -> list[str]:
    """Run axe-core (the standard automated accessibility check) in the page (or only in the
    elements matching the selector ``within``); list the violations of the given impact levels."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(axe_script))
    if within is not None and not page.locator(within).count():
        return []
    violations = page.evaluate("""async (within) => (await axe.run(within ? {include: [[within]]} : document,
                                                       {resultTypes: ["violations"]}))
        .violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                  targets: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}))""", within)
    return [f"{v['impact']}: {v['id']} ({v['help']}) at {v['targets']}"
            for v in violations if v["impact"] in impacts]


def search_results(page) -> list[str]:
    """The hrefs of the results on a loaded search page (after the search has finished)."""
    page.wait_for_function("""() => {
        const status = document.querySelector("#search-results .search-summary, p.search-summary");
        return status && !/preparing|searching/i.test(status.textContent);
    }""", timeout=SETTLE_TIMEOUT_MS)
    return page.evaluate("""() => [...document.querySelectorAll("#search-results ul.search li a")]
        .map((a) => a.href)""")


# ---------------------------------------------------------------------------------------------
# Links, checked against the server (no browser needed)


class LinkChecker:
    """Follows a site's internal links over HTTP; remembers every page it fetched."""

    def __init__(self):
        self._pages: dict[str, tuple[int, set[str]]] = {}

    def fetch(self, url: str) -> tuple[int, set[str]]:
        """(HTTP status, ids on the page) of ``url`` (without fragment)."""
        if url not in self._pages:
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as error:
                status, body = error.code, b""
            ids = set()
            if url.endswith((".html", "/")) and status == 200:
                text = body.decode("utf-8", errors="replace")
                ids = {html.unescape(value) for value in re.findall(r'\b(?:id|name)="([^"]*)"', text)}
            self._pages[url] = (status, ids)
        return self._pages[url]

    def dead_links(self, page_url: str, hrefs: list[str]) -> list[str]:
        """Internal links of a page whose target page or anchor does not exist."""
        origin = urllib.parse.urlsplit(page_url)
        problems = []
        for href in sorted(set(hrefs)):
            target = urllib.parse.urlsplit(urllib.parse.urljoin(page_url, href))
            if target.scheme not in ("http", "https") or target.netloc != origin.netloc:
                continue  # external links, mailto:, javascript:
            document = urllib.parse.urlunsplit(target._replace(fragment="", query=""))
            status, ids = self.fetch(document)
            if status != 200:
                problems.append(f"dead link: {href} (HTTP {status})")
            elif target.fragment and document.endswith(".html") \
                    and urllib.parse.unquote(target.fragment) not in ids:
                problems.append(f"dead link: {href} (no #{target.fragment} on that page)")
        return problems


def page_links(page) -> list[str]:
    """Every href of every <a> on the page, as written."""
    return page.evaluate("() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))")


# ---------------------------------------------------------------------------------------------
# Copies of the site, to break on purpose


def copy_site(source: Path, target: Path) -> Path:
    """A copy of a built site that tests can break. Files are hard links (cheap): change a file only
    with :func:`rewrite` or delete it, never write into it in place."""

    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)
    return target


def rewrite(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a copied file, without touching the original it links to."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{old!r} is not in {path}")
    path.unlink()
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The figure widgets of the static page (dlkit/widgets/static.py, book/_ext/static/dlkit_widgets.js)

STATIC_WIDGET = "div.dlkit-widget"
MISSING_VIEW = "This view is not available offline"


def notebook_widget_data(notebook_path: Path) -> list[dict]:
    """The data blocks of every dlkit figure widget saved in a notebook's outputs, in order: what
    the page must show for each setting."""
    import json

    import nbformat

    found = []
    for cell in nbformat.read(notebook_path, as_version=4).cells:
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html", "")
            page = "".join(page) if isinstance(page, list) else page
            for block in re.findall(r'class="dlkit-widget-data">(.*?)</script>', page, re.S):
                found.append(json.loads(block.replace("<\\/", "</")))
    return found


def _expected(data: dict, state: list[int]) -> dict:
    """The image (PNG, base64) and text the page must show for ``state`` (an index per control),
    from a notebook's data block."""
    position = 0
    for control, index in zip(data["controls"], state, strict=True):
        if control["kind"] != "button":
            position = position * len(control["labels"]) + index
    image, text = data["views"][position]
    if data.get("render") == "chart":  # drawn by the page as an SVG, named by its chart's number
        return {"image": None if image is None else f"chart:{image}",
                "text": data["texts"][text], "position": position}
    return {"image": None if image is None else data["images"][image],
            "text": data["texts"][text], "position": position}


def same_image(src: str | None, png_base64: str | None) -> bool:
    """Whether an <img> src shows this PNG: the same data: URL, or the site's file of it, which
    book/_ext/static_widgets.py names after the PNG's SHA-1. A chart (``"chart:<number>"``, see
    :func:`_expected`) is shown when the page's SVG is that chart."""
    import base64
    import hashlib

    if src is None or png_base64 is None:
        return src is None and png_base64 is None
    if png_base64.startswith("chart:"):
        return src == png_base64
    if src.startswith("data:"):
        return src == "data:image/png;base64," + png_base64
    name = hashlib.sha1(base64.b64decode(png_base64)).hexdigest()[:16] + ".png"
    return src.rsplit("/", 1)[-1] == name


SHOWN = """(root) => ({
  src: (() => { const img = root.querySelector(".dlkit-figure img");
                const svg = root.querySelector(".dlkit-figure svg.dlkit-chart");
                if (svg) return "chart:" + svg.dataset.chart;
                return img && !img.hidden ? img.getAttribute("src") : null; })(),
  html: root.querySelector(".dlkit-status").innerHTML,
  view: root.dataset.view,
  missing: !root.querySelector(".dlkit-missing").hidden,
  ready: root.classList.contains("dlkit-ready"),
  replayed: Number(root.dataset.replayed || 0),
  decoded: (() => { const img = root.querySelector(".dlkit-figure img");
                    return !img || img.hidden || (img.complete && img.naturalWidth > 0); })(),
})"""

# Move one control as its input event does and time until the new image is decoded (ms).
MOVE = """async (root, [number, index]) => {
  const start = performance.now();
  const input = root.querySelector(`[data-control="${number}"]`);
  if (input.type === "radio") {
    const radio = root.querySelector(`input[type=radio][data-control="${number}"][value="${index}"]`);
    radio.checked = true;
    radio.dispatchEvent(new Event("change", {bubbles: true}));
  } else {
    input.value = String(index);
    input.dispatchEvent(new Event(input.tagName === "SELECT" ? "change" : "input", {bubbles: true}));
  }
  const img = root.querySelector(".dlkit-figure img");
  if (img && !img.hidden && img.getAttribute("src")) await img.decode().catch(() => null);
  return performance.now() - start;
}"""


def _press(page, root, number: int, timeout_ms: int = 20_000) -> None:
    """Press an action widget's button and wait until its replay has ended."""
    before = root.evaluate(SHOWN)["replayed"]
    root.locator(f'button[data-control="{number}"]').click()
    page.wait_for_function("([root, n]) => Number(root.dataset.replayed || 0) > n",
                           arg=[root.element_handle(), before], timeout=timeout_ms)


def static_widget_problems(page, expected: list[dict], timings: list[float] | None = None) -> list[str]:
    """Every control of every figure widget on the page changes the view to the one saved for
    that setting (``expected``: the notebook's data blocks, in page order), and putting it back
    restores the first view. ``timings`` collects how long each move took (ms)."""
    problems = []
    roots = page.locator(STATIC_WIDGET)
    if roots.count() != len(expected):
        return [f"{roots.count()} figure widgets on the page, {len(expected)} in the notebook"]
    for w, data in enumerate(expected):
        root = roots.nth(w)
        root.scroll_into_view_if_needed()
        name = f"widget {w + 1}"
        first = root.evaluate(SHOWN)
        if not first["ready"]:
            problems.append(f"{name}: the script did not start it")
            continue
        start = [c["index"] for c in data["controls"]]
        want = _expected(data, start)
        if not same_image(first["src"], want["image"]) or first["html"] != want["text"]:
            problems.append(f"{name}: the first view is not the saved one")
        action = data.get("action")
        for number, control in enumerate(data["controls"]):
            if control["kind"] == "button" or len(control["labels"]) < 2:
                continue
            label = f"{name}, {control['label']!r}"
            ends = [len(control["labels"]) - 1, 0]  # the far ends of the control
            for index in [i for i in dict.fromkeys(ends) if i != control["index"]]:
                state = list(start)
                state[number] = index
                elapsed = root.evaluate(MOVE, [number, index])
                if action:
                    _press(page, root, action["button"])
                elif timings is not None:
                    timings.append(elapsed)
                shown = root.evaluate(SHOWN)
                want = _expected(data, state)
                if (shown["missing"] or not same_image(shown["src"], want["image"])
                        or shown["html"] != want["text"]):
                    problems.append(f"{label} → {control['labels'][index]}: the view is not the "
                                    f"saved one (view {shown['view']}, expected {want['position']})")
                elif shown["src"] == first["src"] and shown["html"] == first["html"]:
                    problems.append(f"{label} → {control['labels'][index]}: the view did not change")
                elif not shown["decoded"]:
                    problems.append(f"{label} → {control['labels'][index]}: the image did not load")
            root.evaluate(MOVE, [number, control["index"]])
            if action:
                _press(page, root, action["button"])
            back = root.evaluate(SHOWN)
            if back["src"] != first["src"] or back["html"] != first["html"]:
                problems.append(f"{label}: putting it back did not restore the first view")
    return problems


def keyboard_moves_a_slider(page) -> list[str]:
    """The first slider of the first figure widget moves with the arrow keys and changes the view
    (for a widget with an action, once its button is pressed with the Enter key); the opposite
    key puts the first view back."""
    root = page.locator(STATIC_WIDGET).first
    slider = root.locator('input[type="range"]:not([disabled])').first
    if not slider.count():
        return []
    button = root.locator("button[data-control]")
    action = root.evaluate("(r) => Boolean(JSON.parse("
                           "r.querySelector('script.dlkit-widget-data').textContent).action)")

    def press(key: str) -> dict:
        slider.focus()
        page.keyboard.press(key)
        if action:
            before = root.evaluate(SHOWN)["replayed"]
            button.focus()
            page.keyboard.press("Enter")
            page.wait_for_function("([r, n]) => Number(r.dataset.replayed || 0) > n",
                                   arg=[root.element_handle(), before], timeout=20_000)
        return root.evaluate(SHOWN)

    before = root.evaluate(SHOWN)
    key, back_key = ("ArrowLeft", "ArrowRight") if slider.evaluate("(s) => Number(s.value) > 0") \
        else ("ArrowRight", "ArrowLeft")
    after = press(key)
    back = press(back_key)
    problems = []
    if after["view"] == before["view"] or after["src"] == before["src"]:
        problems.append(f"{key} on the first slider did not change the view")
    if back["src"] != before["src"]:
        problems.append("the opposite arrow key did not restore the view")
    return problems


def controls_fit(page) -> list[str]:
    """Every control of every figure widget lies inside the page's width and keeps a usable size
    (a slider at least 100 px wide)."""
    return page.evaluate("""() => {
      const problems = [];
      const width = document.documentElement.clientWidth;
      document.querySelectorAll("div.dlkit-widget [data-control], div.dlkit-widget output")
        .forEach((element) => {
          const box = element.getBoundingClientRect();
          const what = element.getAttribute("aria-valuetext") || element.textContent || element.tagName;
          if (box.right > width + 1 || box.left < -1) {
            const where = `${Math.round(box.left)}–${Math.round(box.right)} of ${width} px`;
            problems.push(`${what.slice(0, 30)} is cut off (${where})`);
          }
          if (element.type === "range" && box.width < 100) {
            problems.push(`a slider is only ${Math.round(box.width)} px wide`);
          }
        });
      return problems;
    }""")


def unstarted_static_widgets(page) -> list[str]:
    """Every figure widget was started by the book's script (its controls enabled)."""
    return page.evaluate("""() => [...document.querySelectorAll("div.dlkit-widget")]
        .filter((root) => !root.classList.contains("dlkit-ready")
                || root.querySelector("[data-control]:disabled:not(button)"))
        .map((root, i) => `figure widget ${i + 1} was not started: its controls do nothing`)""")


def shows_missing_view(page, root_index: int = 0) -> dict:
    """What the figure widget ``root_index`` shows now (see SHOWN)."""
    return page.locator(STATIC_WIDGET).nth(root_index).evaluate(SHOWN)


# Where the online edition's CDN files are in node_modules (package folders of package.json).
CDN_PACKAGES = [
    (re.compile(r"https://cdn\.jsdelivr\.net/npm/mathjax@[^/]+/(.*)"), "mathjax/{}"),
    (re.compile(r"https://cdn\.jsdelivr\.net/npm/@jupyter-widgets/html-manager@[^/]+/(.*)"),
     "@jupyter-widgets/html-manager/{}"),
    (re.compile(r"https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/[^/]+/require(?:\.min)?\.js"),
     "requirejs/require.js"),
]


def answer_cdn_locally(context, node_modules: Path) -> list[str]:
    """Answer the CDN requests of the online edition from the npm packages in ``node_modules``
    (routes added after :func:`new_context`'s guard take precedence). Returns the list of URLs
    answered; any other request that leaves 127.0.0.1 is still blocked."""
    served: list[str] = []

    def answer(route):
        url = route.request.url.split("?")[0]
        for pattern, local in CDN_PACKAGES:
            match = pattern.fullmatch(url)
            if match:
                path = node_modules / local.format(*match.groups())
                if path.is_file():
                    served.append(url)
                    route.fulfill(path=str(path))
                    return
        route.fallback()

    context.route(re.compile(r"https://(cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com)/.*"), answer)
    return served


# ---------------------------------------------------------------------------------------------
# Self-check quizzes (jupyterquiz): answered as a reader does, with the mouse or the keyboard

QUIZ = ".Quiz"


def quiz_problems(page, expected: int) -> list[str]:
    """The page shows ``expected`` quiz questions, each with its answers."""
    shown = page.locator(QUIZ).count()
    if shown != expected:
        return [f"the quiz shows {shown} of its {expected} questions"]
    empty = page.evaluate(f"""() => [...document.querySelectorAll('{QUIZ}')]
        .filter((q) => !q.querySelector('label.MCButton, input.Input-text')).length""")
    return [f"{empty} quiz questions have no answers to choose or type"] if empty else []


def _plain_start(feedback: str) -> str:
    """The words a feedback text starts with, before any formula or code (MathJax re-renders those)."""
    text = re.sub(r"<[^>]+>", "", feedback)  # <code>…</code> shows as its text
    return _words(re.split(r"[$`\\]", text)[0])[:40].strip()


def feedback_problems(question_box, answer: dict) -> list[str]:
    """After an answer was given: the feedback shown is that answer's, marked right or wrong."""
    feedback = question_box.locator(".Feedback")
    if not feedback.count() or not feedback.is_visible():
        return ["no feedback appeared"]
    classes = (feedback.get_attribute("class") or "").split()
    wanted = "correct" if answer.get("correct") else "incorrect"
    problems = [] if wanted in classes else [f"feedback is marked {classes}, expected {wanted!r}"]
    start = _plain_start(answer["feedback"])
    if start and start not in _words(feedback.inner_text()):
        problems.append(f"feedback {feedback.inner_text()[:60]!r} is not {start!r}…")
    return problems


NO_RANGE_HOLDS = "-987654"  # typed as a wrong number: no question's ranges hold it


def _number_inside(question: dict) -> str:
    (answer,) = [a for a in question["answers"] if a.get("correct") and "range" in a]
    low, high = answer["range"]
    return f"{(low + high) / 2:.6g}"


def _default(question: dict) -> dict:
    return next(a for a in question["answers"] if a.get("type") == "default")


def _right(question: dict) -> dict:
    return next(a for a in question["answers"] if a.get("correct"))


def answer_with_mouse(page, question: dict) -> list[str]:
    """Answer the page's first quiz question wrongly, then rightly, by clicking (or typing a number)."""
    box = page.locator(QUIZ).first
    box.scroll_into_view_if_needed()
    problems = []
    if question["type"] == "numeric":
        field = box.locator("input.Input-text")
        for typed, answer in [(NO_RANGE_HOLDS, _default(question)),
                              (_number_inside(question), _right(question))]:
            field.click()
            page.keyboard.type(typed)
            page.keyboard.press("Enter")
            problems += [f"typed {typed}: {p}" for p in feedback_problems(box, answer)]
        return problems
    labels = box.locator("label.MCButton")
    wrong = next(i for i, a in enumerate(question["answers"]) if not a.get("correct"))
    right = next(i for i, a in enumerate(question["answers"]) if a.get("correct"))
    for index in (wrong, right):
        labels.nth(index).click()
        problems += [f"clicked answer {index + 1}: {p}"
                     for p in feedback_problems(box, question["answers"][index])]
    return problems


def tab_into_quiz(page, max_presses: int = 800) -> bool:
    """Press Tab from the top of the page until the focus is on the first quiz question's first answer
    (a radio button or the number field; formulas in the question text take the focus on the way)."""
    page.evaluate("() => { window.scrollTo(0, 0); document.activeElement && document.activeElement.blur(); }")
    first = page.locator(QUIZ).first.element_handle()
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if page.evaluate("(box) => box.contains(document.activeElement)"
                         " && document.activeElement.tagName === 'INPUT'", first):
            return True
    return False


def answer_with_keyboard(page, question: dict) -> list[str]:
    """Reach the first quiz question with Tab only, then answer: Space and an arrow key on a choice
    question, a number and Enter on a numeric one. Each answer must show its own feedback."""
    if not tab_into_quiz(page):
        return ["Tab never reached the quiz"]
    box = page.locator(QUIZ).first
    if question["type"] == "numeric":
        page.keyboard.type(_number_inside(question))
        page.keyboard.press("Enter")
        return [f"typed the answer: {p}" for p in feedback_problems(box, _right(question))]
    problems = []
    for key, index in [("Space", 0), ("ArrowDown", 1)]:
        page.keyboard.press(key)
        problems += [f"{key} (answer {index + 1}): {p}"
                     for p in feedback_problems(box, question["answers"][index])]
    return problems
