"""The duplicate index: each corpus text's fingerprint and shingles, kept between imports.

An import compares its articles with every article already in the corpus, by
:func:`~analysis.ingest.duplicates.text_fingerprint` (exact duplicates) and by
:func:`~analysis.ingest.duplicates.shingles` (near duplicates). Working those
out for 10,000 texts takes seconds, on every import. The index keeps them in
the user's cache folder, next to the parse cache
(:func:`analysis.corpus.articles.corpus_cache_path`, kind ``duplicates``), so
that an import works them out only for texts it has not seen before: the
corpus's new or edited articles.

Each entry is keyed by a hash of the text itself (BLAKE2b of its UTF-8), and
what it holds depends on nothing but that text. An entry can therefore never
be out of date: an edited article has another key, and an index left behind
by an older corpus state, or written by another process meanwhile, only has
entries that are of no use. The index is only a cache: a file that is
missing, damaged, cut short, of another format version or unreadable is
treated as empty and rebuilt from the texts, and a cache folder that cannot be
written just means the index is not kept. Results never depend on it.

The file is one NumPy ``.npz`` archive (no pickle): ``version``, ``keys``
(the 16-byte text hashes, one uint8 row each), ``fingerprints`` (the 16 bytes
of each :func:`~analysis.ingest.duplicates.text_fingerprint`, likewise), and
the shingle sets in
compressed sparse row form, ``indptr`` (int64, one more than there are
entries) and ``indices`` (int32). It also keeps in how many of its texts each
shingle bucket is (the document frequency the near-duplicate search needs to
leave out common shingles), so an import counts only the texts added or removed
since, not every set: as ``frequency`` (int32, one per bucket) or, while the
sets hold fewer shingles than half the buckets, as ``frequency_buckets``
(int32, increasing) and ``frequency_counts`` (int32). A file without them, or with
counts that do not add up to its shingles, is still used; the counts are then
made again. It is written to a temporary file in the same folder and renamed
over the old one, so a reader never sees half a file.

The archive's members are stored uncompressed (:func:`numpy.savez`), so a
reader maps the file and takes each array where it lies, checked against the
archive's CRC-32 of it, instead of copying it out through :mod:`zipfile`: at
10,000 articles the file is about 110 MB, and reading it through
:func:`numpy.load` took most of a second of each import. The mapping is
private (copy on write): the document frequency, changed in place by the next
import, is copied a page at a time where it changes, never written back. The
mapping stays whole while the index is used because the file is only ever
replaced by a rename (see above), never written or cut short in place.

An import that changes few entries does not write the whole file again (at
50,000 articles it is about 300 MB): it writes what changed since the file was
written, beside it, as a second archive of the same kind (the *delta*,
``….delta.npz``): the keys removed and the entries added, and which file they
apply to (a hash of its members' names, CRC-32s and sizes, as its archive
lists them). A reader applies a delta only to that file, and only whole (every
key it removes must be there); any other is ignored. The delta is written
afresh at each import until it holds more than a tenth of the file's entries
(or 256, whichever is more), when the whole file is written again and the delta
removed. The file is written first: a reader in between sees the new file and
a delta that names the old one.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import mmap
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from analysis.corpus.articles import corpus_cache_path
from analysis.corpus.atomic import replacing
from analysis.ingest.duplicates import document_frequency

__all__ = ["INDEX_VERSION", "DuplicateIndex", "delta_path", "index_path", "text_key"]

#: Format of the index file. Raise it whenever the file's layout changes or
#: :func:`~analysis.ingest.duplicates.text_fingerprint` or
#: :func:`~analysis.ingest.duplicates.shingles` give other values for a text:
#: an index of another version is rebuilt.
INDEX_VERSION = 1

_KEY_BYTES = 16
# Shingles are hashed into 2**24 buckets (analysis.ingest.duplicates._BUCKETS).
_SHINGLE_LIMIT = 1 << 24
#: Most shingles in the sets for which the frequency is kept as the buckets used and
#: their counts (8 bytes each, and no more buckets than shingles) rather than as a
#: count for every bucket (4 bytes each).
_SPARSE_AT_MOST = _SHINGLE_LIMIT // 2


def text_key(text: str) -> bytes:
    """The index key of ``text``: 16 bytes of BLAKE2b over its UTF-8, changed by any edit."""
    # "surrogatepass": a text read from a file never holds a lone surrogate, but
    # hashing must not be the place where an import fails if one ever does.
    data = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=_KEY_BYTES).digest()


def index_path(root: Path) -> Path:
    """Where the duplicate index of the corpus folder ``root`` is kept."""
    return corpus_cache_path(root, "duplicates", ".npz")


def delta_path(path: Path) -> Path:
    """Where the changes since the index file at ``path`` was written are kept."""
    return path.with_name(path.name.removesuffix(".npz") + ".delta.npz")


#: A delta is written instead of the whole file while it holds at most this many changed
#: entries, or a :data:`_DELTA_SHARE` of the file's, whichever is more.
_DELTA_AT_MOST = 256
_DELTA_SHARE = 10


class DuplicateIndex:
    """Fingerprint and shingles per text, loaded from and saved to the user's cache.

    Typical use: :meth:`load`, :meth:`get` each text, :meth:`put` what was
    missing, then :meth:`save` with the texts the corpus now holds.
    """

    def __init__(
        self,
        path: Path,
        entries: dict[bytes, tuple[str, np.ndarray]],
        frequency: np.ndarray | None = None,
        base: tuple[bytes, frozenset[bytes]] | None = None,
    ) -> None:
        self.path = path
        self._entries = entries
        self._saved = set(entries)
        self._changed = False
        # The file on disk a delta may be written against: its identity and keys.
        self._base = base
        # The last document frequency worked out, and of which texts (each key as
        # many times as it was counted): the next one starts from it.
        self._counted: tuple[Counter[bytes], np.ndarray] | None = (
            None if frequency is None else (Counter(iter(entries)), frequency)
        )

    @classmethod
    def load(cls, root: Path) -> DuplicateIndex:
        """The index of the corpus folder ``root``; empty if there is none that can be read."""
        path = index_path(root)
        entries, frequency, identity = _read(path)
        if identity is None:
            return cls(path, entries, frequency)
        base = identity, frozenset(entries)
        _apply_delta(delta_path(path), identity, entries, frequency)
        return cls(path, entries, frequency, base)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, text: str) -> tuple[str, np.ndarray] | None:
        """``(text_fingerprint(text), shingles(text))`` if the index has ``text``."""
        return self.get_key(text_key(text))

    def get_key(self, key: bytes) -> tuple[str, np.ndarray] | None:
        """:meth:`get` of the text whose :func:`text_key` is ``key``."""
        return self._entries.get(key)

    def put(self, text: str, fingerprint: str, shingle_set: np.ndarray) -> None:
        """Record the fingerprint and shingles of ``text``."""
        self.put_key(text_key(text), fingerprint, shingle_set)

    def put_key(self, key: bytes, fingerprint: str, shingle_set: np.ndarray) -> None:
        """:meth:`put` of the text whose :func:`text_key` is ``key``."""
        if key not in self._entries:
            self._changed = True
        self._entries[key] = (fingerprint, shingle_set)

    def frequency(self, keys: Sequence[bytes]) -> np.ndarray:
        """In how many of the texts of ``keys`` each shingle bucket is.

        The same as :func:`~analysis.ingest.duplicates.document_frequency` of
        their sets (a key given twice counts twice), worked out from the last
        one (kept in the file) by the texts added and removed since; counted
        afresh when there is none, or when most texts changed. Every key
        must have an entry (:meth:`put_key`). The array is the index's own,
        changed in place by the next call (a copy of every bucket's count, for
        a five-article corpus, took longer than the import): read it before
        then, and do not change it.
        """
        wanted = Counter(keys)
        if self._counted is not None:
            counted, frequency = self._counted
            changes = {k: wanted[k] - counted[k] for k in wanted.keys() | counted.keys()}
            changes = {k: change for k, change in changes.items() if change}
            if len(changes) <= max(len(wanted), len(counted)) // 2:
                for key, change in changes.items():
                    # A set's buckets are distinct: each is added to once.
                    frequency[self._entries[key][1]] += np.int32(change)
                self._counted = (wanted, frequency)
                return frequency
        frequency = document_frequency(
            [self._entries[key][1] for key, times in wanted.items() for _ in range(times)]
        )
        self._counted = (wanted, frequency)
        return frequency

    def save(self, texts: Iterable[str]) -> bool:
        """Keep the entries of ``texts`` only and write the file if that changed anything.

        Entries of other texts (articles removed or edited) are dropped; a text
        the index does not have is skipped. Returns whether a file was written:
        ``False`` when nothing changed or the cache folder cannot be written.
        """
        return self.save_keys(map(text_key, texts))

    def save_keys(self, keys: Iterable[bytes]) -> bool:
        """:meth:`save` of the texts whose :func:`text_key` are ``keys``.

        A caller that has the keys already (:meth:`get_key`) saves hashing
        every text of the corpus a second time: a second of a 50,000-article import.
        """
        kept: dict[bytes, tuple[str, np.ndarray]] = {}
        for key in keys:
            entry = self._entries.get(key)
            if entry is not None:
                kept[key] = entry
        if kept.keys() == self._saved and not self._changed:
            self._entries = kept
            return False
        # Counted before the entries of removed texts are let go (they are subtracted).
        frequency = self.frequency(list(kept))
        self._entries = kept
        if self._base is not None:
            identity, base_keys = self._base
            added = [key for key in kept if key not in base_keys]
            removed = [key for key in base_keys if key not in kept]
            if len(added) + len(removed) <= max(_DELTA_AT_MOST, len(base_keys) // _DELTA_SHARE):
                if not _write_delta(delta_path(self.path), identity, kept, added, removed):
                    return False
                self._saved = set(kept)
                self._changed = False
                return True
        if not _write(self.path, kept, frequency):
            return False
        written = _identity(self.path)
        self._base = None if written is None else (written, frozenset(kept))
        with contextlib.suppress(OSError):
            delta_path(self.path).unlink(missing_ok=True)
        self._saved = set(kept)
        self._changed = False
        return True


def _read(
    path: Path,
) -> tuple[dict[bytes, tuple[str, np.ndarray]], np.ndarray | None, bytes | None]:
    """The entries of the index file at ``path`` (none if it cannot be read or checked),
    the document frequency of their sets if the file has it whole, and the file's identity
    (:func:`_identity`; ``None`` when it was not read)."""
    try:
        data, identity = _mapped_arrays(path)
        version = data["version"]
        keys = data["keys"]
        fingerprints = data["fingerprints"]
        indptr = data["indptr"]
        indices = data["indices"]
        frequency = _read_frequency(data, len(indices))
    except _UNREADABLE:
        # Missing, unreadable, not an archive, cut short, a member missing or damaged.
        return {}, None, None
    if not _well_formed(version, keys, fingerprints, indptr, indices):
        return {}, None, None
    entries = _entries(keys, fingerprints, indptr, indices)
    # Two entries with one key cannot both be kept: their counts would not be the file's.
    if len(entries) != len(keys):
        return entries, None, None
    return entries, frequency, identity


#: What reading an archive that is missing, unreadable, cut short or damaged raises.
_UNREADABLE = (OSError, ValueError, KeyError, EOFError, struct.error, zipfile.BadZipFile)


def _entries(
    keys: np.ndarray, fingerprints: np.ndarray, indptr: np.ndarray, indices: np.ndarray
) -> dict[bytes, tuple[str, np.ndarray]]:
    """Entries by key from an archive's well-formed arrays (see :func:`_well_formed`)."""
    # Rows of uint8 rather than NumPy's bytes type, which drops trailing zero bytes.
    key_bytes = keys.tobytes()
    fingerprint_hex = fingerprints.tobytes().hex()
    bounds = indptr.tolist()
    size = _KEY_BYTES
    entries = {
        key_bytes[i * size : (i + 1) * size]: (
            fingerprint_hex[2 * i * size : 2 * (i + 1) * size],
            indices[bounds[i] : bounds[i + 1]],
        )
        for i in range(len(keys))
    }
    return entries


