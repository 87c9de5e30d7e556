"""Find quotations in a text and attribute each to its speaker.

Two kinds of quotation are found, each with its character span in the text:

* **direct** — words between quotation marks (``“…”``, ``"…"``, ``«…»``,
  ``„…“``, ``‘…’`` and ``'…'``) of at least ``min_words`` words (three by
  default). A quote may hold several sentences, and may run on into the next
  paragraph when its closing mark comes there (``"His country ... New York.``
  / ``If the West ... quickly," said Bill Browder``). A quote whose closing
  mark never comes (a truncated text) ends with its paragraph. Single quotes
  count only outside double quotes and within one paragraph, since ``'`` is
  also the apostrophe. Quotes nested inside a quote belong to the outer one.
* **reported** — speech attributed without quotation marks: ``X said (that)
  ...``, ``X told CNN that ...``, ``TASS reports that ...``, ``X described the
  talks as ...``, ``according to X, ...``, ``..., observers say``, ``as X
  admitted, ...``. Its span is what was said: from after the verb (and
  ``that``) to the end of the sentence or a ``;``. It is kept only when at
  least three of its words lie outside direct quotes, so ``X said: "..."``
  gives one direct quotation, not two.

Words in quotation marks shorter than ``min_words`` (``“normalization”``,
``"two-way street"``) are scare quotes or terms, not a source speaking: they
get kind ``term`` and are left out unless ``include_terms=True``.

The text is scanned once for quotation marks, once for speech verbs and
once for aliases; the work per hit is bounded, so time is linear in the
length of the text. Apply it to cleaned text (``analysis.text.cleaning``), whose
quotes are straight ``"`` and ``'``; curly quotes and guillemets work too.

Attribution is in :mod:`analysis.labels.attribution`, speakers and their
aliases in :mod:`analysis.labels.speakers`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis.labels.attribution import (
    SPEECH_CUE,
    Attribution,
    QuoteContext,
    attribute_direct,
    attribution_at,
    word_count,
    words_outside_quotes,
)
from analysis.labels.speakers import SpeakerLexicon, load_speakers
from analysis.text.sentences import Sentence, split_sentences

__all__ = [
    "QUOTATION_KINDS",
    "Quotation",
    "find_quotations",
    "merge_spans",
]

#: Every kind a :class:`Quotation` can have.
QUOTATION_KINDS = ("direct", "reported", "term")


@dataclass(frozen=True, slots=True)
class Quotation:
    """One quotation: ``text == source[start:end]``.

    ``kind`` is ``direct`` (the span includes its quotation marks),
    ``reported`` (the span is what was said) or ``term`` (a scare quote).
    ``speaker`` is the speaker as the text names it (for a pronoun, the
    person it stands for), ``speaker_id`` its id (``""`` when unknown) and
    ``cue`` the attribution as written (``said Pasi Eronen``, ``he said
    that``); both are ``""`` when the quotation is unattributed.
    """

    start: int
    end: int
    text: str
    kind: str
    speaker: str
    speaker_id: str
    cue: str


# --- quotation marks ----------------------------------------------------------------------

_QUOTE_MARK = re.compile(r"[\"“”«»„'‘’‹›]")
_DOUBLE_MARKS = frozenset('"“”«»„')
_ALWAYS_OPEN = frozenset("“«„‘‹")
_ALWAYS_CLOSE = frozenset("”»’›")
_LEFT_SPACE = frozenset("([{—–-/\n")
_RIGHT_PUNCT = frozenset(".,;:!?)]}—–-…")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def _mark_role(text: str, i: int) -> str:
    """``open``, ``close``, ``either`` or ``none`` (an apostrophe) for the mark at ``i``."""
    mark = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if mark in _ALWAYS_OPEN:
        return "open"
    if mark in _ALWAYS_CLOSE:
        if mark == "’" and before.isalnum() and after.isalnum():
            return "none"
        return "close"
    left = before.isspace() or before in _LEFT_SPACE or i == 0
    right = after.isspace() or after in _RIGHT_PUNCT or i + 1 == len(text)
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    if mark == "'":
        return "none"
    return "either" if left and right else "none"


class _Paragraphs:
    """Paragraph boundaries of a text, for finding a position's paragraph."""

    def __init__(self, text: str) -> None:
        starts = [0]
        ends = []
        for match in _PARAGRAPH_BREAK.finditer(text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        self.starts = starts
        self.ends = ends

    def index(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.starts, position) - 1)

    def end_of(self, position: int) -> int:
        return self.ends[self.index(position)]


