"""Readers of the file formats articles can be imported from.

Each reader turns one input file into :class:`SourceRecord` objects: the raw
metadata fields under our names, the text, extra fields, and the problems of
that record. Supported: plain text (``.txt``), Markdown (``.md``, with or
without our YAML header), saved web pages (``.html``, ``.htm``), ``.csv`` and
JSON lines (``.jsonl``, ``.ndjson``). CSV and JSONL are read row by row, so a
file of tens of thousands of rows never sits in memory whole.

Text must be UTF-8 (a byte-order mark is allowed). Bytes that are not are
reported with the file and line and the record is refused; nothing is decoded
by guessing, because a wrong guess silently garbles Cyrillic text.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import IO, Any

from tqdm import tqdm

from analysis.corpus.article_file import MAX_ARTICLE_BYTES, CorpusFileError, parse_article
from analysis.corpus.types import Article, Inference, Problem
from analysis.ingest.inference import parse_published

__all__ = [
    "COLUMN_NAMES",
    "FORMATS",
    "MAX_PAGE_BYTES",
    "FormatError",
    "SourceRecord",
    "read_records",
]

#: Our field names and the column (or JSON key) names that give them, compared
#: case-insensitively with spaces and hyphens read as underscores.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "content", "body", "full_text", "article_text"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "media_name", "publisher"),
    "outlet_url": ("media_url",),
    "published": ("date", "published", "publish_date", "publication_date"),
    "language": ("language", "lang"),
    "authors": ("author", "authors", "byline"),
    "meetings": ("meeting", "meetings"),
    "notes": ("notes",),
}
#: File name endings and the format each is read as.
FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
#: Saved pages carry scripts and styles, so they may be larger than an article file.
MAX_PAGE_BYTES = 20 * 1024 * 1024

_FIELD_OF_COLUMN = {name: field for field, names in COLUMN_NAMES.items() for name in names}


class FormatError(ValueError):
    """An input file that cannot be read at all; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class SourceRecord:
    """One article as read from an input file, before validation.

    ``fields`` holds the values found under our field names (see
    :data:`COLUMN_NAMES`, plus ``text``); ``extra`` the other columns, by their
    own names; ``inferred`` what the reader inferred (a title from the first
    line, a date from a page's metadata); ``article`` the parsed article when
    the file already had our YAML header.
    """

    source: str
    line: int | None
    fields: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)
    inferred: tuple[Inference, ...] = ()
    article: Article | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def where(self) -> str:
        """``file`` or ``file:line``, as problems name it."""
        return self.source if self.line is None else f"{self.source}:{self.line}"


def read_records(name: str, stream: IO[bytes], *, progress: bool = False) -> Iterator[SourceRecord]:
    """Read the articles of one input file.

    Parameters
    ----------
    name
        The file's name; its ending chooses the format (see :data:`FORMATS`).
        It is only used to choose the reader and to name problems.
    stream
        The file's bytes, opened for binary reading.
    progress
        Show a tqdm progress bar on standard error while reading CSV or JSONL rows.

    Yields
    ------
    SourceRecord
        One per article (per row for CSV and JSONL), in file order.

    Raises
    ------
    FormatError
        If the file as a whole cannot be read: unknown ending, not UTF-8 (for
        single-article files), too large, no usable header row.
    """
    ending = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = FORMATS.get(ending)
    if kind is None:
        raise FormatError(
            [
                Problem(
                    name,
                    "(format)",
                    f"{ending or 'no ending'} is not a format the import reads; "
                    f"use one of {', '.join(FORMATS)}",
                )
            ]
        )
    if kind == "csv":
        yield from _csv_records(name, stream, progress=progress)
    elif kind == "jsonl":
        yield from _jsonl_records(name, stream, progress=progress)
    else:
        limit = MAX_PAGE_BYTES if kind == "html" else MAX_ARTICLE_BYTES
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise FormatError(
                [
                    Problem(
                        name, "(file)", f"is over {limit // (1024 * 1024)} MiB; is it one article?"
                    )
                ]
            )
        readers = {"text": _text_record, "markdown": _markdown_record, "html": _html_record}
        yield readers[kind](name, data)


# --- decoding -----------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise FormatError([_encoding_problem(name, data[err.start], err.start, line)]) from None


def _encoding_problem(name: str, byte: int, offset: int, line: int) -> Problem:
    return Problem(
        name,
        "(encoding)",
        f"byte 0x{byte:02x} at offset {offset} is not UTF-8; re-save the file as UTF-8",
        line,
    )


