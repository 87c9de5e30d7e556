"""Exact and near-duplicate detection for imported articles.

Exact duplicates have the same *normalized text*: Unicode NFKC, case-folded,
reduced to its words (letters and digits) separated by single spaces, so a
copy that differs only in line breaks, punctuation or capitals is still the
same text.

Near duplicates are the same story reworded, syndicated or reposted with other
page chrome. Each text becomes the set of its word 3-grams ("shingles"); two
texts are near duplicates when the shingles they share make up at least
:data:`NEAR_DUPLICATE_THRESHOLD` of the smaller set (the *overlap coefficient*).
The smaller set is the denominator so that a repost carrying a long comment
form or a donation appeal still matches its original. A word replaced by a
synonym breaks the three shingles that contain it: a copy with one word in
seven replaced keeps about 63% of its shingles. Different articles share far
less: under 3% between seeds of different outlets, and 33% between the two
Euromaidan Press seeds, which cover different meetings but carry the same long
footer and donation appeal.

Shingles used by more than :data:`COMMON_SHINGLE_SHARE` of all texts (and more
than :data:`COMMON_SHINGLE_MIN` of them) are left out before comparing: phrases
such as "the united states" or an outlet's footer say nothing about whether two
texts are one story, and leaving them out keeps the sparse matrix product
small. Texts are compared as rows of a sparse binary matrix, in chunks, so
checking 10,000 new texts against 50,000 takes seconds rather than the hours a
pairwise loop would.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp

__all__ = [
    "COMMON_SHINGLE_MIN",
    "COMMON_SHINGLE_SHARE",
    "MIN_SHINGLES",
    "NEAR_DUPLICATE_THRESHOLD",
    "NearDuplicate",
    "document_frequency",
    "find_near_duplicates",
    "normalize_text",
    "shingles",
    "text_fingerprint",
]

#: Share of the smaller text's shingles two texts must have in common.
NEAR_DUPLICATE_THRESHOLD = 0.5
#: Texts with fewer distinctive shingles than this are too short to judge and never match.
MIN_SHINGLES = 20
#: A shingle in more than this share of all compared texts is left out ...
COMMON_SHINGLE_SHARE = 0.01
#: ... provided it is also in more than this many texts (small corpora keep everything).
COMMON_SHINGLE_MIN = 50

_SHINGLE_WORDS = 3
# Shingles are hashed into this many buckets; two unrelated 1,000-word texts
# collide on about 0.06 shingles, far below any threshold.
_BUCKETS = 1 << 24
_WORD = re.compile(r"\w+")
_CHUNK_ROWS = 2000
# Candidate pairs are found on one shingle in four (chosen by hash, so the same
# shingles in every text) with a lenient threshold, then checked on all shingles.
_SAMPLE_EVERY = 4
_CANDIDATE_FACTOR = 0.6


@dataclass(frozen=True)
class NearDuplicate:
    """The closest earlier text of one new text.

    ``index`` is the new text's position; ``of_index`` is a position in the
    existing texts when ``among`` is ``"existing"``, or an earlier position
    among the new texts when it is ``"new"``.
    """

    index: int
    among: Literal["existing", "new"]
    of_index: int
    similarity: float


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def normalize_text(text: str) -> str:
    """The text's words, case-folded, separated by single spaces."""
    return " ".join(_words(text))


def text_fingerprint(text: str) -> str:
    """A hash of :func:`normalize_text`: equal fingerprints, exact duplicates."""
    return hashlib.blake2b(normalize_text(text).encode("utf-8"), digest_size=16).hexdigest()


def shingles(text: str) -> np.ndarray:
    """The sorted, distinct hashed word 3-grams of ``text`` (an int32 array).

    Words are hashed with CRC-32 and combined with NumPy, so the same text
    gives the same shingles in every run (Python's own string hash changes
    from one process to the next) and similarities are reproducible.
    """
    words = _words(text)
    if len(words) < _SHINGLE_WORDS:
        return np.empty(0, dtype=np.int32)
    word_hashes = np.fromiter(
        (zlib.crc32(word.encode("utf-8")) for word in words), dtype=np.uint64, count=len(words)
    )
    with np.errstate(over="ignore"):
        hashed = (
            word_hashes[:-2] * np.uint64(0x9E3779B97F4A7C15)
            + word_hashes[1:-1] * np.uint64(0xC2B2AE3D27D4EB4F)
            + word_hashes[2:]
        )
    hashed ^= hashed >> np.uint64(29)
    return np.unique(hashed & np.uint64(_BUCKETS - 1)).astype(np.int32)


