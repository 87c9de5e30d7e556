"""Keyword in context: every occurrence of a term, with the words and sentence around it.

A term is matched on token boundaries exactly as :mod:`analysis.measures.terms`
tokenizes: case-insensitively, apostrophes and hyphens unified, possessives
dropped ("Russia's" matches ``russia``), and a phrase only where its words are
consecutive with no punctuation or paragraph break between them, which is
where the term counts found it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import pandas as pd

from analysis.text.sentences import Sentence, split_sentences
from analysis.text.tokens import token_spans, tokenize

__all__ = ["KWIC_COLUMNS", "keyword_in_context", "match_context", "sort_by_context"]

#: Columns of the frame returned by :func:`keyword_in_context`.
KWIC_COLUMNS: dict[str, str] = {
    "id": "article id",
    "title": "article headline (empty when the articles have no title column)",
    "outlet": "outlet key (empty when the articles have no outlet column)",
    "published": "publication date (NaT when unknown or not given)",
    "start": "character offset of the match in the text",
    "end": "character offset just past the match",
    "match": "the matched text as written",
    "left": "up to `window` characters before the match, whole words only, whitespace collapsed",
    "right": "up to `window` characters after the match, whole words only, whitespace collapsed",
    "sentence": "the whole sentence (or sentences) holding the match, whitespace collapsed",
}


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _left_context(text: str, start: int, window: int) -> str:
    """Up to ``window`` characters before ``start``, without a word cut at the far end."""
    cut = max(start - window, 0)
    if cut > 0 and not text[cut - 1].isspace():
        # The window starts inside a word: leave that word out.
        gap = next((k for k in range(cut, start) if text[k].isspace()), start)
        cut = gap
    return _collapse(text[cut:start])


def _right_context(text: str, end: int, window: int) -> str:
    """Up to ``window`` characters after ``end``, without a word cut at the far end."""
    cut = min(end + window, len(text))
    if cut < len(text) and not text[cut].isspace():
        gap = next((k for k in range(cut - 1, end - 1, -1) if text[k].isspace()), end)
        cut = gap
    return _collapse(text[end:cut])


def match_context(
    text: str, sentences: Sequence[Sentence], start: int, end: int, window: int
) -> dict[str, str]:
    """``left``, ``right`` (whole words, up to ``window`` characters) and ``sentence`` of a match.

    ``sentences`` are ``split_sentences(text)``; ``sentence`` is the sentence
    (or sentences) holding ``text[start:end]``, whitespace collapsed.
    """
    starts = [sentence.start for sentence in sentences]
    first = max(bisect_right(starts, start) - 1, 0)
    last = max(bisect_right(starts, end - 1) - 1, first)
    return {
        "left": _left_context(text, start, window),
        "right": _right_context(text, end, window),
        "sentence": _collapse(text[sentences[first].start : sentences[last].end])
        if sentences
        else "",
    }


def _occurrences(text: str, words: list[str]) -> list[tuple[int, int]]:
    spans = token_spans(text)
    tokens = [token for token, _, _ in spans]
    n = len(words)
    return [
        (spans[k][1], spans[k + n - 1][2])
        for k in range(len(spans) - n + 1)
        if tokens[k] == words[0] and tokens[k : k + n] == words
    ]


def keyword_in_context(
    articles: pd.DataFrame,
    term: str,
    *,
    text_column: str = "text_clean",
    window: int = 80,
) -> pd.DataFrame:
    """Every occurrence of ``term`` in the articles, in context.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles with an ``id`` column and ``text_column``; ``title``,
        ``outlet`` and ``published`` are reported when present. Not modified.
    term : str
        A word or phrase, written any way ("Regime change", "S-300",
        "Russia's"); it is tokenized like the texts.
    text_column : str, default "text_clean"
        Column holding the text to search; offsets refer to it.
    window : int, default 80
        Characters of context on each side, at most: a word the window would
        cut at its far end is left out.

    Returns
    -------
    pandas.DataFrame
        Columns as in :data:`KWIC_COLUMNS`, one row per occurrence, sorted by
        published date (unknown last), then id, then offset.

    Raises
    ------
    ValueError
        If ``id`` or ``text_column`` is missing, ``term`` has no word tokens,
        or ``window`` is negative.
    """
    for column in ("id", text_column):
        if column not in articles.columns:
            raise ValueError(f"articles has no {column!r} column")
    words = tokenize(term)
    if not words:
        raise ValueError(f"term={term!r} contains no words")
    if window < 0:
        raise ValueError(f"window must be zero or more characters, got {window}")
    n_rows = len(articles)
    titles = articles["title"] if "title" in articles.columns else pd.Series([""] * n_rows)
    outlets = articles["outlet"] if "outlet" in articles.columns else pd.Series([""] * n_rows)
    published = (
        pd.to_datetime(articles["published"], errors="coerce")
        if "published" in articles.columns
        else pd.Series([pd.NaT] * n_rows)
    )
    rows = []
    for article_id, title, outlet, date, text in zip(
        articles["id"],
        titles,
        outlets,
        published,
        articles[text_column].fillna(""),
        strict=True,
    ):
        found = _occurrences(str(text), words)
        if not found:
            continue
        sentences = split_sentences(text)
        for start, end in found:
            rows.append(
                {
                    "id": article_id,
                    "title": title,
                    "outlet": outlet,
                    "published": date,
                    "start": start,
                    "end": end,
                    "match": text[start:end],
                    **match_context(text, sentences, start, end, window),
                }
            )
    frame = pd.DataFrame(rows, columns=list(KWIC_COLUMNS))
    frame["published"] = pd.to_datetime(frame["published"])
    return frame.sort_values(
        ["published", "id", "start"], na_position="last", kind="mergesort"
    ).reset_index(drop=True)


def sort_by_context(kwic: pd.DataFrame, *, side: str, words: int = 3) -> pd.DataFrame:
    """Occurrences sorted by the words nearest the keyword on one side, as concordancers sort.

    Parameters
    ----------
    kwic : pandas.DataFrame
        Rows of :func:`keyword_in_context` (needs ``left`` and ``right``). Not modified.
    side : {"left", "right"}
        ``"left"``: by the word just before the keyword, then the one before
        it...; ``"right"``: by the word just after it, then the next...
    words : int, default 3
        How many words decide the order; ties keep their order.

    Returns
    -------
    pandas.DataFrame
        The rows reordered (index renumbered), with ``sort_key``: the deciding
        words, nearest first, lowercased, joined by spaces.

    Raises
    ------
    ValueError
        If ``side`` is neither ``"left"`` nor ``"right"`` or ``words`` is below 1.
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    if words < 1:
        raise ValueError(f"words must be at least 1, got {words}")

    def key(context: str) -> str:
        tokens = tokenize(context)
        nearest = tokens[::-1][:words] if side == "left" else tokens[:words]
        return " ".join(nearest)

    keyed = kwic.assign(sort_key=kwic[side].fillna("").astype(str).map(key))
    return keyed.sort_values("sort_key", kind="mergesort").reset_index(drop=True)