def _rstrip_span(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _pair_marks(
    text: str, marks: list[tuple[int, str]], paragraphs: _Paragraphs, *, multi_paragraph: bool
) -> list[tuple[int, int]]:
    """Pair opening and closing marks into spans ``(start, end)`` including the marks."""
    spans: list[tuple[int, int]] = []
    open_at = -1
    depth = 0
    for position, role in marks:
        if open_at < 0:
            if role in ("open", "either"):
                open_at, depth = position, 1
            continue
        gap = paragraphs.index(position) - paragraphs.index(open_at)
        if gap > (1 if multi_paragraph else 0) or (gap > 0 and role == "open"):
            # The quote never closed (a truncated text): it ends with its paragraph.
            spans.append((open_at, _rstrip_span(text, open_at, paragraphs.end_of(open_at))))
            open_at, depth = (position, 1) if role in ("open", "either") else (-1, 0)
            continue
        if role == "open":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                spans.append((open_at, position + 1))
                open_at = -1
    if open_at >= 0:
        spans.append((open_at, _rstrip_span(text, open_at, paragraphs.end_of(open_at))))
    return spans


def _quote_spans(text: str, paragraphs: _Paragraphs) -> list[tuple[int, int]]:
    double: list[tuple[int, str]] = []
    single: list[tuple[int, str]] = []
    for match in _QUOTE_MARK.finditer(text):
        i = match.start()
        role = _mark_role(text, i)
        if role == "none":
            continue
        (double if text[i] in _DOUBLE_MARKS else single).append((i, role))
    spans = _pair_marks(text, double, paragraphs, multi_paragraph=True)
    if single:
        starts = [s for s, _ in spans]
        outside = []
        for position, role in single:
            k = bisect.bisect_right(starts, position) - 1
            if k < 0 or position >= spans[k][1]:
                outside.append((position, "open" if role == "either" else role))
        single_spans = [
            span
            for span in _pair_marks(text, outside, paragraphs, multi_paragraph=False)
            if text[span[1] - 1] in "'’›"
        ]
        spans = sorted(spans + single_spans)
    return spans


def find_quotations(
    text: str,
    *,
    speakers: SpeakerLexicon | None = None,
    min_words: int = 3,
    include_terms: bool = False,
    sentences: Sequence[Sentence] | None = None,
) -> list[Quotation]:
    """Find the direct and reported quotations in ``text`` and their speakers.

    Parameters
    ----------
    text : str
        One article's (cleaned) text.
    speakers : SpeakerLexicon, optional
        Speakers and aliases; the shipped ``speakers.yaml`` by default.
    min_words : int, default 3
        Words in quotation marks shorter than this are a term or scare quote
        (kind ``term``), not a quotation of a source.
    include_terms : bool, default False
        Also return the ``term`` quotations (never attributed).
    sentences : sequence of Sentence, optional
        ``split_sentences(text)``, when the caller has it already.

    Returns
    -------
    list of Quotation
        Sorted by ``start`` then ``end``. Spans of a reported quotation and a
        direct one inside it may overlap.

    Raises
    ------
    ValueError
        If ``text`` is not a string or ``min_words`` is below 1.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, not {type(text).__name__}")
    if min_words < 1:
        raise ValueError(f"min_words must be at least 1, got {min_words}")
    lexicon = speakers if speakers is not None else load_speakers()
    paragraphs = _Paragraphs(text)
    all_spans = _quote_spans(text, paragraphs)
    direct_spans = [span for span in all_spans if word_count(text[span[0] : span[1]]) >= min_words]
    if sentences is None:
        sentences = split_sentences(text)
    if not sentences:
        return []
    mentions = lexicon.matches(text)
    context = QuoteContext(
        text=text,
        lexicon=lexicon,
        sentences=list(sentences),
        sentence_starts=[s.start for s in sentences],
        quote_spans=direct_spans,
        quote_starts=[s for s, _ in direct_spans],
        mentions=mentions,
        mention_starts=[m.start for m in mentions],
        surnames={},
    )
    attributions: list[Attribution] = []
    for match in SPEECH_CUE.finditer(text):
        if context.in_quote(match.start()):
            continue
        found = attribution_at(context, match)
        if found is not None:
            attributions.append(found)
    by_sentence: dict[int, list[Attribution]] = {}
    for found in attributions:
        by_sentence.setdefault(found.sentence, []).append(found)

    quotations: list[Quotation] = []
    direct_speakers: dict[int, tuple[str, str, str]] = {}
    for start, end in direct_spans:
        chosen = attribute_direct(context, by_sentence, direct_speakers, start, end)
        speaker, speaker_id, cue = chosen
        for index in range(
            context.sentence_of(start), context.sentence_of(max(start, end - 1)) + 1
        ):
            if speaker:
                direct_speakers[index] = chosen
        quotations.append(
            Quotation(start, end, text[start:end], "direct", speaker, speaker_id, cue)
        )
    for found in attributions:
        if found.content_end <= found.content_start:
            continue
        if words_outside_quotes(context, found.content_start, found.content_end) < 3:
            continue
        quotations.append(
            Quotation(
                found.content_start,
                found.content_end,
                text[found.content_start : found.content_end],
                "reported",
                found.speaker,
                found.speaker_id,
                text[found.cue_start : found.cue_end],
            )
        )
    if include_terms:
        direct = set(direct_spans)
        quotations.extend(
            Quotation(s, e, text[s:e], "term", "", "", "")
            for s, e in all_spans
            if (s, e) not in direct
        )
    return sorted(quotations, key=lambda q: (q.start, q.end, q.kind))


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and merge the overlapping or touching ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
