"""Every input file gives records or a FormatError naming it: never another exception, and no
record without problems holds what an article file cannot."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.ingest.formats import read_records
from analysis.ingest.importer import import_articles
from analysis.ingest.source import FormatError, SourceRecord

# Pieces of real inputs and of broken ones: headers, every line end, quotes, byte-order
# marks, bytes that are not UTF-8, NUL, escapes of lone surrogates, deep nesting.
_PIECES = [
    b"title,text\n",
    b"Talks,Kerry met Putin.\n",
    b'"a\nb"',
    b"\r",
    b"\r\n",
    b"\n",
    b",",
    b'"',
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    b"\xd0\xbc\xd0\xb8\xd1\x80",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"\x00",
    b'{"text": "',
    b'", "title": "T"}',
    b"\\ud800",
    b"\\u0000",
    b"[" * 2000,
    b"1" * 5000,
    b"---\n",
    b"title: x\n",
    b"x" * 200_000,
]
_BYTES = st.lists(st.one_of(st.binary(max_size=30), st.sampled_from(_PIECES)), max_size=12).map(
    b"".join
)
_HTML_PIECES = [
    "<html><body><article><p>",
    "Kerry and Putin met in Moscow and talked about Syria for a long time. ",
    "</p></article></body></html>",
    "<script type='application/ld+json'>",
    "</script>",
    "[" * 5000,
    '{"datePublished": "2015-13-45", "author": {"name": 5}}',
    "<meta property='article:published_time' content='2099-01-01'>",
    "<time datetime='",
    "'>",
    "<title>",
    "</title>",
    "&#0;",
    "&#xD800;",
    "\x85",
    "\r",
    "<!--",
    "<",
    "&",
]
_PAGES = (
    st.lists(st.one_of(st.text(max_size=20), st.sampled_from(_HTML_PIECES)), max_size=20)
    .map("".join)
    .map(lambda page: page.encode("utf-8", "surrogatepass"))
)


def _writable(text: str) -> bool:
    return "\x00" not in text and not any("\ud800" <= char <= "\udfff" for char in text)


def _read(name: str, data: bytes) -> list[SourceRecord]:
    """The records of a file, or none when it is refused as a whole by name."""
    refused: list[FormatError] = []
    try:
        records = list(read_records(name, io.BytesIO(data)))
    except FormatError as err:
        refused.append(err)
        records = []
    for err in refused:
        assert err.problems
        assert {p.file for p in err.problems} == {name}
    for record in records:
        assert {p.file for p in record.problems} <= {name}
        if not record.problems:
            assert all(_writable(value) for value in record.fields.values())
    return records


@settings(max_examples=150, deadline=None)
@given(ending=st.sampled_from([".csv", ".jsonl", ".txt", ".md"]), data=_BYTES)
def test_any_bytes_give_records_or_a_format_error_naming_the_file(ending, data):
    _read(f"input{ending}", data)


@settings(max_examples=40, deadline=None)
@given(data=_PAGES)
def test_any_saved_page_gives_a_record_or_a_format_error_naming_the_file(data):
    _read("page.html", data)


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.text(max_size=15), st.text(max_size=40)).filter(lambda r: any(r)),
        min_size=1,
        max_size=5,
    ),
    line_end=st.sampled_from(["\r", "\r\n"]),
)
def test_a_table_reads_the_same_with_any_line_ends(rows, line_end):
    def table(end: str) -> bytes:
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator=end, quoting=csv.QUOTE_ALL)
        writer.writerow(["title", "text"])
        writer.writerows(rows)
        return out.getvalue().encode("utf-8", "surrogatepass")

    def read(end: str) -> list[tuple[object, ...]]:
        return [(r.line, r.fields, r.problems) for r in _read("t.csv", table(end))]

    assert read(line_end) == read("\n")


def test_a_table_with_bare_carriage_returns_is_read_row_by_row():
    data = b'title,text\rTalks,Kerry met Putin.\rMore,"Two\rlines"\r'
    records = list(read_records("old-mac.csv", io.BytesIO(data)))
    assert [(r.line, r.fields) for r in records] == [
        (2, {"title": "Talks", "text": "Kerry met Putin."}),
        (3, {"title": "More", "text": "Two\rlines"}),
    ]


def test_a_header_the_csv_module_cannot_read_is_a_format_error():
    with pytest.raises(FormatError, match=r"^a\.csv:1: \(header\): cannot be read as CSV"):
        list(read_records("a.csv", io.BytesIO(b"title," + b"x" * (5 * 1024 * 1024) + b"\n")))


def test_a_larger_cell_limit_set_before_does_not_change_what_an_import_reads():
    # The sentiment datasets' reader sets the csv module's limit, for the whole process,
    # to 16 MiB; an import run after it refuses the same header as one run alone.
    before = csv.field_size_limit(1 << 24)
    try:
        with pytest.raises(FormatError, match=r"^a\.csv:1: \(header\): cannot be read as CSV"):
            list(read_records("a.csv", io.BytesIO(b"title," + b"x" * (5 * 1024 * 1024) + b"\n")))
    finally:
        csv.field_size_limit(before)


def test_a_cell_as_long_as_an_article_is_read():
    text = "Kerry met Putin. " * 10_000
    data = f"title,text\nTalks,{text}\n".encode()
    [record] = read_records("long.csv", io.BytesIO(data))
    assert (record.fields["text"], record.problems) == (text, ())


def test_a_json_line_nested_too_deeply_is_named_by_line():
    data = b'{"title": "T", "text": "Kerry met Putin."}\n' + b"[" * 100_000 + b"\n"
    first, second = read_records("deep.jsonl", io.BytesIO(data))
    assert first.problems == ()
    assert [str(p) for p in second.problems] == [
        "deep.jsonl:2: (json): is nested too deeply to read"
    ]


def test_a_json_number_too_long_to_convert_is_named_by_line():
    [record] = read_records("long.jsonl", io.BytesIO(b'{"text": "x", "n": ' + b"1" * 5000 + b"}"))
    assert [p.field for p in record.problems] == ["(json)"]
    assert str(record.problems[0]).startswith("long.jsonl:1: (json): cannot be read: Exceeds")


def test_lone_surrogates_and_nul_in_json_values_are_named_by_line_and_field():
    data = b'{"title": "Talks \\ud83d", "text": "Kerry\\u0000", "tags": ["\\udc00"]}\n'
    [record] = read_records("bad.jsonl", io.BytesIO(data))
    assert [str(p) for p in record.problems] == [
        "bad.jsonl:1: title: holds a lone surrogate U+D83D (a broken \\u escape?), "
        "which is not text; fix the source",
        "bad.jsonl:1: text: holds a NUL character, which an article file cannot; remove it",
        "bad.jsonl:1: tags: holds a lone surrogate U+DC00 (a broken \\u escape?), "
        "which is not text; fix the source",
    ]


def test_a_text_file_with_nul_bytes_is_refused_by_line():
    with pytest.raises(FormatError) as caught:
        list(read_records("a.txt", io.BytesIO(b"Talks\nKerry\x00 met Putin.\n")))
    assert [str(p) for p in caught.value.problems] == [
        "a.txt:2: (file): contains NUL bytes: a binary file?"
    ]


def test_json_ld_nested_too_deeply_is_no_metadata():
    page = (
        "<html><body><script type='application/ld+json'>" + "[" * 100_000 + "</script>"
        "<article><p>" + "Kerry and Putin met in Moscow and talked about Syria. " * 5 + "</p>"
        "</article></body></html>"
    ).encode()
    [record] = read_records("deep.html", io.BytesIO(page))
    assert record.fields["text"].startswith("Kerry and Putin met in Moscow")
    assert "published" not in record.fields


def test_an_import_of_a_lone_surrogate_names_the_input_line_and_writes_nothing(registry_corpus):
    data = b'{"title": "Talks \\ud83d", "text": "Kerry met Putin.", "outlet": "osw"}\n'
    report = import_articles([("bad.jsonl", data)], registry_corpus)
    assert report.added == []
    assert [str(p) for p in report.problems] == [
        "bad.jsonl:1: title: holds a lone surrogate U+D83D (a broken \\u escape?), "
        "which is not text; fix the source"
    ]
    assert list((registry_corpus / "articles").iterdir()) == []
