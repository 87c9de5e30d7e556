"""What an analyst waits for in a real browser: start, restart, a second tab, a filter change.

Run: ``.venv/bin/python tests/benchmarks/bench_browser.py --articles 10000 --runs 5``
(not collected by pytest; needs Debian's ``chromium``, as the browser tests do).

The corpus is :func:`tests.benchmarks.bench_dashboard.write_corpus` (synthetic
articles from eight outlets, dated around the five meetings). A
``streamlit run`` server of this checkout serves it on 127.0.0.1 with an empty
cache folder, and headless Chromium opens the Overview. Reported, in seconds:

* ``first_start``: from starting the server to the Overview's content (its
  heading, the "Filters in force" line, the script run finished) with
  nothing kept: the whole corpus is cleaned, counted and analysed, and the
  results store filled;
* ``second_tab``: a new browser tab on that running server, to the same point;
* ``filter_change``: picking one more outlet in the sidebar to the new
  article count shown and the run finished (median and max of ``--runs``);
* ``restart``: the server stopped and started again on the same corpus and
  cache folder (the results store kept), to the Overview's content.

Each figure is wall-clock time as the browser sees it, beside ``first_start``
in the same run (``ratio``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.bench_dashboard import write_corpus  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, _wait_until_up, start_server  # noqa: E402

_TIMEOUT_MS = int(os.environ.get("BENCH_TIMEOUT_MS", "600000"))


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=60)


def _overview_shown(page) -> None:
    """The Overview's heading and filter line are on screen and the script run has finished."""
    page.get_by_role("heading", name="Overview", exact=True).first.wait_for(timeout=_TIMEOUT_MS)
    page.wait_for_selector("text=Filters in force", timeout=_TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=_TIMEOUT_MS)


def _open(browser, url: str) -> tuple[object, object, float]:
    """A new tab on ``url``; returns its context, page and the seconds to the Overview."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, timeout=_TIMEOUT_MS)
    _overview_shown(page)
    return context, page, time.perf_counter() - started


def _started(browser, corpus: Path, cache: Path, log: Path):
    """Start a server and open the Overview; returns the server, its URL, tab and seconds."""
    started = time.perf_counter()
    process, url = start_server(corpus, cache, log.open("ab"))
    _wait_until_up(url, process, timeout=_TIMEOUT_MS / 1000)
    context, page, _ = _open(browser, url)
    return process, url, context, page, time.perf_counter() - started


def _article_count(page) -> str:
    return page.get_by_text(" articles.").first.inner_text(timeout=_TIMEOUT_MS)


def _filter_change(page, outlet: str) -> float:
    """Pick ``outlet`` in the sidebar's outlet filter; seconds to the new count, run finished."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    before = _article_count(page)
    # Its text field: the middle of the box may be a chosen outlet's chip, or its remove button.
    box.locator("input").first.click()
    option = page.get_by_role("option", name=outlet).first
    option.wait_for(state="visible", timeout=_TIMEOUT_MS)
    started = time.perf_counter()
    option.click()
    while True:
        if (
            page.locator("[data-testid='stStatusWidget']").count() == 0
            and _article_count(page) != before
        ):
            elapsed = time.perf_counter() - started
            break
        if time.perf_counter() - started > _TIMEOUT_MS / 1000:
            raise TimeoutError(
                f"picking {outlet!r} did not change the article count ({before!r}) "
                f"within {_TIMEOUT_MS / 1000:.0f} s"
            )
        page.wait_for_timeout(10)
    page.keyboard.press("Escape")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("bench_browser needs Debian's chromium (`apt-get install chromium`)")
    with tempfile.TemporaryDirectory() as scratch:
        corpus, cache, log = (
            Path(scratch) / "corpus",
            Path(scratch) / "cache",
            Path(scratch) / "log",
        )
        corpus.mkdir()
        write_corpus(args.articles, corpus)
        rows: list[tuple[str, float]] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            process, url, context, page, first = _started(browser, corpus, cache, log)
            rows.append(("first_start", first))
            _progress(f"first start {first:.2f} s")
            second_context, _, second = _open(browser, url)
            second_context.close()
            rows.append(("second_tab", second))
            _progress(f"second tab {second:.2f} s")
            changes = []
            for k in range(args.runs):
                changes.append(_filter_change(page, f"Outlet {k}"))
                _progress(f"filter change {k + 1}: {changes[-1]:.2f} s")
            rows.append(("filter_change_median", statistics.median(changes)))
            rows.append(("filter_change_max", max(changes)))
            context.close()
            _stop(process)
            process, url, context, page, restart = _started(browser, corpus, cache, log)
            rows.append(("restart", restart))
            context.close()
            _stop(process)
            browser.close()
    print(f"{args.articles} articles, browser wall-clock seconds (ratio to first_start):")
    for name, seconds in rows:
        print(f"  {name:22s} {seconds:8.2f}  ({seconds / first:.3f})")
    print("  filter changes:", [round(s, 2) for s in changes])


if __name__ == "__main__":
    main()
