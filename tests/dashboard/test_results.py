"""The selected articles' label tables and what is read from them: exact tables out."""

from __future__ import annotations

import pandas as pd

from analysis.corpus.selection import per_meeting
from dashboard.results import (
    EVIDENCE_SHOWN_COLUMNS,
    LABEL_TABLES,
    SelectionResults,
    across_meetings,
    article_summary,
    badge_rows,
    evidence_for,
    key_sentences,
    summary_table,
)
from tests.dashboard.samples import ARTICLES, EVIDENCE, OUTCOME, STANCE


def _results(ids=("a1", "a2", "b1")) -> SelectionResults:
    empty = pd.DataFrame({"article_id": pd.Series(dtype=str)})
    named = {"stance": STANCE, "outcome": OUTCOME, "evidence": EVIDENCE}
    return SelectionResults({name: named.get(name, empty) for name in LABEL_TABLES}, ids)


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
    badges = badge_rows(results, ["b1", "a2"])
    assert [row["label"] for row in badges["b1"][0]] == ["favorable", "not mentioned"]
    assert [row["label"] for row in badges["b1"][1]] == ["russia"]
    assert badges["a2"] == ([], [{"article_id": "a2", "label": ""}])
    assert article_summary(results, "a1") == {
        "stance_russia": "unfavorable",
        "stance_usa": "neutral",
        "outcome": "stalemate",
    }
    assert article_summary(results, "a2") == {"outcome": "covers no meeting"}


def test_key_sentences_are_each_groups_best_distinct_sentences():
    found = key_sentences(_results(), ARTICLES)
    assert list(found) == ["a", "b"]
    assert found["a"]["sentence"].tolist() == ["S2", "S1"]
    assert found["b"]["sentence"].tolist() == ["S4", "S3"]
    alone = key_sentences(_results(), ARTICLES[ARTICLES["id"] == "a2"])
    assert list(alone) == ["a"]
    assert alone["a"].empty


def test_evidence_for_keeps_one_analysis_and_names_the_outlet():
    rows = evidence_for(
        _results(),
        {"a1", "b1"},
        analysis="stance",
        outlet_of={"a1": "a", "b1": "b"},
        names={"a": "Outlet A", "b": "Outlet B"},
        match={"target": "russia"},
    )
    assert list(rows.columns) == EVIDENCE_SHOWN_COLUMNS
    assert rows[["outlet", "article_id", "weight"]].to_dict("records") == [
        {"outlet": "Outlet A", "article_id": "a1", "weight": 1.0},
        {"outlet": "Outlet A", "article_id": "a1", "weight": 2.0},
    ]


def test_summary_table_has_stance_per_target_and_the_outcome():
    table = summary_table(_results(), ARTICLES)
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
    per = per_meeting(ARTICLES[ARTICLES["outlet"] == "b"], keep_none=True)
    shown = across_meetings(_results(), per)
    assert shown[["meeting", "id", "stance_russia", "outcome"]].to_dict("records") == [
        {"meeting": "2015-05-sochi", "id": "b1", "stance_russia": "favorable", "outcome": "russia"},
        {"meeting": "2015-12-moscow", "id": "b1", "stance_russia": "favorable",
         "outcome": "russia"},
    ]  # fmt: skip
