from __future__ import annotations

import pytest

from analysis.corpus.articles import load_corpus
from analysis.corpus.selection import Selection
from analysis.measures.contrasts import collapse_nested_terms
from analysis.pipeline.prepare import prepare_corpus
from analysis.pipeline.tables import collocate_table, keyword_table, term_contrasts
from tests.conftest import SHIPPED_CORPUS
from tests.dashboard.conftest import downloaded_rows, texts


@pytest.fixture(scope="module")
def prepared():
    return prepare_corpus(load_corpus(SHIPPED_CORPUS))


def test_default_load_contrasts_the_first_outlet(open_page, downloads, prepared):
    app = open_page("contrasts")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "tc_all_csv")
    expected = term_contrasts(prepared, Selection(), by="outlet", top=250)
    expected = collapse_nested_terms(expected[expected["group"] == "euromaidan-press"])
    assert [row["term"] for row in rows] == list(expected["term"])
    assert [float(row["z"]) for row in rows] == pytest.approx(list(expected["z"]), rel=1e-9)
    assert any("Small sample" in w for w in texts(app, "warning"))


def test_grouping_and_group_are_seeded_from_the_url(open_page, downloads):
    app = open_page("contrasts", tc_by="Outlet group", tc_group="pro-Kremlin")
    assert not app.exception
    assert app.selectbox(key="tc_by").value == "outlet_group"
    rows = downloaded_rows(app, downloads, "tc_all_csv")
    assert {row["group"] for row in rows} == {"pro-Kremlin"}
    assert {row["comparison"] for row in rows} == {"rest"}


def test_a_against_b(open_page, downloads):
    app = open_page("contrasts", tc_mode="A against B", tc_a="Euromaidan Press", tc_b="MCU Times")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "tc_all_csv")
    assert {(row["group"], row["comparison"]) for row in rows} == {
        ("euromaidan-press", "mcu-times")
    }


def test_term_search_shows_keyword_in_context(open_page, downloads, prepared):
    app = open_page("contrasts", tc_search="kerry")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "tc_kwic_csv")
    assert len(rows) == len(keyword_table(prepared, Selection(), "kerry"))
    assert {row["outlet_name"] for row in rows} >= {
        "Euromaidan Press",
        "OSW – Centre for Eastern Studies",
    }


def test_one_outlet_cannot_be_contrasted(open_page):
    app = open_page("contrasts", f_outlet="OSW – Centre for Eastern Studies")
    assert not app.exception
    assert any("need at least two groups" in m for m in texts(app, "info"))


def test_a_smaller_prior_changes_the_scores_not_the_counts(open_page, downloads):
    default = downloaded_rows(open_page("contrasts"), downloads, "tc_all_csv")
    weak = downloaded_rows(open_page("contrasts", tc_prior="100"), downloads, "tc_all_csv")
    by_term = {row["term"]: row for row in default}
    shared = [row for row in weak if row["term"] in by_term]
    assert shared
    assert all(row["count_group"] == by_term[row["term"]]["count_group"] for row in shared)
    assert any(row["z"] != by_term[row["term"]]["z"] for row in shared)


def test_kwic_sorted_by_left_context_lists_only_a_and_b(open_page, downloads, sochi_corpus):
    app = open_page(
        "contrasts", corpus=sochi_corpus, tc_mode="A against B", tc_a="cnn", tc_b="the-duran",
        tc_search="minsk", tc_sort="left",
    )  # fmt: skip
    assert not app.exception
    rows = downloaded_rows(app, downloads, "tc_kwic_csv")
    # By the nearest word to the left ("the" each time), then the next one out.
    assert [(row["outlet_name"], row["left"].split()[-2]) for row in rows] == [
        ("The Duran", "and"),
        ("CNN", "Ukraine,"),
        ("CNN", "until"),
    ]


