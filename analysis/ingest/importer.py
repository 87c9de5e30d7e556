"""Importing articles into the corpus from text, Markdown, HTML, CSV and JSONL files.

:func:`import_articles` reads the inputs (paths, or ``(name, bytes)`` pairs for
uploads; :mod:`analysis.ingest.formats`), builds and checks each article and
fills in what the inputs leave out by inference (:mod:`analysis.ingest.records`),
drops exact duplicates and flags near duplicates
(:mod:`analysis.ingest.duplicates`; the corpus's fingerprints and shingles are
kept between imports by :mod:`analysis.ingest.duplicate_index`, so only new or
changed articles are worked out again), and writes the new article files. It
returns an :class:`analysis.ingest.report.ImportReport`;
:func:`analysis.ingest.report.render_report` turns that into text.

Guarantees:

* Each input file is all or nothing: a file with a problem adds nothing,
  unless ``skip_bad_rows`` lets the good rows of a CSV or JSONL file in, and
  the bad ones are listed as skipped.
* Nothing on disk changes until every input has been read and checked. The
  articles are prepared in a hidden folder inside ``articles/``, flushed to
  disk, listed in a journal (:mod:`analysis.corpus.journal`) and only then
  renamed into place one by one; the import is committed when it deletes the
  journal. If a rename fails or the import is interrupted (Ctrl-C, SIGTERM),
  the articles already placed are removed before it ends; if it is killed
  outright (SIGKILL, a power cut), the next command that opens the corpus
  rolls it back from the journal. Either way the corpus is exactly as it was,
  and no staging folder is left behind.
* Nothing is overwritten: an id already taken gets a ``-2``, ``-3`` ...
  suffix (or the article is skipped, with ``id_taken="skip"``). File names are
  always generated ids; an input's own name never becomes a path.
* Every article written names an outlet of ``outlets.yaml`` and meetings of
  ``meetings.yaml``, so the corpus still loads without problems. An outlet the
  registry does not have is added to it (group ``unassigned``, see
  :mod:`analysis.corpus.outlet_file`) when an article written names it, unless
  ``new_outlets=False``; ``outlets.yaml`` is rewritten in the same commit as
  the articles (its old bytes are in the journal), so a refused, dry-run or
  interrupted import leaves it as it was.

Test hook: when the environment variable ``NARRATIVES_TEST_HOLD_AFTER_PLACING``
is a number *k*, an import that has written its journal stops for an hour
after placing *k* files (0: before the first), so that a test can kill it at
a known point of the commit. Nothing else reads it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
from tqdm import tqdm

from analysis.corpus.article_file import CorpusFileError, encode_article
from analysis.corpus.articles import ARTICLES_DIR, load_corpus
from analysis.corpus.journal import (
    STAGING_PREFIX,
    RegistryChange,
    delete_journal,
    recover_locked,
    remove_placed,
    restore_registry,
    staged_digests,
    sync_folder,
    write_journal,
)
from analysis.corpus.lock import corpus_lock
from analysis.corpus.outlet_file import (
    NEW_OUTLET_GROUP,
    NEW_OUTLET_KIND,
    outlet_key,
    outlets_text,
    readable_domain,
)
from analysis.corpus.registry import (
    OUTLETS_FILE,
    Meeting,
    Outlet,
    RegistryError,
    load_meetings,
    load_outlets,
)
from analysis.corpus.types import Article, Inference, Problem
from analysis.ingest.duplicate_index import DuplicateIndex, text_key
from analysis.ingest.duplicates import find_near_duplicates, shingles, text_fingerprint
from analysis.ingest.formats import read_records
from analysis.ingest.pages import fetched_record
from analysis.ingest.records import ImportMetadata, checked_metadata, record_article
from analysis.ingest.report import (
    AddedArticle,
    AddedOutlet,
    DuplicateArticle,
    ImportReport,
    SkippedArticle,
)
from analysis.ingest.source import FetchedPage, FormatError, SourceRecord

__all__ = ["Source", "import_articles"]

#: An input: a path, a ``(file name, content)`` pair such as an upload, or a fetched page.
Source = Path | str | tuple[str, bytes] | FetchedPage


@dataclass
class _Pending:
    """An article prepared in the staging folder (none in a dry run), waiting to be placed."""

    article: Article
    source: str
    staged: Path | None
    fingerprint: str
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
    new_outlets: bool
    added_outlets: dict[str, AddedOutlet]

    def add_outlet(
        self, name: str, domain: str, language: str, where: str
    ) -> tuple[str, Inference]:
        """Register an outlet the registry does not have (written only if an article names it).

        ``name`` may be empty when only the address is known; ``domain`` is
        empty when there is none or it belongs to another outlet already.
        """
        key = outlet_key(name, domain, self.outlets)
        if any(domain in o.domains for o in self.outlets.values()):
            domain = ""
        file = where.rsplit(":", 1)[0] if ":" in where else where
        today = dt.date.today().isoformat()
        outlet = Outlet(
            key=key,
            # An internationalised domain is shown as its readers write it, not as punycode.
            name=readable_domain(name or domain),
            country="",
            kind=NEW_OUTLET_KIND,
            domains=(domain,) if domain else (),
            language=language,
            group=NEW_OUTLET_GROUP,
            group_reason=f"Added by the import of {file} on {today}: not yet placed in a group.",
            group_source=f"narratives import of {file} ({where}), {today}",
        )
        self.outlets[key] = outlet
        self.added_outlets[key] = AddedOutlet(key, outlet.name, outlet.domains, language, where)
        named = (
            f"{name!r} is not in {OUTLETS_FILE}"
            if name
            else (f"no outlet of {OUTLETS_FILE} has the domain {domain}")
        )
        return key, Inference(
            "outlet", key, f"{named}: added as a new outlet, group {NEW_OUTLET_GROUP}"
        )


# --- public API ---------------------------------------------------------------------------


def import_articles(
    sources: Iterable[Source],
    corpus_dir: Path | str,
    *,
    metadata: ImportMetadata | None = None,
    skip_bad_rows: bool = False,
    near_duplicates: Literal["add", "skip"] = "add",
    id_taken: Literal["rename", "skip"] = "rename",
    new_outlets: bool = True,
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
        A :class:`~analysis.ingest.source.FetchedPage` (from ``narratives
        fetch``) is a web page whose list row's values win over the page's.
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
    new_outlets
        Add an outlet that a row names (or whose address's domain) is not in
        ``outlets.yaml`` to the registry, in group ``unassigned``, with the
        import's file and date as the reason; ``False`` refuses such a row. A
        row whose address is on a domain of a registered outlet is that
        outlet's. Outlets given in ``metadata`` must always be registered.
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
    RegistryError
        If ``outlets.yaml`` or ``meetings.yaml`` has errors (a ``ValueError``).
    ValueError
        If ``metadata`` names an outlet or meeting the registry does not have,
        or has a value that is not valid (date, language, URL).
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder {root} does not exist")
    sources = list(sources)
    for source in sources:
        if isinstance(source, str | Path) and not Path(source).is_file():
            raise FileNotFoundError(f"{source} is not a file")
    options: dict[str, Any] = {
        "metadata": metadata,
        "skip_bad_rows": skip_bad_rows,
        "near_duplicates": near_duplicates,
        "id_taken": id_taken,
        "new_outlets": new_outlets,
        "dry_run": dry_run,
        "progress": progress,
    }
    if dry_run:
        return _import_locked(sources, root, **options)
    # One writer at a time: ids are chosen and articles placed under the corpus lock.
    # SIGTERM is turned into an exception while it is held, so that the import
    # undoes its work and frees the lock before the signal ends the process.
    with _sigterm_undoes_first(), corpus_lock(root, "import"):
        recovered = recover_locked(root)
        report = _import_locked(sources, root, **options)
        report.recovered = recovered
        return report


def _import_locked(
    sources: list[Source],
    root: Path,
    *,
    metadata: ImportMetadata | None,
    skip_bad_rows: bool,
    near_duplicates: Literal["add", "skip"],
    id_taken: Literal["rename", "skip"],
    new_outlets: bool,
    dry_run: bool,
    progress: bool,
) -> ImportReport:
    outlets, outlet_problems = load_outlets(root)
    meetings, meeting_problems = load_meetings(root)
    registry_errors = [p for p in outlet_problems + meeting_problems if p.severity == "error"]
    if registry_errors:
        # Articles checked against half a registry would be recorded wrongly
        # (an outlet refused, a meeting "outside every window"): fix it first.
        raise RegistryError(registry_errors)
    metadata = checked_metadata(metadata or ImportMetadata(), outlets, meetings)
    corpus = load_corpus(root)
    articles_dir = root / ARTICLES_DIR
    # Read from the folder's names (not a Path each: half a second at 50,000 files).
    taken = (
        {
            os.path.splitext(entry.name)[0]
            for entry in os.scandir(articles_dir)
            if entry.name.endswith(".md")
        }
        if articles_dir.is_dir()
        else set()
    )
    existing_ids = corpus.articles["id"].tolist()
    existing_texts = corpus.articles["text"].tolist()
    index = DuplicateIndex.load(root)
    existing_keys, existing_fingerprints, existing_shingles = _existing_signatures(
        index, existing_texts, progress
    )

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
            fingerprints=dict(zip(existing_fingerprints, existing_ids, strict=True)),
            new_outlets=new_outlets,
            added_outlets={},
        )
        pending: list[_Pending] = []
        for source in sources:
            pending.extend(_read_source(source, context, report, skip_bad_rows, progress))
        pending = _mark_near_duplicates(
            pending,
            existing_ids,
            existing_shingles,
            report,
            near_duplicates=near_duplicates,
            # Kept in the index: only the texts added or removed since are counted.
            existing_frequency=index.frequency(existing_keys) if pending else None,
        )
        used = {p.article.outlet for p in pending}
        added_outlets = [o for k, o in context.added_outlets.items() if k in used]
        if staging is not None:
            registry = _registry_change(root, [context.outlets[o.key] for o in added_outlets])
            _commit(pending, root, staging, registry)
    # The articles written are the corpus's too now: the next import need not index them.
    written = [p for p in pending if p.staged is not None]
    written_keys = [text_key(item.article.text) for item in written]
    for key, item in zip(written_keys, written, strict=True):
        index.put_key(key, item.fingerprint, item.shingles)
    index.save_keys([*existing_keys, *written_keys])
    report.added = [_added(p) for p in pending]
    report.outlets = added_outlets
    return report


def _existing_signatures(
    index: DuplicateIndex, texts: Sequence[str], progress: bool
) -> tuple[list[bytes], list[str], list[np.ndarray]]:
    """The index key, fingerprint and shingles of each text, the last two worked out only
    where the index lacks them (each text is hashed once: see :meth:`DuplicateIndex.save_keys`)."""
    keys = [text_key(text) for text in texts]
    found: list[tuple[str, np.ndarray]] = []
    missing: list[int] = []
    for position, key in enumerate(keys):
        entry = index.get_key(key)
        if entry is None:
            missing.append(position)
            entry = ("", np.empty(0, dtype=np.int32))  # filled in below
        found.append(entry)
    for position in tqdm(
        missing, desc="indexing corpus", file=sys.stderr, disable=not progress or not missing
    ):
        text = texts[position]
        found[position] = (text_fingerprint(text), shingles(text))
        index.put_key(keys[position], *found[position])
    return keys, [f for f, _ in found], [s for _, s in found]


def _registry_change(root: Path, outlets: Sequence[Outlet]) -> RegistryChange | None:
    """``outlets.yaml`` with the new outlets added, comments and order kept (none: no change)."""
    if not outlets:
        return None
    before = (root / OUTLETS_FILE).read_bytes()
    after = outlets_text(before.decode("utf-8"), outlets).encode("utf-8")
    return RegistryChange(OUTLETS_FILE, before, after)


# --- reading and checking -----------------------------------------------------------------


@contextmanager
def _records(source: Source, progress: bool) -> Iterator[Iterator[SourceRecord]]:
    """The records of one input, read lazily (so that a FormatError comes while iterating)."""
    if isinstance(source, FetchedPage):
        yield _fetched(source)
    elif isinstance(source, tuple):
        name, data = source
        yield read_records(name, io.BytesIO(data), progress=progress)
    else:
        path = Path(source)
        with path.open("rb") as handle:
            yield read_records(path.name, handle, progress=progress)


def _fetched(page: FetchedPage) -> Iterator[SourceRecord]:
    yield fetched_record(page)


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
    outlets_before = dict(context.outlets)
    added_outlets_before = dict(context.added_outlets)
    with _records(source, progress) as records:
        try:
            for record in records:
                article, record_problems = record_article(
                    record,
                    context.metadata,
                    context.outlets,
                    context.meetings,
                    new_outlets=context if context.new_outlets else None,
                )
                data = None
                if article is not None:
                    data, record_problems = _encoded(article, record)
                if record_problems or article is None or data is None:
                    problems.extend(record_problems)
                    skipped.append(
                        SkippedArticle(
                            record.where,
                            record.fields.get("title", "").strip(),
                            "; ".join(f"{p.field}: {p.message}" for p in record_problems),
                        )
                    )
                    continue
                prepared = _prepare(article, data, record, context, skipped, duplicates)
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
        context.outlets = outlets_before
        context.added_outlets = added_outlets_before
        report.problems.extend(problems)
        return []
    report.problems.extend(problems)
    report.skipped.extend(skipped)
    report.duplicates.extend(duplicates)
    return pending


def _encoded(article: Article, record: SourceRecord) -> tuple[bytes | None, list[Problem]]:
    """The article's file, or the problems ``narratives validate`` would find in it.

    Import writes only what the validator accepts: one set of rules for both.
    Problems are named as the input's (file and line).
    """
    try:
        return encode_article(article, path=record.source), []
    except CorpusFileError as err:
        return None, [Problem(record.source, p.field, p.message, record.line) for p in err.problems]


def _prepare(
    article: Article,
    data: bytes,
    record: SourceRecord,
    context: _Context,
    skipped: list[SkippedArticle],
    duplicates: list[DuplicateArticle],
) -> _Pending | None:
    """Drop an exact duplicate, give the article a free id and stage its file.

    ``data`` is the article's file as :func:`_encoded` made it; it is made again
    only when the article's id had to change.
    """
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
        if article_id != wanted:
            data = encode_article(article, path=record.where)
        staged.write_bytes(data)
    return _Pending(
        article=article,
        source=record.where,
        staged=staged,
        fingerprint=fingerprint,
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
    existing_frequency: np.ndarray | None = None,
) -> list[_Pending]:
    found = find_near_duplicates(
        [p.shingles for p in pending], existing_shingles, existing_frequency=existing_frequency
    )
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
            item.staged.write_bytes(encode_article(item.article, path=item.source))
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
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=articles_dir))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _publish(staged: Path, target: Path) -> None:
    """Move one staged article into ``articles/``, refusing to replace a file."""
    if target.exists():
        raise FileExistsError(f"{target} appeared during the import; nothing was imported")
    os.replace(staged, target)


def _commit(
    pending: Sequence[_Pending], root: Path, staging: Path, registry: RegistryChange | None
) -> None:
    """Journal the staged articles, write the registry, place them, delete the journal.

    Deleting the journal is the commit point. On any failure before it the
    placed articles are removed, ``outlets.yaml`` is put back and the journal
    deleted; if the process dies instead, the journal lets the next command do
    the same.
    """
    staged = [item.staged for item in pending if item.staged is not None]
    if not staged:
        return
    articles_dir = root / ARTICLES_DIR
    for path in staged:
        # Checked before the journal is written, so that the journal never names
        # a file that was there before: recovery removes only what the import placed.
        if (articles_dir / path.name).exists():
            raise FileExistsError(
                f"{articles_dir / path.name} appeared during the import; nothing was imported"
            )
    changes = [registry] if registry is not None else []
    staged_registry = staging / OUTLETS_FILE
    if registry is not None:
        with staged_registry.open("wb") as handle:
            handle.write(registry.after)
            handle.flush()
            os.fsync(handle.fileno())
    entries = staged_digests(staged)
    try:
        write_journal(root, staging, entries, changes)
        if registry is not None:
            # The outlets first: an article is never on disk before its outlet.
            os.replace(staged_registry, root / OUTLETS_FILE)
            sync_folder(root)
        _hold_for_test(0)
        _place(staged, articles_dir)
        sync_folder(articles_dir)
        shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        # Until the journal is gone the import is not committed: undo all of it,
        # as recovery would (by the journal, so a file renamed just as the
        # interruption came is removed too, and nobody else's file ever is).
        remove_placed(articles_dir, entries)
        restore_registry(root, [(c.name, c.before, c.sha256_after) for c in changes])
        delete_journal(root)
        raise
    delete_journal(root)


def _place(staged: Sequence[Path], articles_dir: Path) -> None:
    """Publish every staged article into ``articles_dir``."""
    for count, path in enumerate(staged, start=1):
        _publish(path, articles_dir / path.name)
        _hold_for_test(count)


def _hold_for_test(placed: int) -> None:
    """The test hook of the module docstring: stop after ``placed`` files when asked."""
    hold = os.environ.get("NARRATIVES_TEST_HOLD_AFTER_PLACING", "")
    if hold.isdigit() and int(hold) == placed:
        print(f"holding after placing {placed} files", file=sys.stderr, flush=True)
        time.sleep(3600)


class _Terminated(BaseException):
    """SIGTERM arrived during an import; raised to undo the import's work."""


@contextmanager
def _sigterm_undoes_first() -> Iterator[None]:
    """Turn SIGTERM into :class:`_Terminated` while the block runs, then deliver it again.

    A second SIGTERM while the import undoes its work is ignored, so the undo
    is not cut short. Signal handlers can only be set in the main thread (the
    dashboard imports in another one); elsewhere the journal alone protects
    the corpus.
    """
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is not threading.main_thread() or previous in (
        signal.SIG_IGN,
        None,
    ):
        # A process that ignores SIGTERM (or set its handler outside Python) keeps it that way.
        yield
        return

    def terminated(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise _Terminated

    signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, previous)
        signal.raise_signal(signal.SIGTERM)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


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
