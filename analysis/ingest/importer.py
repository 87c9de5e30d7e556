"""Importing articles into the corpus from text, Markdown, HTML, CSV and JSONL files.

:func:`import_articles` reads the inputs (paths, or ``(name, bytes)`` pairs for
uploads), fills in what the inputs leave out by inference
(:mod:`analysis.ingest.inference`), drops exact duplicates and flags near duplicates
(:mod:`analysis.ingest.duplicates`), and writes the new article files. It returns an
:class:`ImportReport`; :func:`render_report` turns that into text.

Guarantees:

* Each input file is all or nothing: a file with a problem adds nothing,
  unless ``skip_bad_rows`` lets the good rows of a CSV or JSONL file in, and
  the bad ones are listed as skipped.
* Nothing on disk changes until every input has been read and checked. The
  articles are prepared in a hidden folder inside ``articles/`` and then
  renamed into place one by one; if a rename fails or the import is
  interrupted, the articles this import already placed are removed again, so
  the corpus is exactly as it was.
* Nothing is overwritten: an id already taken gets a ``-2``, ``-3`` ...
  suffix (or the article is skipped, with ``id_taken="skip"``). File names are
  always generated ids; an input's own name never becomes a path.
* Every article written names an outlet of ``outlets.yaml`` and meetings of
  ``meetings.yaml``, so the corpus still loads without problems.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Literal

import numpy as np
from tqdm import tqdm

from analysis.corpus.article_file import format_article, make_article_id
from analysis.corpus.articles import ARTICLES_DIR, load_corpus
from analysis.corpus.registry import (
    MEETINGS_FILE,
    OUTLETS_FILE,
    Meeting,
    Outlet,
    load_meetings,
    load_outlets,
)
from analysis.corpus.types import Article, Inference, Problem, PublishedDate
from analysis.ingest.duplicates import find_near_duplicates, shingles, text_fingerprint
from analysis.ingest.formats import FormatError, SourceRecord, read_records
from analysis.ingest.inference import (
    infer_language,
    infer_meetings,
    outlet_for_name,
    outlet_for_url,
    parse_published,
)

__all__ = [
    "AddedArticle",
    "DuplicateArticle",
    "ImportMetadata",
    "ImportReport",
    "SkippedArticle",
    "Source",
    "import_articles",
    "render_report",
]

#: An input: a path, or a ``(file name, content)`` pair such as an upload.
Source = Path | str | tuple[str, bytes]

# Records a problem of the current record: (field, message).
_ProblemSink = Callable[[str, str], None]

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


@dataclass(frozen=True)
class AddedArticle:
    """An article the import added (or, in a dry run, would add)."""

    id: str
    source: str
    title: str
    outlet: str
    published: str
    language: str
    meetings: tuple[str, ...]
    url: str
    inferred: tuple[Inference, ...]
    renamed_from: str = ""
    near_duplicate_of: str = ""
    similarity: float | None = None


@dataclass(frozen=True)
class SkippedArticle:
    """An article the import left out, and why."""

    source: str
    title: str
    reason: str


@dataclass(frozen=True)
class DuplicateArticle:
    """An input article that repeats one already in the corpus or earlier in the import.

    ``kind`` is ``"exact"`` (same normalized text: always skipped) or
    ``"near"`` (``similarity`` of at least
    :data:`analysis.ingest.duplicates.NEAR_DUPLICATE_THRESHOLD`); ``added_as`` is the
    id it was added under, or empty when it was skipped.
    """

    source: str
    title: str
    kind: Literal["exact", "near"]
    of_id: str
    similarity: float
    added_as: str = ""


@dataclass
class ImportReport:
    """What an import added, skipped and why.

    ``problems`` are the reasons input files (or, with ``skip_bad_rows``,
    rows) were refused. Duplicates that were skipped appear in ``duplicates``
    only; near duplicates that were added appear in both ``added`` and
    ``duplicates``.
    """

    corpus: Path
    dry_run: bool
    added: list[AddedArticle] = field(default_factory=list)
    skipped: list[SkippedArticle] = field(default_factory=list)
    duplicates: list[DuplicateArticle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def inferences(self) -> list[tuple[str, Inference]]:
        """Every inference made, as (article id, inference), in the order of ``added``."""
        return [(a.id, i) for a in self.added for i in a.inferred]


@dataclass
class _Pending:
    """An article prepared in the staging folder (none in a dry run), waiting to be placed."""

    article: Article
    source: str
    staged: Path | None
    shingles: np.ndarray
    renamed_from: str = ""
    near_duplicate_of: str = ""
    similarity: float | None = None


@dataclass
class _Context:
    root: Path
    staging: Path | None
    outlets: dict[str, Outlet]
    meetings: dict[str, Meeting]
    metadata: ImportMetadata
    id_taken: Literal["rename", "skip"]
    taken_ids: set[str]
    fingerprints: dict[str, str]


# --- public API ---------------------------------------------------------------------------


def import_articles(
    sources: Iterable[Source],
    corpus_dir: Path | str,
    *,
    metadata: ImportMetadata | None = None,
    skip_bad_rows: bool = False,
    near_duplicates: Literal["add", "skip"] = "add",
    id_taken: Literal["rename", "skip"] = "rename",
    dry_run: bool = False,
    progress: bool = False,
) -> ImportReport:
    """Import articles from files into the corpus.

    Parameters
    ----------
    sources
        Paths, or ``(file name, content bytes)`` pairs (uploads). The name's
        ending chooses the format: ``.txt``, ``.md``, ``.html``/``.htm``,
        ``.csv``, ``.jsonl``/``.ndjson``. Names are never used as paths in the corpus.
    corpus_dir
        Folder with ``outlets.yaml``, ``meetings.yaml`` and ``articles/``.
    metadata
        Values for every imported article; they win over the inputs and are
        never inferred.
    skip_bad_rows
        Let the good rows of a CSV or JSONL file in and list the bad ones as
        skipped; by default one bad row keeps the whole file out.
    near_duplicates
        ``"add"`` adds a near duplicate with ``near_duplicate_of`` and
        ``near_duplicate_similarity`` in its ``extra``; ``"skip"`` leaves it out.
    id_taken
        When an article's id is already in the corpus (or earlier in the
        import): ``"rename"`` adds a ``-2``, ``-3`` ... suffix; ``"skip"`` leaves it out.
    dry_run
        Read, infer and check everything, report what would be added, write nothing.
    progress
        Show tqdm progress bars on standard error.

    Returns
    -------
    ImportReport

    Raises
    ------
    FileNotFoundError
        If ``corpus_dir`` or a source path does not exist.
    ValueError
        If ``metadata`` names an outlet or meeting the registry does not have,
        or has a value that is not valid (date, language, URL).
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder {root} does not exist")
    sources = list(sources)
    for source in sources:
        if not isinstance(source, tuple) and not Path(source).is_file():
            raise FileNotFoundError(f"{source} is not a file")
    outlets, _ = load_outlets(root)
    meetings, _ = load_meetings(root)
    metadata = _checked_metadata(metadata or ImportMetadata(), outlets, meetings)
    corpus = load_corpus(root)
    articles_dir = root / ARTICLES_DIR
    taken = {p.stem for p in articles_dir.glob("*.md")} if articles_dir.is_dir() else set()
    existing_ids = corpus.articles["id"].tolist()
    existing_texts = corpus.articles["text"].tolist()

    report = ImportReport(corpus=root, dry_run=dry_run)
    with _staging_folder(articles_dir, dry_run=dry_run) as staging:
        context = _Context(
            root=root,
            staging=staging,
            outlets=outlets,
            meetings=meetings,
            metadata=metadata,
            id_taken=id_taken,
            taken_ids=taken,
            fingerprints={
                text_fingerprint(t): i for i, t in zip(existing_ids, existing_texts, strict=True)
            },
        )
        pending: list[_Pending] = []
        for source in sources:
            pending.extend(_read_source(source, context, report, skip_bad_rows, progress))
        existing_shingles = [
            shingles(t)
            for t in tqdm(
                existing_texts, desc="indexing corpus", file=sys.stderr, disable=not progress
            )
        ]
        pending = _mark_near_duplicates(
            pending, existing_ids, existing_shingles, report, near_duplicates=near_duplicates
        )
        if not dry_run:
            _place(pending, articles_dir)
    report.added = [_added(p) for p in pending]
    return report


