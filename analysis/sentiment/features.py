"""Features of a (sentence, target mention) pair for the linear sentiment model.

A pair is cut into the words left of the mention, the mention and the words right of it
(lower-cased, ``ё`` read as ``е``, Russian Snowball-stemmed, a negation's scope marked
``NOT_``). Each *view* turns them into weighted features; :class:`FeatureVocabulary`
turns the features of a view into an L2-normalised TF-IDF matrix.

Views: ``sent`` word 1-2-grams of the sentence with the mention replaced by ``tgt``;
``lr`` word 1-2-grams of the left and right context, tagged by side; ``win`` the words
within ``window`` tokens of the mention, weighted by 1/√distance, with the bigrams through
the mention and the exact positions ±1, ±2; ``mention`` the words of the mention and its
length. Character n-grams of the masked sentence (``char``) and of ±``charwin_chars``
characters around the mention (``charwin``) come from scikit-learn's ``TfidfVectorizer``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from itertools import pairwise, repeat
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

__all__ = [
    "VIEWS",
    "FeatureRows",
    "FeatureVocabulary",
    "masked_text",
    "split_pair",
    "summed_cells",
    "view_features",
    "view_rows",
    "window_text",
]

VIEWS = ("sent", "lr", "win", "mention")
"""The word-level views, in the order their blocks are stacked."""

PLACEHOLDER = "tgt"
"""The token that stands for the target mention."""

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
_SCOPE_END = frozenset('.,;:!?()"«»—–')
_NEGATORS = {
    "en": frozenset(
        {"not", "no", "never", "n't", "nothing", "nobody", "none", "neither", "nor", "without"}
        | {"cannot", "hardly", "barely", "don't", "doesn't", "didn't", "isn't", "wasn't"}
        | {"aren't", "weren't", "won't", "wouldn't", "can't", "couldn't", "shouldn't"}
        | {"hasn't", "haven't", "hadn't"}
    ),
    "ru": frozenset(
        {"не", "нет", "ни", "никогда", "ничего", "никто", "без", "нельзя", "отнюдь", "вовсе"}
    ),
}
_SNOWBALL = {"en": "english", "ru": "russian"}

Feature = tuple[str, float]


def _words(text: str) -> list[str]:
    if text.isascii():
        # Lower-casing ASCII maps letter to letter: the same words, and at once.
        return _TOKEN.findall(text.lower())
    return [t.lower().replace("ё", "е") for t in _TOKEN.findall(text)]


@lru_cache(maxsize=1 << 18)
def _stem(language: str, word: str) -> str:
    # Short words are mostly function words whose stems would collide.
    if len(word) <= 3:
        return word
    return str(_stemmer(language).stemWord(word))


@cache
def _stemmer(language: str) -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer(_SNOWBALL[language])


def _mark_negation(tokens: list[str], language: str) -> list[str]:
    """Prefix ``NOT_`` to the words after a negator, up to the next punctuation."""
    negators = _NEGATORS[language]
    if negators.isdisjoint(tokens) and "n't" not in " ".join(tokens):
        return list(tokens)
    marked: list[str] = []
    inside = False
    for token in tokens:
        if token in _SCOPE_END:
            inside = False
            marked.append(token)
        elif token in negators or token.endswith("n't"):
            inside = True
            marked.append(token)
        elif inside and token != PLACEHOLDER:
            marked.append("NOT_" + token)
        else:
            marked.append(token)
    return marked


def split_pair(
    sentence: str, start: int, end: int, *, language: str, stem: bool, negation: bool
) -> tuple[list[str], list[str], list[str]]:
    """The words left of ``sentence[start:end]``, of the mention itself, and right of it.

    Context words are stemmed when ``stem`` (the mention's are not: its identity is a
    feature) and marked ``NOT_`` inside a negation's scope when ``negation``.
    """
    left, right = _words(sentence[:start]), _words(sentence[end:])
    if stem:
        left = [_stem(language, w) for w in left]
        right = [_stem(language, w) for w in right]
    if negation:
        marked = _mark_negation([*left, PLACEHOLDER, *right], language)
        left, right = marked[: len(left)], marked[len(left) + 1 :]
    return left, _words(sentence[start:end]), right


def _ngrams(tokens: Sequence[str], longest: int, prefix: str = "") -> list[str]:
    grams = [prefix + t for t in tokens]
    if longest == 2:
        return grams + [f"{prefix}{a} {b}" for a, b in pairwise(tokens)]
    for n in range(2, longest + 1):
        grams += [prefix + " ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


class FeatureRows(NamedTuple):
    """The features of many pairs in one view, flat: each pair's features follow the last's.

    ``names[i]`` weighs ``weights[i]``; pair ``k`` has ``lengths[k]`` features.
    """

    names: list[str]
    weights: np.ndarray
    lengths: np.ndarray


Split = tuple[list[str], list[str], list[str]]


def _window_features(left: list[str], right: list[str], window: int) -> list[Feature]:
    near_left, near_right = left[-window:] if window else [], right[:window]
    features: list[Feature] = []
    for distance, word in enumerate(reversed(near_left), 1):
        weight = 1.0 / math.sqrt(distance)
        features += [("l|" + word, weight), ("*|" + word, weight)]
    for distance, word in enumerate(near_right, 1):
        weight = 1.0 / math.sqrt(distance)
        features += [("r|" + word, weight), ("*|" + word, weight)]
    around = [*near_left, PLACEHOLDER, *near_right]
    features += [(f"b|{a} {b}", 1.0) for a, b in pairwise(around)]
    features += [(f"p-{d}|{w}", 1.0) for d, w in enumerate(reversed(left[-2:]), 1)]
    features += [(f"p{d}|{w}", 1.0) for d, w in enumerate(right[:2], 1)]
    return features


def view_rows(view: str, splits: Sequence[Split], *, window: int) -> FeatureRows:
    """The weighted features of one view (see the module docstring) of many split pairs.

    The features of the word views ``sent`` and ``lr`` all weigh 1 and are made
    as plain lists of names, without a pair per feature: the sentence model
    reads tens of features of every mention in the corpus.
    """
    names: list[str] = []
    lengths = np.zeros(len(splits), dtype=np.int64)
    if view in ("sent", "lr"):
        for row, (left, _, right) in enumerate(splits):
            before = len(names)
            if view == "sent":
                names += _ngrams([*left, PLACEHOLDER, *right], 2)
            else:
                names += _ngrams(left, 2, "L|")
                names += _ngrams(right, 2, "R|")
            lengths[row] = len(names) - before
        return FeatureRows(names, np.ones(len(names)), lengths)
    weights: list[float] = []
    for row, (left, mention, right) in enumerate(splits):
        if view == "win":
            features = _window_features(left, right, window)
        elif view == "mention":
            features = [("m|" + w, 1.0) for w in mention]
            features.append((f"m|len{min(len(mention), 4)}", 1.0))
        else:
            raise ValueError(f"unknown view {view!r}; the views are {', '.join(VIEWS)}")
        names += [name for name, _ in features]
        weights += [weight for _, weight in features]
        lengths[row] = len(features)
    return FeatureRows(names, np.asarray(weights, dtype=np.float64), lengths)


def view_features(
    view: str, left: list[str], mention: list[str], right: list[str], *, window: int
) -> list[Feature]:
    """The weighted features of one view (see the module docstring) of a split pair."""
    rows = view_rows(view, [(left, mention, right)], window=window)
    return list(zip(rows.names, rows.weights.tolist(), strict=True))


def summed_cells(
    rows: np.ndarray, columns: np.ndarray, width: int, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (row, column) cell of a ``width``-column matrix once, in row then column order.

    Returns the cells' rows, columns and the sum of their ``weights``, added in
    the order they come (``np.bincount`` adds them one by one, as a running sum
    would), or how often each cell came when ``weights`` is None.
    """
    step = max(width, 1)
    keys = rows * step + columns
    sums: np.ndarray
    if weights is None:
        cells, times = np.unique(keys, return_counts=True)
        sums = times.astype(np.float64)
    else:
        cells, inverse = np.unique(keys, return_inverse=True)
        sums = np.bincount(inverse, weights=weights, minlength=len(cells))
    return cells // step, cells % step, sums


