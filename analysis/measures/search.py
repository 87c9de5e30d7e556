"""Search: which articles match a query, and every hit in context.

A query is made of words and quoted phrases (``"regime change"``) joined by
``AND``, ``OR`` and ``NOT`` (upper case), with parentheses; words side by side
must all occur (``kerry putin`` is ``kerry AND putin``). ``NOT`` binds tighter
than ``AND``, which binds tighter than ``OR``.

Matching is on word tokens (:func:`analysis.text.tokens.token_spans`), in any
script, and ignores case and accents: both the query and the texts are
*folded* (:func:`fold`), so ``Genève`` finds ``geneve``, ``Ё`` finds ``е`` and
an Arabic word is found with or without its short-vowel marks. A phrase
matches only where its words are consecutive with no punctuation between them,
as in :mod:`analysis.measures.kwic`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from analysis.measures.kwic import match_context
from analysis.text.sentences import split_sentences
from analysis.text.tokens import token_spans, tokenize

__all__ = ["SEARCH_COLUMNS", "Query", "fold", "parse_query", "search_articles"]

#: Columns of the frame returned by :func:`search_articles`.
SEARCH_COLUMNS: dict[str, str] = {
    "id": "article id",
    "title": "article headline (empty when the articles have no title column)",
    "outlet": "outlet key (empty when the articles have no outlet column)",
    "published": "publication date (NaT when unknown or not given)",
    "term": "the query's word or phrase that was found, folded",
    "start": "character offset of the hit in the text",
    "end": "character offset just past the hit",
    "match": "the hit as written",
    "left": "up to `window` characters before the hit, whole words, whitespace collapsed",
    "right": "up to `window` characters after the hit, whole words, whitespace collapsed",
    "sentence": "the sentence (or sentences) holding the hit, whitespace collapsed",
}

_OPERATORS = ("AND", "OR", "NOT")
_LEXEME = re.compile(r'"([^"]*)"?|(\()|(\))|([^\s()"]+)')


def fold(text: str) -> str:
    """``text`` lowercased without accents or other combining marks, for matching.

    Compatibility forms are unified (NFKD), combining marks dropped, then the
    text is case-folded: ``"Genève"`` → ``"geneve"``, ``"Ёлка"`` → ``"елка"``,
    ``"كِتَاب"`` → ``"كتاب"``, ``"Straße"`` → ``"strasse"``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(text: str) -> tuple[str, ...]:
    # Folded first: a combining mark is not a word character and would split the word.
    return tuple(tokenize(fold(text)))


@functools.cache
def _marks_as_letters() -> dict[int, str]:
    """A translation of every combining mark to a letter, so a word keeps its marks inside it."""
    return {code: "a" for code in range(0x300, 0x10000) if unicodedata.combining(chr(code))}


def _tokens(text: str) -> tuple[list[tuple[str, int, int]], list[str]]:
    """The spans of :func:`token_spans` and each token folded (``""`` for a phrase break)."""
    if text.isascii():
        spans = token_spans(text)
        return spans, [token for token, _, _ in spans]
    spans = token_spans(text.translate(_marks_as_letters()))
    tokens = ["".join(_words(text[start:end])) if token else "" for token, start, end in spans]
    return spans, tokens


@dataclass(frozen=True)
class Query:
    """A parsed query: a tree of terms and operators.

    Attributes
    ----------
    operator : str
        ``"TERM"``, ``"AND"``, ``"OR"`` or ``"NOT"``.
    words : tuple of str
        The folded words of a term (empty for an operator).
    parts : tuple of Query
        The operands of an operator (one for ``NOT``).
    """

    operator: str
    words: tuple[str, ...] = ()
    parts: tuple[Query, ...] = ()

    def terms(self) -> list[tuple[str, ...]]:
        """The terms whose hits are listed: every term not under a ``NOT``, in query order."""
        if self.operator == "TERM":
            return [self.words]
        if self.operator == "NOT":
            return []
        found: list[tuple[str, ...]] = []
        for part in self.parts:
            found.extend(term for term in part.terms() if term not in found)
        return found

    def every_term(self) -> list[tuple[str, ...]]:
        """Every term of the query, negated ones included."""
        if self.operator == "TERM":
            return [self.words]
        return [term for part in self.parts for term in part.every_term()]

    def matches(self, present: set[tuple[str, ...]]) -> bool:
        """Whether an article holding exactly the terms ``present`` matches."""
        if self.operator == "TERM":
            return self.words in present
        if self.operator == "NOT":
            return not self.parts[0].matches(present)
        if self.operator == "AND":
            return all(part.matches(present) for part in self.parts)
        return any(part.matches(present) for part in self.parts)


def _lexemes(query: str) -> list[tuple[str, str]]:
    found = []
    for match in _LEXEME.finditer(query):
        phrase, opening, closing, word = match.groups()
        if phrase is not None:
            found.append(("TERM", phrase))
        elif opening:
            found.append(("(", opening))
        elif closing:
            found.append((")", closing))
        elif word in _OPERATORS:
            found.append((word, word))
        else:
            found.append(("TERM", word))
    return found


