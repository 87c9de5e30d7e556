"""Benchmark of the dashboard's page renders on a synthetic corpus (not collected by pytest).

Run: ``.venv/bin/python tests/benchmarks/bench_dashboard.py --articles 10000 --runs 5``

The corpus is :func:`tests.benchmarks.bench_pipeline.make_corpus` (Zipf text,
eight outlets with planted framing phrases) written as a corpus folder with
the shipped meetings catalogue: each article covers one of the five meetings
(or none, one in six) and is dated within a few days of it, and the outlets
fall into four groups. Every page is rendered with Streamlit's ``AppTest``,
which runs the real script without a browser.

Reported per page:

* ``cold_s``: the first render in a fresh process: the Overview loads the
  corpus and is drawn, then prepares the whole corpus on a thread; both
  together, and the Overview alone, are rows of their own;
* ``first_visit_s``: the first render of the page once the corpus is prepared
  (a page switch);
* ``warm_median_s`` / ``warm_max_s``: re-renders after a filter change, each
  run with a different outlet pair (so no filter result is cached), median
  and maximum of ``--runs`` runs.

Each render is a new ``AppTest`` (a new session). A Streamlit server scans the
installed packages for custom components once when it starts and compiles
each page script once; a new ``AppTest`` does both again (0.1 to 0.3 s on a
machine with a few hundred packages), so the runs share one component
registry and one script cache, as the sessions of a server do. With
``--apptest-startup`` every render pays that start-up again.

Renders in quick succession reuse the corpus folder's fingerprint. With
``--human-pace`` the benchmark waits past the window in which an unwatched
folder's fingerprint is trusted (``dashboard.data.SIGNATURE_MAX_AGE_S``)
before each warm render, as when an analyst changes filters at leisure.
Where the system reports changes to the folders (inotify on Linux; see
``dashboard.data._FolderWatch``), such a render checks no article file;
where it does not, each one checks every article file again (on a corpus
whose scan takes over a tenth of a second the window is
``dashboard.data.SCAN_SHARE`` times the scan, and a render that follows
within it does not check again).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from dashboard.data import SIGNATURE_MAX_AGE_S  # noqa: E402
from tests.benchmarks.bench_pipeline import N_OUTLETS, make_corpus  # noqa: E402

PAGES = ["overview", "meeting", "contrasts", "stance", "reader", "corpus"]
GROUPS = ["state media", "mainstream", "think tank", "blog"]


def write_corpus(n_articles: int, root: Path) -> None:
    """Write the synthetic articles as a corpus folder with meetings and dates."""
    from analysis.corpus.article_file import format_article
    from analysis.corpus.articles import ARTICLES_DIR
    from analysis.corpus.types import Article, PublishedDate

    frame = make_corpus(n_articles)
    rng = np.random.default_rng(1)
    (root / "outlets.yaml").write_text(
        "".join(
            f"outlet-{k}:\n  name: Outlet {k}\n  kind: blog\n  group: {GROUPS[k % len(GROUPS)]}\n"
            for k in range(N_OUTLETS)
        ),
        encoding="utf-8",
    )
    meetings_yaml = (REPO / "corpus" / "meetings.yaml").read_text(encoding="utf-8")
    (root / "meetings.yaml").write_text(meetings_yaml, encoding="utf-8")
    meetings = [
        ("2013-05-moscow", "2013-05-08"),
        ("2015-05-sochi", "2015-05-12"),
        ("2015-12-moscow", "2015-12-15"),
        ("2016-03-moscow", "2016-03-24"),
        ("2016-07-moscow", "2016-07-15"),
    ]
    articles = root / ARTICLES_DIR
    articles.mkdir()
    choice = rng.integers(0, len(meetings) + 1, size=n_articles)
    delay = rng.integers(0, 10, size=n_articles)
    for row, meeting, days in zip(frame.itertuples(), choice, delay, strict=True):
        key, day = meetings[min(meeting, len(meetings) - 1)]
        published = np.datetime64(day) + np.timedelta64(int(days), "D")
        article = Article(
            id=str(row.id),
            title=f"Article {row.id} on the talks",
            outlet=str(row.outlet),
            text=f"Article {row.id} on the talks\n\n{row.text_clean}",
            language="en",
            published=PublishedDate.parse(str(published)),
            meetings=() if meeting == len(meetings) else (key,),
        )
        (articles / f"{row.id}.md").write_text(format_article(article), encoding="utf-8")


#: The component registry the first AppTest built (see the module docstring).
_REGISTRY: list[object] = []


def _share_server_startup() -> None:
    """Let every AppTest of this process use one compiled-script cache, as a server does."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared  # type: ignore[assignment,misc]


