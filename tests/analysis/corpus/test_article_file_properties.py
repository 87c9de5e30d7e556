"""Nothing lost between an article and its file: what the writer writes reads back as it was
written, and what it cannot write is refused by field, never half-written."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.article_file import CorpusFileError, format_article, parse_article
from analysis.corpus.types import Article, PublishedDate

# Strings that YAML reads as something else, line breaks of every kind, characters
# no file may hold, and lines longer than YAML's folding width.
_AWKWARD = [
    "yes",
    "No",
    "null",
    "~",
    "2015-13-45",
    "2015-05-12",
    "1e3",
    "0x1F",
    "- x",
    ": ",
    "#",
    "&a",
    "*a",
    "!tag",
    "'",
    '"',
    "---",
    "...",
    "%YAML",
    "\\N",
    "\x85",
    "\u2028",
    "\u2029",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1e",
    "\t",
    " ",
    "\ufeff",
    "\x00",
    "\ud800",
    "\udfff",
    "word " * 60,
    "x" * 3000,
]
_TEXT = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(_AWKWARD)), max_size=6).map(
    "".join
)
_FIELDS = ("title", "authors", "notes", "text", "extra.source_note")


def _unwritable(value: str) -> bool:
    return "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value)


def _article(title: str, authors: list[str], notes: str, text: str, note: str) -> Article:
    return Article(
        id="a-1",
        title=title,
        outlet="osw",
        text=text,
        language="en",
        published=PublishedDate.parse("2015-05"),
        authors=tuple(authors),
        notes=notes,
        extra={"source_note": note},
    )


@settings(max_examples=300, deadline=None)
@given(
    title=_TEXT.map(str.strip),
    authors=st.lists(_TEXT.map(str.strip).filter(bool), max_size=3),
    notes=_TEXT.map(str.strip),
    text=_TEXT,
    note=_TEXT,
)
def test_an_article_reads_back_exactly_or_is_refused_by_field(title, authors, notes, text, note):
    article = _article(title, authors, notes, text, note)
    values = {"title": [title], "authors": authors, "notes": [notes], "text": [text]}
    values["extra.source_note"] = [note]
    bad = {field for field in _FIELDS if any(_unwritable(v) for v in values[field])}
    blank = {field for field in ("title", "text") if not values[field][0].strip()}
    refused = bad or blank
    if refused:
        with pytest.raises(CorpusFileError) as caught:
            format_article(article)
        assert {p.field for p in caught.value.problems} == refused
        assert {p.file for p in caught.value.problems} == {"a-1.md"}
        return
    written = format_article(article)
    assert parse_article(written.encode("utf-8"), path="a-1.md") == article


@settings(max_examples=100, deadline=None)
@given(title=_TEXT, authors=st.lists(_TEXT, max_size=3), notes=_TEXT)
def test_single_text_fields_read_back_stripped(title, authors, notes):
    article = _article(title, authors, notes, "Text", "")
    try:
        written = format_article(article)
    except CorpusFileError:
        return
    read = parse_article(written.encode("utf-8"), path="a-1.md")
    assert read.title == title.strip()
    assert read.notes == notes.strip()
    assert read.authors == tuple(a.strip() for a in authors if a.strip())


def test_next_line_and_other_unicode_breaks_in_header_fields_read_back_as_themselves():
    article = _article(
        "Talks\x85in Moscow", ["A.\x85N. Other"], "seen\u2028twice\u2029again", "T", ""
    )
    written = format_article(article)
    assert 'title: "Talks\\Nin Moscow"\n' in written
    assert parse_article(written.encode("utf-8"), path="a-1.md") == article


def test_a_lone_surrogate_is_refused_naming_the_file_and_field():
    article = _article("Talks \ud83d", [], "", "Text", "")
    with pytest.raises(CorpusFileError) as caught:
        format_article(article, path="articles/a-1.md")
    assert [str(p) for p in caught.value.problems] == [
        "articles/a-1.md: title: holds a lone surrogate U+D83D (at character 6), "
        "which is not text UTF-8 can store; fix the source"
    ]


def test_a_nul_character_is_refused_as_the_reader_would_refuse_the_file():
    article = _article("Talks", [], "", "Text\x00", "")
    with pytest.raises(CorpusFileError, match=r"^a-1\.md: text: holds a NUL character"):
        format_article(article)


def test_an_article_the_reader_would_refuse_is_not_written():
    article = _article("  ", [], "", "\n", "")
    with pytest.raises(CorpusFileError) as caught:
        format_article(article)
    assert [str(p) for p in caught.value.problems] == [
        "a-1.md: title: missing; every article needs one",
        "a-1.md: text: is empty: put the article text after the header",
    ]
