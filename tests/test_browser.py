"""The published site, tested in a real browser (headless Chromium, driven by Playwright).

The offline edition of the book (``make book-offline``: MathJax, require.js and the widget manager
bundled from npm) is built once per session into a temporary folder, served on 127.0.0.1, and every
page of _toc.yml is opened once. Per page:

- it loads (HTTP 200) with no JavaScript error and no missing local file, and makes no request that
  leaves 127.0.0.1 (every such request is blocked and fails the test);
- its title and every ``##`` heading of its source are shown;
- every image loads and has alt text; every formula is typeset by MathJax (no raw TeX left);
- every saved ipywidget is drawn by the widget manager; every control of every figure widget
  (dlkit/widgets/static.py) changes the view to the one saved in the notebook for that setting, and
  putting it back restores the first view; every animation's frames load and its play button moves
  it; every internal link (page and #anchor) resolves;
- axe-core finds no critical accessibility violation (and none serious in a figure widget);
  notebook pages have Binder and Colab buttons that open the right notebook.

Plus: the search page finds a glossary term, a chapter opened as a file (a USB stick, no server)
works too, the online edition's widgets work with its CDN requests answered from the same npm
packages, the widget controls wrap on a phone-sized screen and move with the keyboard, and
screenshots of every page's top, one widget and the animations are written to _build/screenshots/.
The last tests break copies of the site on purpose (a deleted image, an unrendered formula, a dead
link, a widget that does not render, a CDN script, a script error, a missing or corrupt widget
view, the widget script missing) and check that the same check functions report each defect.

Without Chromium (or Playwright, or npm for the assets) these tests skip, saying why; in CI (CI=true)
they fail instead: .ci/run installs Chromium so that they always run there.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import browser_checks as checks
import nbformat
import numpy as np
import pytest
import yaml
from test_book import source_of, toc_entries

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = toc_entries()
NOTEBOOK_PAGES = [entry for entry in PAGES if source_of(entry) and source_of(entry).suffix == ".ipynb"]
QUIZZES = ROOT / "chapters" / "quizzes"
QUIZ_PAGES = [entry for entry in NOTEBOOK_PAGES
              if (QUIZZES / f"{re.sub(r'^[0-9]+[a-z]?_', '', entry.rsplit('/', 1)[-1])}.json").is_file()]
ANIMATED_PAGES = ["chapters/06_training", "chapters/07_training_well", "chapters/08_activations"]
WIDGET_SCREENSHOT_PAGE = "chapters/01_neurons"
GLOSSARY_TERM = "Backpropagation"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

pytestmark = pytest.mark.browser


def unavailable(reason: str):
    """Skip locally, fail in CI: there the browser suite must always run."""
    if IN_CI:
        pytest.fail(f"{reason}. CI must run the browser tests (.ci/run installs Chromium).")
    pytest.skip(reason)


# ---------------------------------------------------------------------------------------------
# The site, the server and the browser (once per session)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = checks.find_chromium()
    if path is None:
        unavailable("Chromium is not installed (Debian/Ubuntu: apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    return path


@pytest.fixture(scope="session")
def offline_site(chromium, tmp_path_factory) -> Path:
    """The offline edition, built like `make book-offline` does, into a temporary folder."""
    from tools import offline_book

    if not offline_book.packages_up_to_date() and offline_book.shutil.which("npm") is None:
        unavailable("npm is not installed: it fetches MathJax and the widget manager for the offline site")
    try:
        return offline_book.build(tmp_path_factory.mktemp("offline"), quiet=True)
    except SystemExit as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def server(offline_site):
    with checks.SiteServer(offline_site) as running:
        yield running


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=checks.CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def context(browser):
    """One browser context for the real site; (context, blocked requests)."""
    context, blocked = checks.new_context(browser)
    yield context, blocked
    context.close()


def source_headings(entry: str) -> tuple[str, list[str]]:
    """The ``#`` title and the ``##`` headings of a toc entry's source (outside code fences)."""
    path = source_of(entry)
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    title, headings, fence = None, [], None
    for line in text.splitlines():
        marker = re.match(r"\s*(`{3,}|~{3,}|:{3,})", line)
        if marker:
            if fence is None:
                fence = marker.group(1)
            elif marker.group(1).startswith(fence[0]) and len(marker.group(1)) >= len(fence):
                fence = None
            continue
        if fence is None and line.startswith("# ") and title is None:
            title = line[2:].strip()
        elif fence is None and line.startswith("## "):
            headings.append(line[3:].strip())
    return title, headings


