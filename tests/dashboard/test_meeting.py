from __future__ import annotations

from analysis.corpus.articles import load_corpus
from analysis.pipeline.prepare import prepare_corpus
from dashboard import tables
from dashboard.results import KEY_SENTENCES, SelectionResults, key_sentences
from tests.dashboard.conftest import downloaded_rows, texts

SOCHI = "Kerry meets Putin in Sochi (Ukraine, Minsk, Syria, Iran) — 2015-05-12"


def test_default_load_shows_the_first_meeting(open_page):
    app = open_page("meeting")
    assert not app.exception
    assert app.selectbox(key="mt_meeting").value == "2013-05-moscow"
    assert any("Only OSW" in message for message in texts(app, "info"))
    assert any("against the rest of the selected corpus" in c for c in texts(app, "caption"))


def test_meeting_is_seeded_from_the_url_and_outlets_stand_side_by_side(open_page, sochi_corpus):
    app = open_page("meeting", corpus=sochi_corpus, mt_meeting=SOCHI)
    assert not app.exception
    assert app.selectbox(key="mt_meeting").value == "2015-05-sochi"
    headers = [h.value for h in app.subheader]
    assert headers[:3] == ["Euromaidan Press", "The Duran", "CNN"]
    assert any(
        "against the other outlets' articles on this meeting" in c for c in texts(app, "caption")
    )


def test_side_by_side_download_has_one_row_per_article(open_page, sochi_corpus, downloads):
    app = open_page("meeting", corpus=sochi_corpus, mt_meeting=SOCHI)
    rows = downloaded_rows(app, downloads, "mt_summary_csv")
    assert sorted(row["outlet_name"] for row in rows) == ["CNN", "Euromaidan Press", "The Duran"]
    assert {row["stance_russia"] for row in rows} <= {
        "favorable",
        "unfavorable",
        "neutral",
        "uncertain",
        "not mentioned",
    }
    assert all(row["distinctive_terms"] for row in rows)


def test_a_against_b_contrasts_two_outlets(open_page, sochi_corpus, downloads):
    app = open_page(
        "meeting", corpus=sochi_corpus, mt_meeting=SOCHI, mt_view="A against B",
        mt_a="CNN", mt_b="The Duran",
    )  # fmt: skip
    assert not app.exception
    rows = downloaded_rows(app, downloads, "mt_pair_terms_csv")
    assert {row["group"] for row in rows} == {"cnn"}
    assert {row["comparison"] for row in rows} == {"the-duran"}


def test_a_against_b_needs_two_outlets(open_page):
    app = open_page("meeting", mt_view="A against B")
    assert not app.exception
    assert any("needs two outlets" in message for message in texts(app, "info"))


def test_across_meetings_lists_an_outlets_meetings(open_page, downloads):
    app = open_page("meeting", mt_view="Across meetings", mt_who="Outlet: Euromaidan Press")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "mt_across_csv")
    assert [row["meeting"] for row in rows] == ["2015-05-sochi", "2015-12-moscow"]


def test_no_meeting_in_the_selection_says_so(open_page):
    app = open_page("meeting", f_meeting="none")
    assert not app.exception
    assert any("None of the selected articles covers a meeting" in m for m in texts(app, "info"))


def test_key_sentences_are_each_outlets_best_distinct_evidence(sochi_corpus):
    prepared = prepare_corpus(load_corpus(sochi_corpus))
    articles = tables.meeting_articles(prepared.articles, "2015-05-sochi")
    results = SelectionResults.of(prepared, articles)
    found = key_sentences(results, articles)
    assert set(found) == set(articles["outlet"])
    for outlet, ids in articles.groupby("outlet")["id"]:
        evidence = results.with_text(results.rows_for("evidence", ids, text=False))
        ranked = evidence.assign(
            labelled=evidence["analysis"].isin(["stance", "outcome"]),
            strength=evidence["weight"].abs(),
            position=range(len(evidence)),
        ).sort_values(["labelled", "strength", "position"], ascending=[False, False, True])
        expected = ranked["sentence"].drop_duplicates().head(KEY_SENTENCES)
        assert list(found[outlet]["sentence"]) == list(expected), outlet