class _Parser:
    """Recursive descent over the lexemes: or := and (OR and)*; and := not (AND? not)*."""

    def __init__(self, lexemes: list[tuple[str, str]], query: str) -> None:
        self.lexemes = lexemes
        self.query = query
        self.at = 0

    def peek(self) -> str | None:
        return self.lexemes[self.at][0] if self.at < len(self.lexemes) else None

    def fail(self, reason: str) -> ValueError:
        return ValueError(f"query {self.query!r}: {reason}")

    def either(self) -> Query:
        parts = [self.both()]
        while self.peek() == "OR":
            self.at += 1
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else Query("OR", parts=tuple(parts))

    def both(self) -> Query:
        parts = [self.negated()]
        while self.peek() in ("AND", "NOT", "TERM", "("):
            if self.peek() == "AND":
                self.at += 1
            parts.append(self.negated())
        return parts[0] if len(parts) == 1 else Query("AND", parts=tuple(parts))

    def negated(self) -> Query:
        if self.peek() == "NOT":
            self.at += 1
            return Query("NOT", parts=(self.negated(),))
        return self.single()

    def single(self) -> Query:
        kind = self.peek()
        if kind is None:
            raise self.fail("it ends where a word or phrase is expected")
        text = self.lexemes[self.at][1]
        self.at += 1
        if kind == "(":
            inner = self.either()
            if self.peek() != ")":
                raise self.fail("a parenthesis is not closed")
            self.at += 1
            return inner
        if kind != "TERM":
            raise self.fail(f"{text!r} stands where a word or phrase is expected")
        words = _words(text)
        if not words:
            raise self.fail(f"{text!r} holds no word")
        return Query("TERM", words=words)


def parse_query(query: str) -> Query:
    """Parse a search query (see the module docstring for the syntax).

    Raises
    ------
    ValueError
        If the query is empty, is malformed (an operator without an operand,
        an unclosed parenthesis, a term with no word in it), or finds nothing
        by itself (every term under ``NOT``).
    """
    lexemes = _lexemes(query)
    if not lexemes:
        raise ValueError("the query is empty")
    parser = _Parser(lexemes, query)
    parsed = parser.either()
    if parser.at < len(lexemes):
        raise parser.fail(f"{lexemes[parser.at][1]!r} is not expected here")
    if not parsed.terms():
        raise parser.fail("it needs a word or phrase that is not under NOT")
    return parsed


def _found(tokens: list[str], words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Token positions ``(first, last)`` where ``words`` occur consecutively."""
    n = len(words)
    return [
        (k, k + n - 1)
        for k in range(len(tokens) - n + 1)
        if tokens[k] == words[0] and tuple(tokens[k : k + n]) == words
    ]


def search_articles(
    articles: pd.DataFrame,
    query: str | Query,
    *,
    text_column: str = "text_clean",
    window: int = 80,
) -> pd.DataFrame:
    """Every hit of ``query``'s terms in the articles that match it, in context.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles with an ``id`` column and ``text_column``; ``title``,
        ``outlet`` and ``published`` are reported when present. Not modified.
    query : str or Query
        A query (see the module docstring) or one :func:`parse_query` made.
    text_column : str, default "text_clean"
        Column holding the text to search; offsets refer to it.
    window : int, default 80
        Characters of context on each side.

    Returns
    -------
    pandas.DataFrame
        Columns as in :data:`SEARCH_COLUMNS`, one row per hit of a term that
        is not under ``NOT``, in the articles the whole query matches; sorted
        by published date (unknown last), then id, then offset.

    Raises
    ------
    ValueError
        If ``id`` or ``text_column`` is missing, ``window`` is negative, or
        the query cannot be parsed (see :func:`parse_query`).
    """
    for column in ("id", text_column):
        if column not in articles.columns:
            raise ValueError(f"articles has no {column!r} column")
    if window < 0:
        raise ValueError(f"window must be zero or more characters, got {window}")
    parsed = parse_query(query) if isinstance(query, str) else query
    every = parsed.every_term()
    listed = parsed.terms()
    n_rows = len(articles)
    blank = pd.Series([""] * n_rows, index=articles.index)
    titles = articles["title"] if "title" in articles.columns else blank
    outlets = articles["outlet"] if "outlet" in articles.columns else blank
    published = (
        pd.to_datetime(articles["published"], errors="coerce")
        if "published" in articles.columns
        else pd.Series([pd.NaT] * n_rows, index=articles.index)
    )
    rows = []
    for article_id, title, outlet, date, text in zip(
        articles["id"],
        titles,
        outlets,
        published,
        articles[text_column].fillna("").astype(str),
        strict=True,
    ):
        spans, tokens = _tokens(text)
        hits = {term: _found(tokens, term) for term in every}
        if not parsed.matches({term for term, found in hits.items() if found}):
            continue
        sentences = split_sentences(text)
        for term in listed:
            for first_token, last_token in hits[term]:
                start, end = spans[first_token][1], spans[last_token][2]
                rows.append(
                    {
                        "id": article_id,
                        "title": title,
                        "outlet": outlet,
                        "published": date,
                        "term": " ".join(term),
                        "start": start,
                        "end": end,
                        "match": text[start:end],
                        **match_context(text, sentences, start, end, window),
                    }
                )
    frame = pd.DataFrame(rows, columns=list(SEARCH_COLUMNS))
    frame["published"] = pd.to_datetime(frame["published"])
    return frame.sort_values(
        ["published", "id", "start"], na_position="last", kind="mergesort"
    ).reset_index(drop=True)