class PageReport:
    """Everything the checks found on one page (the page is opened once for all tests)."""

    def __init__(self, entry: str, context, blocked, links: checks.LinkChecker, base_url: str):
        result = checks.visit(context, blocked, f"{base_url}{entry}.html")
        page = result.page
        try:
            title, headings = source_headings(entry)
            self.status = result.status
            self.errors = checks.js_errors(result) + checks.failed_requests(result)
            self.external = checks.external_requests(result)
            self.headings = checks.heading_problems(page, title, headings)
            self.broken_images = checks.broken_images(page) + checks.missing_icons(page)
            self.missing_alt = checks.images_without_alt(page)
            self.math = checks.unrendered_math(page)
            self.widgets = checks.unrendered_widgets(page) + checks.unstarted_static_widgets(page)
            self.widget_count = page.locator(checks.STATIC_WIDGET).count()
            source = source_of(entry)
            expected = checks.notebook_widget_data(source) if source.suffix == ".ipynb" else []
            self.static_widgets = checks.static_widget_problems(page, expected)
            self.links = links.dead_links(page.url, checks.page_links(page))
            self.launch_links = checks.launch_links(page)
            self.screenshots(entry, page)
            self.animation_count = len(checks.animations(page))
            self.animations = checks.animation_problems(page)
            self.accessibility = checks.axe_violations(page, AXE) if AXE.is_file() else ["no axe-core"]
            self.widget_accessibility = (checks.axe_violations(page, AXE, ("critical", "serious"),
                                                               within=checks.STATIC_WIDGET)
                                         if AXE.is_file() else ["no axe-core"])
        finally:
            page.close()

    @staticmethod
    def screenshots(entry: str, page) -> None:
        """The top of the page; one widget; one animation (for a person to look at)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = entry.replace("/", "-")
        page.screenshot(path=SCREENSHOTS / f"{name}.png")
        if entry == WIDGET_SCREENSHOT_PAGE and page.locator(checks.STATIC_WIDGET).count():
            page.locator(checks.STATIC_WIDGET).first.screenshot(path=SCREENSHOTS / f"widget-{name}.png")
        if page.locator("div.animation").count():
            page.locator("div.animation").first.screenshot(path=SCREENSHOTS / f"animation-{name}.png")
        page.evaluate("() => window.scrollTo(0, 0)")


@pytest.fixture(scope="session")
def report(context, server):
    """report(entry) -> the PageReport of a toc entry, computed on first use."""
    browser_context, blocked = context
    links = checks.LinkChecker()
    cache: dict[str, PageReport] = {}

    def get(entry: str) -> PageReport:
        if entry not in cache:
            cache[entry] = PageReport(entry, browser_context, blocked, links, server.url)
        return cache[entry]

    return get


# ---------------------------------------------------------------------------------------------
# Every page


@pytest.mark.parametrize("entry", PAGES)
def test_page_loads_without_errors(report, entry):
    page = report(entry)
    assert page.status == 200, f"{entry}.html: HTTP {page.status}"
    assert not page.errors, f"{entry}.html:\n" + "\n".join(page.errors)


@pytest.mark.parametrize("entry", PAGES)
def test_page_loads_nothing_from_the_internet(report, entry):
    external = report(entry).external
    assert not external, f"{entry}.html requested (blocked):\n" + "\n".join(external)


@pytest.mark.parametrize("entry", PAGES)
def test_page_shows_its_title_and_headings(report, entry):
    problems = report(entry).headings
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", PAGES)
def test_page_images_and_icons_load(report, entry):
    problems = report(entry).broken_images
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", PAGES)
def test_page_images_have_alt_text(report, entry):
    problems = report(entry).missing_alt
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", PAGES)
def test_page_math_is_typeset(report, entry):
    problems = report(entry).math
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", PAGES)
def test_page_widgets_render(report, entry):
    problems = report(entry).widgets
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", PAGES)
def test_page_widget_controls_change_the_view(report, entry):
    problems = report(entry).static_widgets
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", PAGES)
def test_page_widgets_have_no_serious_accessibility_violations(report, entry):
    problems = report(entry).widget_accessibility
    assert not problems, f"{entry}.html (axe-core, figure widgets):\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", PAGES)
def test_page_internal_links_resolve(report, entry):
    problems = report(entry).links
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", PAGES)
def test_page_animations_play(report, entry):
    problems = report(entry).animations
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", PAGES)
def test_page_has_no_critical_accessibility_violations(report, entry):
    problems = report(entry).accessibility
    assert not problems, f"{entry}.html (axe-core):\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", NOTEBOOK_PAGES)
def test_notebook_page_launch_buttons_open_its_notebook(report, entry):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repository = config["repository"]["url"].removeprefix("https://github.com/").strip("/")
    notebook = f"{config['repository'].get('path_to_book', '')}{entry}.ipynb".lstrip("/")
    assert (ROOT / notebook).is_file()
    problems = checks.launch_problems(
        report(entry).launch_links, notebook, repository, config["repository"]["branch"],
        config["launch_buttons"]["binderhub_url"], config["launch_buttons"]["colab_url"])
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


def test_the_checks_saw_widgets_and_animations(report):
    """The widget and animation checks are not vacuous: the chapters do have both."""
    for entry in NOTEBOOK_PAGES:
        saved = len(checks.notebook_widget_data(source_of(entry)))
        assert report(entry).widget_count == saved, f"{entry}: {saved} widgets saved, page shows " \
            f"{report(entry).widget_count}"
    assert sum(report(entry).widget_count for entry in NOTEBOOK_PAGES) >= len(NOTEBOOK_PAGES) - 2
    for entry in ANIMATED_PAGES:
        assert report(entry).animation_count >= 1, f"{entry} has no animation"


def test_screenshots_are_written(report):
    report(WIDGET_SCREENSHOT_PAGE)
    for entry in NOTEBOOK_PAGES:
        assert (SCREENSHOTS / f"{entry.replace('/', '-')}.png").is_file()
    assert (SCREENSHOTS / f"widget-{WIDGET_SCREENSHOT_PAGE.replace('/', '-')}.png").is_file()


def test_index_leads_to_the_first_page(context, server):
    browser_context, blocked = context
    page = browser_context.new_page()
    try:
        page.goto(server.url + "index.html")
        page.wait_for_url(f"**/{PAGES[0]}.html")
    finally:
        page.close()


def test_search_finds_a_glossary_term(context, server):
    assert re.search(rf"^{GLOSSARY_TERM}$", (ROOT / "book" / "glossary.md").read_text(), re.M)
    browser_context, blocked = context
    result = checks.visit(browser_context, blocked, f"{server.url}search.html?q={GLOSSARY_TERM}")
    try:
        hits = checks.search_results(result.page)
    finally:
        result.page.close()
    assert any(f"book/glossary.html#term-{GLOSSARY_TERM}" in hit for hit in hits), hits
    assert not checks.js_errors(result) and not checks.external_requests(result)


def test_a_chapter_works_opened_from_a_folder(browser, offline_site):
    """A USB stick without a web server: the page opened as a file (file://) still typesets its
    formulas, draws its widgets and plays its animation, with nothing from the internet."""
    browser_context, blocked = checks.new_context(browser)
    try:
        result = checks.visit(browser_context, blocked, (offline_site / f"{ANIMATED_PAGES[0]}.html").as_uri())
        page = result.page
        expected = checks.notebook_widget_data(source_of(ANIMATED_PAGES[0]))
        problems = (checks.js_errors(result) + checks.external_requests(result)
                    + checks.unrendered_math(page) + checks.unrendered_widgets(page)
                    + checks.broken_images(page) + checks.animation_problems(page)
                    + checks.static_widget_problems(page, expected))
        assert expected, f"{ANIMATED_PAGES[0]} has no figure widget to try"
    finally:
        browser_context.close()
    assert not problems, "\n".join(problems)


WIDGET_PAGES = [entry for entry in NOTEBOOK_PAGES if checks.notebook_widget_data(source_of(entry))]
PROGRESS_PAGE = "chapters/06_training"  # fit(..., progress=True) shows a tqdm bar


def test_a_progress_bar_shows_its_final_state_as_text(offline_site):
    page = (offline_site / f"{PROGRESS_PAGE}.html").read_text(encoding="utf-8")
    blocks = re.findall(r'class="[^"]*dlkit-progress[^"]*".*?<pre>(.*?)</pre>', page, re.S)
    bars = [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]
    assert bars and all("100%|██████████|" in bar for bar in bars), bars
    assert "dlkit-progress" in page and checks.WIDGET_VIEW.split('"')[1] not in page


def test_widget_controls_wrap_on_a_phone_and_move_with_the_keyboard(browser, server):
    """On a 390 px wide screen every control stays inside the page at a usable size; the arrow
    keys move a slider and change the view."""
    browser_context, blocked = checks.new_context(browser, viewport=(390, 844))
    problems = []
    try:
        for entry in WIDGET_PAGES:
            result = checks.visit(browser_context, blocked, f"{server.url}{entry}.html")
            try:
                found = checks.controls_fit(result.page) + checks.keyboard_moves_a_slider(result.page)
                problems += [f"{entry}: {problem}" for problem in found + checks.js_errors(result)]
                if entry == WIDGET_SCREENSHOT_PAGE:
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    result.page.locator(checks.STATIC_WIDGET).first.screenshot(
                        path=SCREENSHOTS / f"widget-phone-{entry.replace('/', '-')}.png")
            finally:
                result.page.close()
    finally:
        browser_context.close()
    assert WIDGET_PAGES and not problems, "\n".join(problems)


PLAYGROUND_PAGE = "chapters/08_activations"
READ_CHART = """(root) => {
  const svg = root.querySelector("svg.dlkit-chart");
  const [left, right] = svg.querySelectorAll("g.dlkit-chart-axes");
  const numbers = (text) => text.split(" ").map(Number);
  const panel = (g) => ({box: numbers(g.dataset.box), x: numbers(g.dataset.xRange),
                         y: numbers(g.dataset.yRange)});
  return {
    cells: [...left.querySelectorAll(".dlkit-chart-region rect")].map((r) => ({
      label: Number(r.dataset.class), row: Number(r.dataset.row), column: Number(r.dataset.column),
      count: Number(r.dataset.count), x: Number(r.getAttribute("x")), y: Number(r.getAttribute("y")),
      width: Number(r.getAttribute("width")), height: Number(r.getAttribute("height")),
      fill: getComputedStyle(r).fill})),
    points: left.querySelectorAll(".dlkit-chart-points > *").length,
    left: panel(left), right: panel(right),
    curve: right.querySelector("polyline").getAttribute("points"),
    texts: [...svg.querySelectorAll("text")].map((t) => t.textContent),
    label: svg.getAttribute("aria-label"),
  };
}"""


def _rgb(hex_colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)))


def test_the_playground_page_draws_the_run_dlkit_trains(browser, server):
    """Set the static playground as a reader does and press Train: the SVG the page draws is the
    run dlkit trains for that setting, here and now: each cell's predicted class, colour and place,
    every data point, the loss of every epoch and the titles."""
    from dlkit.plots.boundaries import plane_grid
    from dlkit.plots.style import CLASS_COLORS
    from dlkit.widgets import train_playground
    from dlkit.widgets.activation_playground import CHART_CELLS

    setting = {"data set": "moons", "hidden widths": "3", "activation": "tanh",
               "learning rate": "0.300", "epochs": "300"}
    browser_context, blocked = checks.new_context(browser)
    try:
        result = checks.visit(browser_context, blocked, f"{server.url}{PLAYGROUND_PAGE}.html")
        page = result.page
        roots = page.locator(checks.STATIC_WIDGET)
        found = [i for i in range(roots.count())
                 if roots.nth(i).locator("svg.dlkit-chart").count() == 1]
        assert len(found) == 1, "the chapter's playground is drawn as an SVG chart"
        root = roots.nth(found[0])
        root.scroll_into_view_if_needed()
        data = root.evaluate(
            "(r) => JSON.parse(r.querySelector('script.dlkit-widget-data').textContent)")
        labels = {c["label"]: (n, c["labels"]) for n, c in enumerate(data["controls"])}
        for name, value in setting.items():
            number, options = labels[name]
            root.evaluate(checks.MOVE, [number, options.index(value)])
        checks._press(page, root, labels["Train"][0])
        drawn = root.evaluate(READ_CHART)
        errors = checks.js_errors(result)
        page.close()
    finally:
        browser_context.close()
    assert not errors, errors

    run = train_playground("moons", (3,), "tanh", 0.3, 300)
    xx, yy, grid = plane_grid(run.X, resolution=CHART_CELLS, padding=0.5)
    predicted = run.model.predict(grid).argmax(axis=1).reshape(xx.shape)
    # The cells: every one drawn once, with the class dlkit predicts there, in its colour...
    region = np.full(predicted.shape, -1)
    for cell in drawn["cells"]:
        columns = slice(cell["column"], cell["column"] + cell["count"])
        assert (region[cell["row"], columns] == -1).all()
        region[cell["row"], columns] = cell["label"]
        assert cell["fill"] == _rgb(CLASS_COLORS[cell["label"]])
    np.testing.assert_array_equal(region, predicted)
    # ...and in its place: the axes span the cells, and each cell sits where its centre is.
    x0, y0, width, height = drawn["left"]["box"]
    step_x = (xx.max() - xx.min()) / (CHART_CELLS - 1)
    step_y = (yy.max() - yy.min()) / (CHART_CELLS - 1)
    np.testing.assert_allclose(drawn["left"]["x"], [xx.min() - step_x / 2, xx.max() + step_x / 2],
                               atol=1e-5)
    np.testing.assert_allclose(drawn["left"]["y"], [yy.min() - step_y / 2, yy.max() + step_y / 2],
                               atol=1e-5)
    for cell in drawn["cells"][::7]:
        np.testing.assert_allclose(
            [cell["x"], cell["width"], cell["y"], cell["height"]],
            [x0 + cell["column"] / CHART_CELLS * width, cell["count"] / CHART_CELLS * width,
             y0 + height - (cell["row"] + 1) / CHART_CELLS * height, height / CHART_CELLS],
            atol=1e-3)
    assert drawn["points"] == len(run.X)
    # The loss curve: one point per epoch, at the height of that epoch's loss.
    points = np.array([[float(v) for v in pair.split(",")] for pair in drawn["curve"].split()])
    bx, by, bw, bh = drawn["right"]["box"]
    (e0, e1), (l0, l1) = drawn["right"]["x"], drawn["right"]["y"]
    epochs = e0 + (points[:, 0] - bx) / bw * (e1 - e0)
    losses = l0 + (by + bh - points[:, 1]) / bh * (l1 - l0)
    np.testing.assert_allclose(epochs, np.arange(1, 301), atol=0.05)
    np.testing.assert_allclose(losses, run.history.loss, atol=(l1 - l0) * 0.005)
    assert f"loss {run.loss:.3f}, accuracy {run.accuracy:.0%}" in drawn["texts"]
    assert "moons, tanh, hidden (3)" in drawn["texts"]
    assert f"loss {run.loss:.3f}" in drawn["label"]


# ---------------------------------------------------------------------------------------------
# The online edition (the normal build: MathJax from a CDN), with the CDN answered locally


@pytest.fixture(scope="session")
def online_site(offline_site, tmp_path_factory) -> Path:
    """The normal build (``make book``), into a temporary folder (needs node_modules: the offline
    site's fixture fetched it)."""
    from tools import book_build

    try:
        return book_build.build_book(book_build.book_config(), tmp_path_factory.mktemp("online"),
                                     what="The book", quiet=True)
    except SystemExit as error:
        pytest.fail(str(error))


def test_online_edition_widgets_work_with_the_cdn_answered_locally(browser, online_site):
    """The published site loads MathJax (and, on a page with an ipywidget, the widget manager)
    from CDNs. Here those requests are answered from node_modules, so the pages behave as online;
    any other request that leaves the machine fails the test."""
    browser_context, blocked = checks.new_context(browser)
    served = checks.answer_cdn_locally(browser_context, ROOT / "node_modules")
    problems = []
    try:
        with checks.SiteServer(online_site) as site:
            for entry in WIDGET_PAGES:
                result = checks.visit(browser_context, blocked, f"{site.url}{entry}.html")
                try:
                    found = (checks.js_errors(result) + checks.external_requests(result)
                             + checks.unrendered_math(result.page)
                             + checks.unstarted_static_widgets(result.page)
                             + checks.static_widget_problems(
                                 result.page, checks.notebook_widget_data(source_of(entry))))
                    problems += [f"{entry}: {problem}" for problem in found]
                finally:
                    result.page.close()
    finally:
        browser_context.close()
    assert any("mathjax" in url for url in served), served  # the CDN was really asked
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# The checks catch what they are for: copies of the site broken on purpose

BROKEN_PAGE = "chapters/01_neurons.html"


@pytest.fixture
def broken(offline_site, browser, tmp_path):
    """broken(change) -> a Visit of BROKEN_PAGE in a copy of the site after ``change(site)``."""
    opened = []

    def make(change, settle_ms: int = 2500) -> checks.Visit:
        site = checks.copy_site(offline_site, tmp_path / "site")
        change(site)
        server = checks.SiteServer(site).__enter__()
        context, blocked = checks.new_context(browser)
        opened.append((server, context))
        # what is broken never settles: do not wait long for it
        return checks.visit(context, blocked, server.url + BROKEN_PAGE, settle_ms)

    yield make
    for server, context in opened:
        context.close()
        server.__exit__(None, None, None)


def test_a_deleted_image_is_reported(broken):
    def delete_first_image(site):
        image = re.search(r'<img alt="[^"]*" src="\.\./(_images/[^"]+)"',
                          (site / BROKEN_PAGE).read_text(encoding="utf-8")).group(1)
        (site / image).unlink()

    result = broken(delete_first_image)
    assert any(problem.startswith("broken image") for problem in checks.broken_images(result.page))


def test_an_icon_without_its_web_font_is_reported(broken):
    def delete_the_icon_fonts(site):
        for font in (site / "_static" / "vendor" / "fontawesome" / "webfonts").iterdir():
            font.unlink()

    result = broken(delete_the_icon_fonts)
    assert any(problem.startswith("icon not drawn") for problem in checks.missing_icons(result.page))


def test_a_formula_without_mathjax_is_reported(broken):
    def remove_mathjax(site):
        page = site / BROKEN_PAGE
        tag = re.search(r'<script[^>]*src="[^"]*tex-mml-chtml\.js[^"]*"></script>',
                        page.read_text(encoding="utf-8")).group(0)
        checks.rewrite(page, tag, "")

    problems = checks.unrendered_math(broken(remove_mathjax).page)
    assert any(problem.startswith("not typeset") for problem in problems), problems


def test_raw_tex_in_the_text_is_reported(broken):
    def add_raw_tex(site):
        checks.rewrite(site / BROKEN_PAGE, "<h2>", "<p>The loss is $w_1^2 + b$ here.</p><h2>")

    problems = checks.unrendered_math(broken(add_raw_tex).page)
    assert any("raw TeX" in problem and "w_1^2" in problem for problem in problems), problems


def test_a_dead_internal_link_is_reported(broken):
    def break_link(site):
        checks.rewrite(site / BROKEN_PAGE, 'href="02_layers.html"', 'href="02_layerz.html"', count=-1)
        checks.rewrite(site / BROKEN_PAGE, 'href="../book/glossary.html#term-',
                       'href="../book/glossary.html#no-such-term-')

    result = broken(break_link)
    problems = checks.LinkChecker().dead_links(result.page.url, checks.page_links(result.page))
    assert any("02_layerz.html (HTTP 404)" in problem for problem in problems), problems
    assert any("#no-such-term-" in problem for problem in problems), problems


def test_a_widget_that_does_not_render_is_reported(broken):
    def add_unrendered_ipywidget(site):
        view = ('<div class="cell_output"><script type="application/vnd.jupyter.widget-view+json">'
                '{"version_major": 2, "version_minor": 0, "model_id": "0123"}</script></div>')
        checks.rewrite(site / BROKEN_PAGE, "<h2>", view + "<h2>")

    result = broken(add_unrendered_ipywidget)
    assert any("is not rendered" in problem for problem in checks.unrendered_widgets(result.page))


def test_a_figure_widget_without_its_script_keeps_its_controls_off(broken):
    def lose_script(site):
        (site / "_static" / "dlkit_widgets.js").unlink()

    result = broken(lose_script)
    assert any("was not started" in p for p in checks.unstarted_static_widgets(result.page))
    # Its controls cannot move, so they cannot show a setting the view does not.
    assert result.page.locator(f"{checks.STATIC_WIDGET} input[type=range]:disabled").count() >= 1
    assert any("dlkit_widgets.js" in failure for failure in checks.failed_requests(result))


def _break_views(change):
    """A site change: ``change(data)`` on the first figure widget's data block of BROKEN_PAGE."""
    import json

    def apply(site):
        page = site / BROKEN_PAGE
        text = page.read_text(encoding="utf-8")
        block = re.search(r'class="dlkit-widget-data">(.*?)</script>', text, re.S).group(1)
        data = json.loads(block.replace("<\\/", "</"))
        change(data)
        checks.rewrite(page, block, json.dumps(data).replace("</", "<\\/"))

    return apply


def _last_view_of_first_slider(data):
    """(control number, index) of the far end of the first widget's first slider, and the
    position of that setting's view."""
    number = next(i for i, c in enumerate(data["controls"]) if c["kind"] == "range")
    state = [c["index"] for c in data["controls"]]
    state[number] = 0 if state[number] else len(data["controls"][number]["labels"]) - 1
    return number, state[number], checks._expected(data, state)["position"]


@pytest.mark.parametrize("damage", ["not saved", "file deleted", "file corrupt"])
def test_a_missing_or_corrupt_view_shows_the_placeholder_never_a_stale_view(broken, damage):
    target = {}

    def damage_view(data):
        number, index, position = _last_view_of_first_slider(data)
        target.update(number=number, index=index, first=data["controls"][number]["index"],
                      image=data["images"][data["views"][position][0]])
        if damage == "not saved":
            data["views"][position] = None

    def damage_site(site):
        _break_views(damage_view)(site)
        if damage != "not saved":
            image = site / "_images" / "dlkit" / target["image"]
            image.unlink()
            if damage == "file corrupt":
                image.write_bytes(b"not a PNG image")

    result = broken(damage_site)
    root = result.page.locator(checks.STATIC_WIDGET).first
    before = checks.shows_missing_view(result.page)
    root.evaluate(checks.MOVE, [target["number"], target["index"]])
    result.page.wait_for_timeout(300)  # an image that fails to decode reports it a moment later
    after = checks.shows_missing_view(result.page)
    assert after["missing"] and after["src"] is None and after["html"] == "", after
    assert checks.MISSING_VIEW in root.inner_text()
    assert before["src"] and not before["missing"]
    root.evaluate(checks.MOVE, [target["number"], target["first"]])
    restored = checks.shows_missing_view(result.page)
    assert restored["src"] == before["src"] and not restored["missing"]


def test_a_request_to_a_cdn_is_blocked_and_reported(broken):
    cdn = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"

    def use_cdn(site):
        checks.rewrite(site / BROKEN_PAGE, "</head>", f'<script src="{cdn}"></script></head>')

    assert checks.external_requests(broken(use_cdn)) == [cdn]


def test_a_script_error_is_reported(broken):
    def add_error(site):
        checks.rewrite(site / BROKEN_PAGE, "</body>", "<script>noSuchFunction();</script></body>")

    assert any("noSuchFunction" in error for error in checks.js_errors(broken(add_error)))


# ---------------------------------------------------------------------------------------------
# Self-check quizzes: every chapter's, answered with the mouse and with the keyboard


def quiz_of(entry: str) -> list[dict]:
    name = re.sub(r"^[0-9]+[a-z]?_", "", entry.rsplit("/", 1)[-1])
    return json.loads((QUIZZES / f"{name}.json").read_text(encoding="utf-8"))


def test_every_chapter_has_a_quiz_page():
    assert QUIZ_PAGES and len(QUIZ_PAGES) == len([e for e in NOTEBOOK_PAGES if e.startswith("chapters/")])


@pytest.fixture
def quiz_page(context, server):
    """quiz_page(entry) -> the loaded page; closed after the test."""
    browser_context, blocked = context
    opened = []

    def load(entry: str):
        result = checks.visit(browser_context, blocked, f"{server.url}{entry}.html")
        opened.append(result.page)
        return result

    yield load
    for page in opened:
        page.close()


@pytest.mark.parametrize("entry", QUIZ_PAGES)
def test_quiz_shows_every_question(quiz_page, entry):
    result = quiz_page(entry)
    problems = checks.quiz_problems(result.page, len(quiz_of(entry)))
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", QUIZ_PAGES)
def test_quiz_answers_give_feedback_with_the_mouse(quiz_page, entry):
    result = quiz_page(entry)
    problems = checks.answer_with_mouse(result.page, quiz_of(entry)[0]) + checks.js_errors(result)
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", QUIZ_PAGES)
def test_quiz_answers_give_feedback_with_the_keyboard(quiz_page, entry):
    result = quiz_page(entry)
    problems = checks.answer_with_keyboard(result.page, quiz_of(entry)[0]) + checks.js_errors(result)
    assert not problems, f"{entry}.html:\n" + "\n".join(problems)


@pytest.mark.parametrize("entry", QUIZ_PAGES)
def test_quiz_has_no_serious_accessibility_violations(quiz_page, entry):
    """axe-core on the quiz alone, answered once (feedback shown), at the serious level too."""
    if not AXE.is_file():
        unavailable("axe-core is missing from node_modules (npm ci)")
    page = quiz_page(entry).page
    checks.answer_with_mouse(page, quiz_of(entry)[0])
    page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished))")  # final colours
    problems = checks.axe_violations(page, AXE, impacts=("critical", "serious"), within=checks.QUIZ)
    assert not problems, f"{entry}.html (axe-core, quiz):\n" + "\n".join(problems)


def test_a_quiz_without_its_script_is_reported(broken):
    def lose_quiz_script(site):
        checks.rewrite(site / BROKEN_PAGE, "function show_questions(", "function show_questions_lost(")

    result = broken(lose_quiz_script)
    expected = len(quiz_of(BROKEN_PAGE.removesuffix(".html")))
    assert checks.quiz_problems(result.page, expected) == [f"the quiz shows 0 of its {expected} questions"]
    assert any("show_questions" in error for error in checks.js_errors(result))


def test_a_quiz_feedback_that_does_not_match_is_reported(broken):
    def swap_feedback(site):
        checks.rewrite(site / BROKEN_PAGE, '"correct": true', '"correct": false')

    result = broken(swap_feedback)
    question = quiz_of(BROKEN_PAGE.removesuffix(".html"))[0]
    assert any("expected 'correct'" in problem for problem in checks.answer_with_mouse(result.page, question))
