"""Building or extending a corpus from a list of addresses (``narratives fetch``).

:func:`fetch_articles` reads the list (:mod:`analysis.ingest.url_list`),
skips the addresses already done, fetches each page politely
(:mod:`analysis.ingest.web`) and imports the pages through
:func:`analysis.ingest.importer.import_articles`, with each row's metadata
winning over the page's and over inference: the same inference, duplicate
checks and all-or-nothing commit as any import, so nothing already in the
corpus changes and nothing is half-written. Each page is its own input, so
one bad page keeps out only itself.

Pages are imported in batches, so an interrupted run keeps what it had
committed. A rerun skips an address that an article of the corpus has, or that
the state file :data:`STATE_FILE` in the corpus folder records as done (added,
or an exact duplicate of an article already there); failures are tried again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from tqdm import tqdm

from analysis.corpus.articles import ARTICLES_DIR, load_corpus
from analysis.corpus.registry import (
    MEETINGS_FILE,
    OUTLETS_FILE,
    RegistryError,
    load_meetings,
    load_outlets,
)
from analysis.ingest.importer import import_articles
from analysis.ingest.report import ImportReport, render_report
from analysis.ingest.source import FetchedPage
from analysis.ingest.url_list import ListedAddress, read_url_list
from analysis.ingest.web import FetchError, FetchSettings, PageFetcher

__all__ = ["STATE_FILE", "FetchFailure", "FetchReport", "fetch_articles", "render_fetch_report"]

#: What earlier runs did, one JSON object a line (git-ignored; delete it to start afresh).
STATE_FILE = ".narratives-fetch.jsonl"
#: Pages imported at once: an interrupted run loses at most this many fetches.
BATCH_SIZE = 20


@dataclass(frozen=True)
class FetchFailure:
    """An address of the list that added no article: where, which, why, and what to do."""

    where: str
    url: str
    reason: str
    advice: str


@dataclass
class FetchReport:
    """What a fetch did: the addresses listed, those skipped as done, the import's report
    (articles and outlets added, duplicates) and every failure."""

    listed: int
    done_before: int
    fetched: int
    imported: ImportReport
    failures: list[FetchFailure] = field(default_factory=list)


def fetch_articles(
    url_list: Path | str,
    corpus_dir: Path | str,
    *,
    settings: FetchSettings | None = None,
    registry_from: Path | str | None = None,
    near_duplicates: Literal["add", "skip"] = "add",
    new_outlets: bool = True,
    progress: bool = False,
) -> FetchReport:
    """Fetch the pages of a list of addresses into the corpus.

    Parameters
    ----------
    url_list
        A CSV with a ``url`` column (and metadata columns, mapped as the
        import maps them) or a text file of addresses, one a line.
    corpus_dir
        Folder with ``outlets.yaml``, ``meetings.yaml`` and ``articles/``.
        If it does not exist and ``registry_from`` is given, it is created
        with a copy of that corpus's ``outlets.yaml`` and ``meetings.yaml``.
    settings
        Rate limit, timeouts, retries, size limit, archive API, user agent.
    near_duplicates, new_outlets
        As for :func:`analysis.ingest.importer.import_articles`.
    progress
        Show a tqdm progress bar on standard error.

    Raises
    ------
    FileNotFoundError
        If the list does not exist, or the corpus folder does not and cannot
        be created (no ``registry_from``, or it lacks the registry files).
    FormatError
        If the list cannot be read (not UTF-8, no ``url`` column, no address);
        a ``ValueError`` naming the file.
    RegistryError
        If ``outlets.yaml`` or ``meetings.yaml`` has errors.
    """
    root = Path(corpus_dir)
    rows = read_url_list(url_list)
    if not root.is_dir():
        _new_corpus(root, registry_from)
    _check_registry(root)
    done = _done_addresses(root)
    report = FetchReport(len(rows), 0, 0, ImportReport(corpus=root, dry_run=False))
    todo: list[ListedAddress] = []
    first_of: dict[str, str] = {}
    for row in rows:
        failure = _row_failure(row, first_of)
        if failure is not None:
            report.failures.append(failure)
        elif _key(row.url) in done:
            report.done_before += 1
        else:
            todo.append(row)
    pages: list[FetchedPage] = []
    with PageFetcher(settings) as fetcher:
        for row in tqdm(
            todo, desc="fetching", unit=" pages", file=sys.stderr, disable=not progress
        ):
            try:
                fetched = fetcher.page(row.url, date=row.fields.get("published", ""))
            except FetchError as err:
                report.failures.append(FetchFailure(row.where, row.url, err.reason, err.advice))
                continue
            report.fetched += 1
            extra = dict(row.extra)
            if fetched.url != row.url:
                extra["fetched_from"] = fetched.url
            fields = {**row.fields, "url": row.url}
            pages.append(FetchedPage(row.where, fetched.html, fields, extra))
            if len(pages) >= BATCH_SIZE:
                _import(pages, root, report, near_duplicates, new_outlets, todo)
                pages = []
        _import(pages, root, report, near_duplicates, new_outlets, todo)
    return report


def _new_corpus(root: Path, registry_from: Path | str | None) -> None:
    """Create an empty corpus at ``root`` with the registry of ``registry_from``."""
    if root.exists() or registry_from is None:
        raise FileNotFoundError(f"corpus folder {root} does not exist")
    source = Path(registry_from)
    missing = [n for n in (OUTLETS_FILE, MEETINGS_FILE) if not (source / n).is_file()]
    if missing:
        raise FileNotFoundError(
            f"corpus folder {root} does not exist, and {source} has no {' or '.join(missing)} "
            "to start it with; run from the repository folder or give an existing --corpus"
        )
    (root / ARTICLES_DIR).mkdir(parents=True)
    for name in (OUTLETS_FILE, MEETINGS_FILE):
        shutil.copyfile(source / name, root / name)


def _check_registry(root: Path) -> None:
    """Refuse to start against a broken registry: every page would be fetched for nothing."""
    errors = [
        p
        for problems in (load_outlets(root)[1], load_meetings(root)[1])
        for p in problems
        if p.severity == "error"
    ]
    if errors:
        raise RegistryError(errors)


def _row_failure(row: ListedAddress, first_of: dict[str, str]) -> FetchFailure | None:
    """Why a row is not fetched at all (``None``: it is). Records the row's address."""
    if row.problem:
        return FetchFailure(row.where, "", row.problem, "fix the row in the list")
    if not row.url:
        return FetchFailure(row.where, "", "no address in the url column", "give it one")
    try:
        parts = urlsplit(row.url)
        host = parts.hostname
    except ValueError:
        host = None
    if host is None or parts.scheme not in ("http", "https"):
        return FetchFailure(
            row.where, row.url, "is not an http(s) address", "fix the address in the list"
        )
    key = _key(row.url)
    if key in first_of:
        return FetchFailure(
            row.where,
            row.url,
            f"duplicate URL in the list: {first_of[key]} has it already",
            "it is fetched once; remove the repeated row",
        )
    first_of[key] = row.where
    return None


