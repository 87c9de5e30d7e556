"""The corpus lock: one writer at a time for imports, label corrections and registry edits.

Every change to a corpus folder (an import placing articles, a label correction
rewriting ``overrides.csv``) runs inside :func:`corpus_lock`. The lock is an
operating-system file lock (``filelock``) on ``.narratives.lock`` in the corpus
folder, so a process that dies, even by ``kill -9``, releases it at once: a
lock is never left stale. While it is held, ``.narratives.lock.holder`` names
the holder (process id, what it is doing, since when), so a writer that has to
wait can say whom it waits for.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

__all__ = ["LOCK_FILE", "CorpusBusyError", "corpus_lock", "lock_holder"]

LOCK_FILE = ".narratives.lock"
_HOLDER_FILE = LOCK_FILE + ".holder"

#: How long a writer waits for another one before giving up (seconds).
DEFAULT_WAIT_S = 60.0


class CorpusBusyError(RuntimeError):
    """Another process kept the corpus lock for longer than the caller would wait."""


def lock_holder(corpus_dir: Path | str) -> str:
    """Who holds the lock, as the holder wrote it ("" when nobody says)."""
    try:
        return (Path(corpus_dir) / _HOLDER_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


@contextmanager
def corpus_lock(
    corpus_dir: Path | str, purpose: str, *, wait_s: float = DEFAULT_WAIT_S
) -> Iterator[None]:
    """Hold the corpus folder's write lock while the block runs.

    Parameters
    ----------
    corpus_dir : path-like
        The corpus folder (it must exist).
    purpose : str
        What the holder is doing, in a few words ("import", "label correction").
    wait_s : float
        How long to wait for another writer.

    Raises
    ------
    CorpusBusyError
        If another process held the lock for all of ``wait_s`` (the message
        names it and says what to do).
    """
    root = Path(corpus_dir)
    lock = FileLock(root / LOCK_FILE, timeout=wait_s)
    try:
        lock.acquire()
    except Timeout:
        holder = lock_holder(root) or "another process"
        raise CorpusBusyError(
            f"{root}: the corpus is being changed by {holder}; "
            f"try again when it has finished (waited {wait_s:g} s)"
        ) from None
    holder_file = root / _HOLDER_FILE
    try:
        since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        holder_file.write_text(f"pid {os.getpid()} ({purpose}, since {since})\n", "utf-8")
        yield
    finally:
        holder_file.unlink(missing_ok=True)
        lock.release()
