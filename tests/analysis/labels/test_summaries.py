"""Summaries of label tables: key evidence ranking, stance columns, side by side, counts."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.labels.summaries import (
    agenda_side_by_side,
    best_evidence,
    group_profiles,
    most_quoted,
    outcome_counts,
    speaker_counts,
    stance_columns,
    stance_side_by_side,
)

STANCE = pd.DataFrame(
    {
        "article_id": ["a1", "a1", "a2", "a2", "b1", "b1"],
        "target": ["russia", "usa", "russia", "usa", "russia", "usa"],
        "label": ["unfavorable", "neutral", "favorable", "neutral", "favorable", "not mentioned"],
    }
)


def test_best_evidence_puts_stance_and_outcome_first_then_weight_then_order():
    evidence = pd.DataFrame(
        {
            "analysis": ["frame", "stance", "subject", "outcome", "stance", "frame"],
            "weight": [5.0, 0.5, 1.0, -2.0, 0.5, 1.0],
        }
    )
    groups = pd.Series(["x", "x", "y", "x", "x", "y"])
    ranked = best_evidence(evidence, groups, limit=3)
    assert list(ranked) == ["x", "y"]
    assert ranked["x"].tolist() == [3, 1, 4]
    assert ranked["y"].tolist() == [2, 5]


def test_best_evidence_leaves_out_rows_without_a_group():
    evidence = pd.DataFrame({"analysis": ["stance", "stance"], "weight": [1.0, 2.0]})
    ranked = best_evidence(evidence, pd.Series(["x", None]), limit=5)
    assert {group: rows.tolist() for group, rows in ranked.items()} == {"x": [0]}


def test_best_evidence_checks_its_arguments():
    evidence = pd.DataFrame({"analysis": ["stance"], "weight": [1.0]})
    with pytest.raises(ValueError, match="limit must be at least 1, got 0"):
        best_evidence(evidence, pd.Series(["x"]), limit=0)
    with pytest.raises(ValueError, match="groups has 2 values for 1 evidence rows"):
        best_evidence(evidence, pd.Series(["x", "y"]), limit=1)


def test_stance_columns_has_one_row_per_article_and_a_column_per_target():
    wide = stance_columns(STANCE)
    assert list(wide.columns) == ["stance_russia", "stance_usa"]
    assert wide.to_dict("index") == {
        "a1": {"stance_russia": "unfavorable", "stance_usa": "neutral"},
        "a2": {"stance_russia": "favorable", "stance_usa": "neutral"},
        "b1": {"stance_russia": "favorable", "stance_usa": "not mentioned"},
    }


def test_stance_side_by_side_joins_each_groups_labels():
    table = stance_side_by_side(STANCE, {"A": {"a1", "a2"}, "B": {"b1"}, "C": set()})
    assert table.to_dict("records") == [
        {"target": "russia", "A": "unfavorable; favorable", "B": "favorable", "C": "—"},
        {"target": "usa", "A": "neutral; neutral", "B": "not mentioned", "C": "—"},
    ]


def test_agenda_side_by_side_marks_the_subjects_each_group_covers():
    agenda = pd.DataFrame(
        {
            "article_id": ["a1", "b1", "b1", "a1"],
            "subject_name": ["Syria", "Syria", "Ukraine", "Iran"],
            "status": ["ok", "ok", "ok", "unsupported language"],
        }
    )
    table = agenda_side_by_side(agenda, {"A": {"a1"}, "B": {"b1"}})
    assert table.to_dict("records") == [
        {"subject": "Syria", "A": "covers", "B": "covers"},
        {"subject": "Ukraine", "A": "—", "B": "covers"},
    ]
    empty = agenda_side_by_side(agenda.iloc[0:0], {"A": {"a1"}, "B": {"b1"}})
    assert list(empty.columns) == ["subject", "A", "B"]
    assert empty.empty


def test_outcome_counts_leaves_out_articles_on_no_meeting():
    outcome = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "b1", "b2"],
            "label": ["stalemate", "stalemate", "", "russia gained"],
        }
    )
    counts = outcome_counts(outcome, {"a1": "a", "a2": "a", "b1": "b", "b2": "b"})
    assert counts.to_dict("records") == [
        {"outlet": "a", "label": "stalemate", "articles": 2},
        {"outlet": "b", "label": "russia gained", "articles": 1},
    ]


def test_most_quoted_keeps_the_n_most_quoted_speakers():
    sources = pd.DataFrame(
        {
            "outlet": ["a", "a", "b", "b"],
            "source": ["peskov", "tass", "peskov", "kirby"],
            "speaker": ["Peskov", "TASS", "Peskov", "Kirby"],
            "count": [2, 4, 3, 1],
            "articles_citing": [1, 2, 2, 1],
            "n_articles": [3, 3, 2, 2],
        }
    )
    rows, speakers = most_quoted(sources, n=2)
    assert speakers == ["Peskov", "TASS"]
    assert rows.to_dict("records") == [
        {"outlet": "a", "source": "peskov", "speaker": "Peskov", "count": 2,
         "articles_citing": 1, "n_articles": 3},
        {"outlet": "a", "source": "tass", "speaker": "TASS", "count": 4,
         "articles_citing": 2, "n_articles": 3},
        {"outlet": "b", "source": "peskov", "speaker": "Peskov", "count": 3,
         "articles_citing": 2, "n_articles": 2},
    ]  # fmt: skip


def test_speaker_counts_sums_each_speakers_quotations():
    sources = pd.DataFrame({"speaker": ["Peskov", "Kirby", "Peskov"], "count": [1, 3, 4]})
    assert speaker_counts(sources).to_dict() == {"Peskov": 5, "Kirby": 3}
    assert list(speaker_counts(sources).index) == ["Peskov", "Kirby"]


def test_group_profiles_count_each_groups_labels_and_name_its_top_sources():
    articles = pd.DataFrame(
        {"id": ["a1", "a2", "b1", "c1"], "outlet": ["tass", "tass", "cnn", "osw"]}
    )
    outcome = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "b1", "c1", "z9"],
            "label": [
                "Russia gained",
                "Russia gained",
                "stalemate or failure",
                "",
                "Russia gained",
            ],
        }
    )
    sources = pd.DataFrame(
        {
            "article_id": ["a1", "a1", "a2", "b1", "b1", "b1"],
            "speaker": ["Sergey Lavrov", "John Kerry", "John Kerry", "John Kerry", "Ann", "Bob"],
            "count": [2, 1, 2, 1, 1, 1],
        }
    )
    found = group_profiles(articles, STANCE, outcome, sources, order=["tass", "cnn"], top_sources=2)
    assert found.to_dict("list") == {
        "outlet": ["tass", "cnn", "osw"],
        "articles": [2, 1, 1],
        "stance_russia": ["1 favorable, 1 unfavorable", "1 favorable", ""],
        "stance_usa": ["2 neutral", "1 not mentioned", ""],
        "outcome": ["2 Russia gained", "1 stalemate or failure", ""],
        # Ties by name: Ann before Bob and John Kerry, each quoted once by CNN.
        "sources": ["John Kerry (3), Sergey Lavrov (2)", "Ann (1), Bob (1)", ""],
    }
    with pytest.raises(ValueError, match="by='outlet_group' is not a column of articles"):
        group_profiles(articles, STANCE, outcome, sources, by="outlet_group")
    with pytest.raises(ValueError, match="top_sources must be at least 1, got 0"):
        group_profiles(articles, STANCE, outcome, sources, top_sources=0)
