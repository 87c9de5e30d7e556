"""Outcome framing of a meeting: who gained, stalemate, cooperation, and no meeting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus.articles import load_corpus
from analysis.labels.outcome import outcome_per_article
from analysis.text.cleaning import clean_articles

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
MEETING = "2015-12-moscow"


def _outcome(
    text: str, *, meetings: str = MEETING, language: str = "en", title: str = ""
) -> tuple[pd.Series, pd.DataFrame]:
    articles = pd.DataFrame(
        {"id": ["a"], "title": [title], "language": [language], "meetings": [meetings]}
    )
    cleaned = pd.DataFrame({"id": ["a"], "text_clean": [text]})
    outcome, evidence = outcome_per_article(articles, cleaned)
    return outcome.iloc[0], evidence


def test_the_west_conceding_is_russia_gained():
    row, evidence = _outcome("Kerry conceded to Putin.")
    assert row["label"] == "Russia gained"
    assert evidence[["label", "cue_words", "weight"]].values.tolist() == [
        ["Russia gained", "conceded", 1.0]
    ]


def test_a_us_failure_is_russia_gained():
    row, _ = _outcome("Kerry did not succeed in persuading Lavrov.")
    assert row["label"] == "Russia gained"
    assert row["russia_gained"] == 1.0


def test_failed_talks_are_stalemate():
    row, _ = _outcome("The talks failed and ended in deadlock.")
    assert (row["label"], row["stalemate_or_failure"]) == ("stalemate or failure", 2.5)


def test_negated_progress_is_stalemate():
    row, evidence = _outcome("There was no progress on Syria.")
    assert row["label"] == "stalemate or failure"
    assert evidence["cue_words"].tolist() == ["no progress"]


def test_agreement_is_cooperation():
    row, _ = _outcome("Kerry and Lavrov agreed on a joint initiative.")
    assert row["label"] == "cooperation or progress"


def test_the_headline_counts_as_the_outlets_voice():
    row, evidence = _outcome("Kerry met Putin.", title="Putin Kerry Talks Fail")
    assert row["label"] == "stalemate or failure"
    assert evidence[
        ["sentence_start", "sentence_end", "mark_start", "mark_end"]
    ].values.tolist() == [[-1, -1, 18, 22]]


def test_a_quoted_verdict_is_not_the_outlets():
    row, evidence = _outcome('"The talks were a complete failure," said Peskov.')
    assert row["label"] == "neutral report"
    assert evidence["voice"].tolist() == ["Peskov"]
    assert evidence["weight"].tolist() == [0.0]


def test_an_article_about_no_meeting_gets_no_outcome():
    row, evidence = _outcome("The talks failed.", meetings="")
    assert (row["label"], row["reason"]) == ("", "covers no meeting")
    assert np.isnan(row["confidence"])
    assert evidence.empty


def test_an_article_in_russian_is_unsupported():
    row, _ = _outcome("Переговоры провалились.", language="ru")
    assert row["label"] == "unsupported language"


def test_overrides_win_for_outcome():
    articles = pd.DataFrame({"id": ["a"], "title": [""], "language": ["en"], "meetings": [MEETING]})
    cleaned = pd.DataFrame({"id": ["a"], "text_clean": ["The talks failed."]})
    overrides = pd.DataFrame(
        [["a", "outcome", "Russia gained", "", "Ann", "2026-11-22"]],
        columns=["article_id", "target", "label", "note", "who", "when"],
    )
    outcome, _ = outcome_per_article(articles, cleaned, overrides=overrides)
    row = outcome.iloc[0]
    assert (row["label"], row["computed_label"], row["source"]) == (
        "Russia gained",
        "stalemate or failure",
        "override",
    )


def test_seeds_outcome_matches_a_careful_reading():
    corpus = load_corpus(CORPUS)
    cleaned, _ = clean_articles(corpus.articles)
    outcome, evidence = outcome_per_article(corpus.articles, cleaned)
    labels = {
        a[:14]: label for a, label in zip(outcome["article_id"], outcome["label"], strict=True)
    }
    assert labels["mcu-times-2022"] == ""
    assert labels["osw-2013-05-15"] == "Russia gained"
    assert labels["robinwestenra-"] == "stalemate or failure"
    by_id = dict(zip(outcome["article_id"], outcome["label"], strict=True))
    key = "euromaidan-press-2015-12-19-putin-got-what-he-really-wanted-from-kerry-meeting"
    assert by_id[key] == "Russia gained"
    gained = evidence[
        evidence["article_id"].str.startswith("euromaidan-press-2015-12")
        & (evidence["label"] == "Russia gained")
    ]
    assert "n't lose" in set(gained["cue_words"])
