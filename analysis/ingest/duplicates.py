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
from collections.abc import Sequence
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


def _matrix(sets: Sequence[np.ndarray]) -> sp.csr_matrix:
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = np.concatenate(sets) if sets else np.empty(0, dtype=np.int32)
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(sets), _BUCKETS))


def _keep_distinctive(matrix: sp.csr_matrix, common: np.ndarray) -> sp.csr_matrix:
    kept = matrix.copy()
    kept.data[common[kept.indices]] = 0
    kept.eliminate_zeros()
    sizes = np.diff(kept.indptr)
    too_short = np.repeat(sizes < MIN_SHINGLES, sizes)
    kept.data[too_short] = 0
    kept.eliminate_zeros()
    return kept


def _sample(kept: sp.csr_matrix) -> sp.csr_matrix:
    sampled = kept.copy()
    sampled.data[sampled.indices % _SAMPLE_EVERY != 0] = 0
    sampled.eliminate_zeros()
    return sampled


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
    shared = (rows @ columns).tocoo()
    row_index = shared.row + row_offset
    smaller = np.maximum(np.minimum(row_sizes[row_index], column_sizes[shared.col]), 1)
    keep = shared.data / smaller >= _CANDIDATE_FACTOR * threshold
    if earlier_only:
        keep &= shared.col < row_index
    return row_index[keep], shared.col[keep]


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

    Returns
    -------
    list of NearDuplicate
        One entry per new text that has a near duplicate, in import order. An
        existing text wins over an equally close earlier new text.

    Raises
    ------
    ValueError
        If ``threshold`` is not in (0, 1].
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    if not new:
        return []
    new_matrix = _matrix(new)
    existing_matrix = _matrix(existing)
    document_frequency = np.bincount(new_matrix.indices, minlength=_BUCKETS) + np.bincount(
        existing_matrix.indices, minlength=_BUCKETS
    )
    limit = max(COMMON_SHINGLE_MIN, COMMON_SHINGLE_SHARE * (len(new) + len(existing)))
    common = document_frequency > limit
    new_kept = _keep_distinctive(new_matrix, common)
    existing_kept = _keep_distinctive(existing_matrix, common)
    new_sample = _sample(new_kept)
    existing_sample = _sample(existing_kept)
    new_sample_sizes = np.diff(new_sample.indptr)
    existing_sample_sizes = np.diff(existing_sample.indptr)
    # Transposed once here rather than once per chunk.
    existing_columns = existing_sample.T.tocsr()
    new_columns = new_sample.T.tocsr()

    best: dict[int, NearDuplicate] = {}
    for start in range(0, len(new), _CHUNK_ROWS):
        chunk = new_sample[start : start + _CHUNK_ROWS]
        for among, columns, column_sizes, kept in (
            ("existing", existing_columns, existing_sample_sizes, existing_kept),
            ("new", new_columns, new_sample_sizes, new_kept),
        ):
            rows, cols = _candidates(
                chunk,
                new_sample_sizes,
                columns,
                column_sizes,
                threshold=threshold,
                row_offset=start,
                earlier_only=among == "new",
            )
            for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
                similarity = _overlap(_row(new_kept, row), _row(kept, col))
                if similarity >= threshold and (
                    row not in best or similarity > best[row].similarity
                ):
                    best[row] = NearDuplicate(row, among, col, similarity)  # type: ignore[arg-type]
    return [best[index] for index in sorted(best)]
