"""The import journal: an import stopped at any point is rolled back by the next command.

An import (:mod:`analysis.ingest.importer`) prepares its articles in a hidden
staging folder ``articles/.import-*``. Before it places the first one in
``articles/`` it writes :data:`JOURNAL_FILE` in the corpus folder (a temporary
file, flushed to disk, then renamed, so the journal is either whole or absent),
listing the staging folder and every file it is about to place with the
SHA-256 of its bytes. It deletes the journal only when every file is in
place: **the import is committed at the moment its journal disappears**.

The rule for an import that was stopped (``kill -9``, a crash, a power cut):
**it is rolled back, never completed.** The next command that opens the corpus
(``import``, ``validate``, :func:`analysis.corpus.articles.load_corpus`, so
``analyze`` and the dashboard too) calls :func:`recover_interrupted_import`,
which, holding the corpus lock:

1. removes each file the journal lists from ``articles/`` when its bytes are
   still the ones the import wrote (a file someone has edited since is kept
   and reported);
2. removes the staging folder, and every other ``articles/.import-*`` folder:
   staging folders are only made under the corpus lock, so with the lock held
   none belongs to a live import;
3. deletes the journal last, so recovery that is itself stopped starts again
   the next time.

An import that adds outlets also rewrites ``outlets.yaml``: the journal keeps
the file's bytes from before the import and the SHA-256 of the bytes the import
wrote, and recovery puts the old bytes back while the file still has the
import's (an ``outlets.yaml`` someone has edited since is kept and reported).

The corpus is then exactly as it was before the import. A reader that cannot
take the lock at once (an import or a correction is running) does not wait:
it skips recovery and says so.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.corpus.atomic import write_bytes_atomically
from analysis.corpus.lock import CorpusBusyError, corpus_lock, lock_holder
from analysis.corpus.types import Problem

__all__ = [
    "JOURNAL_FILE",
    "STAGING_PREFIX",
    "JournalEntry",
    "RegistryChange",
    "delete_journal",
    "recover_interrupted_import",
    "recover_locked",
    "remove_placed",
    "restore_registry",
    "staged_digests",
    "sync_folder",
    "write_journal",
]

JOURNAL_FILE = ".narratives-import.json"
_JOURNAL_TEMP = JOURNAL_FILE + ".tmp"
#: Staging folders are ``articles/.import-*`` (hidden, so ``load_corpus`` skips them).
STAGING_PREFIX = ".import-"
_ARTICLES_DIR = "articles"
_VERSION = 1
#: The registry files an import may rewrite, and so the only ones recovery restores.
_REGISTRY_FILES = ("outlets.yaml",)


@dataclass(frozen=True)
class JournalEntry:
    """A file the import is placing in ``articles/``: its name and the SHA-256 of its bytes."""

    name: str
    sha256: str


@dataclass(frozen=True)
class RegistryChange:
    """A registry file (``outlets.yaml``) an import rewrites: its bytes before, and after."""

    name: str
    before: bytes
    after: bytes

    @property
    def sha256_after(self) -> str:
        return hashlib.sha256(self.after).hexdigest()


#: Staged files flushed one by one; more are flushed with one ``sync`` of the system.
_FSYNC_EACH_UP_TO = 32


def staged_digests(paths: Sequence[Path]) -> list[JournalEntry]:
    """Flush staged files to disk and return their journal entries (name, SHA-256 of the bytes).

    A staged file must be on disk before the journal that names it: after a
    power cut, a placed file whose bytes were lost would not match its digest
    and could not be told apart from a file someone else wrote. For many files
    one ``sync`` of the whole system costs far less than one ``fsync`` per file;
    for a few, their own ``fsync`` is cheaper than flushing everything else the
    system has to write (such as the tables of the last analysis).
    """
    entries = [JournalEntry(p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths]
    if hasattr(os, "sync") and len(paths) > _FSYNC_EACH_UP_TO:
        os.sync()
    else:
        for path in paths:
            with path.open("rb+") as handle:
                os.fsync(handle.fileno())
    return entries


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (renames, deletions) to disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        # Some systems (Windows, some network file systems) cannot sync a folder.
        pass
    finally:
        os.close(fd)


def write_journal(
    corpus_dir: Path,
    staging: Path,
    entries: Iterable[JournalEntry],
    registry: Sequence[RegistryChange] = (),
) -> Path:
    """Write the journal atomically and durably, before anything is placed.

    Parameters
    ----------
    corpus_dir
        The corpus folder; the journal is :data:`JOURNAL_FILE` in it.
    staging
        The staging folder inside ``articles/``.
    entries
        Every file that will be placed in ``articles/``.
    registry
        The registry files the import will rewrite, with their bytes before and after.

    Returns
    -------
    Path
        The journal.
    """
    root = Path(corpus_dir)
    content = {
        "version": _VERSION,
        "pid": os.getpid(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "staging": staging.name,
        "files": [{"name": e.name, "sha256": e.sha256} for e in entries],
        "registry": [
            {
                "name": change.name,
                "before": base64.b64encode(change.before).decode("ascii"),
                "sha256_after": change.sha256_after,
            }
            for change in registry
        ],
    }
    temp = root / _JOURNAL_TEMP
    with temp.open("w", encoding="utf-8") as handle:
        json.dump(content, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    journal = root / JOURNAL_FILE
    os.replace(temp, journal)
    sync_folder(root)
    return journal


def delete_journal(corpus_dir: Path) -> None:
    """Commit (or finish rolling back) an import: delete its journal, durably."""
    root = Path(corpus_dir)
    (root / JOURNAL_FILE).unlink(missing_ok=True)
    sync_folder(root)


def _staging_folders(articles_dir: Path) -> list[Path]:
    try:
        return sorted(
            Path(e.path)
            for e in os.scandir(articles_dir)
            if e.name.startswith(STAGING_PREFIX) and e.is_dir(follow_symlinks=False)
        )
    except OSError:
        return []


def _needs_recovery(root: Path) -> bool:
    return (
        (root / JOURNAL_FILE).exists()
        or (root / _JOURNAL_TEMP).exists()
        or bool(_staging_folders(root / _ARTICLES_DIR))
    )


def _file_count(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def remove_placed(articles_dir: Path, entries: Iterable[JournalEntry]) -> tuple[int, list[str]]:
    """Remove from ``articles_dir`` each listed file whose bytes are still the ones listed.

    Returns
    -------
    tuple
        How many files were removed, and the names of listed files that were
        there with other bytes (edited since) and were kept.
    """
    removed = 0
    kept: list[str] = []
    for entry in entries:
        # Names come from the journal: only plain file names inside articles/ are touched.
        if Path(entry.name).name != entry.name or not entry.name.endswith(".md"):
            continue
        target = articles_dir / entry.name
        if not target.is_file():
            continue
        if _sha256(target) == entry.sha256:
            target.unlink()
            removed += 1
        else:
            kept.append(entry.name)
    sync_folder(articles_dir)
    return removed, kept


def restore_registry(
    corpus_dir: Path, changes: Iterable[tuple[str, bytes, str]]
) -> tuple[int, list[str]]:
    """Put back each registry file that still holds the import's bytes.

    ``changes`` are ``(file name, bytes before, SHA-256 of the bytes the import
    wrote)``. Returns how many files were restored, and the names of those
    changed since by someone else (kept).
    """
    root = Path(corpus_dir)
    restored = 0
    kept: list[str] = []
    for name, before, sha256_after in changes:
        # Names come from the journal: only the registry files themselves are touched.
        if name not in _REGISTRY_FILES:
            continue
        path = root / name
        current = _sha256(path)
        if current == hashlib.sha256(before).hexdigest():
            continue
        if current not in (sha256_after, None):
            kept.append(name)
            continue
        write_bytes_atomically(path, before, durable=True)
        restored += 1
    sync_folder(root)
    return restored, kept


def _roll_back(root: Path, journal: Path, problems: list[Problem]) -> set[str]:
    """Remove what the journal's import placed; return the staging folder it names."""
    try:
        content = json.loads(journal.read_text(encoding="utf-8"))
        entries = [JournalEntry(str(f["name"]), str(f["sha256"])) for f in content["files"]]
        staging = str(content["staging"])
        started = str(content.get("started", "an unknown time"))
        pid = content.get("pid", "?")
        registry = [
            (
                str(r["name"]),
                base64.b64decode(str(r["before"]), validate=True),
                str(r["sha256_after"]),
            )
            for r in content.get("registry", [])
        ]
    except (OSError, ValueError, KeyError, TypeError) as err:
        problems.append(
            Problem(
                JOURNAL_FILE,
                "(journal)",
                f"cannot be read ({err}); an import may be half placed in articles/: "
                "compare articles/ with your last backup, then delete this file",
            )
        )
        return set()
    removed, kept = remove_placed(root / _ARTICLES_DIR, entries)
    restored, kept_registry = restore_registry(root, registry)
    message = (
        f"an import interrupted while placing files (pid {pid}, from {started}) was rolled "
        f"back: {removed} files removed (of the {len(entries)} it was placing)"
    )
    if restored:
        message += f"; {', '.join(name for name, _, _ in registry)} restored"
    if kept:
        message += f"; {len(kept)} changed since and kept (check them): " + ", ".join(
            f"{_ARTICLES_DIR}/{name}" for name in kept
        )
    if kept_registry:
        message += "; changed since the import wrote it, and kept (check the outlets it " + (
            f"added): {', '.join(kept_registry)}"
        )
    problems.append(Problem(JOURNAL_FILE, "(journal)", message, None, "warning"))
    return {staging}


