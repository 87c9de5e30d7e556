"""Saved web pages: the article text (by trafilatura) and the page's own metadata.

Dates and authors come only from the article's metadata (meta tags, JSON-LD,
``<time>``), never from the page's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

from analysis.corpus.types import Inference, Problem
from analysis.ingest.inference import parse_published
from analysis.ingest.source import FetchedPage, FormatError, SourceRecord, decode

__all__ = ["fetched_record", "page_record"]


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
        except (ValueError, RecursionError):
            # Metadata that cannot be read is no metadata: not valid JSON, nested
            # too deeply, or a number too long to convert.
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


def page_record(name: str, data: bytes) -> SourceRecord:
    import trafilatura

    page = decode(data, name)
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


def fetched_record(page: FetchedPage) -> SourceRecord:
    """The record of a fetched page: the page's own, with the list row's values winning.

    A value the row gives replaces the page's and whatever was inferred for
    that field (a date from the page's metadata, say); the row's text, if it
    has one, is ignored, because the page is the text.

    Raises
    ------
    FormatError
        If the page has no article text (named by ``page.where``).
    """
    record = page_record(page.where, page.html)
    given = {k: v.strip() for k, v in page.fields.items() if k != "text" and v.strip()}
    return replace(
        record,
        fields={**record.fields, **given},
        extra={**record.extra, **page.extra},
        inferred=tuple(i for i in record.inferred if i.field not in given),
        problems=tuple(p for p in record.problems if p.field not in given),
    )
