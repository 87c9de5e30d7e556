"""What an analyst waits for in a real browser: start, restart, a second tab, a filter change.

Run: ``.venv/bin/python tests/benchmarks/bench_browser.py --articles 10000 --runs 5 --restarts 5``
(not collected by pytest; needs Debian's ``chromium``, as the browser tests do).

The corpus is :func:`tests.benchmarks.bench_dashboard.write_corpus` (synthetic
articles from eight outlets, dated around the five meetings). A
``streamlit run`` server of this checkout serves it on 127.0.0.1 with an empty
cache folder, and headless Chromium opens the Overview. Reported, in seconds:

* ``first_start``: from starting the server to the Overview's content (its
  heading, the "Filters in force" line, the script run finished) with
  nothing kept. The Overview shows the corpus only; the analysis (clean,
  count, label, fill the results store) starts once it is drawn;
* ``first_analysis_page``: from the Overview of the first start, the sidebar
  link to Stance and framing, to its content: the rest of that analysis;
* ``second_tab``: another tab of the same browser on the running server, to
  the Overview's content (the browser has Streamlit's scripts cached): the
  server's first new tab, then ``second_tab_median`` and ``second_tab_max``
  over ``--tabs`` new tabs opened one after the other (each closed before
  the next; the server's first new tab is often the slowest);
* ``new_visitor``: a new browser context (nothing cached, as another
  analyst's browser on first visit), to the same point;
* ``filter_change``: picking one more outlet in the sidebar to the new
  article count shown and the run finished (median and max of ``--runs``);
* ``restart_median``, ``restart_max``: the server stopped and started again
  on the same corpus, cache folder (the results store kept) and port, to the
  Overview's content in a new tab of the browser that had it open before, as
  an analyst reloads the dashboard after restarting it (Streamlit's scripts
  in its cache); over ``--restarts`` restarts (one varies by seconds from the
  next on this machine);
* ``restart_new_visitor_median``, ``restart_new_visitor_max``: as many
  restarts, taken in turn with those, each to a new browser context (nothing
  cached, as ``new_visitor``);
* ``restart_analysis_page``: after the first restart, the sidebar link to
  Stance and framing.

Both kinds of restart are timed from the server's start: the benchmark asks
whether it answers every 20 ms (until 2026-12-03 every 0.3 s, which added up
to 0.3 s to each restart), and opens the page once it does.

The Overview counts as shown once its two charts are drawn (their titles
showing the articles counted) as well; a filter change, once they show the
new count.

The same is timed, in the same run, for two pages with nothing to load:

* a bare Streamlit page (a heading, a multiselect of outlets in the sidebar, a
  line counting them and a button): the floor of starting a server, loading
  Streamlit's scripts in the browser, running a script and rerunning it on a
  click, which no corpus work can go under;
* the same page with one small Vega-Lite chart of the chosen outlets,
  clickable as the Overview's are: what a page with such a chart costs on top
  (Streamlit loads Vega's scripts, about 0.8 MB, in each tab);
* the same with one small Plotly chart instead, as the other pages draw:
  Streamlit loads Plotly's 4.7 MB script in each tab, on the first chart.

Each figure is printed beside the floors, with its difference from the Vega-Lite one
(``--no-floors``: the dashboard's figures alone, in about half the time).

With ``--against CHECKOUT`` (another checkout of this project, say one at the
commit before a change) only restarts and new tabs are timed, of this
dashboard and that one in turn, ``--rounds`` servers each (see
:func:`compare`): the machine's speed moves by a fifth from one hour to the
next, and two runs of the benchmark an hour apart do not say what a change
did. Both run in this Python environment, each with its own code on the path.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.bench_dashboard import write_corpus  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    _free_port,
    _wait_until_up,
    start_server,
)

# The test suite's conftest turns on checking every figure against its schema, and the
# servers started here would inherit it: they serve the dashboard as an analyst runs it.
os.environ.pop("NARRATIVES_CHECK_FIGURES", None)

_TIMEOUT_MS = int(os.environ.get("BENCH_TIMEOUT_MS", "600000"))


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=60)


#: The last thing the Overview draws: the (closed) section of its article list.
_OVERVIEW_END = ".st-key-ov_list"
#: The Overview's charts, by key: coverage and timeline.
OVERVIEW_CHARTS = ("ov_coverage", "ov_timeline")


def _charts_drawn(page, charts: tuple[str, ...]) -> None:
    """Each chart of ``charts`` (keys) is drawn, its title counting the articles selected."""
    if charts:
        count = _selected(page)
        page.wait_for_function(
            """([keys, count]) => keys.every(key => {
                const title = document.querySelector(
                    `.st-key-${key} .main-svg .gtitle, .st-key-${key} svg.marks .role-title-text`
                );
                return title !== null && title.textContent.includes(count);
            })""",
            arg=[list(charts), count],
            timeout=_TIMEOUT_MS,
        )


def _selected(page) -> str:
    """How many articles the filters keep, as a chart title writes it ("n = 1,234 ").

    The timeline counts the dated articles: every article of :func:`write_corpus` is dated.
    """
    shown = page.get_by_text("Filters in force").first.inner_text(timeout=_TIMEOUT_MS)
    found = re.search(r"(\d+) of \d+ articles", shown)
    if found is None:
        raise ValueError(f"no article count in {shown!r}")
    return f"n = {int(found.group(1)):,} "


def _overview_shown(
    page, charts: tuple[str, ...] = OVERVIEW_CHARTS, end: str | None = _OVERVIEW_END
) -> None:
    """The Overview is on screen to ``end`` (a selector; ``None``: its charts are the last
    thing waited for), its ``charts`` drawn, and the run has finished."""
    page.get_by_role("heading", name="Overview", exact=True).first.wait_for(timeout=_TIMEOUT_MS)
    page.wait_for_selector("text=Filters in force", timeout=_TIMEOUT_MS)
    if end is not None:
        page.wait_for_selector(end, timeout=_TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=_TIMEOUT_MS)
    _charts_drawn(page, charts)


def _tab(
    context, url: str, charts: tuple[str, ...], end: str | None = _OVERVIEW_END
) -> tuple[Any, float]:
    """A new tab of ``context`` on ``url``; returns it and the seconds to the Overview."""
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, timeout=_TIMEOUT_MS)
    _overview_shown(page, charts, end)
    return page, time.perf_counter() - started


def _open(
    browser, url: str, charts: tuple[str, ...], end: str | None = _OVERVIEW_END
) -> tuple[Any, Any, float]:
    """A new tab on ``url`` in a new context; returns it, the tab and the seconds to the
    Overview."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page, seconds = _tab(context, url, charts, end)
    return context, page, seconds


