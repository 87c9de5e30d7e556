"""The whole corpus: loading every article file with the registry, and the validation report.

A corpus folder holds ``outlets.yaml``, ``meetings.yaml`` and ``articles/``
(one file per article, see :mod:`analysis.corpus.article_file`); see
``docs/corpus.md``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.corpus.article_file import MAX_ARTICLE_BYTES, CorpusFileError, parse_article
from analysis.corpus.atomic import write_pickle_atomically
from analysis.corpus.journal import recover_interrupted_import
from analysis.corpus.registry import (
    MEETINGS_FILE,
    OUTLETS_FILE,
    Meeting,
    Outlet,
    load_meetings,
    load_outlets,
    meetings_frame,
    outlets_frame,
)
from analysis.corpus.types import ARTICLE_COLUMNS, Article, Problem
from analysis.pipeline.memory import release_freed_memory

__all__ = [
    "ARTICLES_DIR",
    "Corpus",
    "cache_folder",
    "corpus_cache_path",
    "corpus_fingerprint",
    "load_corpus",
]

ARTICLES_DIR = "articles"
_CACHE_VERSION = 2
#: A file whose modification or change time is this recent when the cache is
#: written may still be written to within the same timestamp tick: its size and
#: times are not trusted the next time, it is read and hashed again.
_SETTLED_NS = 2_000_000_000


@dataclass
class Corpus:
    """A loaded corpus.

    ``articles`` has the columns documented in :data:`analysis.corpus.types.ARTICLE_COLUMNS`,
    one row per valid article, sorted by id. Articles with errors are left out
    and reported in ``problems`` (with warnings, which do not leave anything out).
    """

    root: Path
    articles: pd.DataFrame
    outlets: pd.DataFrame
    meetings: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    fingerprint: str = ""
    outlet_registry: dict[str, Outlet] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def corpus_cache_path(root: Path, kind: str, suffix: str = "") -> Path:
    """Where the user's cache keeps ``kind`` for the corpus folder ``root``.

    The cache folder is ``NARRATIVES_CACHE_DIR``, else ``~/.cache/narratives``;
    each corpus folder gets its own name in it, from its resolved path.
    """
    key = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return cache_folder() / f"{kind}-{key}{suffix}"


def cache_folder() -> Path:
    """The user's cache folder: ``NARRATIVES_CACHE_DIR``, else ``~/.cache/narratives``."""
    return Path(os.environ.get("NARRATIVES_CACHE_DIR") or Path.home() / ".cache" / "narratives")


def _cache_path(root: Path) -> Path:
    return corpus_cache_path(root, "articles", ".pickle")


#: What the parse cache knows of a file it need not read: its size, modification
#: and change times and inode, and the hash of its bytes then.
_Known = tuple[tuple[int, int, int, int], str]


def _read_cache(path: Path) -> tuple[dict[str, Any], dict[str, _Known]]:
    """The parsed articles by path and hash, and what is known of each file by name."""
    try:
        with path.open("rb") as handle:
            cached = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}, {}
    if not isinstance(cached, dict) or cached.get("version") != _CACHE_VERSION:
        return {}, {}
    entries, known = cached.get("entries"), cached.get("files")
    if not isinstance(entries, dict) or not isinstance(known, dict):
        return {}, {}
    return entries, known


def _write_cache(path: Path, entries: dict[str, Any], known: dict[str, _Known]) -> None:
    try:
        write_pickle_atomically(
            path, {"version": _CACHE_VERSION, "entries": entries, "files": known}
        )
    except OSError:
        # The cache only saves time; a read-only home must not stop the corpus from loading.
        return


def _identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    """Size, modification and change times, inode: any write to the file changes one of them.

    The change time is set by the system on every write and cannot be set back,
    so a file rewritten with its old size and modification time still differs.
    """
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _article_row(article: Article, path: str) -> dict[str, Any]:
    published = article.published
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "authors": tuple(article.authors),
        "published": pd.Timestamp(published.value) if published.value else pd.NaT,
        "date_precision": published.precision,
        "year": published.value.year if published.value else None,
        "url": article.url,
        "language": article.language,
        "meetings": tuple(article.meetings),
        "meeting": article.meetings[0] if article.meetings else "none",
        "notes": article.notes,
        "inferred": "; ".join(f"{i.field}={i.value} ({i.basis})" for i in article.inferred),
        "text": article.text,
        "path": path,
    }