def _run(
    page: str, query: dict[str, str | list[str]], *, share: bool = True
) -> tuple[float, object]:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=3600)
    if share and _REGISTRY and hasattr(app, "_bidi_component_manager"):
        app._bidi_component_manager = _REGISTRY[0]
    app.switch_page(f"views/{page}.py")
    for key, value in query.items():
        app.query_params[key] = value
    start = time.perf_counter()
    app.run()
    seconds = time.perf_counter() - start
    if share and not _REGISTRY and getattr(app, "_bidi_component_manager", None) is not None:
        _REGISTRY.append(app._bidi_component_manager)
    if app.exception:
        raise RuntimeError(f"{page}: {app.exception[0].message}")
    return seconds, app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--apptest-startup",
        action="store_true",
        help="every render pays AppTest's start-up (component scan, script compilation)",
    )
    parser.add_argument(
        "--human-pace",
        action="store_true",
        help="wait past the folder fingerprint's freshness window before each warm render, "
        "so each one also checks every article file, as when an analyst clicks at leisure",
    )
    args = parser.parse_args()
    share = not args.apptest_startup
    if share:
        _share_server_startup()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        root.mkdir()
        start = time.perf_counter()
        write_corpus(args.articles, root)
        print(f"wrote {args.articles} articles in {time.perf_counter() - start:.1f} s")
        os.environ["NARRATIVES_CORPUS"] = str(root)
        os.environ["NARRATIVES_CACHE_DIR"] = str(Path(folder) / "cache")
        rows = []
        started = time.perf_counter()
        overview, _ = _run("overview", {}, share=share)
        # The Overview is drawn from the corpus and then starts the preparation.
        from dashboard.data import wait_for_background

        wait_for_background()
        cold = time.perf_counter() - started
        rows.append(("(load, Overview, then the preparation)", cold, float("nan"), [], 0))
        rows.append(("(of which the Overview drawn)", overview, float("nan"), [], 0))
        pairs = [[f"Outlet {k}", f"Outlet {(k + 1) % N_OUTLETS}"] for k in range(args.runs + 1)]
        for page in PAGES:
            first, _ = _run(page, {}, share=share)
            warm = []
            for pair in pairs[: args.runs]:
                if args.human_pace:
                    time.sleep(SIGNATURE_MAX_AGE_S + 0.5)
                seconds, app = _run(page, {"f_outlet": pair}, share=share)
                warm.append(seconds)
            rows.append((page, float("nan"), first, warm, len(app.main.children)))
        startup = "every render pays AppTest start-up" if args.apptest_startup else "server-like"
        startup += ", at human pace" if args.human_pace else ""
        print(f"\n{args.articles} articles, {args.runs} warm runs per page, {startup} (seconds)\n")
        print(
            f"{'page':<44}{'cold_s':>9}{'first_visit_s':>15}{'warm_median_s':>15}{'warm_max_s':>12}"
        )
        for page, cold_s, first_s, warm, _ in rows:
            median = statistics.median(warm) if warm else float("nan")
            top = max(warm) if warm else float("nan")
            print(f"{page:<44}{cold_s:>9.2f}{first_s:>15.2f}{median:>15.2f}{top:>12.2f}")


if __name__ == "__main__":
    main()
