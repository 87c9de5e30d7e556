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
or an exact duplicate of an article already there). A failure that would only
happen again is recorded there as permanent (a page gone with no archived copy,
one robots.txt disallows, one without extractable article text): a rerun skips
it too, unless asked to retry failures. Other failures (timeouts, server
errors, unreachable hosts) are tried again on the next run.

A dry run reads the list and the state and says what a run would fetch,
without fetching or writing anything.
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
    """An address of the list that added no article: where, which, why, and what to do.

    ``permanent``: trying it again would fail again, so a rerun skips it.
    """

    where: str
    url: str
    reason: str
    advice: str
    permanent: bool = False


@dataclass
class FetchReport:
    """What a fetch did: the addresses listed, those skipped as done, the import's report
    (articles and outlets added, duplicates) and every failure.

    ``failed_before`` are the addresses skipped because an earlier run failed
    on them for good; ``duplicates_in_list`` counts the rows that repeat an
    address of the list (each also a failure). A dry run fetches nothing:
    ``would_fetch`` lists the rows (where, address) a run would fetch.
    """

    listed: int
    done_before: int
    fetched: int
    imported: ImportReport
    failures: list[FetchFailure] = field(default_factory=list)
    failed_before: list[FetchFailure] = field(default_factory=list)
    duplicates_in_list: int = 0
    dry_run: bool = False
    would_fetch: list[tuple[str, str]] = field(default_factory=list)


