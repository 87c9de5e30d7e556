"""The whole corpus: loading every article file with the registry, and the validation report.

A corpus folder holds ``outlets.yaml``, ``meetings.yaml`` and ``articles/``
(one file per article, see :mod:`analysis.corpus.article_file`); see
``docs/corpus.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

from analysis.corpus.article_file import MAX_ARTICLE_BYTES, CorpusFileError, parse_article
from analysis.corpus.atomic import replacing
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
_CACHE_VERSION = 5
#: A file whose modification or change time is this recent when the cache is
#: written may still be written to within the same timestamp tick: its size and
#: times are not trusted the next time, it is read and hashed again.
_SETTLED_NS = 2_000_000_000
#: Files whose size and times alone the cache has not recorded (written just before
#: it, or touched since with the same bytes), and files added since it was written,
#: that are read again on each load rather than rewriting the whole cache for them:
#: at least this many, or one in a hundred. Reading one takes a fraction of a
#: millisecond; rewriting the cache of 50,000 articles takes over a second.
_UNRECORDED_READ_AGAIN = 16


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
    return corpus_cache_path(root, "articles", ".arrow")


#: What the parse cache knows of a file it need not read: its size, modification
#: and change times and inode, and the hash of its bytes then.
_Known = tuple[tuple[int, int, int, int], str]

#: Columns of the articles table read from the files themselves (the outlet's
#: name and group come from the registry, which may change while the files do not).
_PARSED_COLUMNS = tuple(c for c in ARTICLE_COLUMNS if c not in ("outlet_name", "outlet_group"))
#: Of those, the ones kept in the cache as pandas writes them (not the text, not lists).
_PLAIN_COLUMNS = [c for c in _PARSED_COLUMNS if c not in ("text", "authors", "meetings")]
_LIST_TYPE = pa.list_(pa.string())
#: Where the cache file keeps its version and the problems of the files that failed.
_CACHE_META = b"narratives"
#: Where it keeps what is known of each file: an Arrow table (:data:`_FILE_COLUMNS`).
_FILES_META = b"narratives.files"
_FILE_COLUMNS = ("name", "size", "mtime_ns", "ctime_ns", "inode", "digest")


@dataclass
class _ParseCache:
    """The parse cache: every article parsed, by the key ``articles/<name>:<hash>``.

    ``table`` holds the articles that parsed (one row each, :data:`_PARSED_COLUMNS`
    and ``key``), ``rows`` their row by key, ``problems`` what is wrong with the
    files that did not, and ``known`` what is known of each file by name.
    """

    table: pa.Table | None = None
    rows: dict[str, int] = field(default_factory=dict)
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    known: dict[str, _Known] = field(default_factory=dict)


def _read_cache(path: Path) -> _ParseCache:
    """The cache in ``path``: empty when it is missing, damaged, or of another version.

    An Arrow file, mapped rather than read: its columns become the articles
    table's without decoding (the texts stay in the file's pages until read).
    """
    try:
        table = ipc.open_file(pa.memory_map(str(path))).read_all()
        metadata = table.schema.metadata or {}
        meta = json.loads(metadata[_CACHE_META])
        if meta["version"] != _CACHE_VERSION or table.column_names != [*_PARSED_COLUMNS, "key"]:
            return _ParseCache()
        files = ipc.open_stream(pa.py_buffer(metadata[_FILES_META])).read_all()
        if tuple(files.column_names) != _FILE_COLUMNS:
            return _ParseCache()
        name, size, mtime, ctime, inode, digest = (c.to_pylist() for c in files.columns)
        identities = zip(size, mtime, ctime, inode, strict=True)
        known = dict(zip(name, zip(identities, digest, strict=True), strict=True))
        problems = {
            key: [Problem(*fields) for fields in listed] for key, listed in meta["problems"].items()
        }
        keys = table.column("key").to_pylist()
    except (OSError, pa.ArrowException, ValueError, KeyError, TypeError):
        return _ParseCache()
    return _ParseCache(table, {key: row for row, key in enumerate(keys)}, problems, known)


def _write_cache(
    path: Path, parsed: pd.DataFrame, problems: dict[str, list[Problem]], known: dict[str, _Known]
) -> None:
    """Keep ``parsed`` (the articles that parsed, with their ``key``) and what is known of files."""
    names = list(known)
    files = pa.table(
        [
            pa.array(names, type=pa.string()),
            *(pa.array([known[name][0][k] for name in names], type=pa.int64()) for k in range(4)),
            pa.array([known[name][1] for name in names], type=pa.string()),
        ],
        names=list(_FILE_COLUMNS),
    )
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, files.schema) as stream:
        stream.write_table(files)
    meta = {
        "version": _CACHE_VERSION,
        "problems": {
            key: [[p.file, p.field, p.message, p.line, p.severity] for p in listed]
            for key, listed in problems.items()
        },
    }
    metadata = {
        _CACHE_META: json.dumps(meta).encode(),
        _FILES_META: sink.getvalue().to_pybytes(),
    }
    # A record batch per slice of rows: the texts' copy for the file is made a
    # slice at a time, not for the whole corpus at once.
    slices = [
        parsed.iloc[start : start + _ROWS_PER_BATCH]
        for start in range(0, len(parsed), _ROWS_PER_BATCH)
    ]
    batches = (_cache_table(part, metadata) for part in slices or [parsed])
    try:
        with replacing(path) as handle:
            batch = next(batches)
            with ipc.new_file(handle, batch.schema) as writer:
                writer.write_table(batch)
                del batch
                for batch in batches:
                    writer.write_table(batch)
        # The cache of earlier versions, one pickle of every parsed article.
        path.with_suffix(".pickle").unlink(missing_ok=True)
    except OSError:
        # The cache only saves time; a read-only home must not stop the corpus from loading.
        return


#: Rows of the parse cache written at a time (see :func:`_write_cache`).
_ROWS_PER_BATCH = 1_000


def _cache_table(parsed: pd.DataFrame, metadata: dict[bytes, bytes]) -> pa.Table:
    """The parse cache's columns for the rows of ``parsed``, with the file's ``metadata``."""
    table = pa.Table.from_pandas(parsed[_PLAIN_COLUMNS], preserve_index=False)
    texts = parsed["text"]
    table = table.append_column(
        "text",
        pa.array(
            texts.to_numpy() if texts.dtype == object else texts.array, type=pa.large_string()
        ),
    )
    for column in LIST_COLUMNS:
        table = table.append_column(
            column, pa.array([list(items) for items in parsed[column]], type=_LIST_TYPE)
        )
    table = table.select(list(_PARSED_COLUMNS)).append_column(
        "key", pa.array(parsed["key"].tolist(), type=pa.string())
    )
    return table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})


def _cached_frame(cache: _ParseCache, rows: list[int], *, strings: bool) -> pd.DataFrame:
    """The cache's ``rows`` as :func:`_parsed_frame` makes parsed articles, with their ``key``.

    The cache is in id order, so the rows are taken in that order. Without
    ``strings`` the texts stay in the mapped file (an Arrow string column, no
    copy) until something reads them. With ``strings`` they are read into Python
    strings and the other columns are copied out of the file, so nothing points
    into it once the cache is let go: a column left over the mapped file kept it
    mapped, and the texts' pages, made resident by reading them, counted as the
    process's memory (0.36 GiB at 50,000 articles, through a whole ``analyze``).
    """
    assert cache.table is not None
    table = cache.table
    rows = sorted(rows)
    whole = rows == list(range(table.num_rows))
    taken = pa.array(rows, type=pa.int64())
    if strings:
        texts = table.column("text") if whole else table.column("text").take(taken)
        # Copied into memory (take always copies); the texts are read out below.
        table = table.select([*_PLAIN_COLUMNS, "key", *LIST_COLUMNS]).take(taken)
        frame = table.select([*_PLAIN_COLUMNS, "key"]).to_pandas()
        frame["text"] = pd.Series(
            texts.to_numpy(zero_copy_only=False), dtype=object, index=frame.index
        )
        del texts
    else:
        if not whole:
            table = table.take(taken)
        frame = table.select([*_PLAIN_COLUMNS, "text", "key"]).to_pandas()
    for column in LIST_COLUMNS:
        frame[column] = _tuples(table.column(column).to_pylist(), frame.index)
    return frame[[*_PARSED_COLUMNS, "key"]]


def _strings(values: list[str], index: pd.Index) -> pd.Series:
    """An object column of the Python strings ``values`` (pandas would infer a string column)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return pd.Series(array, dtype=object, index=index)


