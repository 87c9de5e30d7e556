"""Split text into sentences, with character spans back into the text.

The splitter is a single regular-expression scan plus a constant amount of work
per candidate boundary, so it runs in time linear in the length of the text.
A candidate boundary is terminal punctuation (``.``, ``!``, ``?``, ``…``,
``...``) with any closing quotes or brackets right after it, followed by
whitespace or the end of the text. A blank line always ends a sentence; a
single line break is ordinary whitespace.

Whether a candidate is a real boundary depends on the word before the period
and on the word after the whitespace:

* The next word starting with a lowercase letter never begins a sentence
  (``e.g. the``, ``“It is over,” he said``, ``... and then``).
* Titles and Latin abbreviations (``Mr.``, ``Dr.``, ``Gen.``, ``Sen.``,
  ``St.``, ``e.g.``, ``i.e.``, ``vs.``) never end a sentence.
* Abbreviations that precede a number (``No. 5``, ``p. 12``, ``Dec. 15``)
  do not end a sentence when a digit follows.
* Single-letter initials (``John F. Kennedy``, ``A. N.``), dotted initialisms
  (``U.S.``, ``U.N.``) and ``Jr.``, ``Inc.``, ``etc.`` end a sentence only when
  the next word is a common sentence opener (``The``, ``He``, ``But`` ...), so
  ``U.S. Secretary`` stays whole while ``in the U.S. The talks`` splits. A
  sentence that ends in such a word followed by a name is joined with the next
  one; that is the rarer error.
* A closing quote or bracket right after the punctuation belongs to the
  sentence it closes (``He said "Go." Then left.`` ends after the quote); a
  sentence inside quotes splits where its own punctuation is (``“He said.
  Then left.”`` gives ``“He said.`` and ``Then left.”``).

Case is read with :meth:`str.islower`, so Cyrillic and other cased scripts
split the same way as Latin text, and ``«…»`` count as quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: ``text == source[start:end]`` for the text it came from."""

    start: int
    end: int
    text: str


_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["

# Either a paragraph break or terminal punctuation (with closers) before whitespace.
# The leading lookahead lets the regex engine skip ahead to candidate characters,
# which halves the scan time on ordinary prose.
_EVENT = re.compile(
    r"(?=[\n.!?…])(?:(?P<para>\n[ \t\r\f\v]*\n\s*)"
    r"|(?P<end>[.!?…]+[" + re.escape(_CLOSERS) + r"]*)(?=\s|\Z))"
)
_NEXT_WORD = re.compile(r"[ \t\r\n\f\v]*[" + re.escape(_OPENERS) + r"]*(\w*)")
_DOTTED = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NEVER_END = _word_set(
    "mr mrs ms messrs dr prof gen gens sen sens rep reps gov lt col capt cmdr sgt adm maj "
    "rev hon pres amb st mt ft e.g i.e cf viz vs v approx ca"
)
_BEFORE_NUMBER = _word_set(
    "no nos nr p pp vol art fig figs ch sec para tel ext "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEAK = _word_set("jr sr inc ltd co corp bros etc al т.е т.д т.п г гг им ул")
_OPENING_WORDS = _word_set(
    "A An The This That These Those It Its He She We They I You His Her Our Their My "
    "There Here But And Or So Yet However Meanwhile In On At For As If When While After "
    "Before What Why How Who Where Some Many Most All Such One Both Each Then Now Still "
    "Also Moreover Thus Instead"
)


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences.

    Parameters
    ----------
    text : str
        Any text; paragraphs are separated by blank lines.

    Returns
    -------
    list of Sentence
        The sentences in order. ``start``/``end`` are character offsets into
        ``text`` and ``text[start:end] == sentence.text``; leading and
        trailing whitespace is left outside the spans, so whitespace-only
        text gives an empty list.

    Raises
    ------
    ValueError
        If ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, not {type(text).__name__}")
    return _split(text)


def _split(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for match in _EVENT.finditer(text):
        if match.lastgroup == "para":
            _append(sentences, text, start, match.start())
            start = match.end()
        elif _ends_sentence(text, start, match.start(), match.end()):
            _append(sentences, text, start, match.end())
            start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        sentences.append(Sentence(start, end, text[start:end]))


def _ends_sentence(text: str, sentence_start: int, punct_start: int, punct_end: int) -> bool:
    next_word = _NEXT_WORD.match(text, punct_end)
    word_after = next_word.group(1) if next_word else ""
    if not word_after:
        return True
    if word_after[0].islower():
        return False
    punct = text[punct_start:punct_end].rstrip(_CLOSERS)
    if punct != ".":
        return True
    # Forty characters hold any abbreviation; a longer word is never one.
    before = text[max(sentence_start, punct_start - 40) : punct_start].split()
    if not before:
        return True
    word_before = before[-1].lstrip(_OPENERS).rstrip(".")
    key = word_before.lower()
    if key in _NEVER_END:
        return False
    if key in _BEFORE_NUMBER:
        return not word_after[0].isdigit()
    is_initial = len(word_before) == 1 and word_before.isalpha()
    if is_initial or key in _WEAK or _DOTTED.match(word_before):
        return word_after in _OPENING_WORDS
    return True
