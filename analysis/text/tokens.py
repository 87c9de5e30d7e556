"""Tokens: how a text is split into the lowercased words that terms are made of.

Word tokens are runs of Unicode letters and digits joined by inner hyphens or
apostrophes ("s-300", "2254", "al-nusra", "covid-19", "п'ять"); an English
possessive is dropped ("Russia's" → "russia"). Punctuation that ends a clause
(:data:`PHRASE_BREAKS`) and paragraph breaks separate phrases.

Stopword lists for English, Russian and Ukrainian are plain text files in
``analysis/data/`` written for this project; a language without a list simply
has no stopwords.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from analysis import DATA_DIR

__all__ = [
    "DEFAULT_LANGUAGES",
    "PHRASE_BREAKS",
    "TOKEN_PATTERN",
    "load_stopwords",
    "prepare_text",
    "stopwords_of",
    "token_spans",
    "tokenize",
    "tokens_and_breaks",
]

#: Languages whose stopword lists are used when the caller names none.
DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "ru", "uk")

#: A word token: letters/digits, with inner hyphens or apostrophes.
TOKEN_PATTERN = r"[^\W_]+(?:['\-][^\W_]+)*"


#: Punctuation that ends a phrase: a phrase never spans a sentence or a clause.
PHRASE_BREAKS = '.!?;:,()[]{}"«»“”„…—–|/\\'
_TOKEN_OR_BREAK = re.compile(TOKEN_PATTERN + "|[" + re.escape(PHRASE_BREAKS) + "]")
_TOKEN = re.compile(TOKEN_PATTERN)
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")
_SPAN = re.compile(_TOKEN_OR_BREAK.pattern + "|" + _PARAGRAPH.pattern)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^<>]{0,2000}>")
_URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|[^\s@<>]+@[^\s@<>]+\.\w+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?<=[^\W_])'s\b")
_CHAR_MAP = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "‐": "-",
        "‑": "-",
        "‒": "-",
    }
)


def prepare_text(text: str) -> str:
    """Normalise a text for tokenization.

    Removes HTML ``<script>``/``<style>`` blocks and tags, decodes HTML
    entities, removes URLs and e-mail addresses, unifies apostrophes and
    hyphens, marks paragraph breaks with a period (a phrase never spans two
    paragraphs), lowercases, and drops English possessives (``'s``).

    Parameters
    ----------
    text : str
        Any text; plain text passes through with only the changes above.

    Returns
    -------
    str
        The normalised text. Character offsets are not preserved.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "<" in text:
        text = _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
    text = text.translate(_CHAR_MAP).lower()
    # The regular expressions run only on texts that can hold a match (most cannot).
    if "@" in text or "://" in text or "www." in text:
        text = _URL_OR_EMAIL.sub(" ", text)
    if "\n" in text:
        text = _PARAGRAPH.sub("\n.\n", text)
    return _POSSESSIVE.sub("", text) if "'s" in text else text


def tokenize(text: str) -> list[str]:
    """Split a text into lowercased word tokens, stopwords included.

    Parameters
    ----------
    text : str
        Any text; it goes through :func:`prepare_text` first.

    Returns
    -------
    list of str
        Word tokens in text order; punctuation, markup and URLs yield none.
    """
    return _TOKEN.findall(prepare_text(text))


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """Word tokens and phrase breaks of a text, with their character spans.

    Tokens are normalised exactly as :func:`tokenize` does (lowercase, unified
    apostrophes and hyphens, possessive dropped), but spans point into the
    text as given. URLs, e-mail addresses and HTML tags yield no tokens.
    Entities are not decoded, so offsets stay true to ``text``.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of (str, int, int)
        ``(token, start, end)`` in text order; a phrase break (punctuation or
        a paragraph break) has the token ``""``.
    """
    blank = _TAG.sub(_spaces, _SCRIPT_OR_STYLE.sub(_spaces, text)) if "<" in text else text
    blank = _URL_OR_EMAIL.sub(_spaces, blank).translate(_CHAR_MAP)
    spans = []
    for match in _SPAN.finditer(blank):
        token = match.group()
        if not token[0].isalnum():
            token = ""
        else:
            token = token.lower()
            if token.endswith("'s") and len(token) > 2:
                token = token[:-2]
        spans.append((token, match.start(), match.end()))
    return spans


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group())


@cache
def load_stopwords(language: str) -> frozenset[str]:
    """Stopwords of one language, from ``analysis/data/stopwords_<language>.txt``.

    Parameters
    ----------
    language : str
        ISO 639-1 code such as ``"en"``, ``"ru"`` or ``"uk"``.

    Returns
    -------
    frozenset of str
        The lowercased stopwords; empty when no list ships for the language.

    Raises
    ------
    ValueError
        If ``language`` is not a two- or three-letter lowercase code.
    """
    if not re.fullmatch(r"[a-z]{2,3}", language):
        raise ValueError(f"language must be a 2- or 3-letter lowercase code, got {language!r}")
    path = DATA_DIR / f"stopwords_{language}.txt"
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        prepare_text(line.strip()) for line in lines if line.strip() and not line.startswith("#")
    )


def stopwords_of(languages: Iterable[str]) -> frozenset[str]:
    """The stopwords of several languages together (see :func:`load_stopwords`).

    Raises
    ------
    ValueError
        If ``languages`` is a string rather than a collection of codes, or a
        code is malformed.
    """
    if isinstance(languages, str):
        raise ValueError(f"languages must be a collection of codes, got the string {languages!r}")
    return frozenset().union(*(load_stopwords(language) for language in languages))


def tokens_and_breaks(text: str) -> list[str]:
    """Word tokens of a text and, between them, its phrase breaks, in text order.

    Tokens are those of :func:`tokenize`; a break is one character of
    :data:`PHRASE_BREAKS` (a paragraph break counts as ``"."``).
    """
    return _TOKEN_OR_BREAK.findall(prepare_text(text))