def _apply_delta(
    path: Path,
    identity: bytes,
    entries: dict[bytes, tuple[str, np.ndarray]],
    frequency: np.ndarray | None,
) -> None:
    """Apply the delta at ``path`` to ``entries`` and ``frequency`` (in place) if it is one
    of the file whose identity is ``identity`` and every key it removes is there; else
    leave both as they are."""
    try:
        data, _ = _mapped_arrays(path)
        version, base, removed = data["version"], data["base"], data["removed"]
        keys, fingerprints = data["keys"], data["fingerprints"]
        indptr, indices = data["indptr"], data["indices"]
    except _UNREADABLE:
        return
    if (
        base.dtype != np.uint8
        or base.tobytes() != identity
        or removed.dtype != np.uint8
        or removed.ndim != 2
        or removed.shape[1] != _KEY_BYTES
        or not _well_formed(version, keys, fingerprints, indptr, indices)
    ):
        return
    gone = removed.tobytes()
    removed_keys = [gone[i : i + _KEY_BYTES] for i in range(0, len(gone), _KEY_BYTES)]
    removed_set = set(removed_keys)
    added = _entries(keys, fingerprints, indptr, indices)
    if (
        len(removed_set) != len(removed_keys)
        or len(added) != len(keys)
        or any(key not in entries for key in removed_keys)
        or any(key in entries and key not in removed_set for key in added)
    ):
        return
    for key in removed_keys:
        _, shingle_set = entries.pop(key)
        if frequency is not None:
            frequency[shingle_set] -= np.int32(1)
    for key, entry in added.items():
        entries[key] = entry
        if frequency is not None:
            frequency[entry[1]] += np.int32(1)


