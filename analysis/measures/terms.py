"""Terms: words and short phrases counted per article, the input of every term contrast.

A *term* is a word token (:mod:`analysis.text.tokens`) or a phrase of up to
three consecutive tokens. Single words that are stopwords or one character
long are not terms. A phrase is a term when it does not start or end with a
stopword (inner stopwords are kept: "secretary of state"), does not cross a
phrase break (".", ",", ";", brackets, quotes, dashes, a paragraph break), and
occurs at least ``min_phrase_count`` times in the corpus.

No document-frequency cut-off is applied to single words: a word every article
uses ("kerry", "putin") stays a term.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import scipy.sparse as sp

from analysis.pipeline.workers import map_streamed
from analysis.text.tokens import DEFAULT_LANGUAGES, PHRASE_BREAKS, stopwords_of, tokens_and_breaks

__all__ = ["TermCounts", "TokenStreams", "count_terms", "text_key"]

# Phrase occurrences sorted at once when numbering phrases; bounds that step's memory.
_BUCKET_SIZE = 250_000
#: Positions worked on at once where a whole-stream int64 array would be needed.
_SLICE = 1 << 20
# Marks the end of an article in the token stream so no phrase spans two articles.
_DOCUMENT_BREAK = "."


@dataclass(frozen=True)
class TermCounts:
    """Term counts of a corpus.

    Attributes
    ----------
    counts : scipy.sparse.csr_matrix
        Articles × terms, ``int32`` counts; row *i* is the *i*-th input text.
    terms : numpy.ndarray
        Term strings (object array), one per column. Columns hold single words,
        then two-word phrases, then three-word phrases; within a length the
        order is fixed by the input but carries no meaning.
    n_words : numpy.ndarray
        Words in each term (1 to ``max_words``), ``int8``.
    doc_tokens : numpy.ndarray
        Word tokens of each article, stopwords included, ``int64``.
    """

    counts: sp.csr_matrix
    terms: np.ndarray
    n_words: np.ndarray
    doc_tokens: np.ndarray


@dataclass(frozen=True)
class TokenStreams:
    """The token ids of counted texts, kept so a later count need not tokenize them again.

    Tokenizing is most of what counting terms costs; the phrase work after it
    is array arithmetic on the ids. Text *i* (``keys[i]``, :func:`text_key`)
    is ``stream[offsets[i]:offsets[i + 1]]``, ids into ``words``, ending with
    the article break. Ids are only meaningful with ``words``: a later count
    maps them to its own by the words themselves.
    """

    words: np.ndarray
    keys: np.ndarray
    offsets: np.ndarray
    stream: np.ndarray


def text_key(text: str) -> bytes:
    """The key of a text in :class:`TokenStreams`: a hash of its exact characters."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Vocabulary:
    """Word ids in order of first use, the reserved strings first.

    Words of a reused text are given ids as they first appear in the stream,
    exactly as tokenizing that text would give them, so a count that reuses
    earlier streams has the same ids, columns and terms as one that does not.
    """

    def __init__(self, reserved: Sequence[str]) -> None:
        self.ids: defaultdict[str, int] = defaultdict()
        self.ids.default_factory = self.ids.__len__
        for word in reserved:
            self.ids[word]
        self.lookup = self.ids.__getitem__

    def reused(self, streams: TokenStreams) -> Callable[[int, int], np.ndarray]:
        """A function giving the ids, in this vocabulary, of reused texts *first* to *last* - 1."""
        to_new = np.full(len(streams.words), -1, dtype=np.int32)
        words = streams.words
        lookup = self.lookup

        def texts(first: int, last: int) -> np.ndarray:
            old = streams.stream[streams.offsets[first] : streams.offsets[last]]
            ids = to_new[old]
            unseen = ids < 0
            if unseen.any():
                # Numbered in the order the texts use them, as tokenizing would.
                for word_id in dict.fromkeys(old[unseen].tolist()):
                    to_new[word_id] = lookup(words[word_id])
                ids = to_new[old]
            return ids

        return texts


