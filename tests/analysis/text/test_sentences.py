from __future__ import annotations

import pytest

from analysis.text.sentences import Sentence, split_sentences


def _texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


def test_spans_point_back_into_the_text() -> None:
    text = "  First one.  Second one!\n\nThird?  "
    sentences = split_sentences(text)
    assert sentences == [
        Sentence(2, 12, "First one."),
        Sentence(14, 25, "Second one!"),
        Sentence(27, 33, "Third?"),
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


def test_text_without_final_punctuation_is_one_sentence() -> None:
    assert _texts("Putin Kerry Talks Fail") == ["Putin Kerry Talks Fail"]


def test_dotted_initialisms_do_not_end_a_sentence() -> None:
    assert _texts("The U.S. Secretary met Putin. Then he left.") == [
        "The U.S. Secretary met Putin.",
        "Then he left.",
    ]


def test_initialism_before_a_sentence_opener_ends_the_sentence() -> None:
    assert _texts("Kerry flew back to the U.S. The talks had failed.") == [
        "Kerry flew back to the U.S.",
        "The talks had failed.",
    ]


def test_month_and_number_abbreviations_before_digits() -> None:
    assert _texts("They met on Dec. 15 in Moscow. It was No. 5 on the list. See p. 12.") == [
        "They met on Dec. 15 in Moscow.",
        "It was No. 5 on the list.",
        "See p. 12.",
    ]


def test_titles_never_end_a_sentence() -> None:
    text = "Mr. Kerry met Dr. Smith. Gen. Gerasimov and Sen. McCain were in St. Petersburg."
    assert _texts(text) == [
        "Mr. Kerry met Dr. Smith.",
        "Gen. Gerasimov and Sen. McCain were in St. Petersburg.",
    ]


def test_latin_abbreviations_and_versus() -> None:
    text = "Some states, e.g. Poland, objected. Others, i.e. France, did not. Putin vs. Kerry."
    assert _texts(text) == [
        "Some states, e.g. Poland, objected.",
        "Others, i.e. France, did not.",
        "Putin vs. Kerry.",
    ]


def test_single_letter_initials() -> None:
    assert _texts("John F. Kennedy met Khrushchev. Edited by: A. N.") == [
        "John F. Kennedy met Khrushchev.",
        "Edited by: A. N.",
    ]


def test_all_month_abbreviations_before_a_day() -> None:
    months = ["Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov."]
    for month in months:
        assert _texts(f"It was {month} 3 in Moscow. Then talks.") == [
            f"It was {month} 3 in Moscow.",
            "Then talks.",
        ]


def test_ellipsis_splits_only_before_a_capital() -> None:
    assert _texts("He waited... and waited… Then it ended. So… It was over.") == [
        "He waited... and waited…",
        "Then it ended.",
        "So…",
        "It was over.",
    ]


def test_quoted_sentences_split_inside_the_quote() -> None:
    assert _texts("“He said. Then left.” Kerry stayed.") == [
        "“He said.",
        "Then left.”",
        "Kerry stayed.",
    ]


def test_closing_quote_belongs_to_the_sentence_it_ends() -> None:
    assert _texts('He said "Go." Then he left. She said “Stay.” He did not.') == [
        'He said "Go."',
        "Then he left.",
        "She said “Stay.”",
        "He did not.",
    ]


def test_quote_followed_by_lowercase_attribution_is_one_sentence() -> None:
    assert _texts("“It is over.” he said. “Is it?” she asked.") == [
        "“It is over.” he said.",
        "“Is it?” she asked.",
    ]


def test_bracketed_text() -> None:
    text = (
        "The main assessments will be made by [Russian Foreign] Minister Lavrov."
        " (He left.) Then (Ed.). And more."
    )
    assert _texts(text) == [
        "The main assessments will be made by [Russian Foreign] Minister Lavrov.",
        "(He left.)",
        "Then (Ed.).",
        "And more.",
    ]


def test_blank_line_always_ends_a_sentence() -> None:
    assert _texts("Putin got what he wanted\n\nUS Secretary of State\nmet Putin. Then left.") == [
        "Putin got what he wanted",
        "US Secretary of State\nmet Putin.",
        "Then left.",
    ]


def test_decimals_domains_and_hyphenated_numbers_are_not_boundaries() -> None:
    assert _texts("Growth was 1.5 percent, says euromaidanpress.com. Covid-19 spread.") == [
        "Growth was 1.5 percent, says euromaidanpress.com.",
        "Covid-19 spread.",
    ]


def test_cyrillic_sentences_and_guillemets() -> None:
    text = "Он сказал. Потом ушёл! Правда? «Переговоры были честными. Но трудными.» В. В. Путин."
    assert _texts(text) == [
        "Он сказал.",
        "Потом ушёл!",
        "Правда?",
        "«Переговоры были честными.",
        "Но трудными.»",
        "В. В. Путин.",
    ]


def test_non_string_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="text must be a str, not bytes"):
        split_sentences(b"Hello.")  # type: ignore[arg-type]


def test_a_caller_changing_its_list_does_not_change_the_next_split():
    from analysis.text.sentences import split_sentences

    first = split_sentences("Kerry met Putin. They talked.")
    first.clear()
    assert [s.text for s in split_sentences("Kerry met Putin. They talked.")] == [
        "Kerry met Putin.",
        "They talked.",
    ]