def test_right_context_order_and_collocates_of_the_pair(open_page, downloads, sochi_corpus):
    app = open_page(
        "contrasts", corpus=sochi_corpus, tc_mode="A against B", tc_a="cnn", tc_b="the-duran",
        tc_search="kerry", tc_sort="right",
    )  # fmt: skip
    assert not app.exception
    rows = downloaded_rows(app, downloads, "tc_kwic_csv")
    firsts = [row["right"].split()[0].lower().strip(".,") for row in rows]
    assert firsts == sorted(firsts)
    prepared = prepare_corpus(load_corpus(sochi_corpus))
    # Kerry is in other outlets' articles too; only the pair's are listed.
    assert {row["outlet_name"] for row in rows} == {"CNN", "The Duran"}
    assert set(keyword_table(prepared, Selection(), "kerry")["outlet"]) > {"cnn", "the-duran"}
    expected = collocate_table(
        prepared, Selection(), "kerry", by="outlet", groups=("cnn", "the-duran")
    )
    shown = downloaded_rows(app, downloads, "tc_collocates_csv")
    assert [(row["collocate"], int(row["cooccurrences"])) for row in shown] == list(
        zip(expected["collocate"], expected["cooccurrences"], strict=True)
    )
    assert {row["group"] for row in shown} <= {"CNN", "The Duran"}


def test_characteristic_terms_scatter_and_a_term_from_its_link(open_page, downloads):
    app = open_page("contrasts", tc_map="sochi")
    assert not app.exception
    shown = downloaded_rows(app, downloads, "tc_map_csv")
    assert [row["term"] for row in shown] == [
        row["term"] for row in downloaded_rows(app, downloads, "tc_all_csv")
    ]
    assert any(c.startswith("'sochi': ") for c in texts(app, "caption"))


def test_when_no_term_is_significant_the_page_says_so(open_page):
    app = open_page("contrasts", tc_mode="A against B", tc_a="Euromaidan Press", tc_b="MCU Times")
    assert not app.exception
    assert any("No term reaches |z| > 1.96 (p < 0.05)" in m for m in texts(app, "info"))
    default = open_page("contrasts")
    assert not any("No term reaches" in m for m in texts(default, "info"))
    assert any("reach |z| > 1.96 (p < 0.05" in c for c in texts(default, "caption"))


def test_the_pairs_own_prior_is_a_choice_in_the_url_and_is_said(open_page, downloads, prepared):
    pair = {"tc_mode": "A against B", "tc_a": "Euromaidan Press", "tc_b": "MCU Times"}
    app = open_page("contrasts", **pair, tc_prior_from="pair")
    assert not app.exception
    assert app.radio(key="tc_prior_from").value == "pair"
    assert app.query_params["tc_prior_from"] == "pair"
    assert any(
        "occur in a's and b's articles only (3 articles)" in c for c in texts(app, "caption")
    )
    rows = downloaded_rows(app, downloads, "tc_all_csv")
    expected = collapse_nested_terms(
        term_contrasts(
            prepared, Selection(), by="outlet", compare=("euromaidan-press", "mcu-times"),
            top=250, prior="pair",
        )
    )  # fmt: skip
    assert [float(row["z"]) for row in rows] == pytest.approx(list(expected["z"]), rel=1e-9)
    shared = open_page("contrasts", **pair)
    assert shared.radio(key="tc_prior_from").value == "selection"
    assert any("all selected articles (5 articles)" in c for c in texts(shared, "caption"))


def test_kwic_keeps_the_keyword_in_its_own_column_and_writes_undated(
    open_page, downloads, corpus_copy
):
    header = (
        "---\nid: cnn-undated-sochi\ntitle: Undated\noutlet: cnn\nauthors: []\n"
        "language: en\nmeetings:\n- 2015-05-sochi\n---\n"
    )
    (corpus_copy / "articles" / "cnn-undated-sochi.md").write_text(
        header + "Long before anyone expected it, Kerry flew to Sochi to meet Putin.\n",
        encoding="utf-8",
    )
    app = open_page("contrasts", corpus=corpus_copy, tc_search="sochi")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "tc_kwic_csv")
    assert list(rows[0]) == ["outlet_name", "title", "published", "left", "match", "right"]
    undated = [row for row in rows if row["title"] == "Undated"]
    assert [(row["published"], row["left"], row["match"]) for row in undated] == [
        ("undated", "Undated Long before anyone expected it, Kerry flew to", "Sochi")
    ]
    assert all(row["published"] != "None" and row["published"] for row in rows)
    html = next(h.proto.body for h in app.get("html"))
    assert "narratives-kwic" in html
    assert ">undated</small>" in html
    assert "None" not in html