def render_report(report: ImportReport) -> str:
    """The report as text for a terminal: what was added, duplicates, skipped, problems."""
    verb = "would add" if report.dry_run else "added"
    lines = []
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    lines.append(f"{verb.capitalize()} {len(report.added)} article(s) to {report.corpus}")
    for article in report.added:
        meetings = ", ".join(article.meetings) or "none"
        lines.append(
            f"  {article.id}  (from {article.source}) outlet {article.outlet}, "
            f"published {article.published or 'undated'}, {article.language}, meetings {meetings}"
        )
        if article.renamed_from:
            lines.append(f"    id {article.renamed_from} was taken: renamed")
        for inference in article.inferred:
            lines.append(f"    inferred {inference.field} = {inference.value} ({inference.basis})")
    if report.duplicates:
        lines.append(f"Duplicates: {len(report.duplicates)}")
        for duplicate in report.duplicates:
            how = (
                "exact duplicate"
                if duplicate.kind == "exact"
                else f"near duplicate ({duplicate.similarity:.0%} of shingles shared)"
            )
            action = f"{verb} as {duplicate.added_as}" if duplicate.added_as else "skipped"
            lines.append(
                f"  {duplicate.source} {duplicate.title!r}: {how} of {duplicate.of_id}; {action}"
            )
    if report.skipped:
        lines.append(f"Skipped: {len(report.skipped)}")
        lines.extend(f"  {s.source} {s.title!r}: {s.reason}" for s in report.skipped)
    if report.problems:
        lines.append(f"Problems: {len(report.problems)}")
        lines.extend(f"  {problem}" for problem in report.problems)
    return "\n".join(lines) + "\n"