#: Reused texts mapped at once when they follow each other in the kept streams too.
_REUSED_RUN = 32
#: Texts given to a worker process at once, when texts are tokenized on several.
_TOKENIZE_BATCH = 256


def _batch_ids(texts: list[str]) -> tuple[str, list[bytes]]:
    """The tokens and breaks (:func:`tokens_and_breaks`) of a batch of texts, as ids of its
    own words.

    The batch's distinct words in order of first use, one per line (no token or
    break holds a line break), and for each text the id of each of its tokens
    in that list (``int32`` bytes). Far less crosses between processes than a
    list of every token, and giving the words corpus ids is then one lookup per
    distinct word of the batch, in the order the corpus-wide ids need (texts in
    order, each text's tokens in order).
    """
    own: dict[str, int] = {}
    number = own.setdefault
    encoded = [
        array("i", [number(token, len(own)) for token in tokens_and_breaks(text)]).tobytes()
        for text in texts
    ]
    return "\n".join(own), encoded


def _token_lists(texts: list[str]) -> list[list[str]]:
    """Each text's tokens and breaks (:func:`tokens_and_breaks`)."""
    return [tokens_and_breaks(text) for text in texts]


def _encode(
    texts: Iterable[str],
    reserved: Sequence[str],
    reuse: TokenStreams | None = None,
    keep: bool = False,
    workers: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[bytes]]:
    """Token ids of the whole corpus as one stream, an article break after each article.

    ``reserved`` strings get the first ids, so "is a stopword or a break" is a
    single comparison on the ids. A text whose key is in ``reuse`` is not
    tokenized again. With ``keep`` or ``reuse``, each text's key is returned too.
    With several ``workers`` and nothing to reuse, texts are tokenized in
    worker processes while this one gives ids to the tokens of the texts
    before; the ids are the same.
    """
    vocabulary = _Vocabulary(reserved)
    lookup = vocabulary.lookup
    stream = array("i")
    lengths = array("q")
    keys: list[bytes] = []
    known: dict[bytes, int] = {}
    reused: Callable[[int, int], np.ndarray] | None = None
    # Reused texts waiting to be mapped: kept texts run_first to run_last - 1.
    run_first = run_last = 0

    def flush() -> None:
        if reuse is not None and reused is not None and run_last > run_first:
            stream.frombytes(reused(run_first, run_last).tobytes())
            lengths.frombytes(
                np.diff(reuse.offsets[run_first : run_last + 1]).astype(np.int64).tobytes()
            )

    if reuse is not None:
        known = {key: i for i, key in enumerate(reuse.keys.tolist())}
        reused = vocabulary.reused(reuse)
    hashed = keep or reused is not None

    def batches() -> Iterator[tuple[list[int], list[str]]]:
        # Each text's place in the kept streams (-1: to tokenize), and the texts to tokenize.
        places: list[int] = []
        to_tokenize: list[str] = []
        for text in texts:
            if not isinstance(text, str):
                raise ValueError(f"texts must be strings, got {type(text).__name__}")
            place = -1
            if hashed:
                key = text_key(text)
                keys.append(key)
                place = known.get(key, -1)
            places.append(place)
            if place < 0:
                to_tokenize.append(text)
            if len(places) == _TOKENIZE_BATCH:
                yield places, to_tokenize
                places, to_tokenize = [], []
        if places:
            yield places, to_tokenize

    # Reusing streams, few texts are new (an import's): not worth starting processes for.
    # (Reused texts are given ids as they come, between the others: a batch's words are
    # given theirs at once only when no text is reused.)
    workers = workers if reuse is None else 1
    tokenize: Callable[[list[str]], tuple[str, list[bytes]] | list[list[str]]] = (
        _batch_ids if workers > 1 else _token_lists
    )
    batch_ids = np.zeros(0, dtype=np.int32)
    for places, tokenized in map_streamed(tokenize, batches(), workers=workers):
        if isinstance(tokenized, tuple):
            batch_words, per_text = tokenized
            listed = batch_words.split("\n") if batch_words else []
            batch_ids = np.fromiter(map(lookup, listed), dtype=np.int32, count=len(listed))
            next_tokens: Callable[[], bytes | list[str]] = iter(per_text).__next__
        else:
            next_tokens = iter(tokenized).__next__
        for found in places:
            if found >= 0:
                # Ids are given in order of use either way: texts are mapped in order.
                if found != run_last or run_last - run_first >= _REUSED_RUN:
                    flush()
                    run_first = found
                run_last = found + 1
                continue
            flush()
            run_first = run_last = 0
            tokens = next_tokens()
            before = len(stream)
            if isinstance(tokens, bytes):
                if tokens:
                    stream.frombytes(batch_ids[np.frombuffer(tokens, dtype=np.int32)].tobytes())
            else:
                stream.extend(map(lookup, tokens))
            stream.append(0)
            lengths.append(len(stream) - before)
    flush()
    words = np.array(list(vocabulary.ids), dtype=object)
    return (
        np.frombuffer(stream, dtype=np.int32),
        np.frombuffer(lengths, dtype=np.int64),
        words,
        keys,
    )