def _tuples(values: list[Any], index: pd.Index) -> pd.Series:
    """An object column of ``values`` (lists) as tuples, not rows of a 2-D array."""
    array = np.empty(len(values), dtype=object)
    for position, value in enumerate(values):
        array[position] = tuple(value)
    return pd.Series(array, dtype=object, index=index)


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


def load_corpus(
    corpus_dir: Path | str,
    *,
    use_cache: bool = True,
    mapped_texts: bool = False,
    stats: Mapping[str, os.stat_result] | None = None,
) -> Corpus:
    """Load and validate the corpus in ``corpus_dir``.

    Every problem is reported at once; a bad file is left out and the others
    still load. Parsed files are cached by the hash of their bytes, so the
    cache cannot go stale: an edited file has a new hash and is parsed again.
    A file whose size, modification and change times and inode are those it
    had when the cache was written is not even read (its hash then is used):
    any write changes its change time, which no tool can set back. As git does,
    a file written in the last :data:`_SETTLED_NS` before the cache was saved
    is read again the next time; a few such files are read on each load rather
    than the cache being written again for them (see :func:`_known_changed`).

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
    mapped_texts
        Leave the texts where the cache has them: the ``text`` column is then an
        Arrow string column over the mapped cache file, and a text costs nothing
        until it is read (for readers of the metadata, such as the dashboard's
        Overview: 50,000 texts are 400 MB). By default ``text`` holds Python
        strings, made once here, which is what an analysis reading every text
        wants: it reads them once, and holds them once.
    stats
        What ``os.stat`` gave for files of ``articles/``, by file name, just
        before (the dashboard states them for the folder's fingerprint): those
        files are not stated again. A file written since has a newer change
        time than its stat says, so it is hashed again on the next load.
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
    cache = _read_cache(cache_file) if use_cache else _ParseCache()
    settled_before = time.time_ns() - _SETTLED_NS
    fresh_known: dict[str, _Known] = {}
    fresh_problems: dict[str, list[Problem]] = {}
    cached_rows: list[int] = []
    new_rows: list[dict[str, Any]] = []
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
        stat = stats.get(entry.name) if stats else None
        if stat is None:
            stat = entry.stat()
        identity = _identity(stat)
        seen = cache.known.get(entry.name)
        data = None
        if seen is not None and seen[0] == identity:
            digest = seen[1]
        else:
            data = _read(entry.path, stat.st_size)
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        digests.append(f"{entry.name}:{digest}")
        key = f"{rel}:{digest}"
        if use_cache and max(stat.st_mtime_ns, stat.st_ctime_ns) < settled_before:
            fresh_known[entry.name] = (identity, digest)
        if key in cache.rows:
            cached_rows.append(cache.rows[key])
            continue
        outcome: Article | list[Problem] | None = cache.problems.get(key)
        if outcome is None:
            if data is None:
                data = _read(entry.path, stat.st_size)
            outcome = _parse(data, rel, stat.st_size, entry.name)
        if isinstance(outcome, list):
            fresh_problems[key] = outcome
            problems.extend(outcome)
            continue
        row = _article_row(outcome, rel)
        row["key"] = key
        new_rows.append(row)

    parsed = _parsed_articles(cache, cached_rows, new_rows, strings=not mapped_texts)
    # A few new files (an import's) are parsed again on each load, as files touched since
    # the cache was written are read again (see _known_changed), rather than writing the
    # cache of every article again for them.
    if use_cache and (
        cache.table is None
        or len(new_rows) > _read_again_at_most(len(digests))
        or len(cached_rows) != len(cache.rows)
        or fresh_problems != cache.problems
        or _known_changed(cache.known, fresh_known)
    ):
        _write_cache(cache_file, parsed, fresh_problems, fresh_known)
    del cache, new_rows
    articles = _articles_frame(_check_references(parsed, outlets, meetings, problems), outlets)
    del parsed
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


def _known_changed(recorded: dict[str, _Known], fresh: dict[str, _Known]) -> bool:
    """Whether what is known of the files differs enough from the cache's to write it again.

    A file the cache does not know, or knows with other times but the same hash
    (its row is in the cache either way), is only read and hashed again on each
    load; up to :data:`_UNRECORDED_READ_AGAIN` of them, or one in a hundred
    files, do not make the whole cache be written again. Anything else does:
    a file the cache knows by another hash, or one it records that is gone.
    """
    if recorded.keys() - fresh.keys():
        return True
    unrecorded = 0
    for name, known in fresh.items():
        seen = recorded.get(name)
        if seen == known:
            continue
        if seen is not None and seen[1] != known[1]:
            return True
        unrecorded += 1
    return unrecorded > _read_again_at_most(len(fresh))


def _read_again_at_most(files: int) -> int:
    """How many of ``files`` may be read again on each load rather than the cache written."""
    return max(_UNRECORDED_READ_AGAIN, files // 100)


def _read(path: str, size: int) -> bytes:
    """The bytes of the file ``path`` of ``size`` bytes, up to one past the largest article."""
    if size > MAX_ARTICLE_BYTES:
        with open(path, "rb") as handle:
            return handle.read(MAX_ARTICLE_BYTES + 1)
    return Path(path).read_bytes()


def _parse(data: bytes, rel: str, size: int, name: str) -> Article | list[Problem]:
    """The article in the bytes ``data`` of the file ``rel``, or what is wrong with it."""
    try:
        article = parse_article(data, path=rel, size=size)
    except CorpusFileError as err:
        return err.problems
    if article.id != name[: -len(".md")]:
        return [
            Problem(rel, "id", f"{article.id!r} does not match the file name; rename one of them")
        ]
    return article


def _parsed_articles(
    cache: _ParseCache,
    cached_rows: list[int],
    new_rows: list[dict],
    *,
    strings: bool,
) -> pd.DataFrame:
    """Every article that parsed, in id order, with its cache ``key``.

    The texts of the cache's rows are a string column over its file; those of
    ``new_rows`` are the Python strings parsed when ``strings`` is set (the
    load hands out Python strings), else a string column as well.
    """
    parts = []
    if cached_rows:
        parts.append(_cached_frame(cache, cached_rows, strings=strings))
    if new_rows or not parts:
        part = _parsed_frame(new_rows, strings=strings)
        part["key"] = pd.Series([row["key"] for row in new_rows], dtype="str")
        parts.append(part)
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    if not frame["id"].is_monotonic_increasing:
        frame = frame.sort_values("id", kind="stable", ignore_index=True)
    return frame


def _inside(path: Path, root: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def _check_references(
    parsed: pd.DataFrame,
    outlets: Mapping[str, Outlet],
    meetings: Mapping[str, Meeting],
    problems: list[Problem],
) -> pd.DataFrame:
    """``parsed`` without the articles whose id is taken twice or whose keys are not registered."""
    counts = Counter(parsed["id"].tolist())
    keep = np.ones(len(parsed), dtype=bool)
    ids, paths = parsed["id"].tolist(), parsed["path"].tolist()
    outlet_keys, listed_meetings = parsed["outlet"].tolist(), parsed["meetings"].tolist()
    # Reported in the order of the files, as the problems of each file were.
    for position in sorted(range(len(paths)), key=paths.__getitem__):
        article_id, path = ids[position], paths[position]
        outlet, listed = outlet_keys[position], listed_meetings[position]
        if counts[article_id] > 1:
            problems.append(Problem(path, "id", f"{article_id!r} is used by another file"))
            keep[position] = False
        if outlet not in outlets:
            problems.append(
                Problem(
                    path,
                    "outlet",
                    f"{outlet!r} is not in {OUTLETS_FILE}; add it there or fix the key",
                )
            )
            keep[position] = False
        for meeting in listed:
            if meeting not in meetings:
                problems.append(
                    Problem(
                        path,
                        "meetings",
                        f"{meeting!r} is not in {MEETINGS_FILE}; add it there or fix the key",
                    )
                )
                keep[position] = False
    return parsed if keep.all() else parsed[keep].reset_index(drop=True)


#: Columns of the articles table that hold a tuple of texts (written joined with "; ").
LIST_COLUMNS = ("authors", "meetings")


def _parsed_frame(rows: list[dict[str, Any]], *, strings: bool) -> pd.DataFrame:
    """The :data:`_PARSED_COLUMNS` of ``rows`` (from :func:`_article_row`), in their order."""
    frame = pd.DataFrame(
        [{c: row.get(c) for c in _PLAIN_COLUMNS} for row in rows],
        columns=_PLAIN_COLUMNS,
        index=range(len(rows)),
    )
    frame["published"] = pd.to_datetime(frame["published"])
    frame["year"] = frame["year"].astype("Int64")
    string_columns = [c for c in _PLAIN_COLUMNS if c not in ("published", "year")]
    frame[string_columns] = frame[string_columns].fillna("").astype(str)
    texts = [row["text"] for row in rows]
    # The strings themselves, or a string column (Arrow) as a load from the cache gives.
    frame["text"] = (
        _strings(texts, frame.index)
        if strings
        else pd.Series(texts, dtype="str", index=frame.index)
    )
    for column in LIST_COLUMNS:
        frame[column] = _tuples([row[column] for row in rows], frame.index)
    return frame[list(_PARSED_COLUMNS)]


def _articles_frame(parsed: pd.DataFrame, outlets: Mapping[str, Outlet]) -> pd.DataFrame:
    """The articles table (:data:`ARTICLE_COLUMNS`) of the ``parsed`` articles (in id order)."""
    frame = parsed.drop(columns="key")
    frame["outlet_name"] = frame["outlet"].map({k: o.name for k, o in outlets.items()})
    frame["outlet_group"] = frame["outlet"].map({k: o.group for k, o in outlets.items()})
    frame[["outlet_name", "outlet_group"]] = (
        frame[["outlet_name", "outlet_group"]].fillna("").astype(str)
    )
    return frame[list(ARTICLE_COLUMNS)]


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
