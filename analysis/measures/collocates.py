"""Collocates: the words found near a term, per group of articles, with an association score.

For each group (an outlet, say) the *node* is every occurrence of the term,
matched as :mod:`analysis.measures.kwic` matches it. Its *window* is the
``window`` words on each side of each occurrence (punctuation skipped, never
across two articles); a word position inside several windows counts once, and
the node's own words are not in any window. A collocate is a word in the
windows that is not a stopword and has at least two characters.

Each collocate w of a group gets, from the group's own texts:

* ``cooccurrences`` O₁₁: occurrences of w inside the windows;
* ``collocate_count``: occurrences of w in the group (C₁);
* ``window_words``: word positions in the windows (R₁), ``group_words``: all
  word positions of the group (N), stopwords included in both;
* ``expected`` E₁₁ = R₁ · C₁ / N;
* ``log_likelihood``: Dunning's G² = 2 Σ O ln(O / E) over the 2 × 2 table
  (in window or not × w or not); above 3.84 (10.83), p < 0.05 (0.001) with one
  degree of freedom. Only attraction is kept (O₁₁ > E₁₁). Ranked by this.
* ``log_dice`` = 14 + log₂(2 · O₁₁ / (f_node + C₁)) (Rychlý 2008), where
  f_node is the term's occurrences in the group: at most 14, independent of
  the group's size, so it compares across groups of different sizes.
"""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd

from analysis.text.tokens import DEFAULT_LANGUAGES, stopwords_of, token_spans, tokenize

__all__ = ["COLLOCATE_COLUMNS", "collocates"]

#: Columns of the frame returned by :func:`collocates`.
COLLOCATE_COLUMNS: dict[str, str] = {
    "group": "the group's value in the grouping column, as text",
    "collocate": "the word near the term, lowercased",
    "cooccurrences": "occurrences of the collocate within the window of the term (O11)",
    "collocate_count": "occurrences of the collocate in the group's articles (C1)",
    "node_count": "occurrences of the term in the group's articles",
    "window_words": "word positions within the windows of the term in the group (R1)",
    "group_words": "word positions in the group's articles (N)",
    "expected": "cooccurrences expected if the collocate were spread evenly (R1·C1/N)",
    "log_likelihood": "Dunning's G²; > 3.84: p < 0.05, > 10.83: p < 0.001",
    "log_dice": "14 + log2(2·O11 / (node_count + collocate_count)); at most 14",
}


def _g2(observed: float, expected: float) -> float:
    return observed * math.log(observed / expected) if observed > 0 else 0.0


def _log_likelihood(o11: int, r1: int, c1: int, n: int) -> float:
    """G² of the 2 × 2 table with cell O₁₁, row total R₁, column total C₁ and total N."""
    cells = [
        (o11, r1, c1),
        (r1 - o11, r1, n - c1),
        (c1 - o11, n - r1, c1),
        (n - r1 - c1 + o11, n - r1, n - c1),
    ]
    return 2.0 * sum(_g2(o, row * column / n) for o, row, column in cells)


def collocates(
    articles: pd.DataFrame,
    term: str,
    *,
    by: str,
    text_column: str = "text_clean",
    window: int = 5,
    min_count: int = 2,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
) -> pd.DataFrame:
    """The collocates of ``term`` in each group of ``by``, ranked by log-likelihood.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles with ``by`` and ``text_column``. Not modified.
    term : str
        A word or phrase, tokenized like the texts.
    by : str
        Column whose values make the groups (``outlet``, ``outlet_group``).
    text_column : str, default "text_clean"
        Column holding the texts.
    window : int, default 5
        Words on each side of the term.
    min_count : int, default 2
        Fewest co-occurrences for a collocate to be listed.
    languages : tuple of str, default ("en", "ru", "uk")
        Languages whose stopwords are never collocates.

    Returns
    -------
    pandas.DataFrame
        Columns as in :data:`COLLOCATE_COLUMNS`, one row per group and
        collocate, groups in sorted order, then by ``log_likelihood``
        (highest first) and collocate. A group where the term does not occur
        has no row.

    Raises
    ------
    ValueError
        If a column is missing, ``term`` has no word, ``window`` is below 1
        or ``min_count`` below 1.
    """
    for column in (by, text_column):
        if column not in articles.columns:
            raise ValueError(f"articles has no {column!r} column")
    words = tokenize(term)
    if not words:
        raise ValueError(f"term={term!r} contains no words")
    if window < 1:
        raise ValueError(f"window must be at least 1 word, got {window}")
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}")
    stopwords = stopwords_of(languages)
    size = len(words)
    rows: list[dict[str, object]] = []
    groups = articles[by].astype(str)
    for group in sorted(groups.unique()):
        in_window: Counter[str] = Counter()
        everywhere: Counter[str] = Counter()
        node_count = window_words = group_words = 0
        for text in articles.loc[groups == group, text_column].fillna("").astype(str):
            tokens = [token for token, _, _ in token_spans(text)]
            # Word positions only; a phrase may not span a break, so matched on the tokens first.
            position_of = {}
            plain: list[str] = []
            for k, token in enumerate(tokens):
                if token:
                    position_of[k] = len(plain)
                    plain.append(token)
            starts = [
                position_of[k]
                for k in range(len(tokens) - size + 1)
                if tokens[k] == words[0] and tokens[k : k + size] == words
            ]
            node = {p + i for p in starts for i in range(size)}
            near = {
                q
                for p in starts
                for q in [*range(p - window, p), *range(p + size, p + size + window)]
                if 0 <= q < len(plain) and q not in node
            }
            node_count += len(starts)
            window_words += len(near)
            group_words += len(plain)
            everywhere.update(plain)
            in_window.update(plain[q] for q in near)
        for word, o11 in in_window.items():
            if o11 < min_count or word in stopwords or len(word) < 2:
                continue
            c1 = everywhere[word]
            expected = window_words * c1 / group_words
            if o11 <= expected:
                continue
            rows.append(
                {
                    "group": group,
                    "collocate": word,
                    "cooccurrences": o11,
                    "collocate_count": c1,
                    "node_count": node_count,
                    "window_words": window_words,
                    "group_words": group_words,
                    "expected": expected,
                    "log_likelihood": _log_likelihood(o11, window_words, c1, group_words),
                    "log_dice": 14 + math.log2(2 * o11 / (node_count + c1)),
                }
            )
    frame = pd.DataFrame(rows, columns=list(COLLOCATE_COLUMNS))
    frame["log_likelihood"] = frame["log_likelihood"].astype(float)
    return frame.sort_values(
        ["group", "log_likelihood", "collocate"],
        ascending=[True, False, True],
        kind="mergesort",
    ).reset_index(drop=True)