def _article_count(page) -> str:
    return page.get_by_text(" articles.").first.inner_text(timeout=_TIMEOUT_MS)


def _filter_change(page, outlet: str, charts: tuple[str, ...] = OVERVIEW_CHARTS) -> float:
    """Pick ``outlet`` in the sidebar's outlet filter; seconds to the new count, run finished,
    and ``charts`` redrawn with it."""
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
            _charts_drawn(page, charts)
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


#: A page with nothing to load: what Streamlit itself costs (see the module docstring).
BARE_PAGE = """\
import streamlit as st

st.title("Overview")
chosen = st.sidebar.multiselect("Outlets", [f"Outlet {k}" for k in range(8)])
st.caption("Filters in force: outlets")
st.write(f"{len(chosen)} of 8 outlets: {len(chosen)} articles.")
st.expander("Articles", key="ov_list", on_change="rerun")
"""

#: The bare page with one small Vega-Lite chart of the chosen outlets, clickable as the
#: Overview's are: what a page with such a chart costs (see the module docstring).
VEGA_PAGE = """\
import pandas as pd
import streamlit as st

st.title("Overview")
chosen = st.sidebar.multiselect("Outlets", [f"Outlet {k}" for k in range(8)])
st.caption(f"Filters in force: outlets — {len(chosen)} of 8 articles.")
points = pd.DataFrame({"x": list(range(len(chosen))), "y": chosen})
spec = {
    "title": f"Outlets (n = {len(chosen):,} articles)",
    "datasets": {"points": points},
    "data": {"name": "points"},
    "mark": "point",
    "params": [{"name": "pick", "select": {"type": "point", "fields": ["y"]}}],
    "encoding": {
        "x": {"field": "x", "type": "quantitative"},
        "y": {"field": "y", "type": "nominal"},
    },
}
st.vega_lite_chart(spec=spec, key="ov_coverage", on_select="rerun", selection_mode=["pick"])
st.expander("Articles", key="ov_list", on_change="rerun")
"""

