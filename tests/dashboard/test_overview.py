from __future__ import annotations

import threading
from pathlib import Path

from analysis.ingest.importer import import_articles
from analysis.pipeline import prepare as prepare_module
from dashboard import data
from dashboard.layout import NOTHING_SELECTED
from tests.conftest import last_line_of_python
from tests.dashboard.conftest import (
    download_button,
    downloaded_rows,
    texts,
    vega_chart,
    write_article,
)


def _table(app, key):
    return next(table.value for table in app.dataframe if table.proto.id.endswith(f"-{key}"))


def test_default_load_shows_the_whole_corpus(open_page):
    app = open_page("overview", ov_list="open")
    assert not app.exception
    assert app.title[0].value == "Overview"
    assert "Filters in force: all articles — 5 of 5 articles." in texts(app, "caption")
    assert len(_table(app, "ov_articles")) == 5
    assert "5 articles. Select a row and open it in the Reader." in texts(app, "caption")
    assert app.metric[0].value == "5"
    assert any("Small samples" in w for w in texts(app, "warning"))


SECTIONS = ["Outlets and their groups", "Articles: the list, to open one in the Reader"]


def _tables_shown(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The Overview's tables drawn, by their downloads' keys; each has a data grid."""
    keys = [b.proto.id.rsplit("-", 1)[-1] for b in app.get("download_button")]
    shown = [key[: -len("_csv")] for key in keys if key in ("ov_registry_csv", "ov_articles_csv")]
    assert len(app.dataframe) == len(shown)
    return shown


def test_the_registry_and_the_article_list_are_drawn_only_when_opened(open_page):
    # Closed, the Overview is its charts: no data grid is sent, nor its script loaded.
    app = open_page("overview")
    assert not app.exception
    assert [section.label for section in app.expander] == SECTIONS
    assert _tables_shown(app) == []
    assert "ov_list" not in app.query_params
    assert len(vega_chart(app, 1)[1]["points"]) == 5
    # Each opens by itself, and the URL says which is open.
    app = open_page("overview", ov_outlets="open")
    assert _tables_shown(app) == ["ov_registry"]
    assert app.query_params["ov_outlets"] == "open"
    assert "ov_list" not in app.query_params
    app = open_page("overview", ov_list="open", ov_outlets="open")
    assert _tables_shown(app) == ["ov_registry", "ov_articles"]
    assert app.query_params["ov_list"] == "open"
    # An open section stays open when the filters change.
    app.multiselect(key="f_outlet").set_value(["euromaidan-press"]).run()
    assert not app.exception
    assert _tables_shown(app) == ["ov_registry", "ov_articles"]
    assert len(_table(app, "ov_articles")) == 2
    assert app.query_params["ov_list"] == "open"


def test_a_link_with_a_section_state_it_does_not_know_says_so_and_leaves_it_closed(open_page):
    app = open_page("overview", ov_list="wide")
    assert not app.exception
    assert _tables_shown(app) == []
    assert any(
        "'wide' for the section 'Articles: the list, to open one in the Reader' is not valid" in w
        for w in texts(app, "warning")
    )


def test_the_overview_draws_its_charts_without_plotly_and_they_keep_their_identity(open_page):
    # A Plotly chart would make every tab load Plotly's 4.7 MB script.
    app = open_page("overview", f_outlet="Euromaidan Press")
    assert not app.exception
    assert not app.get("plotly_chart")
    coverage, coverage_data = vega_chart(app, 0)
    timeline, timeline_data = vega_chart(app, 1)
    assert coverage["title"]["text"] == "Articles per outlet and meeting (n = 2 articles)"
    assert timeline["title"]["text"] == "When each outlet published (n = 2 dated articles)"
    filled = coverage_data["cells"].query("filled")
    assert sorted(zip(filled["f0"], filled["f1"], strict=True)) == [
        ("euromaidan-press", "2015-05-sochi"),
        ("euromaidan-press", "2015-12-moscow"),
    ]
    assert timeline_data["points"]["f1"].tolist() == ["Euromaidan Press"] * 2
    # Keyed by the page, a chart is the same element after a filter change: it is
    # updated in place, not drawn again from scratch.
    ids = [chart.proto.id for chart in app.get("vega_lite_chart")]
    app.multiselect(key="f_outlet").set_value(["euromaidan-press", "osw"]).run()
    assert not app.exception
    assert [chart.proto.id for chart in app.get("vega_lite_chart")] == ids
    assert vega_chart(app, 0)[0]["title"]["text"] == (
        "Articles per outlet and meeting (n = 3 articles)"
    )


def test_filters_are_seeded_from_the_url(open_page):
    app = open_page("overview", f_outlet="Euromaidan Press", ov_list="open")
    assert not app.exception
    assert app.multiselect(key="f_outlet").value == ["euromaidan-press"]
    assert sorted(_table(app, "ov_articles")["outlet_name"]) == ["Euromaidan Press"] * 2
    assert "Filters in force: outlets: Euromaidan Press — 2 of 5 articles." in texts(app, "caption")
    assert app.metric[3].value == "2015"


def test_a_filter_that_selects_nothing_says_so(open_page):
    app = open_page(
        "overview", f_outlet="OSW – Centre for Eastern Studies", f_meeting="2015-05-sochi"
    )
    assert not app.exception
    assert texts(app, "info") == [NOTHING_SELECTED]
    assert not app.dataframe


def test_downloads_hold_the_rows_shown(open_page, downloads):
    app = open_page("overview", f_meeting="none", ov_list="open")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "ov_articles_csv")
    assert [row["title"] for row in rows] == [
        "The West has a rare window to put Putin in his place"
    ]
    cells = downloaded_rows(app, downloads, "ov_coverage_csv")
    assert cells == [
        {
            "outlet": "mcu-times",
            "outlet_name": "MCU Times",
            "meeting": "none",
            "meeting_label": "no meeting",
            "meeting_title": "covers no meeting of the catalogue",
            "articles": "1",
        }
    ]
    button = next(b for b in app.get("download_button") if b.proto.id.endswith("-ov_articles_csv"))
    assert button.proto.label == "Download CSV (1 row)"
    assert button.proto.help == "Articles: 1 row as narratives_articles_meeting-none.csv"


def test_coverage_counts_every_outlet_and_meeting(open_page, downloads):
    app = open_page("overview")
    cells = downloaded_rows(app, downloads, "ov_coverage_csv")
    covered = {(c["outlet"], c["meeting"]): int(c["articles"]) for c in cells}
    assert covered[("euromaidan-press", "2015-05-sochi")] == 1
    assert covered[("euromaidan-press", "2015-12-moscow")] == 1
    assert covered[("osw", "2015-05-sochi")] == 0
    assert sum(covered.values()) == 5


def test_an_outlet_filter_keeps_the_meetings_the_outlet_left_out(open_page, downloads):
    app = open_page("overview", f_outlet="Euromaidan Press")
    cells = downloaded_rows(app, downloads, "ov_coverage_csv")
    covered = {c["meeting"]: int(c["articles"]) for c in cells}
    # Other outlets covered Moscow 2013 and 2016 and published one article on no meeting.
    assert covered == {
        "2013-05-moscow": 0,
        "2015-05-sochi": 1,
        "2015-12-moscow": 1,
        "2016-07-moscow": 0,
        "none": 0,
    }
    assert {c["outlet"] for c in cells} == {"euromaidan-press"}


def test_outlets_an_import_added_are_in_a_visible_group(open_page, corpus_copy, downloads):
    rows = (
        "title,media_name,url,date,text\n"
        "Kerry in Sochi,Kommersant,https://www.kommersant.ru/doc/1,2015-05-12,"
        '"Kerry met Putin in Sochi on Tuesday. They talked about Ukraine and Syria."\n'
    )
    import_articles([("rows.csv", rows.encode())], corpus_copy)
    app = open_page(
        "overview", corpus=corpus_copy, f_group="unassigned", ov_list="open", ov_outlets="open"
    )
    assert not app.exception
    assert "unassigned" in app.multiselect(key="f_group").options
    assert app.multiselect(key="f_group").value == ["unassigned"]
    assert list(_table(app, "ov_articles")["outlet_group"]) == ["unassigned"]
    registry = downloaded_rows(app, downloads, "ov_registry_csv")
    assert [(r["outlet"], r["group"]) for r in registry if r["group"] == "unassigned"] == [
        ("kommersant", "unassigned")
    ]


def test_the_overview_is_drawn_before_the_analysis_which_starts_once_it_is(
    open_page, corpus_copy, monkeypatch
):
    real = prepare_module.prepare_corpus
    calls: list[str] = []
    release = threading.Event()

    def prepare(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(threading.current_thread().name)
        assert release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(prepare_module, "prepare_corpus", prepare)
    app = open_page("overview", corpus=corpus_copy, ov_list="open")
    # Drawn in full while the preparation it started waits.
    assert not app.exception
    assert len(_table(app, "ov_articles")) == 5
    release.set()
    data.wait_for_background()
    assert calls == ["narratives-prepare"]
    # The next page finds the analysis ready: it is not prepared again.
    stance = open_page("stance", corpus=corpus_copy)
    assert not stance.exception
    assert calls == ["narratives-prepare"]


def test_the_analysis_starts_a_delay_after_the_overview_or_when_a_page_needs_it(
    open_page, corpus_copy, monkeypatch
):
    real = prepare_module.prepare_corpus
    calls: list[str] = []

    def prepare(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(prepare_module, "prepare_corpus", prepare)
    monkeypatch.setattr(data, "BACKGROUND_DELAY_S", 0.2)
    app = open_page("overview", corpus=corpus_copy)
    assert not app.exception
    # Not while the browser draws the Overview; by itself once the delay is up.
    assert calls == []
    threading.Event().wait(0.5)
    data.wait_for_background(timeout=60)
    assert calls == ["narratives-prepare"]
    # With a long delay, the page that needs the analysis prepares it without waiting.
    monkeypatch.setattr(data, "BACKGROUND_DELAY_S", 600.0)
    calls.clear()
    data.corpus_changed()
    _retitle_first_article(corpus_copy)
    assert not open_page("overview", corpus=corpus_copy).exception
    stance = open_page("stance", corpus=corpus_copy)
    assert not stance.exception
    assert calls == ["ScriptRunner.scriptThread"]


def _retitle_first_article(root: Path) -> None:
    path = sorted((root / "articles").iterdir())[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: Retitled ", 1), encoding="utf-8")


def test_a_long_article_list_is_shown_a_page_at_a_time(open_page, monkeypatch, downloads):
    monkeypatch.setattr("dashboard.layout.PAGE_ROWS", 2)
    # A link to a page of the list opens it.
    app = open_page("overview", ov_articles_page="3–4 of 5")
    assert not app.exception
    assert app.query_params["ov_list"] == "open"
    assert app.selectbox(key="ov_articles_page").options == ["1–2 of 5", "3–4 of 5", "5 of 5"]
    # Newest first: the third and fourth newest articles.
    shown = ["2015-12-19", "2015-05-12"]
    assert [f"{d:%Y-%m-%d}" for d in _table(app, "ov_articles")["published"]] == shown
    assert [
        row["published"][:10] for row in downloaded_rows(app, downloads, "ov_articles_csv")
    ] == (shown)
    assert len(downloaded_rows(app, downloads, "ov_articles_all_csv")) == 5
    names = {
        key: download_button(app, key).proto.help.rsplit(" as ", 1)[1]
        for key in ("ov_articles_csv", "ov_articles_all_csv")
    }
    assert names == {
        "ov_articles_csv": "narratives_articles-rows-3-4-of-5_all-articles.csv",
        "ov_articles_all_csv": "narratives_articles-all-5_all-articles.csv",
    }


def test_a_crowded_timeline_drills_down_from_an_outlets_week(
    open_page, corpus_copy, monkeypatch, downloads
):
    # Euromaidan Press three times in the week of Monday 11 May 2015: seven dated articles.
    for day in ("13", "14"):
        write_article(
            corpus_copy,
            f"euromaidan-press-2015-05-{day}-more",
            "euromaidan-press",
            f"More on Sochi, May {day}",
            "Kerry and Putin met in Sochi.\n",
            published=f"2015-05-{day}",
        )
    monkeypatch.setattr("dashboard.tables.TIMELINE_POINTS", 5)
    app = open_page("overview", corpus=corpus_copy, ov_timeline="week:2015-05-11|Euromaidan Press")
    assert not app.exception
    points = downloaded_rows(app, downloads, "ov_timeline_csv")
    assert sorted((row["outlet_name"], row["start"][:10], row["articles"]) for row in points) == [
        ("Euromaidan Press", "2015-05-11", "3"),
        ("Euromaidan Press", "2015-12-14", "1"),
        ("MCU Times", "2021-12-27", "1"),
        ("OSW – Centre for Eastern Studies", "2013-05-13", "1"),
        ("robinwestenra.blogspot.com (repost blog)", "2016-07-11", "1"),
    ]
    behind = app.dataframe[0].value  # the first table on the page
    assert sorted(behind["title"]) == [
        "More on Sochi, May 13",
        "More on Sochi, May 14",
        "Why is Putin meeting with Kerry?",
    ]


def test_meetings_covered_counts_meetings_not_articles(open_page, sochi_corpus):
    # Three articles on Sochi and one on each of three other meetings: four meetings.
    app = open_page("overview", corpus=sochi_corpus)
    assert not app.exception
    assert [(m.label, m.value) for m in app.metric][:3] == [
        ("Articles", "7"),
        ("Outlets", "6"),
        ("Meetings covered", "4"),
    ]


_OVERVIEW_ALONE = """
import sys
from streamlit.testing.v1 import AppTest
from dashboard import data
data.prepare_in_background = lambda: None
app = AppTest.from_file("dashboard/app.py", default_timeout=120).run()
assert not app.exception, app.exception
assert app.title[0].value == "Overview"
print(sorted(name for name in ("scipy", "sklearn", "snowballstemmer") if name in sys.modules))
"""


def test_the_overview_is_drawn_without_loading_scipy_scikit_learn_or_the_stemmers(tmp_path):
    # The first page after a restart waits for every import it makes: the
    # analysis libraries are loaded by the preparation that follows it.
    assert last_line_of_python(_OVERVIEW_ALONE, cache=tmp_path) == "[]"


def test_the_timeline_says_how_many_undated_articles_it_leaves_off(open_page, corpus_copy):
    header = (
        "---\nid: cnn-undated-sochi\ntitle: Undated\noutlet: cnn\nauthors: []\n"
        "language: en\nmeetings:\n- 2015-05-sochi\n---\n"
    )
    (corpus_copy / "articles" / "cnn-undated-sochi.md").write_text(
        header + "Kerry flew to Sochi to meet Putin.\n", encoding="utf-8"
    )
    app = open_page("overview", corpus=corpus_copy)
    assert not app.exception
    assert "1 undated article is not on the timeline." in texts(app, "caption")
    _, datasets = vega_chart(app, 1)
    assert len(datasets["points"]) == 5
