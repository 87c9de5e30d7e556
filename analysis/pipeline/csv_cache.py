"""CSV text of table parts already written, so a table that changed in a few articles is not
turned into text again.

Making CSV text is most of what writing an analysis costs (at 10,000 articles
the evidence table alone is about 200 MB of it). An article-keyed table
(evidence, stance, sources ...) is cut into parts of consecutive articles;
where a part is cut depends on the article ids alone (after an article whose
id hashes to a multiple of :data:`PART_EVERY`), so adding, changing or
removing an article changes the part it is in and no other. A part's text is
kept in a folder under a key that hashes everything its text is made from:
the table's columns and types, every value of its rows, how cells are quoted
and, for evidence, the cleaned text and headline of its articles (its
sentences are cut from them). The text of a part found there is used as it
is; any other part is made and kept. The table's text is the same either way
(tested against writing it whole).

The folder is a cache: deleting it loses nothing, and a missing part, or one
whose text does not match the checksum kept with it, is made again.

A kept part is not read into Python to be written out again: its checksum is
worked out over the file mapped in memory, and :func:`write_part` has the
kernel copy it into the table's file (``copy_file_range``) instead of it being
read, decoded, encoded and written (after one article added to 10,000, writing
the tables took 1.49 s under cProfile instead of 1.70 s).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import mmap
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from analysis.corpus.atomic import TEMP_SUFFIX, write_bytes_atomically

__all__ = ["PART_EVERY", "CsvCache", "KeptPart", "article_parts", "row_hashes", "write_part"]

#: On average, articles per part (a part ends after an id whose CRC-32 is a multiple of it).
PART_EVERY = 64
#: Bytes of kept text, as a multiple of what one write used, above which unused parts go.
_KEEP_FACTOR = 2


def article_parts(ids: pd.Series) -> list[tuple[int, int]] | None:
    """Row ranges of consecutive articles, cut where the article ids say.

    ``None`` when the rows of an article are not all together (the table is
    then written whole).
    """
    codes, uniques = pd.factorize(ids, sort=False)
    if len(codes) == 0:
        return []
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    if len(starts) != len(uniques):
        return None
    # Runs are in order of first appearance, so run k is article uniques[k].
    names = [str(name) for name in np.asarray(uniques, dtype=object).tolist()]
    cut_after = np.fromiter(
        (zlib.crc32(name.encode("utf-8", "surrogatepass")) % PART_EVERY == 0 for name in names),
        dtype=bool,
        count=len(names),
    )
    ends = np.r_[starts[1:], len(codes)]
    bounds = np.r_[0, ends[cut_after]]
    if bounds[-1] != len(codes):
        bounds = np.r_[bounds, len(codes)]
    return [(int(lo), int(hi)) for lo, hi in itertools.pairwise(bounds)]


def _checksum(body: bytes | memoryview) -> bytes:
    """The first line of a kept part: a CRC-32 of the rest, so a damaged file is never used.

    (Parts are written whole or not at all; the check is for damage on disk, for
    which a CRC is enough, at a fifth of a cryptographic hash's time on the 250 MB
    of parts an analysis of 10,000 articles reads.)
    """
    return b"%08x" % zlib.crc32(body)


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of every row's values (types and column names are hashed apart)."""
    if frame.empty:
        return np.zeros(len(frame), dtype=np.uint64)
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


@dataclass(frozen=True)
class KeptPart:
    """A part's CSV text as kept, checked against its checksum: ``length`` bytes of the
    open file ``source`` from ``offset``.

    Valid until the next part is asked for (:meth:`CsvCache.parts` closes the
    file then); the file stays readable even if another process removes it.
    """

    source: IO[bytes]
    offset: int
    length: int

    def data(self) -> bytes:
        """The part's text as UTF-8."""
        return os.pread(self.source.fileno(), self.length, self.offset)


def write_part(target: IO[bytes], part: str | bytes | KeptPart) -> int:
    """Append ``part`` (text, its UTF-8, or a :class:`KeptPart`) to the binary file
    ``target``; its bytes.

    A kept part is copied by the kernel from its file (``copy_file_range``),
    or read and written where that cannot be done (another operating system, a
    file system that refuses it, or a ``target`` that is no file of its own,
    such as a member of a zip file).
    """
    if isinstance(part, str):
        return target.write(part.encode("utf-8"))
    if isinstance(part, bytes):
        return target.write(part)
    copy = getattr(os, "copy_file_range", None)
    if copy is not None and part.length and _has_descriptor(target):
        # What Python has buffered goes first: the kernel writes at the file's own offset.
        target.flush()
        source, destination = part.source.fileno(), target.fileno()
        done = 0
        with contextlib.suppress(OSError):
            while done < part.length:
                copied = copy(source, destination, part.length - done, part.offset + done)
                if copied == 0:
                    break
                done += copied
        if done == part.length:
            return done
        # Nothing more copied (or refused): the rest is read and written here, after what
        # the kernel wrote (it moved the file's offset past it).
        rest = os.pread(source, part.length - done, part.offset + done)
        target.write(rest)
        return done + len(rest)
    return target.write(part.data())


