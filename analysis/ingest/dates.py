"""Inferring an undated article's publication date from its address or its dateline.

Used only when neither the caller, the input's date column nor a saved page's
metadata gives a date. Two sources, in this order:

* **the address**: ``/2015/12/15/``, ``/2015-12-15/``, ``/2016-03/16/``,
  ``/2016/Jul/14/``, ``/16-Dec-2015/``, ``/2015/1215/``, an eight-digit
  ``20151215`` at the start of a run of digits (to the day); ``/2015/12/`` or
  ``/2015-12/`` (to the month);
* **a dateline**: a date with a day, a month written as a word (in the
  article's language: ``July 15, 2016``, ``15 июля 2016``, ``15. Juli 2016``,
  ``15 juillet 2016``, ``15 de julio de 2016``) or ``15.07.2016``, read by
  dateparser, on one of the first :data:`DATELINE_LINES` lines of the text, with
  at most :data:`DATELINE_PREFIX_WORDS` words before it on that line (a place, a
  section: ``MOSCOW,``, ``Новости дня``, ``Politik /``) and nothing but
  punctuation, a time or the end of the line after it. A date further down, or
  inside a sentence ("Kerry met Putin on 12 May 2015 to discuss"), or after a
  ``©``, is never read.

A date found either way must pass
:meth:`~analysis.corpus.types.PublishedDate.plausible`; one that does not is
dropped and the article stays undated, with the reason in its inference.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any
from urllib.parse import unquote, urlsplit

from analysis.corpus.types import Inference, PublishedDate

__all__ = ["DATELINE_LINES", "DATELINE_PREFIX_WORDS", "infer_published"]

#: A dateline is looked for on this many first non-empty lines of the text ...
DATELINE_LINES = 3
#: ... with at most this many words before the date on its line.
DATELINE_PREFIX_WORDS = 3

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_URL_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$)"), "day"),
    (re.compile(r"/(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:/|$)"), "day"),
    (re.compile(r"/(?P<y>\d{4})-(?P<m>\d{2})/(?P<d>\d{1,2})(?:/|$)"), "day"),
    (re.compile(r"/(?P<y>\d{4})/(?P<mon>[A-Za-z]{3})[a-z]*/(?P<d>\d{1,2})(?:/|$)"), "day"),
    (re.compile(r"/(?P<d>\d{1,2})-(?P<mon>[A-Za-z]{3})[a-z]*-(?P<y>\d{4})(?:/|$)"), "day"),
    (re.compile(r"/(?P<y>\d{4})/(?P<m>\d{2})(?P<d>\d{2})(?:/|$)"), "day"),
    (
        re.compile(
            r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])"
        ),
        "day",
    ),
    (re.compile(r"/(?P<y>\d{4})[/-](?P<m>\d{2})(?:/|$)"), "month"),
)

_WORD = r"[^\W\d_]{3,12}\.?"
_DATELINE_FORMS = (
    re.compile(rf"(?<![\w.])\d{{1,2}}\.?\s+(?:de\s+)?{_WORD}\s+(?:de\s+)?\d{{4}}(?!\d)"),
    re.compile(rf"(?<!\w){_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)"),
    re.compile(r"(?<![\w.])\d{1,2}\.\d{1,2}\.\d{4}(?![\d.]\d)"),
)
# What may follow a dateline's date on its line: punctuation, a time or a year's
# abbreviation ("2016 г."), then anything.
_AFTER = re.compile(r"^\s*(?:$|[,.;:|/()\[\]—–-]|\d{1,2}:\d{2}|[^\W\d_]{1,2}\.)")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.IGNORECASE)


def infer_published(text: str, url: str, language: str) -> tuple[PublishedDate, Inference] | None:
    """The publication date from the address or the dateline, with its basis.

    Returns ``None`` when neither gives a date. A date that is not plausible
    comes back as an unknown date whose inference (value ``""``) says why it
    was dropped.
    """
    found = _from_url(url) if url else None
    if found is None:
        found = _from_dateline(text, language)
    if found is None:
        return None
    date, basis = found
    try:
        date.plausible()
    except ValueError as err:
        return PublishedDate(None, "unknown"), Inference(
            "published", "", f"{basis}: {err} Dropped: the article is undated"
        )
    return date, Inference("published", str(date), basis)


def _from_url(url: str) -> tuple[PublishedDate, str] | None:
    parts = urlsplit(url)
    path = unquote(parts.path + ("?" + parts.query if parts.query else ""))
    for pattern, precision in _URL_FORMS:
        for match in pattern.finditer(path):
            values = match.groupdict()
            month_name = (values.get("mon") or "").lower()
            if month_name and month_name not in _MONTH_NAMES:
                continue
            month = _MONTH_NAMES.index(month_name) + 1 if month_name else int(values["m"])
            day = int(values["d"]) if precision == "day" else 1
            try:
                value = dt.date(int(values["y"]), month, day)
            except ValueError:
                continue
            date = PublishedDate(value, "day" if precision == "day" else "month")
            return date, f"address {match.group().strip('/')!r} in {url}"
    return None


def _from_dateline(text: str, language: str) -> tuple[PublishedDate, str] | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()][:DATELINE_LINES]
    for line in lines:
        for pattern in _DATELINE_FORMS:
            for match in pattern.finditer(line):
                prefix = line[: match.start()]
                if _COPYRIGHT.search(prefix) or len(prefix.split()) > DATELINE_PREFIX_WORDS:
                    continue
                if not _AFTER.match(line[match.end() :]):
                    continue
                value = _parse(match.group(), language)
                if value is not None:
                    shown = line if len(line) <= 80 else line[:77] + "..."
                    return PublishedDate(value, "day"), f"dateline {shown!r}"
    return None


@cache
def _languages() -> frozenset[str]:
    from dateparser.languages.loader import default_loader

    return frozenset(default_loader.get_locale_map())


def _parse(written: str, language: str) -> dt.date | None:
    import dateparser

    languages = [code for code in dict.fromkeys((language, "en")) if code in _languages()]
    settings: dict[str, Any] = {"REQUIRE_PARTS": ["day", "month", "year"]}
    if re.fullmatch(r"[\d.]+", written):
        # 15.07.2016: day first, as everywhere the dotted form is used.
        settings["DATE_ORDER"] = "DMY"
    parsed = dateparser.parse(written, languages=languages, settings=settings)
    return parsed.date() if parsed is not None else None
