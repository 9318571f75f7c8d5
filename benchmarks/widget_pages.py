"""Page weight and widget response time of the built site, in headless Chromium.

    python -m benchmarks.widget_pages SITE_FOLDER [--label NAME] [--moves 3]

SITE_FOLDER is a built site (``_build/offline/_build/html`` after ``make book-offline``). For every
chapter page it reports the bytes of the page and of everything it loads (every response, counted
once per page), on opening it and after moving every widget control (which loads views), and, on pages
with figure widgets, how long a control takes to show its new view: from the control's input
event until the new image is decoded (``tests/browser_checks.py``'s MOVE), every control of every
widget moved ``--moves`` times to each end and back. Budgets (not asserted anywhere): a chapter
page with everything it loads ≤ 5 MB, a control responds in < 100 ms (median).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import browser_checks as checks  # noqa: E402


def measure(site: Path, moves: int = 3) -> tuple[list[dict], list[float], list[float]]:
    """[{page, bytes, all, requests, widgets}] for every chapter page (``bytes``: on opening it;
    ``all``: after every widget control was moved, which loads their views), and the response
    times (ms) of the first moves (views not yet loaded) and of the repeated ones."""
    from playwright.sync_api import sync_playwright

    pages, timings, first_moves = [], [], []
    chapters = sorted((site / "chapters").glob("*.html"))
    with sync_playwright() as playwright, checks.SiteServer(site) as server:
        browser = playwright.chromium.launch(executable_path=checks.find_chromium(),
                                             args=checks.CHROMIUM_ARGS)
        for path in chapters:
            context, blocked = checks.new_context(browser)
            sizes: dict[str, int] = {}

            def count(response, sizes=sizes):
                try:
                    sizes[response.url] = len(response.body())
                except Exception:  # noqa: BLE001 - a redirect or a failed request has no body
                    sizes.setdefault(response.url, 0)

            page = context.new_page()
            page.on("response", count)
            page.goto(f"{server.url}chapters/{path.name}", wait_until="load")
            checks.settle(page)
            page.wait_for_timeout(500)
            opened = sum(sizes.values())
            widgets = page.locator(checks.STATIC_WIDGET).count()
            for w in range(widgets):
                root = page.locator(checks.STATIC_WIDGET).nth(w)
                data = root.evaluate(
                    "(r) => JSON.parse(r.querySelector('script.dlkit-widget-data').textContent)")
                if data.get("action"):
                    continue  # a replay is paced on purpose (250 ms a frame)
                for number, control in enumerate(data["controls"]):
                    if control["kind"] == "button" or len(control["labels"]) < 2:
                        continue
                    for repeat in range(moves):
                        for index in (len(control["labels"]) - 1, 0, control["index"]):
                            elapsed = root.evaluate(checks.MOVE, [number, index])
                            (first_moves if repeat == 0 else timings).append(elapsed)
            pages.append({"page": f"chapters/{path.name}", "bytes": opened,
                          "all": sum(sizes.values()),
                          "requests": len(sizes), "widgets": widgets,
                          "external": len(blocked)})
            context.close()
        browser.close()
    return pages, first_moves, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--label", default="")
    parser.add_argument("--moves", type=int, default=3)
    args = parser.parse_args(argv)
    pages, first_moves, timings = measure(args.site.resolve(), args.moves)
    print(f"\n{args.label or args.site}\n")
    print("| page | MB opened, with everything it loads | MB after moving every control | "
          "figure widgets |")
    print("|---|---:|---:|---:|")
    for row in pages:
        print(f"| {row['page']} | {row['bytes'] / 1e6:.2f} | {row['all'] / 1e6:.2f} | "
              f"{row['widgets']} |")
    for name, values in (("first moves (view not loaded yet)", first_moves),
                         ("repeated moves", timings)):
        if values:
            ordered = sorted(values)
            print(f"\ncontrol response, {name}: median {statistics.median(ordered):.1f} ms, "
                  f"90th percentile {ordered[int(0.9 * (len(ordered) - 1))]:.1f} ms, "
                  f"max {ordered[-1]:.1f} ms over {len(ordered)} moves")
    return 0


if __name__ == "__main__":
    sys.exit(main())