def _identity(path: Path) -> bytes | None:
    """What a delta names the index file at ``path`` by: a hash of its members' names,
    CRC-32s and sizes as its archive lists them; ``None`` if it cannot be read."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _members_identity(archive.infolist())
    except _UNREADABLE:
        return None


def _members_identity(members: list[zipfile.ZipInfo]) -> bytes:
    listed = "".join(f"{m.filename}:{m.CRC}:{m.file_size};" for m in members)
    return hashlib.blake2b(listed.encode(), digest_size=_KEY_BYTES).digest()


#: A zip archive's local file header: its signature, then fixed fields up to the lengths
#: of the member's name and extra field, which the member's data follows.
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_NPY_MAGIC = b"\x93NUMPY"


def _mapped_arrays(path: Path) -> tuple[dict[str, np.ndarray], bytes]:
    """The arrays of the ``.npz`` archive at ``path``, each a view of the file mapped
    copy-on-write, by member name without ``.npy``; and the archive's identity
    (:func:`_identity`).

    Raises ``ValueError`` (or what :mod:`zipfile` raises) for a file that is not such an
    archive of uncompressed members, is cut short, or has a member whose CRC-32 does not
    match: the reasons :func:`numpy.load` has for not reading it.
    """
    with path.open("rb") as handle:
        if not handle.read(4).startswith(b"PK"):
            raise ValueError("not a zip archive")
        handle.seek(0)
        members = zipfile.ZipFile(handle).infolist()
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
    view = memoryview(mapped)
    try:
        arrays = {
            member.filename.removesuffix(".npy"): _member_array(mapped, view, member)
            for member in members
        }
    finally:
        view.release()
    return arrays, _members_identity(members)


def _member_array(mapped: mmap.mmap, view: memoryview, member: zipfile.ZipInfo) -> np.ndarray:
    """The array of one stored ``.npy`` member of a mapped archive (see :func:`_mapped_arrays`)."""
    if member.compress_type != zipfile.ZIP_STORED or member.flag_bits & 0x1:
        raise ValueError(f"{member.filename}: compressed or encrypted")
    start = member.header_offset
    header = _LOCAL_HEADER.unpack_from(view, start)
    if header[0] != b"PK\x03\x04":
        raise ValueError(f"{member.filename}: no local header")
    start += _LOCAL_HEADER.size + header[-2] + header[-1]
    end = start + member.file_size
    if end > len(view):
        raise EOFError(f"{member.filename}: cut short")
    if zlib.crc32(view[start:end]) != member.CRC:
        raise ValueError(f"{member.filename}: CRC-32 does not match")
    # The .npy header: magic, version, its length (2 bytes in version 1, else 4), then text.
    if bytes(view[start : start + 6]) != _NPY_MAGIC:
        raise ValueError(f"{member.filename}: not a .npy array")
    major = view[start + 6]
    size_bytes = 2 if major == 1 else 4
    text_start = start + 8 + size_bytes
    text_end = text_start + int.from_bytes(view[start + 8 : text_start], "little")
    if text_end > end:
        raise ValueError(f"{member.filename}: header cut short")
    handle = io.BytesIO(bytes(view[start:text_end]))
    version = np.lib.format.read_magic(handle)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(handle)
    elif version == (2, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(handle)
    else:
        raise ValueError(f"{member.filename}: .npy format {version} not read here")
    if fortran_order or dtype.hasobject:
        raise ValueError(f"{member.filename}: not a C-ordered array of numbers")
    count = int(np.prod(shape, dtype=np.int64))
    if text_end + count * dtype.itemsize != end:
        raise ValueError(f"{member.filename}: size does not match its shape")
    if count == 0:
        return np.empty(shape, dtype=dtype)
    return np.frombuffer(mapped, dtype=dtype, count=count, offset=text_end).reshape(shape)


def _read_frequency(data: dict[str, np.ndarray], shingles: int) -> np.ndarray | None:
    """The file's document frequency, dense; ``None`` if it has none or one that does not
    add up (every shingle of every set counted once, none below zero)."""
    if "frequency" in data:
        frequency = data["frequency"]
        if (
            frequency.dtype != np.int32
            or frequency.shape != (_SHINGLE_LIMIT,)
            or frequency.min() < 0
            or int(frequency.sum(dtype=np.int64)) != shingles
        ):
            return None
        return frequency
    if "frequency_buckets" in data and "frequency_counts" in data:
        buckets, counts = data["frequency_buckets"], data["frequency_counts"]
        if (
            buckets.dtype != np.int32
            or counts.dtype != np.int32
            or buckets.ndim != 1
            or buckets.shape != counts.shape
        ):
            return None
        if len(buckets) and (
            buckets[0] < 0
            or buckets[-1] >= _SHINGLE_LIMIT
            or np.any(np.diff(buckets) <= 0)
            or counts.min() <= 0
        ):
            return None
        if int(counts.sum(dtype=np.int64)) != shingles:
            return None
        # Only the pages of the buckets used are written (a small corpus's file stays quick).
        frequency = np.zeros(_SHINGLE_LIMIT, dtype=np.int32)
        frequency[buckets] = counts
        return frequency
    return None


def _well_formed(
    version: np.ndarray,
    keys: np.ndarray,
    fingerprints: np.ndarray,
    indptr: np.ndarray,
    indices: np.ndarray,
) -> bool:
    """Whether the arrays are an index of this version whose shingle sets could be real."""
    if version.shape != () or version.dtype.kind not in "iu" or int(version) != INDEX_VERSION:
        return False
    if keys.ndim != 2:
        return False
    count = keys.shape[0]
    if (
        keys.dtype != np.uint8
        or keys.shape != (count, _KEY_BYTES)
        or fingerprints.dtype != np.uint8
        or fingerprints.shape != (count, _KEY_BYTES)
        or indptr.dtype != np.int64
        or indptr.shape != (count + 1,)
        or indices.dtype != np.int32
        or indices.ndim != 1
    ):
        return False
    if indptr[0] != 0 or indptr[-1] != len(indices) or np.any(np.diff(indptr) < 0):
        return False
    if len(indices) and (indices.min() < 0 or indices.max() >= _SHINGLE_LIMIT):
        return False
    # Each set is sorted and distinct, as shingles() makes it: only across a
    # boundary between two sets may a shingle not be larger than the one before.
    rising = np.diff(indices) > 0
    rising[indptr[1:-1][(indptr[1:-1] > 0) & (indptr[1:-1] < len(indices))] - 1] = True
    return bool(rising.all())


def _entry_arrays(entries: dict[bytes, tuple[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The archive members that hold ``entries``: ``keys``, ``fingerprints``, and the shingle
    sets as ``indptr`` and ``indices``, with the format ``version``."""
    sets = [s for _, s in entries.values()]
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    return {
        "version": np.array(INDEX_VERSION, dtype=np.int64),
        "keys": np.frombuffer(b"".join(entries), dtype=np.uint8).reshape(-1, _KEY_BYTES),
        "fingerprints": np.frombuffer(
            bytes.fromhex("".join(f for f, _ in entries.values())), dtype=np.uint8
        ).reshape(-1, _KEY_BYTES),
        "indptr": np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
        # The sets are int32 already: no second copy of every shingle (200 MB at 50,000
        # articles; 0.02-1.5 s here, slowest on memory the system had not handed out lately).
        "indices": (np.concatenate(sets) if sets else np.empty(0)).astype(np.int32, copy=False),
    }


