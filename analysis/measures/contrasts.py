"""Term contrasts: which words and phrases set one group of articles apart from another.

Two measures are reported side by side (see ``METHODS.md``):

* the log-odds ratio with an informative Dirichlet prior and its z-score
  (Monroe, Colaresi & Quinn 2008), the measure to rank by;
* TF-IDF distinctiveness: the term's mean TF-IDF in the group minus its mean
  elsewhere, easy to read but without any notion of uncertainty.

Groups are the values of any metadata column (``outlet``, ``outlet_group``,
``meeting``, ``year``, ``language``...). :func:`contrast_one_vs_rest` sets each
group against all other selected articles; :func:`contrast_pair` sets two
groups against each other.

The prior
---------
α_w = α₀ · c_w / Σ_v c_v, where c_w is the count of term w in all selected
articles, and α₀ = ``prior_total`` (default :data:`DEFAULT_PRIOR_TOTAL` = 1000).
The prior adds to each side the equivalent of α₀ tokens of average corpus text:
about one article's worth, which is enough that a term used a few times in one
short article cannot top a group's list, and negligible for groups of tens of
thousands of tokens, where the data should speak for itself.

For an A vs B contrast the prior may instead come from the pair's own articles
(``prior="pair"``): c_w then counts only A's and B's articles, and the
vocabulary is theirs (their words, and their phrases used at least
``min_phrase_count`` times), so adding or removing an article of a third group
leaves every A vs B z-score as it was. With the default ``prior="selection"``
a term's prior is the same in every comparison of the selection.

In the formula, n^i is the total count of all terms of group i (the sum of its
column of counts), so that n^i + α₀ − y^i_w − α_w is exactly the pseudo-count
of "every other term" and α₀ = Σ_w α_w holds over the same vocabulary.

Small samples
-------------
A group with fewer than :data:`MIN_GROUP_ARTICLES` (5) articles or fewer than
:data:`MIN_GROUP_TOKENS` (2,000) word tokens is marked ``small_group``. With
fewer than five articles a term's document frequency can only be 0–4, so a
habit of the outlet cannot be told apart from the topic of one article; with
fewer than 2,000 tokens, a content word of typical frequency (1 in 1,000) is
expected less than twice, so its z-score rests on one or two occurrences.
A term whose occurrences in the group all come from one article is marked
``single_article`` (``single_article_other`` on the other side).

Nested phrases
--------------
"anti-missile defence system" also counts as "anti-missile defence" and
"anti-missile". :func:`collapse_nested_terms` keeps the longest phrase and
drops a shorter one inside it when the shorter one occurs exactly as often on
both sides, that is, never outside the longer one.

Output columns
--------------
See :data:`analysis.measures.contrast_schema.CONTRAST_COLUMNS`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from analysis.measures.contrast_schema import (
    CONTRAST_COLUMNS,
    DEFAULT_PRIOR_TOTAL,
    MIN_GROUP_ARTICLES,
    MIN_GROUP_TOKENS,
    PRIORS,
)
from analysis.measures.terms import TermCounts, count_terms
from analysis.text.tokens import DEFAULT_LANGUAGES

__all__ = [
    "collapse_nested_terms",
    "contrast_one_vs_rest",
    "contrast_pair",
]


def _small_reason(articles: int, tokens: int) -> str:
    reasons = []
    if articles < MIN_GROUP_ARTICLES:
        reasons.append(f"{articles} articles < {MIN_GROUP_ARTICLES}")
    if tokens < MIN_GROUP_TOKENS:
        reasons.append(f"{tokens:,} tokens < {MIN_GROUP_TOKENS:,}")
    return ", ".join(reasons)


#: Articles whose TF-IDF weights are worked out at once (only their rows are copied).
_ROWS = 2048
#: Stored entries counted at once by :func:`_documents_per_term`.
_ENTRIES = 1 << 22


def _documents_per_term(matrix: sp.csr_matrix) -> np.ndarray:
    """How many rows of a CSR matrix (with summed duplicates) have each column.

    Counted a slice of entries at a time: ``np.bincount`` of all the int32
    column indices at once first makes an int64 copy of them, which at 50,000
    articles is the largest thing the contrasts hold.
    """
    counts = np.zeros(matrix.shape[1], dtype=np.int64)
    for first in range(0, matrix.nnz, _ENTRIES):
        counts += np.bincount(matrix.indices[first : first + _ENTRIES], minlength=matrix.shape[1])
    return counts


def _group_sums(
    matrix: sp.csr_matrix, member: np.ndarray, n_groups: int
) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
    """Per group: each term's count, the articles using it, and the sum of its TF-IDF weights.

    The three are groups × terms matrices with one sparsity pattern, whose
    index arrays they share (a group has a count for a term exactly when one
    of its articles uses it, and then a positive weight), with sorted indices.
    Counts keep the type of ``matrix``, article counts are int32.

    TF-IDF as scikit-learn's ``TfidfTransformer()`` makes it (smoothed idf,
    rows scaled to unit length), in float64, but worked out one group at a
    time, a block of its rows at a time: the whole weighted matrix, a float
    copy of the counts, is never held, and each group's sums are added up in
    one dense row, of which only the group's terms are kept.
    """
    n_docs, n_terms = matrix.shape
    indicator = sp.csr_matrix(
        (np.ones(len(member), dtype=matrix.dtype), (member, np.arange(len(member)))),
        shape=(n_groups, n_docs),
    )
    counts = (indicator @ matrix).tocsr()
    counts.sort_indices()
    df = _documents_per_term(matrix)
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    order = np.argsort(member, kind="stable")
    bounds = np.searchsorted(member[order], np.arange(n_groups + 1))
    docs_data = np.zeros(counts.nnz, dtype=np.int32)
    tfidf_data = np.zeros(counts.nnz, dtype=np.float64)
    for group in range(n_groups):
        rows_of_group = order[bounds[group] : bounds[group + 1]]
        docs = np.zeros(n_terms, dtype=np.int64)
        tfidf = np.zeros(n_terms, dtype=np.float64)
        for r0 in range(0, len(rows_of_group), _ROWS):
            block = matrix[rows_of_group[r0 : r0 + _ROWS]]
            n_rows = block.shape[0]
            rows = np.repeat(np.arange(n_rows), np.diff(block.indptr))
            weights = block.data * idf[block.indices]
            norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n_rows))
            scale = np.divide(1.0, norms, out=np.zeros(n_rows), where=norms > 0)
            docs += np.bincount(block.indices, minlength=n_terms)
            tfidf += np.bincount(block.indices, weights=weights * scale[rows], minlength=n_terms)
        entries = slice(counts.indptr[group], counts.indptr[group + 1])
        docs_data[entries] = docs[counts.indices[entries]]
        tfidf_data[entries] = tfidf[counts.indices[entries]]

    def same_pattern(data: np.ndarray) -> sp.csr_matrix:
        return sp.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape, copy=False)

    return counts, same_pattern(docs_data), same_pattern(tfidf_data)


def _at(matrix: sp.csr_matrix, row: int, columns: np.ndarray) -> np.ndarray:
    """Row ``row`` of a CSR matrix with sorted indices, at ``columns`` (sorted), densely."""
    entries = slice(matrix.indptr[row], matrix.indptr[row + 1])
    indices, data = matrix.indices[entries], matrix.data[entries]
    where = np.searchsorted(indices, columns)
    found = where < len(indices)
    found[found] = indices[where[found]] == columns[found]
    values = np.zeros(len(columns), dtype=data.dtype)
    values[found] = data[where[found]]
    return values


class _Groups:
    """Group-level sums of the counts of the selected articles."""

    def __init__(
        self,
        articles: pd.DataFrame,
        by: str,
        *,
        text_column: str,
        counts: TermCounts | None,
        languages: Iterable[str],
        max_words: int,
        min_phrase_count: int,
    ) -> None:
        if by not in articles.columns:
            raise ValueError(f"by={by!r} is not a column of articles")
        if counts is None:
            if text_column not in articles.columns:
                raise ValueError(
                    f"text_column={text_column!r} is not a column of articles; "
                    "clean the texts first (raw text is never used in its place)"
                )
            texts = articles[text_column].fillna("").astype(str)
            counts = count_terms(
                texts, languages=languages, max_words=max_words, min_phrase_count=min_phrase_count
            )
        elif counts.counts.shape[0] != len(articles):
            raise ValueError(
                f"counts has {counts.counts.shape[0]} rows but articles has {len(articles)}"
            )
        labels = articles[by]
        selected = labels.notna().to_numpy()
        # Copies of the big matrix are made only when rows or columns drop out.
        matrix = counts.counts if selected.all() else counts.counts[selected]
        used = _documents_per_term(matrix) > 0
        if not used.all():
            matrix = matrix[:, used]
            self.terms, self.n_words = counts.terms[used], counts.n_words[used]
        else:
            self.terms, self.n_words = counts.terms, counts.n_words

        names = labels[selected].astype(str).to_numpy()
        self.names = sorted(set(names))
        if len(self.names) < 2:
            raise ValueError(f"by={by!r} must have at least two groups, found {self.names}")
        index = {name: k for k, name in enumerate(self.names)}
        member = np.array([index[name] for name in names], dtype=np.int64)
        # Group sums stay in the counts' own integer type unless they could overflow it.
        dtype = np.int32 if int(matrix.sum()) < np.iinfo(np.int32).max else np.int64
        matrix = matrix.astype(dtype, copy=False)
        self.counts, self.docs, self.tfidf = _group_sums(matrix, member, len(self.names))
        self.articles = np.bincount(member, minlength=len(self.names))
        self.tokens = np.bincount(
            member, weights=counts.doc_tokens[selected], minlength=len(self.names)
        ).astype(np.int64)
        self.term_total = np.asarray(self.counts.sum(axis=0)).ravel()

    @functools.cached_property
    def term_ranks(self) -> np.ndarray:
        """Each term's place among the terms in code-point order, as a sort by the term puts it
        (Arrow sorts the UTF-8 bytes, which is the same order)."""
        ranks = np.empty(len(self.terms), dtype=np.int64)
        order = pc.array_sort_indices(pa.array(self.terms, type=pa.large_string()))
        ranks[order.to_numpy()] = np.arange(len(self.terms))
        return ranks

    def counts_of(self, group: int) -> np.ndarray:
        """The count of every term in one group."""
        return self.counts.getrow(group).toarray().ravel()

    def side(self, group: int, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, int]:
        """Document counts and TF-IDF sums at ``terms``, articles and tokens of one group."""
        return (
            _at(self.docs, group, terms),
            _at(self.tfidf, group, terms),
            int(self.articles[group]),
            int(self.tokens[group]),
        )

    def everyone(self, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, int]:
        """The same for every selected article.

        Summed over the groups in their order, as a column sum of the groups'
        matrices adds them.
        """
        docs = np.zeros(len(terms), dtype=np.int64)
        tfidf = np.zeros(len(terms), dtype=np.float64)
        for group in range(len(self.names)):
            docs += _at(self.docs, group, terms)
            tfidf += _at(self.tfidf, group, terms)
        return docs, tfidf, int(self.articles.sum()), int(self.tokens.sum())


#: Terms whose log-odds are worked out at once (bounds the temporary arrays).
_TERMS = 1 << 18


def _log_odds(
    y_i: np.ndarray,
    y_j: np.ndarray,
    alpha: np.ndarray,
    prior_total: float,
    n_i: float,
    n_j: float,
) -> tuple[np.ndarray, np.ndarray]:
    """δ and z of the given terms (METHODS.md, Monroe et al. 2008).

    ``n_i`` and ``n_j`` are the two sides' totals over every term.
    """
    delta = np.log((y_i + alpha) / (n_i + prior_total - y_i - alpha)) - np.log(
        (y_j + alpha) / (n_j + prior_total - y_j - alpha)
    )
    return delta, delta / np.sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha))


def _z(
    y_i: np.ndarray,
    y_j: np.ndarray,
    alpha: np.ndarray,
    prior_total: float,
    n_i: float,
    n_j: float,
) -> np.ndarray:
    """z of every term (as :func:`_log_odds` gives it), a slice of terms at a time."""
    z = np.empty(len(y_i), dtype=np.float64)
    for first in range(0, len(y_i), _TERMS):
        terms = slice(first, first + _TERMS)
        _, z[terms] = _log_odds(y_i[terms], y_j[terms], alpha[terms], prior_total, n_i, n_j)
    return z


def _frame(
    groups: _Groups,
    group: int,
    other: int | None,
    *,
    prior_total: float,
    top: int | None,
    pair_prior: bool = False,
    min_phrase_count: int = 1,
) -> pd.DataFrame:
    y_i = groups.counts_of(group)
    y_j = groups.term_total - y_i if other is None else groups.counts_of(other)
    if pair_prior:
        # The vocabulary the pair's articles alone would have: their words, and their
        # phrases used often enough in them.
        both = y_i + y_j
        vocabulary = (both > 0) & ((groups.n_words == 1) | (both >= min_phrase_count))
        y_i, y_j = np.where(vocabulary, y_i, 0), np.where(vocabulary, y_j, 0)
        prior_counts = y_i + y_j
    else:
        prior_counts = groups.term_total
    alpha = prior_total * prior_counts / prior_counts.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        n_i, n_j = y_i.sum(), y_j.sum()
        z = _z(y_i, y_j, alpha, prior_total, n_i, n_j)
    keep = np.flatnonzero((y_i + y_j) > 0)
    if top is not None and 2 * top < len(keep):
        # Every term's z is finite here: a used term has a positive prior.
        z_kept = z[keep]
        low, high = np.partition(z_kept, [top - 1, len(keep) - top])[[top - 1, len(keep) - top]]
        keep = keep[(z_kept <= low) | (z_kept >= high)]
        del z_kept
    with np.errstate(invalid="ignore", divide="ignore"):
        delta, z_keep = _log_odds(y_i[keep], y_j[keep], alpha[keep], prior_total, n_i, n_j)
    # The table's order, z down and then the term, worked out before the table is made: a
    # sort of the table by its text column took half the time of the contrasts. Stable,
    # as that sort was; a missing z last, as there. The terms are looked up in the
    # group sums in their own order (ascending), and the columns put in this one after.
    order = np.lexsort((groups.term_ranks[keep], -z_keep))
    count_i, count_j = y_i[keep], y_j[keep]
    del y_i, y_j, alpha, prior_counts, z
    d_i, s_i, a_i, t_i = groups.side(group, keep)
    if other is None:
        # The rest: everyone but the group, as y_j is every count but the group's.
        d_all, s_all, a_all, t_all = groups.everyone(keep)
        d_j, s_j, a_j, t_j = d_all - d_i, s_all - s_i, a_all - a_i, t_all - t_i
    else:
        d_j, s_j, a_j, t_j = groups.side(other, keep)
    with np.errstate(invalid="ignore", divide="ignore"):
        tfidf_i = s_i / a_i
        tfidf_j = s_j / a_j if a_j else np.full(len(keep), np.nan)
    small_i, small_j = _small_reason(a_i, t_i), _small_reason(a_j, t_j)
    reason = "; ".join(
        f"{side}: {text}" for side, text in (("group", small_i), ("other", small_j)) if text
    )
    ranked, docs_i, docs_j = keep[order], d_i[order], d_j[order]
    frame = pd.DataFrame(
        {
            "group": groups.names[group],
            "comparison": "rest" if other is None else groups.names[other],
            "term": groups.terms[ranked],
            "n_words": groups.n_words[ranked].astype(np.int64),
            "count_group": count_i[order].astype(np.int64),
            "count_other": count_j[order].astype(np.int64),
            "docs_group": docs_i.astype(np.int64),
            "docs_other": docs_j.astype(np.int64),
            "log_odds": delta[order],
            "z": z_keep[order],
            "tfidf_group": tfidf_i[order],
            "tfidf_other": tfidf_j[order],
            "tfidf_diff": (tfidf_i - tfidf_j)[order],
            "single_article": docs_i == 1,
            "single_article_other": docs_j == 1,
            "group_articles": a_i,
            "group_tokens": t_i,
            "other_articles": a_j,
            "other_tokens": t_j,
            "small_group": bool(small_i),
            "small_other": bool(small_j),
            "small_reason": reason,
        }
    )
    if top is not None and len(frame) > 2 * top:
        frame = pd.concat([frame.head(top), frame.tail(top)])
    return frame


@dataclass(frozen=True)
class _Options:
    """The keyword options both entry points take (see :func:`contrast_one_vs_rest`)."""

    text_column: str
    counts: TermCounts | None
    prior_total: float
    top: int | None
    languages: Iterable[str]
    max_words: int
    min_phrase_count: int
    prior: str = "selection"


def _contrast(
    articles: pd.DataFrame, by: str, pair: tuple[object, object] | None, options: _Options
) -> pd.DataFrame:
    """Each group against the rest (``pair`` None), or ``pair[0]`` against ``pair[1]``."""
    groups = _checked_groups(articles, by, pair, options)
    comparisons: list[tuple[int, int | None]]
    if pair is None:
        comparisons = [(k, None) for k in range(len(groups.names))]
    else:
        comparisons = [(groups.names.index(str(pair[0])), groups.names.index(str(pair[1])))]
    frames = [
        _frame(
            groups,
            k,
            other,
            prior_total=options.prior_total,
            top=options.top,
            pair_prior=options.prior == "pair",
            min_phrase_count=options.min_phrase_count,
        )
        for k, other in comparisons
    ]
    return pd.concat(frames, ignore_index=True)[list(CONTRAST_COLUMNS)]


def _checked_groups(
    articles: pd.DataFrame, by: str, pair: tuple[object, object] | None, options: _Options
) -> _Groups:
    """The groups of ``articles`` by ``by``, once the options and ``pair`` are checked.

    ``pair`` is ``(group, other)`` for an A vs B contrast, None for one vs rest.
    """
    if not options.prior_total > 0:
        raise ValueError(f"prior_total must be positive, got {options.prior_total}")
    if options.prior not in PRIORS:
        raise ValueError(f"prior must be one of {PRIORS}, got {options.prior!r}")
    if options.top is not None and options.top < 1:
        raise ValueError(f"top must be a positive number of terms or None, got {options.top}")
    if pair is not None and str(pair[0]) == str(pair[1]):
        raise ValueError(f"group and other must differ, both are {str(pair[0])!r}")
    if pair is not None and by in articles:
        # Checked before the groups are built, which needs two of them.
        values = sorted(set(articles[by].dropna().astype(str)))
        for name, value in zip(("group", "other"), pair, strict=True):
            if str(value) not in values:
                raise ValueError(
                    f"{name}={str(value)!r} is not a value of {by!r}; values: {values}"
                )
    groups = _Groups(
        articles,
        by,
        text_column=options.text_column,
        counts=options.counts,
        languages=options.languages,
        max_words=options.max_words,
        min_phrase_count=options.min_phrase_count,
    )
    return groups


def contrast_one_vs_rest(
    articles: pd.DataFrame,
    by: str,
    *,
    text_column: str = "text_clean",
    counts: TermCounts | None = None,
    prior_total: float = DEFAULT_PRIOR_TOTAL,
    top: int | None = None,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
    max_words: int = 3,
    min_phrase_count: int = 2,
) -> pd.DataFrame:
    """Contrast each group of articles with all the other selected articles.

    Parameters
    ----------
    articles : pandas.DataFrame
        The selected articles, one per row; not modified.
    by : str
        Grouping column (``outlet``, ``outlet_group``, ``meeting``, ``year``,
        ``language``...). Articles whose value is missing are left out.
    text_column : str, default "text_clean"
        Column holding the cleaned text. It must exist: raw text is never used
        in its place.
    counts : TermCounts, optional
        Term counts already computed for exactly these rows (by
        :func:`analysis.measures.terms.count_terms`); saves counting again.
    prior_total : float, default 1000
        α₀, the total prior pseudo-count; see the module docstring.
    top : int, optional
        Keep only each group's ``top`` terms with the highest z and the ``top``
        with the lowest; all terms when None.
    languages : iterable of str, default ("en", "ru", "uk")
        Stopword lists to apply when counting.
    max_words : int, default 3
        Longest phrase counted.
    min_phrase_count : int, default 2
        Corpus count below which a phrase is not a term.

    Returns
    -------
    pandas.DataFrame
        Columns as in :data:`CONTRAST_COLUMNS`, with ``comparison == "rest"``;
        sorted by group, then z descending, then term.

    Raises
    ------
    ValueError
        If a column is missing, ``by`` has fewer than two groups, ``counts``
        does not match the rows, or an option is out of range.
    """
    given = _Options(text_column, counts, prior_total, top, languages, max_words, min_phrase_count)
    return _contrast(articles, by, None, given)


def contrast_pair(
    articles: pd.DataFrame,
    by: str,
    group: object,
    other: object,
    *,
    text_column: str = "text_clean",
    counts: TermCounts | None = None,
    prior_total: float = DEFAULT_PRIOR_TOTAL,
    top: int | None = None,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
    max_words: int = 3,
    min_phrase_count: int = 2,
    prior: str = "selection",
) -> pd.DataFrame:
    """Contrast two groups of articles with each other (A vs B).

    By default the prior is built from all selected articles, not only the two
    groups, so a term's prior is the same in every comparison; with
    ``prior="pair"`` it is built from the two groups' articles alone, so that
    articles of other groups change nothing. The result is
    antisymmetric: ``contrast_pair(df, by, a, b)`` has the negated ``log_odds``,
    ``z`` and ``tfidf_diff`` of ``contrast_pair(df, by, b, a)``.

    Parameters
    ----------
    articles : pandas.DataFrame
        The selected articles, one per row; not modified.
    by : str
        Grouping column.
    group, other : object
        The two values of ``by`` to compare (compared as text, so ``2015`` and
        ``"2015"`` name the same year). Positive z means more typical of
        ``group``.
    text_column, counts, prior_total, top, languages, max_words, min_phrase_count
        As in :func:`contrast_one_vs_rest`.
    prior : {"selection", "pair"}, default "selection"
        Where the prior's term frequencies come from (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        Columns as in :data:`CONTRAST_COLUMNS`, with ``comparison`` the other
        group's value; terms used by neither group are left out; sorted by z
        descending, then term.

    Raises
    ------
    ValueError
        If either group is not a value of ``by``, the two are the same,
        ``prior`` is not one of :data:`PRIORS`, or as in
        :func:`contrast_one_vs_rest`.
    """
    given = _Options(
        text_column, counts, prior_total, top, languages, max_words, min_phrase_count, prior
    )
    return _contrast(articles, by, (group, other), given)


def collapse_nested_terms(contrasts: pd.DataFrame) -> pd.DataFrame:
    """``contrasts`` without the phrases that only ever occur inside a longer kept phrase.

    Within each ``group`` and ``comparison``, a term is dropped when a longer
    term of the frame holds its words in a row ("anti-missile defence" in
    "anti-missile defence system") and has the same ``count_group`` and
    ``count_other``: every occurrence of the shorter term is one of the longer
    one, which says more. A shorter term also used elsewhere is kept.

    Parameters
    ----------
    contrasts : pandas.DataFrame
        As returned by :func:`contrast_one_vs_rest` or :func:`contrast_pair`
        (at least ``group``, ``comparison``, ``term``, ``count_group`` and
        ``count_other``). Not modified.

    Returns
    -------
    pandas.DataFrame
        The kept rows in their order, renumbered.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    needed = ["group", "comparison", "term", "count_group", "count_other"]
    missing = [c for c in needed if c not in contrasts.columns]
    if missing:
        raise ValueError(f"contrasts is missing column(s) {', '.join(missing)}")
    words = [tuple(str(term).split()) for term in contrasts["term"]]
    keys = list(
        zip(
            contrasts["group"].astype(str),
            contrasts["comparison"].astype(str),
            contrasts["count_group"].tolist(),
            contrasts["count_other"].tolist(),
            strict=True,
        )
    )
    # Every run of words inside each longer term, per side and counts.
    inside: set[tuple[object, ...]] = set()
    for key, term in zip(keys, words, strict=True):
        for length in range(1, len(term)):
            for first in range(len(term) - length + 1):
                inside.add((*key, term[first : first + length]))
    kept = [(*key, term) not in inside for key, term in zip(keys, words, strict=True)]
    return contrasts[kept].reset_index(drop=True)