def _has_descriptor(target: IO[bytes]) -> bool:
    try:
        target.fileno()
    except (OSError, ValueError):
        return False
    return True


class CsvCache:
    """Kept CSV text of table parts, in ``root``, one file per part key.

    ``version`` goes into every key: text kept by another version of the code
    that writes it is never used (and is removed in time by :meth:`prune`).
    """

    def __init__(self, root: Path, version: str = "") -> None:
        self.root = Path(root)
        self.version = version.encode()
        self.used: set[str] = set()
        self.used_bytes = 0
        self.made = 0
        self.reused = 0

    def parts(
        self,
        ranges: list[tuple[int, int]],
        describe: bytes,
        row_keys: np.ndarray,
        make: Callable[[int, int], tuple[bytes, np.ndarray] | None],
        *,
        batch_rows: int = 50_000,
    ) -> Iterator[bytes | KeptPart]:
        """The text of each row range of a table, kept (:class:`KeptPart`) or made (UTF-8).

        ``describe`` holds what the text depends on beyond the rows (columns,
        types, quoting); ``row_keys`` one 64-bit hash per row of everything
        else it is made from. ``make(lo, hi)`` gives the text of rows
        ``lo:hi`` as UTF-8 and where each row ends in it (or ``None``, and
        each part is then made on its own): parts not kept are made together,
        up to ``batch_rows`` rows at once.
        """
        keys = []
        for lo, hi in ranges:
            digest = hashlib.blake2b(self.version + b"\0" + describe, digest_size=16)
            digest.update(row_keys[lo:hi].tobytes())
            keys.append(digest.hexdigest())
        first = 0
        while first < len(ranges):
            kept = self._open(keys[first])
            if kept is not None:
                with kept.source:
                    self._use(keys[first], kept.length)
                    self.reused += 1
                    first += 1
                    yield kept
                continue
            # The parts not kept from here on, made together.
            last = first + 1
            while (
                last < len(ranges)
                and ranges[last][1] - ranges[first][0] <= batch_rows
                and not (self.root / f"{keys[last]}.csv").exists()
            ):
                last += 1
            yield from self._made(ranges[first:last], keys[first:last], make)
            first = last

    def _made(
        self,
        ranges: list[tuple[int, int]],
        keys: list[str],
        make: Callable[[int, int], tuple[bytes, np.ndarray] | None],
    ) -> Iterator[bytes]:
        lo = ranges[0][0]
        made = make(lo, ranges[-1][1]) if len(ranges) > 1 else None
        for (start, stop), key in zip(ranges, keys, strict=True):
            if made is None:
                alone = make(start, stop)
                if alone is None:
                    raise ValueError(f"rows {start}-{stop} could not be made into CSV text")
                body = alone[0]
            else:
                data, ends = made
                begin = 0 if start == lo else int(ends[start - lo - 1])
                body = data[begin : int(ends[stop - lo - 1])] if stop > start else b""
            self._write(key, body)
            self.made += 1
            self._use(key, len(body))
            # As UTF-8: decoded here, it would only be encoded again to be written.
            yield body

    def _use(self, key: str, size: int) -> None:
        self.used.add(key)
        self.used_bytes += size

    def _open(self, key: str) -> KeptPart | None:
        """The kept text, open; ``None`` when there is none or it is not what was written.

        The checksum is worked out over the file mapped in memory: its text is
        not read into Python.
        """
        try:
            source = (self.root / f"{key}.csv").open("rb")
        except OSError:
            return None
        try:
            with mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                header, size = mapped.find(b"\n"), len(mapped)
                with memoryview(mapped) as view:
                    matches = header >= 0 and view[:header] == _checksum(view[header + 1 :])
            if matches:
                return KeptPart(source, header + 1, size - header - 1)
        except (OSError, ValueError):
            # Unreadable, or empty (an empty file cannot be mapped): made again.
            pass
        source.close()
        return None

    def _write(self, key: str, body: bytes) -> None:
        try:
            write_bytes_atomically(self.root / f"{key}.csv", _checksum(body) + b"\n" + body)
        except OSError:
            # Only a cache: the table is written all the same.
            return

    def prune(self) -> None:
        """Past twice the text this write used, remove the parts it did not use, oldest first."""
        with contextlib.suppress(OSError):
            files = [
                (path.stat().st_mtime, path.stat().st_size, path)
                for path in self.root.iterdir()
                if path.suffix in (".csv", TEMP_SUFFIX)
            ]
            total = sum(size for _, size, _ in files)
            for _, size, path in sorted(files, key=lambda item: item[0]):
                if total <= _KEEP_FACTOR * self.used_bytes:
                    break
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)
                    total -= size
