"""The schema of an article's header: each problem names the file, the field and, where YAML
reads the value itself, the line."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.corpus.article_file import CorpusFileError, parse_article

HEADER = "---\nid: a1\ntitle: Talks\noutlet: osw\nlanguage: en\n{fields}---\nText\n"


def _problems(fields: str) -> list[str]:
    with pytest.raises(CorpusFileError) as caught:
        parse_article(HEADER.format(fields=fields).encode(), path="articles/a1.md")
    return [str(p) for p in caught.value.problems]


def test_an_impossible_unquoted_date_is_named_by_line_and_field() -> None:
    assert _problems("published: 2015-13-45\n") == [
        "articles/a1.md:6: published: '2015-13-45' is not a real date (month must be in 1..12)"
    ]


def test_lists_of_the_wrong_type_are_problems_not_type_errors() -> None:
    assert _problems("authors: 5\nmeetings: {a: b}\n") == [
        "articles/a1.md: authors: must be a text or a list of texts",
        "articles/a1.md: meetings: must be a text or a list of texts",
    ]


def test_notes_that_are_not_text_are_a_problem() -> None:
    assert _problems("notes: [a, b]\n") == ["articles/a1.md: notes: must be a single text value"]


def test_an_inference_without_basis_is_named_by_its_field() -> None:
    assert _problems("inferred: {outlet: {value: osw}}\n") == [
        "articles/a1.md: inferred.outlet: must have a 'value' and a 'basis'"
    ]


def test_unquoted_dates_are_read_once_and_unknown_fields_kept_in_extra() -> None:
    text = HEADER.format(fields="published: 2015-05-12\nretrieved: 2020-01-02\n")
    article = parse_article(text.encode(), path="articles/a1.md")
    assert (article.published.value, article.published.precision) == (
        dt.date(2015, 5, 12),
        "day",
    )
    assert article.extra == {"retrieved": dt.date(2020, 1, 2)}
