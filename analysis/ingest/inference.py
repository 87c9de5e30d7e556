"""Inferring an imported article's title, date, language, outlet and meetings.

Every function returns the value with an :class:`~analysis.corpus.types.Inference`
saying how it was found, so an analyst can check it; metadata given by the
caller is never inferred, and the article file's header, once written, is what
counts (``inferred`` only records the original guess).

Meetings are assigned by :mod:`analysis.ingest.meetings` (imported here).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Mapping
from functools import cache
from urllib.parse import urlsplit

from analysis.corpus.registry import Outlet, ascii_domain
from analysis.corpus.types import Inference, PublishedDate
from analysis.ingest.meetings import DAYS_AFTER, DAYS_BEFORE, infer_meetings
from analysis.text.sentences import split_sentences

__all__ = [
    "DAYS_AFTER",
    "DAYS_BEFORE",
    "SHORT_TEXT_CHARACTERS",
    "TITLE_CHARACTERS",
    "host_of",
    "infer_language",
    "infer_meetings",
    "infer_title",
    "outlet_for_name",
    "outlet_for_url",
    "parse_published",
]

#: Language identification on fewer characters than this is reported as low confidence.
SHORT_TEXT_CHARACTERS = 200
#: An inferred title is cut, at a word boundary, to at most this many characters.
TITLE_CHARACTERS = 120

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WORDY_DATES = (
    re.compile(rf"^(?:[A-Za-z]+,?\s+)?{_DAY}\s+{_MONTH},?\s+{_YEAR}$"),
    re.compile(rf"^(?:[A-Za-z]+,?\s+)?{_MONTH}\s+{_DAY},?\s+{_YEAR}$"),
    re.compile(rf"^{_MONTH},?\s+{_YEAR}$"),
)
_SLASHED = re.compile(r"^(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})$")


def parse_published(raw: str) -> PublishedDate:
    """Parse a publication date in the forms sources use, keeping its precision.

    Accepts ``2016-07-15``, ``2016-07``, ``2016``, ISO date-times with or
    without a time zone (``2016-07-15T09:30:00+03:00``, ``2016-07-15 09:30:00``),
    ``15 July, 2016``, ``July 15, 2016``, ``Fri, 15 Jul 2016 09:30:00 GMT``,
    ``2016/07/15`` and ``July 2016``. A date-time keeps the calendar day written
    in it: it is the publisher's local day, not converted to UTC.

    Raises
    ------
    ValueError
        If the text is in none of these forms, names a day that does not
        exist, or is not a plausible publication date
        (:meth:`~analysis.corpus.types.PublishedDate.plausible`).
    """
    text = " ".join(raw.split())
    return _parse_any(raw, text).plausible(raw.strip())


def _parse_any(raw: str, text: str) -> PublishedDate:
    if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", text):
        return PublishedDate.parse(text)
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return PublishedDate(dt.datetime.fromisoformat(iso).date(), "day")
    except ValueError:
        pass
    slashed = _SLASHED.match(text)
    if slashed:
        return _checked(text, int(slashed["year"]), int(slashed["month"]), int(slashed["day"]))
    for pattern in _WORDY_DATES:
        match = pattern.match(text)
        if match and match["month"].lower() in _MONTHS:
            month = _MONTHS[match["month"].lower()]
            if "day" not in match.groupdict():
                return _checked(text, int(match["year"]), month, 1, precision="month")
            return _checked(text, int(match["year"]), month, int(match["day"]))
    try:
        return PublishedDate(email.utils.parsedate_to_datetime(text).date(), "day")
    except (TypeError, ValueError, IndexError):
        pass
    raise ValueError(
        f"{raw!r} is not a date this import understands; write it as YYYY-MM-DD "
        "(or YYYY-MM, YYYY when only the month or year is known)"
    )


def _checked(
    text: str, year: int, month: int, day: int, *, precision: str = "day"
) -> PublishedDate:
    try:
        value = dt.date(year, month, day)
    except ValueError as err:
        raise ValueError(f"{text!r} is not a real date ({err})") from None
    return PublishedDate(value, "day" if precision == "day" else "month")


def infer_title(text: str) -> tuple[str, Inference]:
    """A title from the text: its first line when that is a heading, else its first sentence.

    A Markdown heading's ``#`` marks are dropped. A title longer than
    :data:`TITLE_CHARACTERS` is cut at the last word boundary before it and
    ends with ``…``. Returns ``""`` (and still an inference) for a text with no words.
    """
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = first.lstrip("#").strip() if first.startswith("#") else first
    sentences = split_sentences(first)
    title = sentences[0].text.strip() if sentences else first
    basis = "first line of the text" if title == first else "first sentence of the text"
    if len(title) > TITLE_CHARACTERS:
        cut = title[: TITLE_CHARACTERS + 1].rsplit(None, 1)[0]
        if len(cut) > TITLE_CHARACTERS:
            cut = title[: TITLE_CHARACTERS - 1]
        title = cut.rstrip(" ,;:–—-") + "…"
        basis += f", cut to {TITLE_CHARACTERS} characters"
    return title, Inference("title", title, basis)


@cache
def _identifier() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def infer_language(text: str) -> tuple[str, Inference]:
    """Identify the language of ``text`` with py3langid.

    Returns
    -------
    tuple of (str, Inference)
        The ISO 639-1 code and its basis, e.g. ``"py3langid 0.98 on 1,234
        characters"``; texts under :data:`SHORT_TEXT_CHARACTERS` characters are
        marked low confidence.
    """
    stripped = " ".join(text.split())
    language, probability = _identifier().classify(stripped)  # type: ignore[attr-defined]
    basis = f"py3langid {probability:.2f} on {len(stripped):,} characters"
    if len(stripped) < SHORT_TEXT_CHARACTERS:
        basis += " (low confidence: short text)"
    return str(language), Inference("language", str(language), basis)


#: Prefixes of a site's mobile and AMP hosts, dropped so they are the site's own domain.
_HOST_PREFIXES = ("www.", "amp.", "m.", "mobile.")


def host_of(url: str) -> str:
    """The site's domain in an address: ``https://www.rbc.ru/x`` and ``https://amp.rbc.ru/x``
    give ``rbc.ru`` ("" when the address has no host)."""
    try:
        host = ascii_domain(urlsplit(url.strip()).hostname or "")
    except ValueError:
        return ""
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and "." in host.removeprefix(prefix):
            host = host.removeprefix(prefix)
    return host


def outlet_for_url(url: str, outlets: Mapping[str, Outlet]) -> tuple[str, Inference] | None:
    """The registry outlet whose domain the URL's host is, or is a subdomain of.

    ``edition.cnn.com`` matches the domain ``cnn.com``; the longest matching
    domain wins. Returns ``None`` when no outlet's domain matches.
    """
    host = host_of(url)
    if not host:
        return None
    matches = [
        (len(domain), key, domain)
        for key, outlet in outlets.items()
        for domain in outlet.domains
        if host == domain or host.endswith("." + domain)
    ]
    if not matches:
        return None
    _, key, domain = max(matches)
    return key, Inference("outlet", key, f"domain {domain} in outlets.yaml")


def outlet_for_name(name: str, outlets: Mapping[str, Outlet]) -> str | None:
    """The registry key for an outlet written as its key, its name or one of its domains.

    Case is ignored. Returns ``None`` when nothing matches: an unknown outlet
    is never invented.
    """
    wanted = name.strip().casefold()
    for key, outlet in outlets.items():
        if (
            wanted in (key.casefold(), outlet.name.casefold())
            or host_of(wanted if "//" in wanted else f"http://{wanted}") in outlet.domains
        ):
            return key
    return None
