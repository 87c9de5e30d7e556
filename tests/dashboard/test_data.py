"""When the dashboard reads the corpus folder again, and what the pages' article tables hold."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus.selection import Selection, filter_articles
from dashboard import data
from tests.dashboard.conftest import SOCHI_ARTICLES, texts, write_article

EUROMAIDAN = "euromaidan-press-2015-05-12-why-is-putin-meeting-with-kerry"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A stopped clock for the folder fingerprints: ``clock[0] += s`` lets ``s`` seconds pass."""
    now = [1000.0]
    monkeypatch.setattr(data, "_clock", lambda: now[0])
    return now


@pytest.fixture
def unwatched(monkeypatch: pytest.MonkeyPatch) -> None:
    """A system that reports no changes to folders: the fingerprints follow the time rules."""

    class NoReports:
        def __init__(self, root: Path) -> None:
            raise OSError("this system does not report changes to folders")

    monkeypatch.setattr(data, "_FolderWatch", NoReports)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders whose article files were stated, one entry per scan."""
    done: list[Path] = []
    original = data._scan

    def scan(root: Path, skip: tuple[str, ...]) -> tuple[int, dict[str, os.stat_result]]:
        done.append(root)
        return original(root, skip)

    monkeypatch.setattr(data, "_scan", scan)
    return done


def _titles(app) -> list[str]:  # type: ignore[no-untyped-def]
    table = next(t.value for t in app.dataframe if t.proto.id.endswith("-ov_articles"))
    return sorted(table["title"])


def _count(app) -> str:  # type: ignore[no-untyped-def]
    return next(c for c in texts(app, "caption") if c.startswith("Filters in force"))


def test_an_added_article_is_read_on_the_next_rerun(open_page, corpus_copy, clock):
    app = open_page("overview", corpus=corpus_copy, ov_list="open")
    assert _count(app).endswith("5 of 5 articles.")
    article_id, (outlet, title, text) = next(iter(SOCHI_ARTICLES.items()))
    write_article(corpus_copy, article_id, outlet, title, text)
    app.run()
    assert not app.exception
    assert _count(app).endswith("6 of 6 articles.")
    assert title in _titles(app)


def test_a_removed_article_is_gone_on_the_next_rerun(open_page, corpus_copy, clock):
    app = open_page("overview", corpus=corpus_copy, ov_list="open")
    (corpus_copy / "articles" / f"{EUROMAIDAN}.md").unlink()
    app.run()
    assert not app.exception
    assert _count(app).endswith("4 of 4 articles.")
    assert "Why is Putin meeting with Kerry?" not in _titles(app)


def _retitle(root: Path, title: str) -> None:
    """Rewrite an article in place (same file, the folder itself unchanged)."""
    path = root / "articles" / f"{EUROMAIDAN}.md"
    old = "title: Why is Putin meeting with Kerry?\n"
    path.write_text(path.read_text(encoding="utf-8").replace(old, f"title: {title}\n"), "utf-8")


def test_unwatched_an_article_edited_in_place_is_read_after_the_freshness_window(
    open_page, corpus_copy, clock, unwatched
):
    app = open_page("overview", corpus=corpus_copy, ov_list="open")
    _retitle(corpus_copy, "Edited in place")
    clock[0] += data.SIGNATURE_MAX_AGE_S + 0.1
    app.run()
    assert not app.exception
    assert "Edited in place" in _titles(app)
    assert "Why is Putin meeting with Kerry?" not in _titles(app)


def test_an_article_edited_in_place_is_read_once_the_system_reports_it(
    open_page, corpus_copy, clock, scans
):
    app = open_page("overview", corpus=corpus_copy, ov_list="open")
    assert scans == [corpus_copy]
    # Long past the unwatched freshness window: nothing was reported, nothing is stated.
    clock[0] += data.SIGNATURE_MAX_AGE_S * 5
    app.run()
    assert scans == [corpus_copy]
    _retitle(corpus_copy, "Edited in place")
    # The clock stands still: only the report of the edit can make a run read it.
    for _ in range(100):
        app.run()
        if "Edited in place" in _titles(app):
            break
        time.sleep(0.05)
    assert not app.exception
    assert "Edited in place" in _titles(app)
    assert "Why is Putin meeting with Kerry?" not in _titles(app)
    assert scans[-1] == corpus_copy
    assert len(scans) >= 2


def test_a_watched_corpus_is_stated_again_after_the_longest_wait(
    open_page, corpus_copy, clock, scans
):
    app = open_page("overview", corpus=corpus_copy, ov_list="open")
    clock[0] += data.WATCHED_MAX_AGE_S - 1
    app.run()
    assert scans == [corpus_copy]
    # A change no report covers (an edit from another machine on a network drive).
    clock[0] += 2
    app.run()
    assert scans == [corpus_copy, corpus_copy]


def test_a_change_made_through_the_dashboard_is_read_at_once(open_page, corpus_copy, clock):
    app = open_page("overview", corpus=corpus_copy, ov_list="open")
    _retitle(corpus_copy, "Edited by the importer")
    data.corpus_changed()
    app.run()
    assert not app.exception
    assert "Edited by the importer" in _titles(app)


def test_page_tables_are_the_library_selection_without_texts(open_page):
    app = open_page("overview")
    assert not app.exception
    prepared = data.get_prepared()
    selection = Selection(outlets=("euromaidan-press", "cnn"), meetings=("2015-05-sochi",))
    expected = filter_articles(prepared.articles, selection).drop(columns=list(data.TEXT_COLUMNS))
    shown = data.selected_articles(prepared.articles, selection)
    assert shown.equals(expected)
    shown["added_by_a_page"] = 1
    again = data.selected_articles(prepared.articles, selection)
    assert "added_by_a_page" not in again.columns
    row = data.article_row(prepared.articles, EUROMAIDAN)
    assert row["text_clean"] == prepared.articles.set_index("id").loc[EUROMAIDAN, "text_clean"]


def test_article_index_gives_each_articles_rows_once_per_table():
    table = pd.DataFrame({"article_id": ["b", "a", "b", "c"], "n": [1, 2, 3, 4]})
    index = data.article_index(table)
    assert {key: rows.tolist() for key, rows in index.items()} == {
        "b": [0, 2],
        "a": [1],
        "c": [3],
    }
    assert data.article_index(table) is index
    assert data.article_index(table.copy()) is not index


def test_target_names_are_the_names_in_the_targets_file():
    names = data.target_names()
    assert names["russia"] == "Russia"
    assert names["ukraine"] == "Ukraine"


def test_one_run_states_the_article_files_once(
    open_page, corpus_copy, monkeypatch, unwatched, scans
):
    # Every read of the clock is past the freshness window: without the run's own
    # key, each of the page's many asks for the corpus would state every file again.
    now = [1000.0]

    def clock() -> float:
        now[0] += data.SIGNATURE_MAX_AGE_S + 1
        return now[0]

    monkeypatch.setattr(data, "_clock", clock)
    monkeypatch.setattr(data, "SCAN_SHARE", 0)
    app = open_page("overview", corpus=corpus_copy, ov_list="open")
    assert not app.exception
    assert scans == [corpus_copy]
    _retitle(corpus_copy, "Edited between runs")
    app.run()
    assert scans == [corpus_copy, corpus_copy]
    assert "Edited between runs" in _titles(app)


def test_a_slow_scan_is_trusted_for_twenty_times_as_long(
    open_page, corpus_copy, monkeypatch, unwatched
):
    # Each scan takes 1 s on this clock: the signature is trusted for 20 s, not 2.
    now = [1000.0]
    monkeypatch.setattr(data, "_clock", lambda: now[0])
    scans: list[Path] = []
    original = data._scan

    def slow_scan(root: Path, skip: tuple[str, ...]) -> tuple[int, dict[str, os.stat_result]]:
        scans.append(root)
        now[0] += 1.0
        return original(root, skip)

    monkeypatch.setattr(data, "_scan", slow_scan)
    app = open_page("overview", corpus=corpus_copy, ov_list="open")
    _retitle(corpus_copy, "Edited in place")
    now[0] += 18.5
    app.run()
    assert len(scans) == 1
    assert "Edited in place" not in _titles(app)
    now[0] += 1.0
    app.run()
    assert len(scans) == 2
    assert "Edited in place" in _titles(app)


def test_a_load_reuses_the_stats_of_the_scan_that_found_the_change(
    open_page, corpus_copy, monkeypatch
):
    given: list[set[str] | None] = []
    original = data.load_corpus

    def load_corpus(root, **options):  # type: ignore[no-untyped-def]
        stats = options.get("stats")
        given.append(None if stats is None else set(stats))
        return original(root, **options)

    monkeypatch.setattr(data, "load_corpus", load_corpus)
    app = open_page("overview", corpus=corpus_copy, ov_list="open")
    files = {path.name for path in (corpus_copy / "articles").iterdir()}
    assert given == [files]
    # Nothing is kept once the load has them, nor after a scan that finds no change.
    assert data._stats == {}
    data.corpus_changed()
    app.run()
    assert given == [files]
    assert data._stats == {}
    _retitle(corpus_copy, "Edited between runs")
    data.corpus_changed()
    app.run()
    assert given == [files, files]
    assert "Edited between runs" in _titles(app)