#: The bare page with one small Plotly chart of the chosen outlets, clickable as the
#: dashboard's other pages' charts are: what a page with a Plotly chart costs.
CHART_PAGE = """\
import plotly.graph_objects as go
import streamlit as st

st.title("Overview")
chosen = st.sidebar.multiselect("Outlets", [f"Outlet {k}" for k in range(8)])
st.caption(f"Filters in force: outlets — {len(chosen)} of 8 articles.")
figure = go.Figure(
    go.Scatter(x=list(range(len(chosen))), y=chosen, mode="markers"),
    layout={"title": {"text": f"Outlets (n = {len(chosen):,} articles)"}},
)
st.plotly_chart(figure, key="ov_coverage", on_select="rerun", selection_mode="points")
st.expander("Articles", key="ov_list", on_change="rerun")
"""
#: The charts each page served draws on its Overview, by key.
CHARTS = {
    "bare": (),
    "vega": ("ov_coverage",),
    "chart": ("ov_coverage",),
    "dashboard": OVERVIEW_CHARTS,
}


def _page_link(page, title: str) -> float:
    """Follow the sidebar link to page ``title``; seconds to its first chart, the run finished.

    The heading shows at once; the charts only once the analysis is ready.
    """
    started = time.perf_counter()
    page.get_by_role("link", name=title).first.click()
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=_TIMEOUT_MS)
    page.locator("[data-testid='stMain'] [data-testid='stPlotlyChart']").first.wait_for(
        timeout=_TIMEOUT_MS
    )
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=_TIMEOUT_MS)
    return time.perf_counter() - started


def _new_tabs(
    context, url: str, charts: tuple[str, ...], tabs: int, end: str | None = _OVERVIEW_END
) -> list[float]:
    """Seconds to the Overview of ``tabs`` new tabs of ``context``, one after the other."""
    seconds = []
    for _ in range(tabs):
        second, took = _tab(context, url, charts, end)
        seconds.append(took)
        second.close()
    return seconds


def _tabs(browser, context, url: str, charts: tuple[str, ...], tabs: int) -> dict[str, float]:
    """``tabs`` new tabs of ``context``, one after the other, and a new visitor's tab on
    ``url``, to the Overview."""
    seconds = _new_tabs(context, url, charts, tabs)
    times = {
        "second_tab": seconds[0],
        "second_tab_median": statistics.median(seconds),
        "second_tab_max": max(seconds),
    }
    visitor, _, times["new_visitor"] = _open(browser, url, charts)
    visitor.close()
    return times


def _measure(
    browser,
    corpus: Path,
    cache: Path,
    log: Path,
    *,
    app: Path | None,
    charts: tuple[str, ...],
    runs: int,
    restart_runs: int,
    tabs: int,
):
    """Every figure of the module docstring for the server of ``app`` (the dashboard if None),
    whose Overview draws ``charts``."""
    served = {} if app is None else {"app": app}
    times: dict[str, float] = {}
    analysis = app is None

    port = _free_port()

    def start(returning=None) -> tuple[subprocess.Popen[bytes], str, Any, Any, float]:
        # ``returning``: a context that had the Overview open, for a new tab of it.
        began = time.perf_counter()
        process, url = start_server(corpus, cache, log.open("ab"), port=port, **served)
        _wait_until_up(url, process, timeout=_TIMEOUT_MS / 1000)
        if returning is None:
            context, page, _ = _open(browser, url, charts)
        else:
            context, (page, _) = returning, _tab(returning, url, charts)
        return process, url, context, page, time.perf_counter() - began

    process, url, context, page, times["first_start"] = start()
    _progress(f"first start {times['first_start']:.2f} s")
    if analysis:
        times["first_analysis_page"] = _page_link(page, "Stance and framing")
        _progress(f"first analysis page {times['first_analysis_page']:.2f} s")
        page.get_by_role("link", name="Overview").first.click()
        _overview_shown(page, charts)
    times.update(_tabs(browser, context, url, charts, tabs))
    _progress(
        f"second tab {times['second_tab']:.2f} s (median of {tabs} "
        f"{times['second_tab_median']:.2f} s), new visitor {times['new_visitor']:.2f} s"
    )
    changes = []
    for k in range(runs):
        changes.append(_filter_change(page, f"Outlet {k}", charts))
        _progress(f"filter change {k + 1}: {changes[-1]:.2f} s")
    times["filter_change_median"] = statistics.median(changes)
    times["filter_change_max"] = max(changes)
    # The context that had the Overview open, its pages closed, is the returning browser.
    returning = context
    for opened in returning.pages:
        opened.close()
    _stop(process)
    restarts: dict[str, list[float]] = {"returning": [], "new visitor": []}
    for k in range(restart_runs):
        kinds = ["returning", "new visitor"] if k % 2 == 0 else ["new visitor", "returning"]
        for kind in kinds:
            process, url, context, page, seconds = start(returning if kind == "returning" else None)
            restarts[kind].append(seconds)
            _progress(f"restart {k + 1}, {kind}: {seconds:.2f} s")
            if analysis and k == 0 and kind == "returning":
                times["restart_analysis_page"] = _page_link(page, "Stance and framing")
                _progress(f"restart, analysis page {times['restart_analysis_page']:.2f} s")
            if kind == "returning":
                page.close()
            else:
                context.close()
            _stop(process)
    returning.close()
    times["restart_median"] = statistics.median(restarts["returning"])
    times["restart_max"] = max(restarts["returning"])
    times["restart_new_visitor_median"] = statistics.median(restarts["new visitor"])
    times["restart_new_visitor_max"] = max(restarts["new visitor"])
    return times, changes, restarts


