from __future__ import annotations

import pandas as pd
import pytest

from analysis.measures.search import SEARCH_COLUMNS, fold, parse_query, search_articles

ARTICLES = pd.DataFrame(
    {
        "id": ["a1", "a2", "b1", "b2"],
        "outlet": ["a", "a", "b", "b"],
        "title": ["One", "Two", "Three", "Four"],
        "published": ["2015-05-12", "2015-05-13", None, "2015-05-11"],
        "text_clean": [
            "Kerry met Putin in Genève. Regime change was not discussed.",
            "Kerry spoke of regime. Change came later.",
            "Керри и Путин: ёлка у Кремля. كِتَاب جديد",
            "Putin alone; no visitor.",
        ],
    }
)


def _found(query: str) -> list[tuple[str, str, str]]:
    hits = search_articles(ARTICLES, query)
    return list(zip(hits["id"], hits["term"], hits["match"], strict=True))


def test_fold_drops_case_and_accents_in_any_script():
    assert fold("Genève") == "geneve"
    assert fold("Ёлка") == "елка"
    assert fold("كِتَاب") == "كتاب"
    assert fold("Straße") == "strasse"


def test_a_word_is_found_in_every_article_case_insensitively():
    assert _found("PUTIN") == [("b2", "putin", "Putin"), ("a1", "putin", "Putin")]


def test_accents_are_ignored_both_ways():
    assert _found("geneve") == [("a1", "geneve", "Genève")]
    assert _found("GENÈVE") == [("a1", "geneve", "Genève")]


def test_cyrillic_and_arabic_words_are_found_without_their_marks():
    assert _found("елка") == [("b1", "елка", "ёлка")]
    assert _found("كتاب") == [("b1", "كتاب", "كِتَاب")]
    assert _found("путин") == [("b1", "путин", "Путин")]


def test_a_phrase_needs_its_words_together_with_no_punctuation_between():
    assert _found('"regime change"') == [("a1", "regime change", "Regime change")]


def test_and_or_not_and_parentheses():
    assert _found("kerry AND NOT genève") == [("a2", "kerry", "Kerry")]
    assert _found("kerry putin") == [("a1", "kerry", "Kerry"), ("a1", "putin", "Putin")]
    assert _found("visitor OR елка") == [("b2", "visitor", "visitor"), ("b1", "елка", "ёлка")]
    assert _found("(kerry OR керри) AND NOT change") == [("b1", "керри", "Керри")]


def test_not_binds_tighter_than_and_which_binds_tighter_than_or():
    parsed = parse_query("a OR b AND NOT c")
    assert parsed.operator == "OR"
    assert [part.operator for part in parsed.parts] == ["TERM", "AND"]
    assert parsed.parts[1].parts[1].operator == "NOT"
    assert parsed.terms() == [("a",), ("b",)]


def test_hits_carry_their_context_and_columns():
    hits = search_articles(ARTICLES, "discussed", window=12)
    assert list(hits.columns) == list(SEARCH_COLUMNS)
    row = hits.iloc[0]
    assert (row["left"], row["right"]) == ("was not", ".")
    assert row["sentence"] == "Regime change was not discussed."
    assert ARTICLES.loc[0, "text_clean"][row["start"] : row["end"]] == "discussed"


def test_no_hit_gives_an_empty_frame_with_the_columns():
    hits = search_articles(ARTICLES, "sanctions")
    assert hits.empty
    assert list(hits.columns) == list(SEARCH_COLUMNS)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "the query is empty"),
        ("NOT kerry", "needs a word or phrase that is not under NOT"),
        ("kerry AND", "ends where a word or phrase is expected"),
        ("(kerry", "a parenthesis is not closed"),
        ("kerry )", "'\\)' is not expected here"),
        ('"..."', "holds no word"),
    ],
)
def test_malformed_queries_are_refused_precisely(query, message):
    with pytest.raises(ValueError, match=message):
        parse_query(query)


def test_missing_text_column_is_refused():
    with pytest.raises(ValueError, match="articles has no 'body' column"):
        search_articles(ARTICLES, "kerry", text_column="body")