def _flat(documents: Sequence[Iterable[Feature]]) -> FeatureRows:
    names: list[str] = []
    weights: list[float] = []
    lengths = np.zeros(len(documents), dtype=np.int64)
    for row, document in enumerate(documents):
        before = len(names)
        for name, weight in document:
            names.append(name)
            weights.append(weight)
        lengths[row] = len(names) - before
    return FeatureRows(names, np.asarray(weights, dtype=np.float64), lengths)


def masked_text(sentence: str, start: int, end: int) -> str:
    """The sentence with the mention replaced by the placeholder, lower-cased."""
    return f"{sentence[:start]} {PLACEHOLDER} {sentence[end:]}".lower().replace("ё", "е")


def window_text(sentence: str, start: int, end: int, chars: int) -> str:
    """``chars`` characters either side of the mention, which is replaced by the placeholder."""
    return masked_text(
        sentence[max(0, start - chars) : end + chars],
        min(start, chars),
        min(start, chars) + end - start,
    )


class FeatureVocabulary:
    """Vocabulary and idf of weighted features; sublinear tf, TF-IDF, L2-normalised rows.

    The same transform as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` with a
    smoothed idf, for features that carry weights.

    Parameters
    ----------
    terms
        The features, in column order.
    idf
        Their inverse document frequencies, ``ln((1 + n) / (1 + df)) + 1``.
    """

    def __init__(self, terms: Sequence[str], idf: np.ndarray) -> None:
        if len(terms) != len(idf):
            raise ValueError(f"{len(terms)} terms but {len(idf)} idf values")
        self.terms = list(terms)
        self.idf = np.asarray(idf, dtype=np.float64)
        self._index = {t: i for i, t in enumerate(self.terms)}

    @classmethod
    def fit(cls, documents: Sequence[Iterable[Feature]], *, min_df: int) -> FeatureVocabulary:
        """The features found in at least ``min_df`` documents, sorted, with their idf."""
        frequency: Counter[str] = Counter()
        for document in documents:
            frequency.update({f for f, _ in document})
        terms = sorted(t for t, count in frequency.items() if count >= min_df)
        n = len(documents)
        idf = np.array([math.log((1 + n) / (1 + frequency[t])) + 1.0 for t in terms])
        return cls(terms, idf)

    def transform(self, documents: Sequence[Iterable[Feature]]) -> sp.csr_matrix:
        """One L2-normalised row per document; unknown features are left out."""
        return self.transform_rows(_flat(documents))

    def transform_rows(self, rows: FeatureRows) -> sp.csr_matrix:
        """:meth:`transform` of documents given as :class:`FeatureRows`.

        A feature's weights within a document are added in the order they come
        (as a running sum would), so the matrix does not depend on how the
        documents are given.
        """
        n_terms = len(self.terms)
        columns = np.fromiter(
            map(self._index.get, rows.names, repeat(-1)), dtype=np.int64, count=len(rows.names)
        )
        known = columns >= 0
        document = np.repeat(np.arange(len(rows.lengths), dtype=np.int64), rows.lengths)
        cell_rows, cell_columns, data = summed_cells(
            document[known], columns[known], n_terms, rows.weights[known]
        )
        data = np.where(data > 1, 1 + np.log(np.maximum(data, 1.0)), data)
        matrix = sp.csr_matrix(
            (data * self.idf[cell_columns], (cell_rows, cell_columns)),
            shape=(len(rows.lengths), n_terms),
        )
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)