#: After a restart, how long the comparison waits before opening new tabs: the
#: Overview starts reading the prepared corpus back 3 s after it is drawn.
_SETTLE_S = 10.0


@contextlib.contextmanager
def _dashboard(corpus: Path, cache: Path, log: Path, repo: Path) -> Iterator[str]:
    """``repo``'s dashboard served on ``corpus`` with ``cache``, up; yields its URL, then
    stops it (its output appended to ``log``)."""
    with log.open("ab") as output:
        process, url = start_server(corpus, cache, output, repo=repo)
        try:
            _wait_until_up(url, process, timeout=_TIMEOUT_MS / 1000)
            yield url
        finally:
            _stop(process)


def _fill(browser, corpus: Path, cache: Path, log: Path, repo: Path) -> None:
    """Start ``repo``'s dashboard with the empty ``cache`` and wait for its first analysis
    page: the results store then holds the prepared corpus that a restart reads back."""
    with _dashboard(corpus, cache, log, repo) as url:
        context, page, _ = _open(browser, url, OVERVIEW_CHARTS, end=None)
        _page_link(page, "Stance and framing")
        context.close()


def compare(
    browser, corpus: Path, root: Path, log: Path, repos: dict[str, Path], *, rounds: int, tabs: int
) -> dict[str, dict[str, list[float]]]:
    """Restarts and new tabs of the dashboards of ``repos`` (checkouts by name), alternating.

    Each checkout gets a cache folder of its own under ``root``, filled first
    (:func:`_fill`). Then, ``rounds`` times and in turn (which one goes first
    alternates too), its server is started, timed to the Overview, left
    :data:`_SETTLE_S` seconds, and ``tabs`` new tabs are timed. The Overview
    counts as shown without an end marker, so checkouts whose Overviews end
    differently are timed alike. Returns each checkout's ``restart``,
    ``first_tab`` (a server's first new tab) and ``tabs`` (all of them) seconds.
    """
    for name, repo in repos.items():
        _progress(f"{name} ({repo}): filling its results store")
        _fill(browser, corpus, root / f"{name}-cache", log, repo)
    times: dict[str, dict[str, list[float]]] = {
        name: {"restart": [], "first_tab": [], "tabs": []} for name in repos
    }
    names = list(repos)
    for turn in range(rounds):
        for name in names if turn % 2 == 0 else names[::-1]:
            began = time.perf_counter()
            with _dashboard(corpus, root / f"{name}-cache", log, repos[name]) as url:
                context, _, _ = _open(browser, url, OVERVIEW_CHARTS, end=None)
                times[name]["restart"].append(time.perf_counter() - began)
                time.sleep(_SETTLE_S)
                seconds = _new_tabs(context, url, OVERVIEW_CHARTS, tabs, end=None)
                context.close()
            times[name]["first_tab"].append(seconds[0])
            times[name]["tabs"].extend(seconds)
            _progress(
                f"round {turn + 1}, {name}: restart {times[name]['restart'][-1]:.2f} s, "
                f"new tabs {', '.join(f'{t:.2f}' for t in seconds)} s"
            )
    return times