# --- caller metadata ----------------------------------------------------------------------


def _checked_metadata(
    metadata: ImportMetadata, outlets: dict[str, Outlet], meetings: dict[str, Meeting]
) -> ImportMetadata:
    """Validate the caller's metadata up front, resolving the outlet to its key."""
    checked = metadata
    if metadata.outlet is not None:
        key = outlet_for_name(metadata.outlet, outlets)
        if key is None:
            raise ValueError(
                f"outlet {metadata.outlet!r} is not in {OUTLETS_FILE}; add it there first "
                f"(known: {', '.join(sorted(outlets))})"
            )
        checked = replace(checked, outlet=key)
    if metadata.published is not None:
        parse_published(metadata.published)
    if metadata.language is not None and not _LANGUAGE.match(metadata.language.lower()):
        raise ValueError(f"language {metadata.language!r} is not an ISO 639 code such as 'en'")
    if metadata.url is not None and not _URL.match(metadata.url):
        raise ValueError(f"url {metadata.url!r} is not an http(s) address")
    for meeting in metadata.meetings or ():
        if meeting not in meetings:
            raise ValueError(
                f"meeting {meeting!r} is not in {MEETINGS_FILE}; "
                f"use one of {', '.join(sorted(meetings))}"
            )
    return checked


# --- reading and checking -----------------------------------------------------------------


@contextmanager
def _open(source: Source) -> Iterator[tuple[str, IO[bytes]]]:
    if isinstance(source, tuple):
        name, data = source
        yield name, io.BytesIO(data)
    else:
        path = Path(source)
        with path.open("rb") as handle:
            yield path.name, handle


