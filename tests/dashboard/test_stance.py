from __future__ import annotations

import json
import re
from typing import Any

import pytest

from analysis.corpus.articles import load_corpus
from analysis.corpus.selection import Selection, filter_articles
from analysis.labels.stance import stance_by_group
from analysis.pipeline.prepare import prepare_corpus
from dashboard import colours
from tests.conftest import SHIPPED_CORPUS
from tests.dashboard.conftest import downloaded_rows, texts, vega_chart

OSW = "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"
OSW_LABEL = (
    "Moscow intransigent towards Washington on the Syria crisis — "
    "OSW – Centre for Eastern Studies, 2013-05-15"
)


def test_default_load_shows_every_chart(open_page, downloads):
    app = open_page("stance")
    assert not app.exception
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    expected = stance_by_group(prepared.stance, prepared.articles, by="outlet")
    rows = downloaded_rows(app, downloads, "sf_stance_csv")
    assert len(rows) == int((expected["target"] == "russia").sum())
    assert any("Insufficient evidence" in w for w in texts(app, "warning"))


@pytest.mark.parametrize(
    ("tab", "key"),
    [
        ("Outcome framing", "sf_outcome_csv"),
        ("Frames", "sf_frames_csv"),
        ("Agenda", "sf_agenda_csv"),
        ("Sources", "sf_sources_csv"),
        ("Stance over time", "sf_time_csv"),
    ],
)
def test_every_tab_opens_from_the_url_with_its_table(open_page, downloads, tab, key):
    app = open_page("stance", sf_tab=tab)
    assert not app.exception
    assert downloaded_rows(app, downloads, key)


def test_target_and_filters_are_seeded_from_the_url(open_page, downloads):
    app = open_page("stance", sf_target="Ukraine", f_group="Ukrainian")
    assert not app.exception
    assert app.selectbox(key="sf_target").value == "ukraine"
    rows = downloaded_rows(app, downloads, "sf_stance_csv")
    assert {row["group"] for row in rows} == {"euromaidan-press"}
    assert {row["target"] for row in rows} == {"ukraine"}


def test_a_correction_in_the_reader_shows_on_the_stance_page(open_page, corpus_copy, downloads):
    def osw_russia(app) -> str:
        rows = downloaded_rows(app, downloads, "sf_stance_csv")
        return next(r["label"] for r in rows if r["group"] == "osw" and int(r["articles"]) == 1)

    before = open_page("stance", corpus=corpus_copy)
    assert osw_russia(before) == "unfavorable"
    reader = open_page("reader", corpus=corpus_copy, rd_article=OSW_LABEL)
    reader.selectbox(key="rd_fix_label").select("favorable")
    reader.text_input(key="rd_fix_who").input("Tester")
    reader.button(key="rd_fix_save").click()
    reader.run()
    assert not reader.exception
    after = open_page("stance", corpus=corpus_copy)
    assert osw_russia(after) == "favorable"
    prepared = prepare_corpus(load_corpus(corpus_copy))
    osw = filter_articles(prepared.articles, Selection(outlets=("osw",)))
    assert osw["id"].tolist() == [OSW]


def test_stance_chart_names_its_hover_fields_and_has_a_legend(open_page):
    app = open_page("stance")
    assert not app.exception
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    templates = " ".join(trace["hovertemplate"] for trace in figure["data"])
    assert "share_text" not in templates
    assert "status" not in templates
    assert "Share of its rated articles: %{customdata[2]}" in templates
    assert figure["layout"]["showlegend"] is True
    assert figure["layout"]["legend"]["title"]["text"] == "Stance:"
    for trace in figure["data"]:
        assert trace["marker"]["color"] == colours.STANCE_COLOURS[trace["name"]]
        assert trace["marker"]["color"] not in colours.OKABE_ITO


def test_agenda_lists_subjects_on_the_side_most_mentioned_first_with_counts(open_page):
    app = open_page("stance", sf_tab="Agenda")
    assert not app.exception
    spec, datasets = vega_chart(app)
    assert "left out" not in str(spec["title"]["text"])
    position = _cells_layer(spec)["encoding"]
    subjects = position["y"]["sort"]
    cells = datasets["cells"]
    mentioned: dict[str, int] = {}
    for subject, text in zip(cells["y"], cells["shown"], strict=True):
        mentioned[subject] = mentioned.get(subject, 0) + int(text.split("/")[0])
    # Every subject drawn is mentioned somewhere, and they come most mentioned first.
    assert subjects == sorted(mentioned, key=lambda s: (-mentioned[s], s))
    assert all(mentioned[s] > 0 for s in subjects)
    assert len(subjects) < 26
    assert position["x"]["sort"][0].endswith(")")
    assert any("hollow: none of them mentions it" in c for c in texts(app, "caption"))


def _cells_layer(spec: dict[str, Any]) -> dict[str, Any]:
    """The layer of a matrix chart's spec that draws its cells (and is clicked)."""
    (cells,) = [layer for layer in spec["layer"] if "params" in layer]
    return cells


def test_stance_over_time_spans_the_whole_scale_and_names_each_points_meeting(open_page, downloads):
    app = open_page("stance", sf_tab="Stance over time")
    assert not app.exception
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    low, high = figure["layout"]["yaxis"]["range"]
    assert low < -1
    assert high > 1
    assert figure["layout"]["yaxis"]["title"]["text"] == "Stance score"
    rows = downloaded_rows(app, downloads, "sf_time_csv")
    assert {row["meeting_name"] for row in rows} <= {
        "Sochi, May 2015", "Moscow, Dec 2015", "Moscow, Jul 2016", "Geneva, May 2013",
        "Moscow, May 2013", "no meeting",
    }  # fmt: skip
    assert any(
        "joins an outlet's articles about the same meeting" in c for c in texts(app, "caption")
    )


@pytest.mark.parametrize(("tab", "first_row"), [("Sources", "NATO officials"), ("Frames", None)])
def test_frames_and_sources_list_their_rows_across_and_the_outlets_as_columns(
    open_page, tab, first_row
):
    app = open_page("stance", sf_tab=tab)
    assert not app.exception
    spec, _ = vega_chart(app)
    position = _cells_layer(spec)["encoding"]
    columns = position["x"]["sort"]
    assert all(re.fullmatch(r".+ \(n = \d+\)", c) for c in columns)
    rows = position["y"]["sort"]
    assert all(len(line) <= 24 for row in rows for line in row.split("<br>"))
    if first_row:
        assert rows[0] == first_row


@pytest.mark.parametrize("tab", ["Frames", "Sources", "Agenda"])
def test_every_matrix_warns_about_small_outlets(open_page, tab):
    app = open_page("stance", sf_tab=tab)
    assert not app.exception
    assert any("Small samples — fewer than 5 articles" in w for w in texts(app, "warning"))