def recover_locked(corpus_dir: Path | str) -> list[Problem]:
    """Roll back an interrupted import; the caller must hold the corpus lock.

    Returns
    -------
    list of Problem
        Warnings saying what was found and done (none when there was nothing
        to recover); an error when the journal cannot be read, which is then kept.
    """
    root = Path(corpus_dir)
    problems: list[Problem] = []
    if not _needs_recovery(root):
        return problems
    journal = root / JOURNAL_FILE
    journal_staging: set[str] = set()
    if journal.exists():
        journal_staging = _roll_back(root, journal, problems)
        if any(p.severity == "error" for p in problems):
            return problems
    for folder in _staging_folders(root / _ARTICLES_DIR):
        count = _file_count(folder)
        shutil.rmtree(folder, ignore_errors=True)
        if folder.name in journal_staging:
            continue
        problems.append(
            Problem(
                f"{_ARTICLES_DIR}/{folder.name}",
                "(folder)",
                f"staging folder of an import that did not finish, {count} files, "
                "none of them placed: removed",
                None,
                "warning",
            )
        )
    sync_folder(root / _ARTICLES_DIR)
    (root / _JOURNAL_TEMP).unlink(missing_ok=True)
    delete_journal(root)
    return problems


def recover_interrupted_import(corpus_dir: Path | str) -> list[Problem]:
    """Roll back an interrupted import if there is one, without waiting for the lock.

    For readers (``validate``, ``load_corpus``): when there is nothing to
    recover this costs one look at the folder and takes no lock. When another
    process holds the corpus lock, recovery is skipped; if a journal is
    present, a warning says the articles read may include part of an import.

    Returns
    -------
    list of Problem
        What was found and done, as in :func:`recover_locked`.
    """
    root = Path(corpus_dir)
    if not _needs_recovery(root):
        return []
    try:
        with corpus_lock(root, "recovering an interrupted import", wait_s=0):
            return recover_locked(root)
    except CorpusBusyError:
        if not (root / JOURNAL_FILE).exists():
            # Only staging folders: a live import's, hidden from readers.
            return []
        holder = lock_holder(root) or "another process"
        return [
            Problem(
                JOURNAL_FILE,
                "(journal)",
                f"an import is being placed or was interrupted, and the corpus is locked by "
                f"{holder}; the articles read may include part of it; run `narratives "
                "validate` again when the lock is free",
                None,
                "warning",
            )
        ]
    except OSError as err:
        return [
            Problem(
                JOURNAL_FILE,
                "(journal)",
                f"an interrupted import could not be rolled back ({err}); "
                "run `narratives validate` where the corpus folder is writable",
                None,
                "warning",
            )
        ]