def _read_source(
    source: Source,
    context: _Context,
    report: ImportReport,
    skip_bad_rows: bool,
    progress: bool,
) -> list[_Pending]:
    """Read one input file; return its articles, or none if the file is refused."""
    pending: list[_Pending] = []
    problems: list[Problem] = []
    skipped: list[SkippedArticle] = []
    duplicates: list[DuplicateArticle] = []
    taken_before = set(context.taken_ids)
    fingerprints_before = dict(context.fingerprints)
    with _open(source) as (name, stream):
        try:
            for record in read_records(name, stream, progress=progress):
                article, record_problems = _article(record, context)
                if record_problems or article is None:
                    problems.extend(record_problems)
                    skipped.append(
                        SkippedArticle(
                            record.where,
                            record.fields.get("title", "").strip(),
                            "; ".join(f"{p.field}: {p.message}" for p in record_problems),
                        )
                    )
                    continue
                prepared = _prepare(article, record, context, skipped, duplicates)
                if prepared is not None:
                    pending.append(prepared)
        except FormatError as err:
            problems.extend(err.problems)
            skipped.clear()
            skip_bad_rows = False
    if problems and not skip_bad_rows:
        for item in pending:
            if item.staged is not None:
                item.staged.unlink(missing_ok=True)
        context.taken_ids = taken_before
        context.fingerprints = fingerprints_before
        report.problems.extend(problems)
        return []
    report.problems.extend(problems)
    report.skipped.extend(skipped)
    report.duplicates.extend(duplicates)
    return pending


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _article(record: SourceRecord, context: _Context) -> tuple[Article | None, list[Problem]]:
    """Build the article of one record: given metadata, then the record, then inference."""
    problems = list(record.problems)
    given = context.metadata
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
    if not title:
        problem("title", "is empty; give a title column or a title for the import")
    url = given.url or (base.url if base else fields.get("url", "").strip())
    if url and not _URL.match(url):
        problem("url", f"{url!r} is not an http(s) address")

    outlet, outlet_inference = _outlet(record, given, url, context.outlets, problem)
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
    language = (given.language or (base.language if base else fields.get("language", ""))).strip()
    language = language.lower().replace("_", "-").split("-")[0]
    if language and not _LANGUAGE.match(language):
        problem("language", f"{language!r} is not an ISO 639 code such as 'en' or 'ru'")
    elif not language and text.strip():
        language, inference = infer_language(text)
        inferred.append(inference)

    meetings = _meetings(record, given, text, published, context.meetings, problem, inferred)
    authors = given.authors if given.authors is not None else _split(fields.get("authors", ""))
    if base is not None and given.authors is None:
        authors = base.authors
    if problems:
        return None, problems
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
            meetings=meetings,
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
) -> tuple[str, list[Inference]]:
    if given.outlet is not None:
        return given.outlet, []
    named = record.article.outlet if record.article else record.fields.get("outlet", "").strip()
    if named:
        key = outlet_for_name(named, outlets)
        if key is None:
            problem(
                "outlet",
                f"{named!r} is not in {OUTLETS_FILE}; add it there (with its domains) "
                "or give the outlet for this import",
            )
            return "", []
        if key == named:
            return key, []
        return key, [Inference("outlet", key, f"{named!r} is the outlet {key} in {OUTLETS_FILE}")]
    for address in (url, record.fields.get("outlet_url", "").strip()):
        found = outlet_for_url(address, outlets) if address else None
        if found is not None:
            return found[0], [found[1]]
    problem(
        "outlet",
        "unknown: no outlet given and no address whose domain is in "
        f"{OUTLETS_FILE}; give the outlet or add its domain there",
    )
    return "", []


def _meetings(
    record: SourceRecord,
    given: ImportMetadata,
    text: str,
    published: PublishedDate,
    meetings: dict[str, Meeting],
    problem: _ProblemSink,
    inferred: list[Inference],
) -> tuple[str, ...]:
    if given.meetings is not None:
        return given.meetings
    if record.article is not None:
        keys = record.article.meetings
    elif record.fields.get("meetings", "").strip():
        keys = tuple(k for k in _split(record.fields["meetings"]) if k.lower() != "none")
    else:
        keys, inference = infer_meetings(text, published, meetings)
        inferred.append(inference)
        return keys
    for key in keys:
        if key not in meetings:
            problem("meetings", f"{key!r} is not in {MEETINGS_FILE}; add it there or fix the key")
    return keys