@dataclass
class _Lines:
    """Decode a binary stream line by line, remembering which lines were not UTF-8."""

    name: str
    stream: IO[bytes]
    number: int = 0
    offset: int = 0
    bad: dict[int, Problem] = field(default_factory=dict)

    def __iter__(self) -> Iterator[str]:
        for raw in self.stream:
            self.number += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                self.bad[self.number] = _encoding_problem(
                    self.name, raw[err.start], self.offset + err.start, self.number
                )
                text = raw.decode("utf-8", errors="replace")
            if self.number == 1:
                text = text.removeprefix("\ufeff")
            self.offset += len(raw)
            yield text

    def problems_between(self, first: int, last: int) -> tuple[Problem, ...]:
        return tuple(self.bad.pop(n) for n in range(first, last + 1) if n in self.bad)


# --- one-article files --------------------------------------------------------------------


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _text_record(name: str, data: bytes) -> SourceRecord:
    text = _decode(data, name)
    title = _first_line(text)
    return SourceRecord(
        name,
        None,
        {"title": title, "text": text},
        inferred=(Inference("title", title, "first non-empty line of the text"),),
    )


def _markdown_record(name: str, data: bytes) -> SourceRecord:
    if data.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
        try:
            article = parse_article(data.removeprefix(b"\xef\xbb\xbf"), path=name)
        except CorpusFileError as err:
            raise FormatError(err.problems) from None
        return SourceRecord(
            name, None, {"title": article.title, "text": article.text}, article=article
        )
    text = _decode(data, name)
    title = _first_line(text).lstrip("#").strip()
    return SourceRecord(
        name,
        None,
        {"title": title, "text": text},
        inferred=(Inference("title", title, "first non-empty line of the text"),),
    )


