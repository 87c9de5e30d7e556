"""From a source record to an article: the caller's metadata, then the record, then inference.

The checks of :func:`analysis.ingest.importer.import_articles` on each record:
an article needs a text and an outlet (of ``outlets.yaml``, or one the import
adds to it); its meetings must be in ``meetings.yaml``; a date, language or
address must be valid. What the record leaves out is inferred
(:mod:`analysis.ingest.inference`, :mod:`analysis.ingest.dates`) and the
inference recorded: a missing title is the text's first heading or sentence, a
missing date the one in the address or the dateline.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from analysis.corpus.article_file import make_article_id
from analysis.corpus.registry import MEETINGS_FILE, OUTLETS_FILE, Meeting, Outlet
from analysis.corpus.types import Article, Inference, Problem, PublishedDate
from analysis.ingest.dates import infer_published
from analysis.ingest.inference import (
    host_of,
    infer_language,
    infer_meetings,
    infer_title,
    outlet_for_name,
    outlet_for_url,
    parse_published,
)
from analysis.ingest.source import SourceRecord

__all__ = [
    "ImportMetadata",
    "MetadataError",
    "OutletAdder",
    "checked_metadata",
    "record_article",
]

# Records a problem of the current record: (field, message).
_ProblemSink = Callable[[str, str], None]


class OutletAdder(Protocol):
    """Adds the outlets an import finds that the registry lacks (the importer's context)."""

    @property
    def added_outlets(self) -> Mapping[str, object]:
        """The outlets added so far, by key."""
        ...

    def add_outlet(
        self, name: str, domain: str, language: str, where: str
    ) -> tuple[str, Inference]:
        """Register an outlet; return its key and the inference saying why."""
        ...


_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class ImportMetadata:
    """Metadata the caller gives for every article of an import; it wins over the inputs.

    ``None`` leaves a field to the inputs and to inference. ``meetings=()``
    says the articles cover no meeting. ``outlet`` may be the registry key,
    the outlet's name or one of its domains; ``published`` any form
    :func:`analysis.ingest.inference.parse_published` reads.
    """

    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    meetings: tuple[str, ...] | None = None
    authors: tuple[str, ...] | None = None
    url: str | None = None


class MetadataError(ValueError):
    """A value of :class:`ImportMetadata` that is not valid; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def checked_metadata(
    metadata: ImportMetadata, outlets: dict[str, Outlet], meetings: dict[str, Meeting]
) -> ImportMetadata:
    """Validate the caller's metadata up front, resolving the outlet to its key.

    Raises
    ------
    MetadataError
        Naming the field (``outlet``, ``published``, ...) and what is wrong.
    """
    checked = metadata
    if metadata.outlet is not None:
        key = outlet_for_name(metadata.outlet, outlets)
        if key is None:
            raise MetadataError(
                "outlet",
                f"{metadata.outlet!r} is not in {OUTLETS_FILE}; add it there first "
                f"(known: {', '.join(sorted(outlets))})",
            )
        checked = replace(checked, outlet=key)
    if metadata.published is not None:
        try:
            parse_published(metadata.published)
        except ValueError as err:
            raise MetadataError("published", str(err)) from None
    if metadata.language is not None and not _LANGUAGE.match(metadata.language.lower()):
        raise MetadataError(
            "language", f"{metadata.language!r} is not an ISO 639 code such as 'en'"
        )
    if metadata.url is not None and not _URL.match(metadata.url):
        raise MetadataError("url", f"{metadata.url!r} is not an http(s) address")
    for meeting in metadata.meetings or ():
        if meeting not in meetings:
            raise MetadataError(
                "meetings",
                f"{meeting!r} is not in {MEETINGS_FILE}; use one of {', '.join(sorted(meetings))}",
            )
    return checked


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def record_article(
    record: SourceRecord,
    given: ImportMetadata,
    outlets: dict[str, Outlet],
    meetings: dict[str, Meeting],
    *,
    new_outlets: OutletAdder | None = None,
) -> tuple[Article | None, list[Problem]]:
    """Build the article of one record: given metadata, then the record, then inference.

    ``given`` must have passed :func:`checked_metadata`. An outlet the
    registry does not have is refused, unless ``new_outlets`` registers it
    (called only for a record without problems). Returns the article and no
    problems, or ``None`` and every problem of the record.
    """
    problems = list(record.problems)
    fields = record.fields
    inferred = list(record.inferred)

    def problem(field_name: str, message: str) -> None:
        problems.append(Problem(record.source, field_name, message, record.line))

    base = record.article
    text = base.text if base else fields.get("text", "")
    if not text.strip():
        problem("text", "is empty; every article needs its text")
    title = given.title or (base.title if base else fields.get("title", "").strip())
    if given.title:
        inferred = [i for i in inferred if i.field != "title"]
    title_inferred = not title
    if not title and text.strip():
        title, inference = infer_title(text)
        inferred.append(inference)
    if not title and text.strip():
        problem("title", "is empty and the text has no words to take one from")
    url = given.url or (base.url if base else fields.get("url", "").strip())
    if url and not _URL.match(url):
        problem("url", f"{url!r} is not an http(s) address")

    outlet, outlet_inference, wanted = _outlet(
        record, given, url, outlets, problem, new_outlets=new_outlets
    )
    inferred += outlet_inference

    published = PublishedDate(None, "unknown")
    if given.published is not None:
        published = parse_published(given.published)
        inferred = [i for i in inferred if i.field != "published"]
    elif base is not None:
        published = base.published
    elif fields.get("published", "").strip():
        try:
            published = parse_published(fields["published"])
        except ValueError as err:
            problem("published", str(err))
    infer_date = (
        given.published is None and base is None and not fields.get("published", "").strip()
    )
    language = (given.language or (base.language if base else fields.get("language", ""))).strip()
    language = language.lower().replace("_", "-").split("-")[0]
    if language and not _LANGUAGE.match(language):
        problem("language", f"{language!r} is not an ISO 639 code such as 'en' or 'ru'")
    elif not language and text.strip():
        language, inference = infer_language(text)
        inferred.append(inference)
    if infer_date and text.strip():
        found = infer_published(text, url, language)
        if found is not None:
            published, inference = found
            inferred.append(inference)

    # The title is part of what an article says about its meeting; the language is known by now.
    described = f"{title}\n\n{text}" if title and not title_inferred else text
    keys = _meetings(
        record, given, described, published, meetings, problem, inferred, language or None
    )
    authors = given.authors if given.authors is not None else _split(fields.get("authors", ""))
    if base is not None and given.authors is None:
        authors = base.authors
    if problems:
        return None, problems
    if wanted is not None and new_outlets is not None:
        outlet, inference = new_outlets.add_outlet(*wanted, language, record.where)
        inferred.append(inference)
    extra = dict(base.extra) if base else {}
    extra.update(record.extra)
    return (
        Article(
            id=base.id if base else make_article_id(outlet, published, title),
            title=title,
            outlet=outlet,
            text=text,
            language=language,
            published=published,
            authors=authors,
            url=url,
            meetings=keys,
            notes=base.notes if base else fields.get("notes", "").strip(),
            inferred=(base.inferred if base else ()) + tuple(inferred),
            extra=extra,
        ),
        [],
    )


def _outlet(
    record: SourceRecord,
    given: ImportMetadata,
    url: str,
    outlets: dict[str, Outlet],
    problem: _ProblemSink,
    *,
    new_outlets: OutletAdder | None,
) -> tuple[str, list[Inference], tuple[str, str] | None]:
    """The outlet's key and its inference; or, for an outlet to add, ``(name, domain)``."""
    if given.outlet is not None:
        return given.outlet, [], None
    named = record.article.outlet if record.article else record.fields.get("outlet", "").strip()
    addresses = [a for a in (url, record.fields.get("outlet_url", "").strip()) if a]
    if named:
        key = outlet_for_name(named, outlets)
        if key == named:
            return key, [], None
        if key is not None:
            basis = f"{named!r} is the outlet {key} in {OUTLETS_FILE}"
            return key, [Inference("outlet", key, basis)], None
        if new_outlets is None:
            problem(
                "outlet",
                f"{named!r} is not in {OUTLETS_FILE}; add it there (with its domains), "
                "or give the outlet for this import (this import adds no outlets)",
            )
            return "", [], None
    for address in addresses:
        found = outlet_for_url(address, outlets)
        if found is not None and named and new_outlets and found[0] in new_outlets.added_outlets:
            # Two outlets this import adds that share a site (masress.com, a blog
            # platform) are told apart by their names.
            found = None
        if found is not None:
            key, inference = found
            if named:
                basis = (
                    f"{named!r} is not a name in {OUTLETS_FILE}; the address's {inference.basis}"
                )
                inference = Inference("outlet", key, basis)
            return key, [inference], None
    if new_outlets is not None and (named or addresses):
        # The outlet's own address (a media_url column) names its site better than an article's.
        domain = next((d for d in map(host_of, reversed(addresses)) if d), "")
        return "", [], (named, domain)
    problem(
        "outlet",
        "unknown: no outlet given and no address whose domain is in "
        f"{OUTLETS_FILE}; give the outlet or add its domain there",
    )
    return "", [], None


def _meetings(
    record: SourceRecord,
    given: ImportMetadata,
    text: str,
    published: PublishedDate,
    meetings: dict[str, Meeting],
    problem: _ProblemSink,
    inferred: list[Inference],
    language: str | None,
) -> tuple[str, ...]:
    if given.meetings is not None:
        return given.meetings
    if record.article is not None:
        keys = record.article.meetings
    elif record.fields.get("meetings", "").strip():
        keys = tuple(k for k in _split(record.fields["meetings"]) if k.lower() != "none")
    else:
        keys, inference = infer_meetings(text, published, meetings, language=language)
        inferred.append(inference)
        return keys
    for key in keys:
        if key not in meetings:
            problem("meetings", f"{key!r} is not in {MEETINGS_FILE}; add it there or fix the key")
    return keys