def _save_archive(path: Path, arrays: dict[str, Any]) -> bool:
    """Write ``arrays`` as an ``.npz`` archive to ``path`` through a temporary file;
    ``False`` if it cannot be."""
    try:
        with replacing(path) as handle:
            np.savez(handle, **arrays)
    except OSError:
        # The index only saves time; a cache folder that cannot be written must not stop an import.
        return False
    return True


def _write(path: Path, entries: dict[bytes, tuple[str, np.ndarray]], frequency: np.ndarray) -> bool:
    """Write ``entries`` and their sets' ``frequency`` to ``path``; ``False`` if it cannot be."""
    arrays = _entry_arrays(entries)
    indices = arrays["indices"]
    # The buckets used and their counts while the sets hold few shingles (found from the
    # sets, without reading every bucket's count), else the count of every bucket.
    if len(indices) <= _SPARSE_AT_MOST:
        used = np.unique(indices)
        arrays |= {"frequency_buckets": used, "frequency_counts": frequency[used]}
    else:
        arrays["frequency"] = frequency
    return _save_archive(path, arrays)


def _write_delta(
    path: Path,
    identity: bytes,
    entries: dict[bytes, tuple[str, np.ndarray]],
    added: list[bytes],
    removed: list[bytes],
) -> bool:
    """Write the delta at ``path``: the entries of ``added`` (keys of ``entries``) and the
    keys ``removed`` since the file whose identity is ``identity``; ``False`` if it cannot be."""
    arrays: dict[str, Any] = _entry_arrays({key: entries[key] for key in added})
    arrays["base"] = np.frombuffer(identity, dtype=np.uint8)
    arrays["removed"] = np.frombuffer(b"".join(removed), dtype=np.uint8).reshape(-1, _KEY_BYTES)
    return _save_archive(path, arrays)
