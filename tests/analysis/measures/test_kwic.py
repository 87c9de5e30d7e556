"""Keyword in context."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.measures.kwic import KWIC_COLUMNS, keyword_in_context


def _articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["b", "a", "c"],
            "title": ["Second", "First", "Third"],
            "outlet": ["osw", "euromaidan-press", "osw"],
            "published": ["2015-05-12", "2013-05-15", None],
            "text_clean": [
                "Kerry spoke. They called it Regime change. Then regime, change!",
                "Russia’s regime change plans.\n\nRegime-change is another word.",
                "No regime\n\nchange here, but regime change there.",
            ],
        }
    )


def test_every_occurrence_with_its_context_and_sentence():
    result = keyword_in_context(_articles(), "regime change", window=12)
    assert list(result.columns) == list(KWIC_COLUMNS)
    assert result["id"].tolist() == ["a", "b", "c"]
    assert result["match"].tolist() == ["regime change", "Regime change", "regime change"]
    first = result.iloc[0]
    assert (first["left"], first["right"]) == ("Russia’s", "plans.")
    assert first["sentence"] == "Russia’s regime change plans."
    assert result.iloc[1]["sentence"] == "They called it Regime change."
    assert result.iloc[1]["left"] == "called it"
    text = _articles()["text_clean"].iloc[0]
    assert text[result.iloc[1]["start"] : result.iloc[1]["end"]] == "Regime change"


def test_phrases_do_not_match_across_punctuation_or_paragraphs():
    result = keyword_in_context(_articles(), "regime change")
    assert result["match"].str.contains(",").sum() == 0
    assert result["match"].str.contains("\n").sum() == 0
    assert len(result) == 3


def test_terms_are_matched_like_the_tokenizer():
    articles = _articles()
    assert keyword_in_context(articles, "RUSSIA'S")["match"].tolist() == ["Russia’s"]
    assert keyword_in_context(articles, "regime-change")["match"].tolist() == ["Regime-change"]
    assert keyword_in_context(articles, "regime")["id"].tolist() == ["a", "b", "b", "c", "c"]


def test_unknown_dates_sort_last_and_no_match_gives_an_empty_frame():
    articles = _articles()
    assert keyword_in_context(articles, "there")["published"].isna().tolist() == [True]
    empty = keyword_in_context(articles, "sanctions")
    assert empty.empty
    assert list(empty.columns) == list(KWIC_COLUMNS)


def test_articles_are_not_modified():
    articles = _articles()
    before = articles.copy()
    keyword_in_context(articles, "regime change")
    pd.testing.assert_frame_equal(articles, before)


@pytest.mark.parametrize(
    ("term", "options", "message"),
    [
        ("...", {}, r"term='...' contains no words"),
        ("kerry", {"window": -1}, r"window must be zero or more characters, got -1"),
        ("kerry", {"text_column": "text"}, r"articles has no 'text' column"),
    ],
)
def test_argument_errors(term, options, message):
    with pytest.raises(ValueError, match=message):
        keyword_in_context(_articles(), term, **options)


def test_sort_by_left_or_right_context_uses_the_nearest_words_first():
    from analysis.measures.kwic import sort_by_context

    kwic = pd.DataFrame(
        {
            "left": ["the new", "an old", "... a new"],
            "right": ["came, zebra", "left. apple", "came and"],
            "id": ["1", "2", "3"],
        }
    )
    left = sort_by_context(kwic, side="left", words=2)
    assert left["id"].tolist() == ["3", "1", "2"]
    assert left["sort_key"].tolist() == ["new a", "new the", "old an"]
    right = sort_by_context(kwic, side="right")
    assert right["sort_key"].tolist() == ["came and", "came zebra", "left apple"]
    with pytest.raises(ValueError, match="side must be 'left' or 'right', got 'middle'"):
        sort_by_context(kwic, side="middle")


def test_the_context_is_cut_between_words_at_its_far_end():
    articles = pd.DataFrame(
        {"id": ["a"], "text_clean": ["Washington and Moscow agreed on sanctions relief yesterday."]}
    )
    row = keyword_in_context(articles, "agreed", window=5).iloc[0]
    # Five characters reach into "Moscow" on the left and "sanctions" on the right.
    assert (row["left"], row["match"], row["right"]) == ("", "agreed", "on")
    wide = keyword_in_context(articles, "agreed", window=14).iloc[0]
    assert (wide["left"], wide["right"]) == ("and Moscow", "on sanctions")
    whole = keyword_in_context(articles, "agreed", window=200).iloc[0]
    assert (whole["left"], whole["right"]) == (
        "Washington and Moscow",
        "on sanctions relief yesterday.",
    )