#: Shingles counted at once when the document frequencies are summed.
_COUNT_ENTRIES = 1 << 22


def document_frequency(*groups: Sequence[np.ndarray]) -> np.ndarray:
    """In how many of the sets each bucket is (every set holds distinct shingles).

    Counted a few million shingles at a time, each block's distinct buckets
    and their counts added to one table: the sets of a whole corpus are never
    put together in one array, and no table of every bucket is made per block
    (``np.bincount``'s, 128 MB each, cost more in fresh memory than in counting).
    """
    frequency = np.zeros(_BUCKETS, dtype=np.int32)

    def add(block: list[np.ndarray]) -> None:
        buckets, counts = np.unique(np.concatenate(block), return_counts=True)
        frequency[buckets] += counts.astype(np.int32)

    for sets in groups:
        block: list[np.ndarray] = []
        size = 0
        for shingle_set in sets:
            block.append(shingle_set)
            size += len(shingle_set)
            if size >= _COUNT_ENTRIES:
                add(block)
                block, size = [], 0
        if block:
            add(block)
    return frequency


def _not_in(bits: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is outside the set whose membership ``bits`` packs.

    ``bits`` is ``np.packbits(member, bitorder="little")``: 2 MB for every bucket,
    where a look-up in a bool per bucket (16 MB) misses the processor's caches.
    """
    return ((bits[values >> 3] >> (values & 7).astype(np.uint8)) & 1) == 0


def _blocks(
    sets: Sequence[np.ndarray], bits: np.ndarray
) -> Iterator[tuple[int, np.ndarray, np.ndarray, int]]:
    """Per :data:`_CHUNK_ROWS` sets: the first one's row, their kept shingles, the rows of
    those, and how many sets. Kept: not common (``bits``, see :func:`_not_in`), in a
    set left with at least :data:`MIN_SHINGLES` of them."""
    for first in range(0, len(sets), _CHUNK_ROWS):
        block = sets[first : first + _CHUNK_ROWS]
        lengths = np.fromiter(map(len, block), dtype=np.int64, count=len(block))
        values = np.concatenate(block) if len(block) else np.zeros(0, dtype=np.int32)
        rows = np.repeat(np.arange(len(block)), lengths)
        keep = _not_in(bits, values)
        enough = np.bincount(rows[keep], minlength=len(block)) >= MIN_SHINGLES
        keep &= enough[rows]
        yield first, values[keep], rows[keep], len(block)


def _ones(indices: np.ndarray, indptr: np.ndarray) -> sp.csr_matrix:
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, _BUCKETS))


def _distinctive(
    sets: Sequence[np.ndarray], bits: np.ndarray
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Each set without its common shingles, and one in :data:`_SAMPLE_EVERY` of those.

    A set left with fewer than :data:`MIN_SHINGLES` shingles is emptied (too
    little to compare). Both are CSR matrices of ones, a row per set, filled
    in place from the sets, :data:`_CHUNK_ROWS` sets at a time: no copy of
    every shingle is made beyond them. ``bits`` packs which shingles are
    common (see :func:`_not_in`).
    """
    kept_sizes = np.zeros(len(sets), dtype=np.int64)
    sample_sizes = np.zeros(len(sets), dtype=np.int64)
    for first, kept, rows, size in _blocks(sets, bits):
        kept_sizes[first : first + size] = np.bincount(rows, minlength=size)
        sample_sizes[first : first + size] = np.bincount(
            rows[kept % _SAMPLE_EVERY == 0], minlength=size
        )
    kept_indptr = np.concatenate(([0], np.cumsum(kept_sizes)))
    sample_indptr = np.concatenate(([0], np.cumsum(sample_sizes)))
    kept_indices = np.empty(kept_indptr[-1], dtype=np.int32)
    sample_indices = np.empty(sample_indptr[-1], dtype=np.int32)
    for first, kept, _, size in _blocks(sets, bits):
        kept_indices[kept_indptr[first] : kept_indptr[first + size]] = kept
        sampled = kept[kept % _SAMPLE_EVERY == 0]
        sample_indices[sample_indptr[first] : sample_indptr[first + size]] = sampled
    return _ones(kept_indices, kept_indptr), _ones(sample_indices, sample_indptr)


def _sampled(sets: Sequence[np.ndarray], bits: np.ndarray) -> sp.csr_matrix:
    """The sample of :func:`_distinctive` alone, in one pass over the sets (a quarter of
    their shingles is kept meanwhile)."""
    sizes = np.zeros(len(sets), dtype=np.int64)
    parts: list[np.ndarray] = []
    for first, kept, rows, size in _blocks(sets, bits):
        sampled = kept % _SAMPLE_EVERY == 0
        sizes[first : first + size] = np.bincount(rows[sampled], minlength=size)
        parts.append(kept[sampled])
    indices = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return _ones(indices, np.concatenate(([0], np.cumsum(sizes))))


def _sharing(sets: Sequence[np.ndarray], buckets: np.ndarray) -> np.ndarray:
    """The positions of the sets that hold at least one of ``buckets``, in increasing order.

    One look-up per shingle in a packed table of ``buckets`` (2 MB, which stays
    in the processor's caches), :data:`_CHUNK_ROWS` sets at a time.
    """
    # Packed as np.packbits(member, bitorder="little") packs, without a bool per bucket.
    bits = np.zeros(_BUCKETS // 8, dtype=np.uint8)
    np.bitwise_or.at(bits, buckets >> 3, np.left_shift(1, buckets & 7).astype(np.uint8))
    found: list[np.ndarray] = []
    for first in range(0, len(sets), _CHUNK_ROWS):
        block = sets[first : first + _CHUNK_ROWS]
        if not len(block):
            continue
        lengths = np.fromiter(map(len, block), dtype=np.int64, count=len(block))
        values = np.concatenate(block)
        hits = np.flatnonzero(~_not_in(bits, values))
        if len(hits):
            ends = np.cumsum(lengths)
            found.append(np.unique(np.searchsorted(ends, hits, side="right")) + first)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _kept(shingle_set: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """One set's row of :func:`_distinctive`'s kept shingles."""
    _, kept, _, _ = next(_blocks([shingle_set], bits))
    return kept


def _candidates(
    rows: sp.csr_matrix,
    row_sizes: np.ndarray,
    columns: sp.csr_matrix,
    column_sizes: np.ndarray,
    *,
    threshold: float,
    row_offset: int,
    earlier_only: bool,
) -> tuple[np.ndarray, np.ndarray]:
    return _kept_candidates(
        rows @ columns, row_sizes, column_sizes, threshold, row_offset, earlier_only=earlier_only
    )


def _kept_candidates(
    shared: sp.csr_matrix,
    row_sizes: np.ndarray,
    column_sizes: np.ndarray,
    threshold: float,
    row_offset: int,
    *,
    earlier_only: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs whose shared sampled shingles make them worth comparing in full."""
    pairs = shared.tocoo()
    row_index = pairs.row + row_offset
    smaller = np.maximum(np.minimum(row_sizes[row_index], column_sizes[pairs.col]), 1)
    keep = pairs.data / smaller >= _CANDIDATE_FACTOR * threshold
    if earlier_only:
        keep &= pairs.col < row_index
    return row_index[keep], pairs.col[keep]


def _row(matrix: sp.csr_matrix, index: int) -> np.ndarray:
    return matrix.indices[matrix.indptr[index] : matrix.indptr[index + 1]]


def _overlap(first: np.ndarray, second: np.ndarray) -> float:
    smaller = min(len(first), len(second))
    if smaller == 0:
        return 0.0
    return len(np.intersect1d(first, second, assume_unique=True)) / smaller


def find_near_duplicates(
    new: Sequence[np.ndarray],
    existing: Sequence[np.ndarray] = (),
    *,
    threshold: float = NEAR_DUPLICATE_THRESHOLD,
    existing_frequency: np.ndarray | None = None,
) -> list[NearDuplicate]:
    """Find, for each new text, its closest existing or earlier new text.

    Parameters
    ----------
    new
        Shingle sets (from :func:`shingles`) of the texts being imported, in
        import order.
    existing
        Shingle sets of the texts already in the corpus.
    threshold
        Smallest overlap coefficient (shared shingles over the smaller set)
        that makes two texts near duplicates; between 0 and 1.
    existing_frequency
        :func:`document_frequency` of ``existing`` when it is known (the
        duplicate index keeps it), so that only the new sets are counted.

    Returns
    -------
    list of NearDuplicate
        One entry per new text that has a near duplicate, in import order. An
        existing text wins over an equally close earlier new text, and of
        equally close texts the first (in corpus or import order) wins.

    Raises
    ------
    ValueError
        If ``threshold`` is not in (0, 1].
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    if not new:
        return []
    limit = max(COMMON_SHINGLE_MIN, COMMON_SHINGLE_SHARE * (len(new) + len(existing)))
    if existing_frequency is None:
        common = document_frequency(new, existing) > limit
    else:
        # The new texts' counts added where they have shingles, not to a table of every bucket.
        common = existing_frequency > limit
        buckets, counts = np.unique(np.concatenate(new), return_counts=True)
        common[buckets] = existing_frequency[buckets] + counts > limit
    bits = np.packbits(common, bitorder="little")
    del common
    new_kept, new_sample = _distinctive(new, bits)
    new_sample_sizes = np.diff(new_sample.indptr)
    new_columns = new_sample.T.tocsr()

    best: dict[int, NearDuplicate] = {}

    def consider(
        rows: np.ndarray, cols: np.ndarray, among: str, kept: Callable[[int], np.ndarray]
    ) -> None:
        # In order of new text, then earlier text: of equally close ones, the earliest wins.
        order = np.lexsort((cols, rows))
        for row, col in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
            similarity = _overlap(_row(new_kept, row), kept(col))
            if similarity >= threshold and (row not in best or similarity > best[row].similarity):
                best[row] = NearDuplicate(row, among, col, similarity)  # type: ignore[arg-type]

    def chunked(columns: sp.csr_matrix, sizes: np.ndarray, among: str, kept: sp.csr_matrix) -> None:
        for start in range(0, len(new), _CHUNK_ROWS):
            chunk = new_sample[start : start + _CHUNK_ROWS]
            rows, cols = _candidates(
                chunk,
                new_sample_sizes,
                columns,
                sizes,
                threshold=threshold,
                row_offset=start,
                earlier_only=among == "new",
            )
            consider(rows, cols, among, lambda col: _row(kept, col))

    if len(new) <= _CHUNK_ROWS:
        # Few new texts: only the existing texts that hold one of the new ones'
        # sampled shingles can share any (those are distinctive, so theirs too). Their
        # samples are multiplied by the new ones' columns, which needs no transposed
        # copy of every existing shingle, and an existing text's distinctive shingles
        # are worked out only if it is a candidate.
        sharing = _sharing(existing, new_sample.indices)
        existing_sample = _sampled([existing[k] for k in sharing.tolist()], bits)
        shared = (existing_sample @ new_columns).T.tocsr()
        rows, cols = _kept_candidates(
            shared,
            new_sample_sizes,
            np.diff(existing_sample.indptr),
            threshold,
            0,
            earlier_only=False,
        )
        consider(rows, sharing[cols], "existing", lambda col: _kept(existing[col], bits))
    else:
        existing_kept, existing_sample = _distinctive(existing, bits)
        chunked(
            existing_sample.T.tocsr(), np.diff(existing_sample.indptr), "existing", existing_kept
        )
    chunked(new_columns, new_sample_sizes, "new", new_kept)
    return [best[index] for index in sorted(best)]
