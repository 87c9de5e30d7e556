"""What the pages show, as pure functions: hand-written tables in, exact tables out."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import tables

ARTICLES = pd.DataFrame(
    {
        "id": ["a1", "a2", "b1"],
        "outlet": ["a", "a", "b"],
        "outlet_name": ["Outlet A", "Outlet A", "Outlet B"],
        "outlet_group": ["g", "g", "h"],
        "title": ["First", "Second", "Third"],
        "published": pd.to_datetime(["2015-05-12", None, "2015-05-13"]),
        "date_precision": ["day", "", "day"],
        "authors": ["Ann", "", "Bob"],
        "meetings": ["2015-05-sochi", "", "2015-05-sochi; 2015-12-moscow"],
        "language": ["en", "en", "en"],
        "url": ["", "", ""],
    }
)
STANCE = pd.DataFrame(
    {
        "article_id": ["a1", "a1", "b1", "b1"],
        "target": ["russia", "usa", "russia", "usa"],
        "target_name": ["Russia", "USA", "Russia", "USA"],
        "label": ["unfavorable", "neutral", "favorable", "not mentioned"],
        "score": [-0.5, 0.0, 0.75, None],
    }
)
OUTCOME = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "label": ["stalemate", "", "russia"]})
EVIDENCE = pd.DataFrame(
    {
        "article_id": ["a1", "a1", "a1", "b1", "b1"],
        "analysis": ["frame", "stance", "stance", "subject", "outcome"],
        "label": ["security", "unfavorable", "unfavorable", "Syria", "russia"],
        "target": ["", "russia", "russia", "", ""],
        "voice": ["outlet"] * 5,
        "sentence": ["S1", "S2", "S2", "S3", "S4"],
        "cue_words": ["army", "failed", "failed", "Syria", "won"],
        "weight": [3.0, 1.0, 2.0, 1.0, 0.5],
    }
)


def _results(ids=("a1", "a2", "b1")) -> tables.SelectionResults:
    empty = pd.DataFrame({"article_id": pd.Series(dtype=str)})
    named = {"stance": STANCE, "outcome": OUTCOME, "evidence": EVIDENCE}
    return tables.SelectionResults(
        {name: named.get(name, empty) for name in tables.LABEL_TABLES}, ids
    )


def test_selection_results_hold_the_selected_articles_rows_in_table_order():
    results = _results(["b1", "a2"])
    assert results.stance["label"].tolist() == ["favorable", "not mentioned"]
    assert results.outcome.to_dict("records") == [
        {"article_id": "a2", "label": ""},
        {"article_id": "b1", "label": "russia"},
    ]
    assert results.rows_for("evidence", ["b1", "a1", "zz"])["sentence"].tolist() == [
        "S1", "S2", "S2", "S3", "S4",
    ]  # fmt: skip
    assert results.rows("stance", "a2").empty
    assert results.frames.empty


def test_badge_rows_and_article_summary():
    results = _results()
    badges = tables.badge_rows(results, ["b1", "a2"])
    assert [row["label"] for row in badges["b1"][0]] == ["favorable", "not mentioned"]
    assert [row["label"] for row in badges["b1"][1]] == ["russia"]
    assert badges["a2"] == ([], [{"article_id": "a2", "label": ""}])
    assert tables.article_summary(results, "a1") == {
        "stance_russia": "unfavorable",
        "stance_usa": "neutral",
        "outcome": "stalemate",
    }
    assert tables.article_summary(results, "a2") == {"outcome": "covers no meeting"}


def test_key_sentences_are_each_groups_best_distinct_sentences():
    found = tables.key_sentences(_results(), ARTICLES)
    assert list(found) == ["a", "b"]
    assert found["a"]["sentence"].tolist() == ["S2", "S1"]
    assert found["b"]["sentence"].tolist() == ["S4", "S3"]
    alone = tables.key_sentences(_results(), ARTICLES[ARTICLES["id"] == "a2"])
    assert list(alone) == ["a"]
    assert alone["a"].empty


def test_evidence_for_keeps_one_analysis_and_names_the_outlet():
    rows = tables.evidence_for(
        _results(),
        {"a1", "b1"},
        analysis="stance",
        outlet_of={"a1": "a", "b1": "b"},
        names={"a": "Outlet A", "b": "Outlet B"},
        match={"target": "russia"},
    )
    assert list(rows.columns) == tables.EVIDENCE_SHOWN_COLUMNS
    assert rows[["outlet", "article_id", "weight"]].to_dict("records") == [
        {"outlet": "Outlet A", "article_id": "a1", "weight": 1.0},
        {"outlet": "Outlet A", "article_id": "a1", "weight": 2.0},
    ]


def test_summary_table_has_stance_per_target_and_the_outcome():
    table = tables.summary_table(_results(), ARTICLES)
    assert table[["id", "stance_russia", "stance_usa", "outcome"]].fillna("").to_dict(
        "records"
    ) == [
        {"id": "a1", "stance_russia": "unfavorable", "stance_usa": "neutral",
         "outcome": "stalemate"},
        {"id": "a2", "stance_russia": "", "stance_usa": "", "outcome": "covers no meeting"},
        {"id": "b1", "stance_russia": "favorable", "stance_usa": "not mentioned",
         "outcome": "russia"},
    ]  # fmt: skip


def test_across_meetings_adds_each_articles_labels():
    per = tables.per_meeting(ARTICLES[ARTICLES["outlet"] == "b"])
    shown = tables.across_meetings(_results(), per)
    assert shown[["meeting", "id", "stance_russia", "outcome"]].to_dict("records") == [
        {"meeting": "2015-05-sochi", "id": "b1", "stance_russia": "favorable", "outcome": "russia"},
        {"meeting": "2015-12-moscow", "id": "b1", "stance_russia": "favorable",
         "outcome": "russia"},
    ]  # fmt: skip


def test_articles_behind_cells_and_points():
    behind = tables.articles_behind(ARTICLES, cells={("b", "2015-12-moscow")}, ids={"a2"})
    assert behind["id"].tolist() == ["b1", "a2"]
    assert tables.articles_behind(ARTICLES, cells={("a", "none")}, ids=set())["id"].tolist() == [
        "a2"
    ]


def test_terms_per_meeting_joins_the_positive_terms():
    contrasts = pd.DataFrame(
        {
            "group": ["m1", "m1", "m1", "m2", "m2"],
            "term": ["sanctions", "minsk", "syria", "iran", "war"],
            "z": [3.0, 2.0, 1.0, 2.5, -1.0],
        }
    )
    assert tables.terms_per_meeting(contrasts, n=2).to_dict("records") == [
        {"meeting": "m1", "distinctive_terms": "sanctions; minsk"},
        {"meeting": "m2", "distinctive_terms": "iran"},
    ]


def test_article_metadata_lists_every_field():
    article = ARTICLES.iloc[1].copy()
    article["notes"], article["inferred"], article["path"] = "", "", "articles/a2.md"
    metadata = tables.article_metadata("a2", article, when="undated")
    assert dict(zip(metadata["field"], metadata["value"], strict=True)) == {
        "id": "a2",
        "outlet": "Outlet A",
        "group": "g",
        "published": "undated",
        "date known to": "",
        "authors": "no byline",
        "language": "en",
        "meetings": "none",
        "url": "",
        "notes": "",
        "inferred on import": "nothing (all given in the file)",
        "file": "articles/a2.md",
    }


def test_evidence_spans_leave_out_rows_without_offsets():
    evidence = pd.DataFrame(
        {
            "sentence_start": pd.array([0, None, 10], dtype="Int64"),
            "sentence_end": pd.array([5, None, 20], dtype="Int64"),
        }
    )
    assert tables.evidence_spans(evidence) == [(0, 5, "evidence"), (10, 20, "evidence")]


def test_in_percent_and_stance_shares_name_the_outlets():
    frames = pd.DataFrame({"outlet": ["a", "b"], "share": [0.254, 0.5]})
    shown = tables.in_percent(frames, {"a": "Outlet A", "b": "Outlet B"})
    assert shown[["outlet_name", "percent"]].to_dict("records") == [
        {"outlet_name": "Outlet A", "percent": 25.0},
        {"outlet_name": "Outlet B", "percent": 50.0},
    ]
    groups = pd.DataFrame(
        {"group": ["a", "b", "a"], "target": ["russia", "russia", "usa"],
         "share": [0.25, float("nan"), 1.0]}
    )  # fmt: skip
    shares = tables.stance_shares(groups, "russia", {"a": "Outlet A", "b": "Outlet B"})
    assert shares[["outlet_name", "share_text"]].to_dict("records") == [
        {"outlet_name": "Outlet A", "share_text": "25%"},
        {"outlet_name": "Outlet B", "share_text": "—"},
    ]


def test_stance_over_time_keeps_scored_dated_rows_toward_one_target():
    over_time = tables.stance_over_time(STANCE, ARTICLES, "russia")
    assert over_time[["article_id", "outlet_name", "score"]].to_dict("records") == [
        {"article_id": "a1", "outlet_name": "Outlet A", "score": -0.5},
        {"article_id": "b1", "outlet_name": "Outlet B", "score": 0.75},
    ]
    assert tables.stance_over_time(STANCE, ARTICLES, "usa")["article_id"].tolist() == ["a1"]


@pytest.mark.parametrize(("positive", "expected"), [(True, ["b", "a"]), (False, ["d"])])
def test_top_terms_ranks_one_groups_terms_by_z(positive, expected):
    contrasts = pd.DataFrame(
        {"group": ["x", "x", "x", "y"], "term": ["a", "b", "d", "c"], "z": [1.0, 2.0, -3.0, 5.0]}
    )
    assert tables.top_terms(contrasts, "x", n=2, positive=positive)["term"].tolist() == expected