def _row_pointers(positions: np.ndarray, doc_ends: np.ndarray) -> np.ndarray:
    """CSR row pointers of occurrences at increasing stream positions, one row per article.

    An article's occurrences are those before its end and not before the
    previous article's end. Stream positions are int32, so every pointer fits
    in int32 too.
    """
    indptr = np.zeros(len(doc_ends) + 1, dtype=np.int32)
    indptr[1:] = np.searchsorted(positions, doc_ends, side="left")
    return indptr


def _block(
    positions: np.ndarray, columns: np.ndarray, doc_ends: np.ndarray, n_columns: int
) -> sp.csr_matrix:
    """A CSR count matrix from occurrences at increasing stream positions and their columns."""
    matrix = sp.csr_matrix(
        (
            np.ones(len(columns), dtype=np.int32),
            columns.astype(np.int32, copy=False),
            _row_pointers(positions, doc_ends),
        ),
        shape=(len(doc_ends), n_columns),
    )
    matrix.sum_duplicates()
    return matrix


#: Rows stacked at a time by :func:`_stack_columns`, and articles per chunk of single-word counts.
_STACK_ROWS = 2048


def _stack_columns(leading: list[sp.csr_matrix], blocks: list[sp.csr_matrix]) -> sp.csr_matrix:
    """``sp.hstack([sp.vstack(leading), *blocks], format="csr")``, holding less at once.

    ``leading`` is the first block of columns cut into consecutive chunks of
    ``_STACK_ROWS`` rows; each chunk is dropped from the list once copied, so
    that block is never held whole beside the result. scipy concatenates every
    block's data and indices before it stacks them, a third full copy of the
    counts beside the blocks and the result; here the result is filled a slice
    of rows at a time, from small stacks of the blocks' rows.
    """
    n_rows = sum(chunk.shape[0] for chunk in leading)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    indptr[1:] = np.concatenate([np.diff(chunk.indptr) for chunk in leading])
    for block in blocks:
        indptr[1:] += np.diff(block.indptr)
    np.cumsum(indptr, out=indptr)
    data = np.empty(int(indptr[-1]), dtype=np.int32)
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    n_columns = leading[0].shape[1] + sum(block.shape[1] for block in blocks)
    leading.reverse()
    for first in range(0, n_rows, _STACK_ROWS):
        last = min(first + _STACK_ROWS, n_rows)
        chunk = leading.pop()
        part = sp.hstack(
            [chunk, *[block[first:last] for block in blocks]], format="csr", dtype=np.int32
        )
        del chunk
        data[indptr[first] : indptr[last]] = part.data
        indices[indptr[first] : indptr[last]] = part.indices
    index_type = np.int32 if indptr[-1] <= np.iinfo(np.int32).max else np.int64
    return sp.csr_matrix((data, indices, indptr.astype(index_type)), shape=(n_rows, n_columns))


