"""Corpus folders and results stores kept elsewhere, at any fsspec URL.

A location such as ``s3://bucket/corpus``, ``gcs://…``, ``abfs://…`` or
``memory://…`` (any protocol fsspec knows, with its package installed: s3fs
for S3, gcsfs for Google Cloud Storage) is worked on through a local copy in
the user's cache folder, kept in step file by file:

* :func:`pull` brings the copy up to date with the URL: it lists the URL once
  and downloads only files that are new or whose listing (size, ETag or
  modification time) changed since the last pull, and removes from the copy
  what is gone from the URL. Unchanged files are not touched, so the parse
  cache and the results store see them as they were.
* :func:`push` sends back what changed in the copy since the last pull or
  push, ``last`` (a store's index) after everything else, and only then
  removes from the URL what the copy no longer holds. A reader that pulls
  while a push is under way sees the old index and the files it names.

What the last pull or push saw is recorded in :data:`RECORD` inside the copy,
written after the files: a pull or push killed half-way is finished by the
next one (a file whose record does not match is copied again), never trusted.
NFS and other mounted file systems need none of this: give their path.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.corpus.articles import cache_folder
from analysis.corpus.atomic import TEMP_SUFFIX, write_bytes_atomically, write_text_atomically

__all__ = [
    "RECORD",
    "RemoteError",
    "SyncReport",
    "is_url",
    "local_copy",
    "location",
    "pull",
    "push",
]

#: The file in a local copy recording what the last pull or push saw.
RECORD = ".narratives-sync.json"
#: Files fetched in one request to the remote file system (fetched concurrently where it can).
_BATCH = 256


class RemoteError(ValueError):
    """A remote location cannot be read or written; the message says which and what to do."""


@dataclass(frozen=True)
class SyncReport:
    """What one pull or push did, file by file."""

    copied: int
    removed: int
    unchanged: int

    def describe(self, verb: str) -> str:
        files = "file" if self.copied == 1 else "files"
        return f"{self.copied} {files} {verb}, {self.removed} removed, {self.unchanged} unchanged"


def is_url(where: str | Path) -> bool:
    """Whether ``where`` is a URL of another file system (``file://`` is a local path)."""
    return isinstance(where, str) and "://" in where and not where.startswith("file://")


def location(where: str) -> str | Path:
    """A command-line location: the URL as given, or a local path (``file://`` stripped)."""
    if where.startswith("file://"):
        return Path(where[len("file://") :])
    return where if is_url(where) else Path(where)


def local_copy(url: str, kind: str) -> Path:
    """The folder in the user's cache that holds the local copy of ``url``."""
    key = hashlib.blake2b(url.rstrip("/").encode(), digest_size=8).hexdigest()
    return cache_folder() / f"remote-{kind}-{key}"


def _filesystem(url: str) -> tuple[Any, str]:
    import fsspec

    protocol = url.split("://", 1)[0]
    try:
        fs, root = fsspec.core.url_to_fs(url)
    except ImportError as err:
        raise RemoteError(
            f"{url}: reading {protocol}:// needs a package that is not installed ({err}); "
            "install it (for example `pip install s3fs` for s3://) or copy the folder here"
        ) from err
    except ValueError as err:  # fsspec: "Protocol not known"
        raise RemoteError(
            f"{url}: {err}; give a local folder or a URL fsspec knows (s3://, gcs://, …)"
        ) from err
    return fs, root.rstrip("/")


def _listing(fs: Any, root: str, url: str) -> dict[str, str]:
    """Each file under ``root`` (relative path, no hidden parts) -> a hash of its listing."""
    try:
        if not fs.isdir(root):
            return {}
        found = fs.find(root, detail=True, withdirs=False)
    except OSError as err:
        raise RemoteError(f"{url}: cannot be listed ({err}); check the URL and access") from err
    listing = {}
    for path, info in found.items():
        rel = path[len(root) :].lstrip("/")
        if not rel or any(part.startswith(".") for part in rel.split("/")):
            continue
        described = {k: v for k, v in info.items() if k != "name"}
        text = json.dumps(described, sort_keys=True, default=str)
        listing[rel] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return listing


def _local_files(folder: Path) -> dict[str, list[int]]:
    """Each file in ``folder`` (relative path) -> its size and modification time."""
    files = {}
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in rel.split("/")) or path.name.endswith(TEMP_SUFFIX):
            continue
        if path.is_file():
            stat = path.stat()
            files[rel] = [stat.st_size, stat.st_mtime_ns]
    return files


def _read_record(folder: Path, url: str) -> tuple[dict[str, str], dict[str, list[int]]]:
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        if record.get("url") != url:
            return {}, {}
        return dict(record["remote"]), dict(record["local"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}, {}


def _write_record(
    folder: Path, url: str, remote: Mapping[str, str], local: Mapping[str, list[int]]
) -> None:
    body = json.dumps({"url": url, "remote": remote, "local": local})
    write_text_atomically(folder / RECORD, body)


def _batches(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def pull(url: str, folder: Path, *, must_exist: bool = False) -> SyncReport:
    """Bring the local copy ``folder`` of ``url`` up to date; see the module's notes.

    Raises
    ------
    RemoteError
        If the URL cannot be listed or read, or (``must_exist``) holds nothing.
    """
    fs, root = _filesystem(url)
    listing = _listing(fs, root, url)
    if must_exist and not listing:
        raise RemoteError(f"{url}: no such folder, or it is empty; check the URL")
    folder.mkdir(parents=True, exist_ok=True)
    remote_seen, local_seen = _read_record(folder, url)
    here = _local_files(folder)
    wanted = [
        rel
        for rel, ident in listing.items()
        if remote_seen.get(rel) != ident or rel not in here or here[rel] != local_seen.get(rel)
    ]
    for batch in _batches(wanted):
        try:
            data = fs.cat([f"{root}/{rel}" for rel in batch], on_error="raise")
        except (OSError, KeyError) as err:
            raise RemoteError(f"{url}: a file could not be read ({err}); run again") from err
        for rel in batch:
            write_bytes_atomically(folder / rel, data[f"{root}/{rel}"])
    gone = [rel for rel in here if rel not in listing]
    for rel in gone:
        with contextlib.suppress(FileNotFoundError):
            (folder / rel).unlink()
    _write_record(folder, url, listing, _local_files(folder))
    return SyncReport(len(wanted), len(gone), len(listing) - len(wanted))


def push(folder: Path, url: str, *, last: str | None = None) -> SyncReport:
    """Send what changed in the local copy ``folder`` to ``url``; see the module's notes.

    Raises
    ------
    RemoteError
        If the URL cannot be listed or written.
    """
    fs, root = _filesystem(url)
    folder.mkdir(parents=True, exist_ok=True)
    remote_seen, local_seen = _read_record(folder, url)
    listing = _listing(fs, root, url)
    here = _local_files(folder)
    changed = [
        rel
        for rel, ident in here.items()
        if local_seen.get(rel) != ident or remote_seen.get(rel) != listing.get(rel, "")
    ]
    changed.sort(key=lambda rel: rel == last)
    gone = [rel for rel in listing if rel not in here]
    try:
        for rel in changed:
            fs.makedirs(f"{root}/{rel}".rsplit("/", 1)[0], exist_ok=True)
            fs.put_file(str(folder / rel), f"{root}/{rel}")
        if gone:
            fs.rm([f"{root}/{rel}" for rel in gone])
    except OSError as err:
        raise RemoteError(f"{url}: could not be written ({err}); check the URL and access") from err
    _write_record(folder, url, _listing(fs, root, url), here)
    return SyncReport(len(changed), len(gone), len(here) - len(changed))