def load_corpus(corpus_dir: Path | str, *, use_cache: bool = True) -> Corpus:
    """Load and validate the corpus in ``corpus_dir``.

    Every problem is reported at once; a bad file is left out and the others
    still load. Parsed files are cached by the hash of their bytes, so the
    cache cannot go stale: an edited file has a new hash and is parsed again.
    A file whose size, modification and change times and inode are those it
    had when the cache was written is not even read (its hash then is used):
    any write changes its change time, which no tool can set back. As git does,
    a file written in the last :data:`_SETTLED_NS` before the cache was saved
    is read again the next time.

    An import that was killed before it finished is rolled back first (see
    :mod:`analysis.corpus.journal`), and a warning in ``problems`` says what
    was removed; when another process holds the corpus lock this is skipped
    rather than waited for.

    Parameters
    ----------
    corpus_dir
        Folder holding ``outlets.yaml``, ``meetings.yaml`` and ``articles/``.
    use_cache
        Keep parsed articles in the user's cache folder (``NARRATIVES_CACHE_DIR``
        or ``~/.cache/narratives``) between runs.
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder {root} does not exist")
    problems = recover_interrupted_import(root)
    outlets, outlet_problems = load_outlets(root)
    problems.extend(outlet_problems)
    meetings, meeting_problems = load_meetings(root)
    problems.extend(meeting_problems)

    articles_dir = root / ARTICLES_DIR
    cache_file = _cache_path(root)
    cache, known = _read_cache(cache_file) if use_cache else ({}, {})
    settled_before = time.time_ns() - _SETTLED_NS
    fresh: dict[str, Any] = {}
    fresh_known: dict[str, _Known] = {}
    rows: list[dict[str, Any]] = []
    digests: list[str] = []
    entries = (
        sorted(os.scandir(articles_dir), key=lambda e: e.name) if articles_dir.is_dir() else []
    )
    if not articles_dir.is_dir():
        problems.append(
            Problem(ARTICLES_DIR, "(folder)", "missing: create articles/ and add files")
        )
    for entry in entries:
        rel = f"{ARTICLES_DIR}/{entry.name}"
        if entry.name.startswith(".") or not entry.is_file():
            continue
        if entry.is_symlink() and not _inside(Path(entry.path), root):
            problems.append(
                Problem(
                    rel,
                    "(file)",
                    f"is a link to {os.path.realpath(entry.path)}, outside the corpus folder; "
                    "copy the file into articles/ instead",
                )
            )
            continue
        if not entry.name.endswith(".md"):
            problems.append(
                Problem(
                    rel, "(file)", "is not an article file (.md) and was skipped", None, "warning"
                )
            )
            continue
        stat = entry.stat()
        identity = _identity(stat)
        seen = known.get(entry.name)
        parsed = None
        if seen is not None and seen[0] == identity:
            digest = seen[1]
            parsed = cache.get(f"{rel}:{digest}")
        if parsed is None:
            size = stat.st_size
            if size > MAX_ARTICLE_BYTES:
                with open(entry.path, "rb") as handle:
                    data = handle.read(MAX_ARTICLE_BYTES + 1)
            else:
                data = Path(entry.path).read_bytes()
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            parsed = cache.get(f"{rel}:{digest}")
            if parsed is None:
                try:
                    parsed = parse_article(data, path=rel, size=size)
                except CorpusFileError as err:
                    parsed = err.problems
        digests.append(f"{entry.name}:{digest}")
        key = f"{rel}:{digest}"
        if use_cache:
            fresh[key] = parsed
            if max(stat.st_mtime_ns, stat.st_ctime_ns) < settled_before:
                fresh_known[entry.name] = (identity, digest)
        if isinstance(parsed, list):
            problems.extend(parsed)
            continue
        stem = entry.name[: -len(".md")]
        if parsed.id != stem:
            problems.append(
                Problem(
                    rel, "id", f"{parsed.id!r} does not match the file name; rename one of them"
                )
            )
            continue
        rows.append(_article_row(parsed, rel))
    if use_cache and (fresh.keys() != cache.keys() or fresh_known != known):
        _write_cache(cache_file, fresh, fresh_known)

    rows = _check_references(rows, outlets, meetings, problems)
    articles = _articles_frame(rows, outlets)
    del rows, fresh, cache, fresh_known, known
    release_freed_memory()
    return Corpus(
        root=root,
        articles=articles,
        outlets=outlets_frame(outlets),
        meetings=meetings_frame(meetings),
        problems=problems,
        fingerprint=corpus_fingerprint(root, digests),
        outlet_registry=outlets,
    )


def _inside(path: Path, root: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def _check_references(
    rows: list[dict[str, Any]],
    outlets: Mapping[str, Outlet],
    meetings: Mapping[str, Meeting],
    problems: list[Problem],
) -> list[dict[str, Any]]:
    counts = Counter(row["id"] for row in rows)
    kept = []
    for row in rows:
        bad = False
        if counts[row["id"]] > 1:
            problems.append(Problem(row["path"], "id", f"{row['id']!r} is used by another file"))
            bad = True
        if row["outlet"] not in outlets:
            problems.append(
                Problem(
                    row["path"],
                    "outlet",
                    f"{row['outlet']!r} is not in {OUTLETS_FILE}; add it there or fix the key",
                )
            )
            bad = True
        for meeting in row["meetings"]:
            if meeting not in meetings:
                problems.append(
                    Problem(
                        row["path"],
                        "meetings",
                        f"{meeting!r} is not in {MEETINGS_FILE}; add it there or fix the key",
                    )
                )
                bad = True
        if not bad:
            kept.append(row)
    return kept


#: Columns of the articles table that hold a tuple of texts (written joined with "; ").
LIST_COLUMNS = ("authors", "meetings")


def _articles_frame(rows: Iterable[dict[str, Any]], outlets: Mapping[str, Outlet]) -> pd.DataFrame:
    rows = list(rows)
    # The texts stay the Python strings they were read as (an object column): every
    # analysis reads them as such, and a string column would hold a second copy.
    texts = np.empty(len(rows), dtype=object)
    texts[:] = [row["text"] for row in rows]
    metadata = [c for c in ARTICLE_COLUMNS if c != "text"]
    frame = pd.DataFrame(
        [{c: row.get(c) for c in metadata} for row in rows],
        columns=metadata,
        index=range(len(rows)),
    )
    frame["outlet_name"] = frame["outlet"].map({k: o.name for k, o in outlets.items()})
    frame["outlet_group"] = frame["outlet"].map({k: o.group for k, o in outlets.items()})
    frame["published"] = pd.to_datetime(frame["published"])
    frame["year"] = frame["year"].astype("Int64")
    string_columns = [c for c in metadata if c not in ("published", "year", *LIST_COLUMNS)]
    frame[string_columns] = frame[string_columns].fillna("").astype(str)
    for column in LIST_COLUMNS:
        lists = np.empty(len(rows), dtype=object)
        for position, row in enumerate(rows):
            # One by one: a slice assignment would read equal-length tuples as a 2-D array.
            lists[position] = tuple(row[column])
        frame[column] = pd.Series(lists, dtype=object, index=frame.index)
    frame["text"] = pd.Series(texts, dtype=object)
    return frame.sort_values("id", kind="stable").reset_index(drop=True)[list(ARTICLE_COLUMNS)]


def corpus_fingerprint(root: Path, article_digests: Iterable[str]) -> str:
    """A hash of every article file and both registry files: equal fingerprints, equal corpus."""
    digest = hashlib.blake2b(digest_size=16)
    for name in (OUTLETS_FILE, MEETINGS_FILE):
        path = Path(root) / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    for item in sorted(article_digests):
        digest.update(item.encode())
    return digest.hexdigest()