def _key(url: str) -> str:
    """An address as compared: scheme and host in lower case, no fragment, no default port."""
    try:
        parts = urlsplit(url.strip())
        netloc = parts.netloc.lower()
    except ValueError:
        return url.strip()
    for scheme, port in (("http", ":80"), ("https", ":443")):
        if parts.scheme.lower() == scheme:
            netloc = netloc.removesuffix(port)
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))


def _done_addresses(root: Path) -> set[str]:
    """Addresses of the corpus's articles and those the state file records as done."""
    articles = load_corpus(root, use_cache=False).articles
    done = {_key(url) for url in articles["url"] if isinstance(url, str) and url}
    return done | {_key(entry["url"]) for entry in _state_entries(root)}


def _state_entries(root: Path) -> Iterator[dict[str, str]]:
    path = root / STATE_FILE
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            # A line cut short by a crash: that address is fetched again.
            continue
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            yield entry


def _import(
    pages: Sequence[FetchedPage],
    root: Path,
    report: FetchReport,
    near_duplicates: Literal["add", "skip"],
    new_outlets: bool,
    rows: Sequence[ListedAddress],
) -> None:
    """Import a batch of pages, add what happened to ``report`` and record it as done."""
    if not pages:
        return
    imported = import_articles(
        pages, root, near_duplicates=near_duplicates, new_outlets=new_outlets
    )
    url_of = {row.where: row.url for row in rows}
    total = report.imported
    total.added += imported.added
    total.duplicates += imported.duplicates
    total.outlets += imported.outlets
    total.recovered += imported.recovered
    total.skipped += imported.skipped
    refused: dict[str, list[str]] = {}
    for problem in imported.problems:
        refused.setdefault(problem.file, []).append(f"{problem.field}: {problem.message}")
    for where, reasons in refused.items():
        if any(r.startswith("text: no article text") for r in reasons):
            reason = "no extractable article text in the page"
            advice = (
                "a paywall, a list of links or a page built by scripts? Save the article's "
                "page in a browser and `narratives import` it"
            )
        else:
            reason = f"refused by the import: {'; '.join(reasons)}"
            advice = "fix the row's values in the list; a rerun tries it again"
        report.failures.append(FetchFailure(where, url_of.get(where, ""), reason, advice))
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    entries = [
        {"url": url_of[a.source], "status": "added", "article": a.id, "at": now}
        for a in imported.added
    ]
    entries += [
        {"url": url_of[d.source], "status": "duplicate", "article": d.of_id, "at": now}
        for d in imported.duplicates
        if not d.added_as
    ]
    with (root / STATE_FILE).open("a", encoding="utf-8") as state:
        state.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
        state.flush()
        os.fsync(state.fileno())


def render_fetch_report(report: FetchReport) -> str:
    """The report as text: the import's (articles, outlets, duplicates), then every failure."""
    lines = [
        f"{report.listed} address(es) listed: {report.done_before} done before (skipped), "
        f"{report.fetched} fetched, {len(report.failures)} failed"
    ]
    text = "\n".join(lines) + "\n" + render_report(replace(report.imported, problems=[]))
    if report.failures:
        failures = [f"Failed: {len(report.failures)}"]
        for failure in sorted(report.failures, key=_list_order):
            address = f" {failure.url}" if failure.url else ""
            failures.append(f"  {failure.where}{address}: {failure.reason}")
            failures.append(f"    what to do: {failure.advice}")
        text += "\n".join(failures) + "\n"
    return text


def _list_order(failure: FetchFailure) -> tuple[str, int]:
    name, _, line = failure.where.rpartition(":")
    return (name, int(line)) if line.isdigit() else (failure.where, 0)
