"""Shared record types: an article with its metadata, and a problem found in the corpus."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ARTICLE_COLUMNS",
    "Article",
    "DatePrecision",
    "Inference",
    "Problem",
    "PublishedDate",
]

DatePrecision = Literal["day", "month", "year", "unknown"]

_DATE_FORMS = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
)


@dataclass(frozen=True)
class PublishedDate:
    """A publication date known to a given precision.

    ``value`` is the first day of the period that is known (``2022-01-01`` for
    "January 2022"); ``precision`` says how much of it is real.
    """

    value: dt.date | None
    precision: DatePrecision

    @classmethod
    def parse(cls, raw: object) -> PublishedDate:
        """Parse ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or an empty value.

        Raises
        ------
        ValueError
            If the value has another form or names a day that does not exist.
        """
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return cls(None, "unknown")
        if isinstance(raw, dt.datetime):
            return cls(raw.date(), "day")
        if isinstance(raw, dt.date):
            return cls(raw, "day")
        text = str(raw).strip()
        for pattern, precision in _DATE_FORMS:
            match = pattern.match(text)
            if not match:
                continue
            parts = [int(p) for p in match.groups()] + [1] * (3 - len(match.groups()))
            try:
                value = dt.date(parts[0], parts[1], parts[2])
            except ValueError as err:
                raise ValueError(f"{text!r} is not a real date ({err})") from None
            return cls(value, precision).plausible(text)  # type: ignore[arg-type]
        raise ValueError(
            f"{text!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY "
            "(leave it empty when the date is unknown)"
        )

    def plausible(self, written: object = None) -> PublishedDate:
        """Return this date if it can be a publication date: not before 1900, not in the future.

        The one rule for every way a date comes in (an article file, an
        import's column, a ``--date``). ``written`` is the value as the user
        wrote it, for the message.

        Raises
        ------
        ValueError
            Naming the date and what is wrong with it.
        """
        if self.value is None:
            return self
        shown = repr(str(written)) if written is not None else str(self)
        if self.value.year < 1900:
            raise ValueError(f"{shown} is before 1900; is the year right?")
        if self.value > dt.date.today():
            raise ValueError(f"{shown} is in the future; is the year right?")
        return self

    def __str__(self) -> str:
        if self.value is None:
            return ""
        if self.precision == "year":
            return f"{self.value.year:04d}"
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()


@dataclass(frozen=True)
class Inference:
    """A metadata value the software inferred, with the basis an analyst can check."""

    field: str
    value: str
    basis: str

    def to_dict(self) -> dict[str, str]:
        return {"value": self.value, "basis": self.basis}


@dataclass(frozen=True)
class Article:
    """One article as stored in ``corpus/articles/<id>.md``.

    ``text`` is the text as published (raw, with whatever page chrome came with
    it); cleaning never changes it.
    """

    id: str
    title: str
    outlet: str
    text: str
    language: str
    published: PublishedDate = PublishedDate(None, "unknown")
    authors: tuple[str, ...] = ()
    url: str = ""
    meetings: tuple[str, ...] = ()
    notes: str = ""
    inferred: tuple[Inference, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the corpus: where it is and what to do about it."""

    file: str
    field: str
    message: str
    line: int | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}"


#: Columns of the articles DataFrame returned by :func:`analysis.corpus.articles.load_corpus`.
ARTICLE_COLUMNS: dict[str, str] = {
    "id": "article id, unique in the corpus; the file is articles/<id>.md",
    "title": "headline as published",
    "outlet": "outlet key into outlets.yaml",
    "outlet_name": "outlet's display name from the registry",
    "outlet_group": "analyst-assigned group of the outlet",
    "authors": "author names, a tuple (empty when no byline; CSV files join them with '; ')",
    "published": "first day of the known publication period (NaT when unknown)",
    "date_precision": "day, month, year or unknown",
    "year": "publication year (missing when unknown)",
    "url": "address of the page the text came from",
    "language": "ISO 639-1 code of the text",
    "meetings": "meeting keys the article covers, a tuple (empty: none; CSV files join them "
    "with '; ')",
    "meeting": "first meeting key, or 'none'",
    "notes": "free provenance notes",
    "inferred": "what was inferred on import, 'field=value (basis)' joined with '; '",
    "text": "the text as published (raw, not cleaned)",
    "path": "file the article was read from, relative to the corpus folder",
}


#: How a list cell is written as one text (CSV files, hovers, bylines).
LIST_SEPARATOR = "; "


def list_items(value: object) -> tuple[str, ...]:
    """The items of an articles-table list cell (``authors``, ``meetings``).

    The table holds a tuple; a list is taken as one, a single item may be given
    as a string (an empty string, ``None`` or a missing value is no item).
    """
    if isinstance(value, tuple | list):
        return tuple(str(item) for item in value)
    if isinstance(value, str):
        return (value,) if value else ()
    return ()


def list_text(value: object) -> str:
    """A list cell as one text: its items joined with :data:`LIST_SEPARATOR`."""
    return LIST_SEPARATOR.join(list_items(value))