class _PageMetadata(HTMLParser):
    """Collects the metadata of a saved page: meta tags, canonical link, JSON-LD, <time>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.title = ""
        self.time = ""
        self.json_ld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "meta":
            key = (
                values.get("property") or values.get("name") or values.get("itemprop") or ""
            ).lower()
            if key and values.get("content") and key not in self.meta:
                self.meta[key] = values["content"]
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href", "")
        elif tag == "time" and values.get("datetime") and not self.time:
            self.time = values["datetime"]
        elif tag == "title" and not self.title:
            self._in = "title"
        elif tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._in = "json-ld"
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "script"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "json-ld":
            self.json_ld[-1] += data


def _json_ld_objects(blocks: Iterable[str]) -> Iterator[Mapping[str, Any]]:
    for block in blocks:
        try:
            data = json.loads(block)
        except json.JSONDecodeError:
            continue
        pending = data if isinstance(data, list) else [data]
        while pending:
            item = pending.pop(0)
            if isinstance(item, Mapping):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    pending.extend(graph)


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _html_record(name: str, data: bytes) -> SourceRecord:
    import trafilatura

    page = _decode(data, name)
    meta = _PageMetadata()
    meta.feed(page)
    meta.close()
    text = trafilatura.extract(
        page, include_comments=False, include_tables=False, deduplicate=False, favor_precision=True
    )
    if not text or not text.strip():
        raise FormatError(
            [
                Problem(
                    name, "text", "no article text found in the page; save the article's own page"
                )
            ]
        )
    ld = list(_json_ld_objects(meta.json_ld))
    fields = {
        "title": meta.meta.get("og:title") or " ".join(meta.title.split()),
        "text": text.strip() + "\n",
        "url": meta.canonical or meta.meta.get("og:url", ""),
    }
    # Dates come only from the article's own metadata: a page's "© 2024" is the
    # footer's year, not the publication date.
    candidates = [
        (f"meta {key}", meta.meta[key])
        for key in ("article:published_time", "datepublished", "og:published_time", "pubdate")
        if key in meta.meta
    ]
    candidates += [
        ("JSON-LD datePublished", str(o["datePublished"])) for o in ld if "datePublished" in o
    ]
    if meta.time:
        candidates.append(("<time datetime>", meta.time))
    inferred = []
    problems = []
    for basis, raw in candidates:
        try:
            published = parse_published(raw)
        except ValueError as err:
            problems.append(Problem(name, "published", f"{basis}: {err}"))
            continue
        fields["published"] = str(published)
        inferred.append(Inference("published", str(published), f"{basis} {raw!r} in the page"))
        problems.clear()
        break
    authors = [meta.meta["author"]] if meta.meta.get("author") else []
    if not authors:
        authors = [n for o in ld for n in _names(o.get("author"))]
    authors += [
        a for a in [meta.meta.get("article:author", "")] if a and not re.match(r"https?://", a)
    ]
    if authors:
        fields["authors"] = "; ".join(dict.fromkeys(a.strip() for a in authors if a.strip()))
    return SourceRecord(name, None, fields, inferred=tuple(inferred), problems=tuple(problems))


# --- tables -------------------------------------------------------------------------------


def _column_fields(names: Iterable[str], where: str) -> tuple[dict[str, str], list[Problem]]:
    """Map each column name to our field name (or to itself, for extra columns)."""
    mapping: dict[str, str] = {}
    given: dict[str, str] = {}
    problems = []
    for column in names:
        key = re.sub(r"[\s-]+", "_", column.strip().lower())
        field_name = _FIELD_OF_COLUMN.get(key)
        if field_name is None:
            mapping[column] = f"extra:{column}"
            continue
        if field_name in given:
            problems.append(
                Problem(
                    where,
                    column,
                    f"gives the {field_name} like column {given[field_name]!r}; "
                    "rename or drop one of them",
                )
            )
            continue
        given[field_name] = column
        mapping[column] = field_name
    return mapping, problems


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_as_text(v) for v in value if _as_text(v))
    return value if isinstance(value, str) else str(value)


def _table_record(
    name: str,
    line: int,
    values: Mapping[str, Any],
    mapping: Mapping[str, str],
    problems: list[Problem],
) -> SourceRecord:
    fields: dict[str, str] = {}
    extra: dict[str, Any] = {}
    for column, value in values.items():
        target = mapping[column]
        if target.startswith("extra:"):
            if value not in (None, ""):
                extra[column] = value
        else:
            fields[target] = _as_text(value)
    text = fields.get("text", "")
    if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        problems.append(
            Problem(name, "text", f"is over {MAX_ARTICLE_BYTES // (1024 * 1024)} MiB", line)
        )
    return SourceRecord(name, line, fields, extra=extra, problems=tuple(problems))


def _progress(name: str, enabled: bool) -> tqdm[Any]:
    return tqdm(desc=f"reading {name}", unit=" rows", file=sys.stderr, disable=not enabled)


def _csv_records(name: str, stream: IO[bytes], *, progress: bool) -> Iterator[SourceRecord]:
    lines = _Lines(name, stream)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError([Problem(name, "(header)", "is empty: no header row")]) from None
    if lines.bad:
        raise FormatError(list(lines.bad.values()))
    if len(set(header)) != len(header) or not any(h.strip() for h in header):
        raise FormatError(
            [Problem(name, "(header)", "the first row must name each column once", 1)]
        )
    mapping, problems = _column_fields(header, name)
    if problems:
        raise FormatError([Problem(p.file, p.field, p.message, 1) for p in problems])
    if "text" not in mapping.values():
        raise FormatError(
            [
                Problem(
                    name,
                    "(header)",
                    f"no text column; name it one of {', '.join(COLUMN_NAMES['text'])}",
                    1,
                )
            ]
        )
    with _progress(name, progress) as bar:
        while True:
            first = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise FormatError(
                    [Problem(name, "(csv)", f"cannot be read as CSV: {err}", reader.line_num)]
                ) from None
            bar.update()
            if not any(cell.strip() for cell in row):
                continue
            problems = list(lines.problems_between(first, reader.line_num))
            if len(row) != len(header):
                problems.append(
                    Problem(
                        name, "(row)", f"has {len(row)} fields, the header has {len(header)}", first
                    )
                )
                yield SourceRecord(name, first, {}, problems=tuple(problems))
                continue
            yield _table_record(name, first, dict(zip(header, row, strict=True)), mapping, problems)


def _jsonl_records(name: str, stream: IO[bytes], *, progress: bool) -> Iterator[SourceRecord]:
    lines = _Lines(name, stream)
    with _progress(name, progress) as bar:
        for text in lines:
            number = lines.number
            if not text.strip():
                continue
            bar.update()
            problems = list(lines.problems_between(number, number))
            try:
                values = json.loads(text)
            except json.JSONDecodeError as err:
                problems.append(
                    Problem(
                        name, "(json)", f"not valid JSON: {err.msg} at column {err.colno}", number
                    )
                )
                yield SourceRecord(name, number, {}, problems=tuple(problems))
                continue
            if not isinstance(values, dict):
                problems.append(Problem(name, "(json)", "must be one JSON object per line", number))
                yield SourceRecord(name, number, {}, problems=tuple(problems))
                continue
            mapping, key_problems = _column_fields(values, name)
            problems.extend(Problem(p.file, p.field, p.message, number) for p in key_problems)
            yield _table_record(
                name, number, {k: v for k, v in values.items() if k in mapping}, mapping, problems
            )
