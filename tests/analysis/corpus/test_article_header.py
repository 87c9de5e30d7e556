"""The schema of an article's header: each problem names the file, the field and, where YAML
reads the value itself, the line."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.corpus.article_file import CorpusFileError, encode_article, parse_article
from analysis.corpus.types import Article, PublishedDate

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


def _article(**changes: object) -> Article:
    fields: dict[str, object] = {
        "id": "a1",
        "title": "Talks",
        "outlet": "osw",
        "text": "Kerry met Putin.\n",
        "language": "en",
        "published": PublishedDate(dt.date(2015, 5, 12), "day"),
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def _refused(article: Article) -> list[str]:
    with pytest.raises(CorpusFileError) as caught:
        encode_article(article, path="in.csv")
    return [str(p) for p in caught.value.problems]


def test_what_is_written_reads_back_as_the_same_article() -> None:
    article = _article(title="Talks\u0085in Sochi", authors=("Ann", "Bo"), notes="yes")
    data = encode_article(article, path="in.csv")
    assert parse_article(data, path="a1.md") == article


def test_a_file_validate_would_refuse_is_never_written() -> None:
    future = PublishedDate(dt.date.today() + dt.timedelta(days=1), "day")
    assert _refused(_article(published=future)) == [
        f"in.csv: published: '{future}' is in the future; is the year right?"
    ]
    assert _refused(_article(published=PublishedDate(dt.date(1899, 12, 31), "day"))) == [
        "in.csv: published: '1899-12-31' is before 1900; is the year right?"
    ]
    assert _refused(_article(title="Talks\x00")) == [
        "in.csv: title: holds a NUL character (at character 5); remove it"
    ]
    assert _refused(_article(text="k" * (2 * 1024 * 1024))) == [
        "in.csv: text: makes a file of 2.0 MiB; articles over 2 MiB are refused"
    ]


def test_a_date_is_plausible_from_1900_to_today() -> None:
    assert PublishedDate(dt.date(1900, 1, 1), "year").plausible() == PublishedDate(
        dt.date(1900, 1, 1), "year"
    )
    assert PublishedDate(None, "unknown").plausible() == PublishedDate(None, "unknown")
    with pytest.raises(ValueError, match=r"^'1850-01-01T10:00' is before 1900"):
        PublishedDate(dt.date(1850, 1, 1), "day").plausible("1850-01-01T10:00")
