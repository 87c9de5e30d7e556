"""What every format reader produces: one :class:`SourceRecord` per article, or a
:class:`FormatError` for a file that cannot be read at all; and the strict UTF-8 decoding
they share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.corpus.types import Article, Inference, Problem

__all__ = ["FetchedPage", "FormatError", "SourceRecord", "decode", "encoding_problem"]


class FormatError(ValueError):
    """An input file that cannot be read at all; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class SourceRecord:
    """One article as read from an input file, before validation.

    ``fields`` holds the values found under our field names (see
    :data:`analysis.ingest.formats.COLUMN_NAMES`, plus ``text``); ``extra`` the
    other columns, by their own names; ``inferred`` what the reader inferred (a title from the first
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


@dataclass(frozen=True)
class FetchedPage:
    """A web page fetched from a list of addresses, ready for the import.

    ``where`` names the list row (``list.csv:3``) in the report and in
    problems; ``html`` is the page, already decoded and encoded again as
    UTF-8; ``fields`` are the row's values under our field names (``url``,
    ``outlet``, ``published``, ``language``, ``meetings`` ...), which win over
    what the page says and over inference; ``extra`` the row's other columns
    and how the page was fetched.
    """

    where: str
    html: bytes
    fields: Mapping[str, str]
    extra: Mapping[str, Any] = field(default_factory=dict)


def decode(data: bytes, name: str) -> str:
    """The text of a one-article file: UTF-8 (a byte-order mark is dropped), without NUL.

    Raises
    ------
    FormatError
        If ``data`` is not UTF-8 or holds a NUL byte (which no article file may).
    """
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise FormatError([Problem(name, "(file)", "contains NUL bytes: a binary file?", line)])
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise FormatError([encoding_problem(name, data[err.start], err.start, line)]) from None


def encoding_problem(name: str, byte: int, offset: int, line: int) -> Problem:
    return Problem(
        name,
        "(encoding)",
        f"byte 0x{byte:02x} at offset {offset} is not UTF-8; re-save the file as UTF-8",
        line,
    )