def _print_comparison(
    times: dict[str, dict[str, list[float]]], repos: dict[str, Path], articles: int
) -> None:
    this, other = list(repos)
    print(
        f"{articles} articles, browser wall-clock seconds, medians (and ranges) over "
        f"{len(times[this]['restart'])} servers of each dashboard, alternating: "
        f"{this} = {repos[this]}, {other} = {repos[other]}"
    )
    print(f"  {'':30s} {this:>20s} {other:>20s} {'ratio':>7s}")
    labels = {
        "restart": "restart to the Overview",
        "first_tab": "a server's first new tab",
        "tabs": "every new tab",
    }
    for key, label in labels.items():
        cells = []
        for name in (this, other):
            values = times[name][key]
            cells.append(f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})")
        ratio = statistics.median(times[this][key]) / statistics.median(times[other][key])
        print(f"  {label:30s} {cells[0]:>20s} {cells[1]:>20s} {ratio:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="filter changes timed")
    parser.add_argument("--tabs", type=int, default=5, help="new tabs timed, one after the other")
    parser.add_argument(
        "--restarts",
        type=int,
        default=3,
        help="restarts timed of each kind, the analyst's browser and a new visitor's, in "
        "turn (median and slowest; the analysis page after the first)",
    )
    parser.add_argument(
        "--no-floors",
        action="store_true",
        help="time the dashboard only, not the pages with nothing to load beside it",
    )
    parser.add_argument(
        "--against",
        type=Path,
        metavar="CHECKOUT",
        help="another checkout of this project: time only restarts and new tabs, of this "
        "dashboard and that one alternately (see compare), and print their ratio",
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="with --against: servers started for each"
    )
    args = parser.parse_args()
    if min(args.runs, args.restarts, args.tabs, args.rounds) < 1:
        parser.error("--runs, --restarts, --tabs and --rounds must each be at least 1")
    if args.against is not None and not (args.against / "dashboard" / "app.py").is_file():
        parser.error(f"--against {args.against}: no dashboard/app.py there; give a checkout")
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("bench_browser needs Debian's chromium (`apt-get install chromium`)")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        corpus, log = root / "corpus", root / "log"
        corpus.mkdir()
        write_corpus(args.articles, corpus)
        if args.against is not None:
            repos = {"this": REPO, "against": args.against.resolve()}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=executable, headless=True, args=CHROMIUM_ARGS
                )
                compared = compare(
                    browser, corpus, root, log, repos, rounds=args.rounds, tabs=args.tabs
                )
                browser.close()
            _print_comparison(compared, repos, args.articles)
            return
        pages = {"bare": root / "bare.py", "vega": root / "vega.py", "chart": root / "chart.py"}
        pages["bare"].write_text(BARE_PAGE, encoding="utf-8")
        pages["vega"].write_text(VEGA_PAGE, encoding="utf-8")
        pages["chart"].write_text(CHART_PAGE, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            counts = {"runs": args.runs, "restart_runs": args.restarts, "tabs": args.tabs}
            floors: dict[str, dict[str, float]] = {}
            for name, app in pages.items() if not args.no_floors else ():
                _progress(f"{name} page")
                floors[name], _, _ = _measure(
                    browser, corpus, root / f"{name}-cache", log, app=app,
                    charts=CHARTS[name], **counts,
                )  # fmt: skip
            _progress(f"dashboard, {args.articles} articles")
            times, changes, restarts = _measure(
                browser, corpus, root / "cache", log, app=None, charts=CHARTS["dashboard"], **counts
            )
            browser.close()
    if floors:
        print(
            f"{args.articles} articles, browser wall-clock seconds; beside, the floors: the "
            "bare page, the bare page with one Vega-Lite chart (as the Overview's; and the "
            "dashboard's time over it), and with one Plotly chart (as the other pages'):"
        )
        print(
            f"  {'':26s} {'dashboard':>10s} {'bare page':>10s} {'one Vega':>10s} "
            f"{'over it':>10s} {'one Plotly':>10s}"
        )
    else:
        print(f"{args.articles} articles, browser wall-clock seconds (no floors timed):")
    for name, seconds in times.items():
        bare, vega, chart = (floors.get(k, {}).get(name) for k in ("bare", "vega", "chart"))
        if bare is None or vega is None or chart is None:
            print(f"  {name:26s} {seconds:10.2f}")
        else:
            print(
                f"  {name:26s} {seconds:10.2f} {bare:10.2f} {vega:10.2f} {seconds - vega:10.2f} "
                f"{chart:10.2f}"
            )
    print("  filter changes:", [round(s, 2) for s in changes])
    for kind, seconds_of in restarts.items():
        print(f"  restarts, {kind}:", [round(s, 2) for s in seconds_of])


if __name__ == "__main__":
    main()