def _word_chunks(
    stream: np.ndarray, column_of: np.ndarray, doc_ends: np.ndarray, n_columns: int
) -> list[sp.csr_matrix]:
    """The single-word counts in chunks of ``_STACK_ROWS`` articles.

    ``column_of`` gives each word id its column, or -1 when it is not a term.
    Each chunk is built from its own slice of the stream, so the positions and
    columns of every token in the corpus are never held at once.
    """
    chunks = [sp.csr_matrix((0, n_columns), dtype=np.int32)] if len(doc_ends) == 0 else []
    begin = 0
    for first in range(0, len(doc_ends), _STACK_ROWS):
        ends = doc_ends[first : first + _STACK_ROWS] - begin
        columns = column_of[stream[begin : begin + int(ends[-1])]]
        positions = np.flatnonzero(columns >= 0).astype(np.int32)
        chunks.append(_block(positions, columns[positions], ends, n_columns))
        begin += int(ends[-1])
    return chunks


def _compact(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``values[keep]``, written over the front of ``values`` slice by slice (no second copy)."""
    write = 0
    for lo in range(0, len(values), _SLICE):
        part = values[lo : lo + _SLICE][keep[lo : lo + _SLICE]]
        values[write : write + len(part)] = part
        write += len(part)
    return values[:write]


def _word_at(stream: np.ndarray, starts: np.ndarray, offset: int) -> np.ndarray:
    """``stream[starts + offset]``, one slice of ``starts`` at a time."""
    found = np.empty(len(starts), dtype=stream.dtype)
    for lo in range(0, len(starts), _SLICE):
        found[lo : lo + _SLICE] = stream[starts[lo : lo + _SLICE] + offset]
    return found


def _extends(
    stream: np.ndarray, starts: np.ndarray, is_break: np.ndarray, offset: int
) -> np.ndarray:
    """Whether the word ``offset`` places after each start exists and is not a break.

    Worked out one slice of ``starts`` at a time, so no second array of the
    starts or of their words is held.
    """
    extends = starts < len(stream) - offset
    for lo in range(0, len(starts), _SLICE):
        part = extends[lo : lo + _SLICE]
        part[part] = ~is_break[stream[starts[lo : lo + _SLICE][part] + offset]]
    return extends


def _codes_fit(codes: np.ndarray, vocabulary_size: int) -> bool:
    """Whether ``codes * vocabulary_size + word_id`` stays within int64."""
    limit = (np.iinfo(np.int64).max - vocabulary_size) // vocabulary_size
    return not codes.size or int(codes.max()) <= limit


def _spelled_out_codes_fit(vocabulary_size: int, n: int) -> bool:
    """Whether every sequence of ``n`` word ids has a code ``sum(id_k * V**(n-1-k))`` in int64."""
    return bool(vocabulary_size**n - 1 <= np.iinfo(np.int64).max)


def _spelled_out_codes(
    stream: np.ndarray, starts: np.ndarray, n: int, vocabulary_size: int
) -> np.ndarray:
    """The code of the ``n`` words from each of ``starts``, worked out from the stream itself.

    Equal sequences get equal codes and different ones different codes, as
    long as :func:`_spelled_out_codes_fit` says so.
    """
    codes = stream[starts].astype(np.int64)
    for offset in range(1, n):
        codes *= vocabulary_size
        codes += stream[starts + offset]
    return codes


def _spelled_out_codes_at(
    stream: np.ndarray,
    starts: np.ndarray,
    candidates: np.ndarray,
    n: int,
    vocabulary_size: int,
    at: np.ndarray,
) -> np.ndarray:
    """The codes of the phrases starting at ``starts[candidates[at]]``."""
    return _spelled_out_codes(stream, starts[candidates[at]], n, vocabulary_size)


def _codes_at(codes: np.ndarray, candidates: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``codes[candidates[at]]``: the held codes of the candidates at ``at``."""
    return codes[candidates[at]]


def _positions(mask: np.ndarray) -> np.ndarray:
    """``np.flatnonzero(mask)`` as int32, found slice by slice (no int64 array of them all)."""
    parts = [
        np.flatnonzero(mask[first : first + _SLICE]).astype(np.int32) + first
        for first in range(0, len(mask), _SLICE)
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


def _number_phrases(
    codes_of: Callable[[np.ndarray], np.ndarray], size: int, min_count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Number the distinct codes of ``size`` occurrences seen at least ``min_count`` times.

    ``codes_of(indices)`` gives the codes of the occurrences at those indices
    (increasing), so no array of every occurrence's code need be held.
    Returns the column of each occurrence (-1 when its code is too rare) and,
    for each column, the index of one occurrence. Codes are split into
    buckets by value so the sort behind :func:`numpy.unique` never holds all
    of them.
    """
    columns = np.full(size, -1, dtype=np.int32)
    firsts = [np.zeros(0, dtype=np.int64)]
    n_columns = 0
    n_buckets = max(1, size // _BUCKET_SIZE)
    bucket = np.empty(size, dtype=np.int16 if n_buckets < 2**15 else np.int32)
    for lo in range(0, size, _SLICE):
        bucket[lo : lo + _SLICE] = codes_of(np.arange(lo, min(lo + _SLICE, size))) % n_buckets
    for b in range(n_buckets):
        members = np.flatnonzero(bucket == b)
        _, first, inverse, counts = np.unique(
            codes_of(members), return_index=True, return_inverse=True, return_counts=True
        )
        kept = counts >= min_count
        numbers = np.where(kept, np.cumsum(kept) - 1 + n_columns, -1).astype(np.int32)
        columns[members] = numbers[inverse]
        firsts.append(members[first[kept]])
        n_columns += int(kept.sum())
    return columns, np.concatenate(firsts)


def count_terms(
    texts: Iterable[str],
    *,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
    max_words: int = 3,
    min_phrase_count: int = 2,
    reuse: TokenStreams | None = None,
    keep: Callable[[TokenStreams], None] | None = None,
    workers: int = 1,
) -> TermCounts:
    """Count the terms of every text: the document-term matrix of a corpus.

    Tokens are mapped to integer ids once; phrases are then formed, filtered
    and counted with NumPy on the id stream, so the corpus never holds a
    string for every candidate phrase.

    Parameters
    ----------
    texts : iterable of str
        Article texts (cleaned text, not raw pages).
    languages : iterable of str, default ("en", "ru", "uk")
        Languages whose stopword lists are merged. Codes without a shipped list
        add no stopwords.
    max_words : int, default 3
        Longest phrase, in words (1 = single words only).
    min_phrase_count : int, default 2
        A phrase must occur this many times in the whole corpus to become a
        term; a phrase seen once can never be evidence of a pattern. Single
        words are never pruned.
    reuse : TokenStreams, optional
        Token streams of an earlier count (see ``keep``): a text found there
        is not tokenized again. The result is the same with or without it.
    keep : callable, optional
        Called once with this count's :class:`TokenStreams`, to be passed
        as ``reuse`` to a later count (for example, kept on disk).
    workers : int, default 1
        Processes that tokenize texts (see
        :func:`analysis.pipeline.workers.map_streamed`); the result is the same.

    Returns
    -------
    TermCounts
        Counts, term strings, words per term and tokens per article.

    Raises
    ------
    ValueError
        If ``max_words`` is not 1–5, ``min_phrase_count`` is below 1, or a
        text is not a string.
    """
    if not 1 <= max_words <= 5:
        raise ValueError(f"max_words must be between 1 and 5, got {max_words}")
    if min_phrase_count < 1:
        raise ValueError(f"min_phrase_count must be at least 1, got {min_phrase_count}")
    breaks = [_DOCUMENT_BREAK, *sorted(set(PHRASE_BREAKS) - {_DOCUMENT_BREAK})]
    reserved = breaks + sorted(stopwords_of(languages) - set(breaks))
    stream, lengths, words, keys = _encode(texts, reserved, reuse, keep is not None, workers)
    # The kept streams are mapped into this count's: not held through the phrase work,
    # where the count peaks (the count after one added article to 50,000 peaked at 2.43
    # GiB holding them, 2.20 GiB without).
    del reuse
    vocabulary_size = len(words)
    doc_ends = np.cumsum(lengths)
    if keep is not None:
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        offsets[1:] = doc_ends
        keep(TokenStreams(words, np.array(keys, dtype="V16"), offsets, stream))

    ids = np.arange(vocabulary_size)
    is_break = ids < len(breaks)
    word_length = np.fromiter(map(len, words), np.int64, vocabulary_size)
    not_term = (ids < len(reserved)) | (word_length < 2)
    # Tokens of an article: its stream length less its breaks (few, so cheap to place).
    doc_tokens = lengths - np.diff(_row_pointers(_positions(is_break[stream]), doc_ends))

    # Positions fit in int32 (the stream is a Python array of C ints); halves the memory.
    starts = _positions(~not_term[stream])
    blocks: list[sp.csr_matrix] = []
    labels: list[np.ndarray] = []

    # Where the longest phrases' codes fit in int64, each phrase's code is
    # worked out from the stream when needed; otherwise codes[k] identifies the
    # sequence of n words starting at position starts[k], extended word by word
    # (an int64 for every start, held throughout).
    spelled_out = _spelled_out_codes_fit(vocabulary_size, max_words)
    codes = np.zeros(0, dtype=np.int64) if spelled_out else stream[starts].astype(np.int64)
    for n in range(2, max_words + 1):
        # Inner words may be stopwords, but no word of a phrase may be a break.
        # (The stream ends with a break, so a start that is not past it has a next word.)
        extends = _extends(stream, starts, is_break, n - 1)
        starts = _compact(starts, extends)
        if not spelled_out:
            codes = _compact(codes, extends)
        del extends
        last = _word_at(stream, starts, n - 1)
        candidates = _positions(~not_term[last])
        if not spelled_out:
            if not _codes_fit(codes, vocabulary_size):
                # Rank the prefixes so the codes of longer sequences stay within int64.
                codes = np.unique(codes, return_inverse=True)[1].astype(np.int64)
            # In place: no second array of codes.
            codes *= vocabulary_size
            codes += last
        del last
        codes_of = (
            partial(_spelled_out_codes_at, stream, starts, candidates, n, vocabulary_size)
            if spelled_out
            else partial(_codes_at, codes, candidates)
        )
        columns, firsts = _number_phrases(codes_of, len(candidates), min_phrase_count)
        del codes_of
        first_starts = starts[candidates[firsts]]
        counted = columns >= 0
        positions = starts[candidates[counted]]
        columns = columns[counted]
        del candidates, counted
        blocks.append(_block(positions, columns, doc_ends, len(firsts)))
        del positions, columns
        label = words[stream[first_starts]]
        for offset in range(1, n):
            label = label + " " + words[stream[first_starts + offset]]
        labels.append(label)

    del starts, codes
    # Single words come first in the columns but are counted last: theirs is the
    # largest block, built once the phrase work above has been freed.
    n_single = int((~not_term).sum())
    column_of = np.where(not_term, -1, np.cumsum(~not_term) - 1).astype(np.int32)
    word_chunks = _word_chunks(stream, column_of, doc_ends, n_single)
    del stream, column_of
    labels.insert(0, words[~not_term])
    counts_matrix = _stack_columns(word_chunks, blocks)
    del blocks
    return TermCounts(
        counts=counts_matrix,
        terms=np.concatenate(labels).astype(object),
        n_words=np.repeat(
            np.arange(1, max_words + 1, dtype=np.int8), [len(label) for label in labels]
        ),
        doc_tokens=doc_tokens.astype(np.int64),
    )