def fetch_articles(
    url_list: Path | str,
    corpus_dir: Path | str,
    *,
    settings: FetchSettings | None = None,
    registry_from: Path | str | None = None,
    near_duplicates: Literal["add", "skip"] = "add",
    new_outlets: bool = True,
    progress: bool = False,
    retry_failed: bool = False,
    dry_run: bool = False,
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
    retry_failed
        Fetch again the addresses an earlier run failed on for good
        (:attr:`FetchFailure.permanent`); by default they are skipped.
    dry_run
        Fetch nothing and write nothing (a missing corpus folder is not
        created): the report says which rows a run would fetch.

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
    if root.is_dir():
        _check_registry(root)
        done, failed = _state(root)
    else:
        source = _registry_source(root, registry_from)
        if not dry_run:
            _new_corpus(root, source)
            _check_registry(root)
        done, failed = set(), {}
    report = FetchReport(
        len(rows), 0, 0, ImportReport(corpus=root, dry_run=dry_run), dry_run=dry_run
    )
    todo: list[ListedAddress] = []
    first_of: dict[str, str] = {}
    for row in rows:
        repeated = bool(row.url) and _key(row.url) in first_of
        failure = _row_failure(row, first_of)
        if failure is not None:
            report.failures.append(failure)
            report.duplicates_in_list += repeated
        elif _key(row.url) in done:
            report.done_before += 1
        elif _key(row.url) in failed and not retry_failed:
            report.failed_before.append(
                FetchFailure(
                    row.where, row.url, failed[_key(row.url)], _SKIPPED_ADVICE, permanent=True
                )
            )
        else:
            todo.append(row)
    if dry_run:
        report.would_fetch = [(row.where, row.url) for row in todo]
        return report
    pages: list[FetchedPage] = []
    with PageFetcher(settings) as fetcher:
        for row in tqdm(
            todo, desc="fetching", unit=" pages", file=sys.stderr, disable=not progress
        ):
            try:
                fetched = fetcher.page(row.url, date=row.fields.get("published", ""))
            except FetchError as err:
                failure = FetchFailure(
                    row.where,
                    row.url,
                    err.reason,
                    f"{err.advice}; {_PERMANENT_ADVICE}" if err.permanent else err.advice,
                    permanent=err.permanent,
                )
                report.failures.append(failure)
                if err.permanent:
                    _record(root, [_failed_entry(failure)])
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


#: What to do about a failure a rerun skips, said when it happens and when it is skipped.
_PERMANENT_ADVICE = "a rerun skips it unless asked to retry failures (--retry-failed)"
_SKIPPED_ADVICE = "an earlier run failed on it for good; --retry-failed tries it again"


def _registry_source(root: Path, registry_from: Path | str | None) -> Path:
    """The corpus whose registry a new corpus at ``root`` starts with."""
    if root.exists() or registry_from is None:
        raise FileNotFoundError(f"corpus folder {root} does not exist")
    source = Path(registry_from)
    missing = [n for n in (OUTLETS_FILE, MEETINGS_FILE) if not (source / n).is_file()]
    if missing:
        raise FileNotFoundError(
            f"corpus folder {root} does not exist, and {source} has no {' or '.join(missing)} "
            "to start it with; run from the repository folder or give an existing --corpus"
        )
    return source


def _new_corpus(root: Path, source: Path) -> None:
    """Create an empty corpus at ``root`` with the registry of ``source``."""
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


def _state(root: Path) -> tuple[set[str], dict[str, str]]:
    """Addresses done (in the corpus's articles or recorded as done by the state file), and
    those an earlier run failed on for good, with the reason."""
    articles = load_corpus(root, use_cache=False).articles
    done = {_key(url) for url in articles["url"] if isinstance(url, str) and url}
    failed: dict[str, str] = {}
    for entry in _state_entries(root):
        if entry.get("status") == "failed":
            failed[_key(entry["url"])] = str(entry.get("reason", "failed"))
        else:
            done.add(_key(entry["url"]))
    return done, {key: reason for key, reason in failed.items() if key not in done}


def _failed_entry(failure: FetchFailure) -> dict[str, str]:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return {"url": failure.url, "status": "failed", "reason": failure.reason, "at": now}


def _record(root: Path, entries: Sequence[dict[str, str]]) -> None:
    """Append ``entries`` to the state file, on disk before the run goes on."""
    if not entries:
        return
    with (root / STATE_FILE).open("a", encoding="utf-8") as state:
        state.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
        state.flush()
        os.fsync(state.fileno())


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
    entries = []
    for where, reasons in refused.items():
        if any(r.startswith("text: no article text") for r in reasons):
            failure = FetchFailure(
                where,
                url_of.get(where, ""),
                "no extractable article text in the page",
                "a paywall, a list of links or a page built by scripts? Save the article's "
                f"page in a browser and `narratives import` it; {_PERMANENT_ADVICE}",
                permanent=True,
            )
            entries.append(_failed_entry(failure))
        else:
            failure = FetchFailure(
                where,
                url_of.get(where, ""),
                f"refused by the import: {'; '.join(reasons)}",
                "fix the row's values in the list; a rerun tries it again",
            )
        report.failures.append(failure)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    entries += [
        {"url": url_of[a.source], "status": "added", "article": a.id, "at": now}
        for a in imported.added
    ]
    entries += [
        {"url": url_of[d.source], "status": "duplicate", "article": d.of_id, "at": now}
        for d in imported.duplicates
        if not d.added_as
    ]
    _record(root, entries)


def render_fetch_report(report: FetchReport) -> str:
    """The report as text: the import's (articles, outlets, duplicates), then every failure.

    A dry run's report says what a run would fetch instead.
    """
    skipped = (
        f", {len(report.failed_before)} failed for good before (skipped)"
        if report.failed_before
        else ""
    )
    if report.dry_run:
        text = (
            "Dry run: nothing was fetched or written.\n"
            f"{report.listed} address(es) listed: {report.duplicates_in_list} duplicate(s) in "
            f"the list, {report.done_before} done before (skipped){skipped}, "
            f"{len(report.would_fetch)} to fetch\n"
        )
        if report.would_fetch:
            lines = [f"Would fetch: {len(report.would_fetch)}"]
            lines += [f"  {where} {url}" for where, url in report.would_fetch]
            text += "\n".join(lines) + "\n"
    else:
        text = (
            f"{report.listed} address(es) listed: {report.done_before} done before "
            f"(skipped){skipped}, {report.fetched} fetched, {len(report.failures)} failed\n"
        )
        text += render_report(replace(report.imported, problems=[]))
    for title, failures in (
        ("Failed for good before, not tried again", report.failed_before),
        ("Not fetched (problems in the list)" if report.dry_run else "Failed", report.failures),
    ):
        if not failures:
            continue
        lines = [f"{title}: {len(failures)}"]
        for failure in sorted(failures, key=_list_order):
            address = f" {failure.url}" if failure.url else ""
            lines.append(f"  {failure.where}{address}: {failure.reason}")
            lines.append(f"    what to do: {failure.advice}")
        text += "\n".join(lines) + "\n"
    return text


def _list_order(failure: FetchFailure) -> tuple[str, int]:
    name, _, line = failure.where.rpartition(":")
    return (name, int(line)) if line.isdigit() else (failure.where, 0)
