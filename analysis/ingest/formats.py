"""Readers of the file formats articles can be imported from.

Each reader turns one input file into
:class:`analysis.ingest.source.SourceRecord` objects: the raw metadata fields
under our names, the text, extra fields, and the problems of that record.
Supported: plain text (``.txt``), Markdown (``.md``, with or without our YAML
header), saved web pages (``.html``, ``.htm``; read by
:mod:`analysis.ingest.pages`), ``.csv`` and JSON lines (``.jsonl``,
``.ndjson``). CSV and JSONL are read row by row, so a file of tens of
thousands of rows never sits in memory whole.

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
from typing import IO, Any

from tqdm import tqdm

from analysis.corpus.article_file import MAX_ARTICLE_BYTES, CorpusFileError, parse_article
from analysis.corpus.types import Problem
from analysis.ingest.inference import infer_title
from analysis.ingest.pages import page_record
from analysis.ingest.source import FormatError, SourceRecord, decode, encoding_problem

__all__ = ["COLUMN_NAMES", "FORMATS", "MAX_PAGE_BYTES", "map_columns", "read_records"]

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
_BARE_CR = re.compile(rb"(?<=\r)(?!\n)")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


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
        readers = {"text": _text_record, "markdown": _markdown_record, "html": page_record}
        yield readers[kind](name, data)


@dataclass
class _Lines:
    """Decode a binary stream line by line, remembering which lines were not UTF-8."""

    name: str
    stream: IO[bytes]
    number: int = 0
    offset: int = 0
    bad: dict[int, Problem] = field(default_factory=dict)

    def __iter__(self) -> Iterator[str]:
        for raw_line in self.stream:
            # A binary stream splits at b"\n" only; a bare CR ends a line too (old Mac files).
            pieces = _BARE_CR.split(raw_line) if b"\r" in raw_line else [raw_line]
            yield from (self._decoded(raw) for raw in pieces if raw)

    def _decoded(self, raw: bytes) -> str:
        self.number += 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            self.bad[self.number] = encoding_problem(
                self.name, raw[err.start], self.offset + err.start, self.number
            )
            text = raw.decode("utf-8", errors="replace")
        if self.number == 1:
            text = text.removeprefix("\ufeff")
        self.offset += len(raw)
        return text

    def problems_between(self, first: int, last: int) -> tuple[Problem, ...]:
        return tuple(self.bad.pop(n) for n in range(first, last + 1) if n in self.bad)


# --- one-article files --------------------------------------------------------------------


def _text_record(name: str, data: bytes) -> SourceRecord:
    text = decode(data, name)
    title, inference = infer_title(text)
    return SourceRecord(name, None, {"title": title, "text": text}, inferred=(inference,))


def _markdown_record(name: str, data: bytes) -> SourceRecord:
    if data.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
        try:
            article = parse_article(data.removeprefix(b"\xef\xbb\xbf"), path=name)
        except CorpusFileError as err:
            raise FormatError(err.problems) from None
        return SourceRecord(
            name, None, {"title": article.title, "text": article.text}, article=article
        )
    text = decode(data, name)
    title, inference = infer_title(text)
    return SourceRecord(name, None, {"title": title, "text": text}, inferred=(inference,))


# --- tables -------------------------------------------------------------------------------


def map_columns(names: Iterable[str], where: str) -> tuple[dict[str, str], list[Problem]]:
    """Map each column name to our field name, or to ``extra:<column>`` for the others.

    Returns the mapping and a problem for each column that gives a field an
    earlier column gave already.
    """
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
    """A JSON value as a field's text: texts, numbers, and lists of them (joined with "; ").

    Raises
    ------
    ValueError
        For an object (a mapping), which is no text.
    """
    if value is None:
        return ""
    if isinstance(value, Mapping):
        raise ValueError("must be a text (or a list of texts), not an object")
    if isinstance(value, list):
        return "; ".join(_as_text(v) for v in value if _as_text(v))
    return value if isinstance(value, str) else str(value)


def _character_problem(value: Any) -> str:
    """What is wrong with the characters of a cell or JSON value (``""``: nothing)."""
    if isinstance(value, Mapping):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return next((m for m in map(_character_problem, value) if m), "")
    if not isinstance(value, str):
        return ""
    if "\x00" in value:
        return "holds a NUL character, which an article file cannot; remove it"
    surrogate = _LONE_SURROGATE.search(value)
    if surrogate:
        return (
            f"holds a lone surrogate U+{ord(surrogate.group()):04X} (a broken \\u escape?), "
            "which is not text; fix the source"
        )
    return ""


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
            try:
                fields[target] = _as_text(value)
            except ValueError as err:
                problems.append(Problem(name, target, str(err), line))
    problems.extend(
        Problem(name, column, message, line)
        for column, value in values.items()
        if (message := _character_problem(value))
    )
    text = fields.get("text", "")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_BYTES:
        problems.append(
            Problem(name, "text", f"is over {MAX_ARTICLE_BYTES // (1024 * 1024)} MiB", line)
        )
    return SourceRecord(name, line, fields, extra=extra, problems=tuple(problems))


def _progress(name: str, enabled: bool) -> tqdm[Any]:
    return tqdm(desc=f"reading {name}", unit=" rows", file=sys.stderr, disable=not enabled)


#: The longest CSV cell read: a whole article (the csv module's own limit is 131,072 characters).
_CSV_FIELD_LIMIT = 2 * MAX_ARTICLE_BYTES


def _csv_records(name: str, stream: IO[bytes], *, progress: bool) -> Iterator[SourceRecord]:
    # Set, not only raised: the limit is the csv module's, for the whole process, and a
    # reader of larger cells run before (the sentiment datasets') must not change what an
    # import accepts.
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    lines = _Lines(name, stream)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError([Problem(name, "(header)", "is empty: no header row")]) from None
    except csv.Error as err:
        raise FormatError(
            [Problem(name, "(header)", f"cannot be read as CSV: {err}", reader.line_num)]
        ) from None
    if lines.bad:
        raise FormatError(list(lines.bad.values()))
    if len(set(header)) != len(header) or not any(h.strip() for h in header):
        raise FormatError(
            [Problem(name, "(header)", "the first row must name each column once", 1)]
        )
    mapping, problems = map_columns(header, name)
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
            except RecursionError:
                problems.append(Problem(name, "(json)", "is nested too deeply to read", number))
                yield SourceRecord(name, number, {}, problems=tuple(problems))
                continue
            except ValueError as err:
                # A number too long to convert (Python's limit on integer digits).
                problems.append(Problem(name, "(json)", f"cannot be read: {err}", number))
                yield SourceRecord(name, number, {}, problems=tuple(problems))
                continue
            if not isinstance(values, dict):
                problems.append(Problem(name, "(json)", "must be one JSON object per line", number))
                yield SourceRecord(name, number, {}, problems=tuple(problems))
                continue
            mapping, key_problems = map_columns(values, name)
            problems.extend(Problem(p.file, p.field, p.message, number) for p in key_problems)
            yield _table_record(
                name, number, {k: v for k, v in values.items() if k in mapping}, mapping, problems
            )
