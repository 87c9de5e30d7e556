"""Tokenization and stopwords."""

from __future__ import annotations

import pytest

from analysis.text.tokens import load_stopwords, token_spans, tokenize


def test_tokens_keep_hyphenated_and_numbered_names():
    text = "Russia’s S-300 missiles, Resolution 2254, al-Nusra and Covid-19."
    assert tokenize(text) == [
        "russia",
        "s-300",
        "missiles",
        "resolution",
        "2254",
        "al-nusra",
        "and",
        "covid-19",
    ]


def test_stopword_lists_ship_for_three_languages():
    assert {"the", "of", "didn't"} <= load_stopwords("en")
    assert {"и", "не", "что"} <= load_stopwords("ru")
    assert {"і", "та", "що"} <= load_stopwords("uk")


def test_bad_language_code_is_refused():
    with pytest.raises(
        ValueError, match=r"language must be a 2- or 3-letter lowercase code, got 'EN'"
    ):
        load_stopwords("EN")


def test_token_spans_point_into_the_original_text():
    text = "Russia’s S-300. <b>Regime</b> change"
    spans = token_spans(text)
    assert [token for token, _, _ in spans] == ["russia", "s-300", "", "regime", "change"]
    assert [text[start:end] for _, start, end in spans] == [
        "Russia’s",
        "S-300",
        ".",
        "Regime",
        "change",
    ]