def _prepare(
    article: Article,
    record: SourceRecord,
    context: _Context,
    skipped: list[SkippedArticle],
    duplicates: list[DuplicateArticle],
) -> _Pending | None:
    """Drop an exact duplicate, give the article a free id and stage its file."""
    fingerprint = text_fingerprint(article.text)
    original = context.fingerprints.get(fingerprint)
    if original is not None:
        duplicates.append(DuplicateArticle(record.where, article.title, "exact", original, 1.0))
        return None
    wanted = article.id
    article_id = wanted
    suffix = 2
    while article_id in context.taken_ids:
        if context.id_taken == "skip":
            skipped.append(
                SkippedArticle(record.where, article.title, f"id {wanted} is already taken")
            )
            return None
        article_id = f"{wanted}-{suffix}"
        suffix += 1
    article = replace(article, id=article_id)
    context.taken_ids.add(article_id)
    context.fingerprints[fingerprint] = article_id
    article_shingles = shingles(article.text)
    staged = None
    if context.staging is None:
        # A dry run writes nothing, so it need not keep the text either.
        article = replace(article, text="")
    else:
        staged = context.staging / f"{article_id}.md"
        staged.write_text(format_article(article), encoding="utf-8", newline="")
    return _Pending(
        article=article,
        source=record.where,
        staged=staged,
        shingles=article_shingles,
        renamed_from=wanted if article_id != wanted else "",
    )


# --- near duplicates and writing ----------------------------------------------------------


def _mark_near_duplicates(
    pending: list[_Pending],
    existing_ids: Sequence[str],
    existing_shingles: Sequence[np.ndarray],
    report: ImportReport,
    *,
    near_duplicates: Literal["add", "skip"],
) -> list[_Pending]:
    found = find_near_duplicates([p.shingles for p in pending], existing_shingles)
    original_of: dict[int, str] = {}
    skipped: set[int] = set()
    for match in found:
        item = pending[match.index]
        if match.among == "existing":
            of_id = existing_ids[match.of_index]
        else:
            of_id = original_of.get(match.of_index, pending[match.of_index].article.id)
        similarity = round(match.similarity, 2)
        if near_duplicates == "skip":
            skipped.add(match.index)
            original_of[match.index] = of_id
            if item.staged is not None:
                item.staged.unlink(missing_ok=True)
            report.duplicates.append(
                DuplicateArticle(item.source, item.article.title, "near", of_id, similarity)
            )
            continue
        extra = {**item.article.extra, "near_duplicate_of": of_id}
        extra["near_duplicate_similarity"] = similarity
        item.article = replace(item.article, extra=extra)
        item.near_duplicate_of = of_id
        item.similarity = similarity
        if item.staged is not None:
            item.staged.write_text(format_article(item.article), encoding="utf-8", newline="")
        report.duplicates.append(
            DuplicateArticle(
                item.source, item.article.title, "near", of_id, similarity, item.article.id
            )
        )
    return [p for index, p in enumerate(pending) if index not in skipped]


@contextmanager
def _staging_folder(articles_dir: Path, *, dry_run: bool) -> Iterator[Path | None]:
    """A hidden folder inside ``articles/`` (same file system, so renames are atomic).

    ``load_corpus`` skips hidden entries, so a reader never sees staged files.
    A dry run stages nothing and gets ``None``.
    """
    if dry_run:
        yield None
        return
    articles_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=articles_dir))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _publish(staged: Path, target: Path) -> None:
    """Move one staged article into ``articles/``, refusing to replace a file."""
    if target.exists():
        raise FileExistsError(f"{target} appeared during the import; nothing was imported")
    os.replace(staged, target)


def _place(pending: Sequence[_Pending], articles_dir: Path) -> None:
    """Publish every staged article, or none: on any failure remove what was placed."""
    placed: list[Path] = []
    try:
        for item in pending:
            if item.staged is None:
                continue
            target = articles_dir / item.staged.name
            _publish(item.staged, target)
            placed.append(target)
    except BaseException:
        for target in placed:
            target.unlink(missing_ok=True)
        raise


def _added(item: _Pending) -> AddedArticle:
    article = item.article
    return AddedArticle(
        id=article.id,
        source=item.source,
        title=article.title,
        outlet=article.outlet,
        published=str(article.published),
        language=article.language,
        meetings=article.meetings,
        url=article.url,
        inferred=article.inferred,
        renamed_from=item.renamed_from,
        near_duplicate_of=item.near_duplicate_of,
        similarity=item.similarity,
    )
