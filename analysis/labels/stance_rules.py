"""Stance rules: which cues of a text count for or against which target, and in whose voice.

The word lists are in ``analysis/data/stance_lexicon.yaml``
(:mod:`analysis.labels.stance_lexicon`); the rules are:

* A cue counts only for a target named in the same clause (evaluative cues
  fall back to the nearest target in the sentence at half weight).
* Roles matter: the subject of "conceded" loses, a target right after it
  ("conceded to Putin") gains; "a victory for Washington" credits Washington.
* Being shown winning or losing counts ``outcome_factor`` (a quarter) of a
  judgement of character or conduct.
* A negator among the three words before a cue flips it; a negated judgement
  ("not afraid") counts half.
* "he", "his", "him" stand for the person named last (same or two previous
  sentences); "Moscow" after "in", "to" ... is a place, not an actor.
* A cue inside a quotation (direct or reported, :mod:`analysis.labels.quotes`) is
  the speaker's: it is kept in the evidence with ``voice`` set to the speaker,
  weight 0, and it speaks only of targets inside the same quotation.
* Articles in a language without a lexicon are "unsupported language".

:func:`scan_articles` returns every cue hit with its target and voice;
:mod:`analysis.labels.stance` turns the hits into labels and tables.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.labels.document import ArticleDocument, documents_for
from analysis.labels.evidence import HEADLINE
from analysis.labels.stance_lexicon import StanceCue, StanceLexicon
from analysis.labels.targets import Mention, TargetMatcher

__all__ = [
    "ArticleScan",
    "CueHit",
    "scan_article",
    "scan_articles",
    "voice_at",
]

#: An evaluative cue with no target in its clause counts this much for the sentence's nearest.
_SENTENCE_FALLBACK = 0.5
_OUTCOME_KINDS = frozenset({"gains", "losses", "gain_nouns", "loss_nouns"})
# An article, optionally with one lower-case adjective, makes the cue a noun
# ("a retreat", "a diplomatic victory"); "the West conceded" stays a verb.
_NOUN_BEFORE = re.compile(r"(?:^|\W)(?:a|an|the)\s+(?:(?-i:[a-z])\w*\s+)?$", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[,;:.!?\"()—]")
_WORD = re.compile(r"\w+")
_RELATIVE = re.compile(r"\s*(?:which|who)\b", re.IGNORECASE)
_MODIFIER = re.compile(r"\s+[A-Z]")


@dataclass(frozen=True, slots=True)
class CueHit:
    """One cue counted for one target (``target`` is ``""`` when it has none).

    ``polarity`` is +1 or -1 after roles and negation; ``weight`` is the
    lexicon weight (positive); ``factor`` scales it for stance (outcome cues,
    sentence fallback). ``sentence`` is the sentence index, -1 for the headline.
    """

    sentence: int
    cue_start: int
    cue_end: int
    cue_words: str
    kind: str
    target: str
    polarity: int
    weight: float
    factor: float
    rule: str
    voice: str


def _words_between(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def _clause(
    text: str, start: int, end: int, position: int, lexicon: StanceLexicon
) -> tuple[int, int]:
    lo, hi = start, end
    for match in lexicon.clause_break.finditer(text, start, end):
        if match.end() <= position:
            lo = match.end()
        elif match.start() >= position:
            hi = match.start()
            break
    return lo, hi


def _is_patient(text: str, mention: Mention, lo: int, lexicon: StanceLexicon) -> bool:
    return (
        lexicon.patient_before.search(text, max(lo, mention.start - 16), mention.start) is not None
    )


def _agent(
    text: str,
    before: Sequence[Mention],
    clause_start: int,
    mentions: Sequence[Mention],
    lexicon: StanceLexicon,
) -> tuple[Mention | None, str]:
    """The subject of a verb: the nearest target before it that can be a subject.

    A target governed by a preposition (``object_prepositions``), one that
    modifies a following capitalised word ("Putin Kerry Talks") or one with
    another cue between it and the target before it (the object of that cue:
    "he undermined the coalition by successfully ...") is skipped. A clause
    opened by "which" or "who" has no subject of its own: the target named just
    before it is the one it speaks of.
    """
    for position in range(len(before) - 1, -1, -1):
        mention = before[position]
        if lexicon.object_before.search(text, max(0, mention.start - 16), mention.start):
            continue
        if _MODIFIER.match(text, mention.end):
            continue
        previous_end = before[position - 1].end if position > 0 else clause_start
        if position > 0 and lexicon.pattern.any_case.search(text, previous_end, mention.start):
            continue
        return mention, "agent"
    if _RELATIVE.match(text, clause_start):
        antecedent = [m for m in mentions if m.end <= clause_start]
        if antecedent:
            return antecedent[-1], "agent (before 'which'/'who')"
    return None, ""


def voice_at(position: int, quotes: Sequence[tuple[int, int, str]]) -> str:
    """Who speaks at ``position``: ``"outlet"`` or the innermost quotation's speaker."""
    # The innermost quotation wins: a direct quote inside reported speech.
    inside = [(end - start, speaker) for start, end, speaker in quotes if start <= position < end]
    if not inside:
        return "outlet"
    return min(inside)[1] or "unattributed quotation"


def _assign(
    text: str,
    cue: StanceCue,
    match: re.Match[str],
    clause: tuple[int, int],
    mentions: Sequence[Mention],
    lexicon: StanceLexicon,
) -> list[tuple[Mention | None, int, float, str]]:
    """(target mention, role sign, factor, rule) for a cue; the sign is before negation."""
    lo, hi = clause
    in_clause = [m for m in mentions if lo <= m.start < hi]
    before = [m for m in in_clause if m.end <= match.start()]
    after = [m for m in in_clause if m.start >= match.end()]
    kind = cue.kind
    if kind in ("gains", "losses") and _NOUN_BEFORE.search(text, lo, match.start()):
        kind = "gain_nouns" if kind == "gains" else "loss_nouns"
    near_after = [
        m for m in after if _words_between(text, match.end(), m.start) <= lexicon.counterpart_window
    ]
    if kind == "evaluative":
        candidates = [m for m in in_clause if not _is_patient(text, m, lo, lexicon)]
        adjacent = [m for m in candidates if m.start >= match.end()]
        adjacent = [
            m
            for m in adjacent
            if _words_between(text, match.end(), m.start) <= 1
            and not _PUNCTUATION.search(text, match.end(), m.start)
        ]
        prior = [m for m in candidates if m.end <= match.start()]
        if adjacent:
            return [(adjacent[0], 1, 1.0, "evaluative: target it qualifies")]
        if prior:
            return [(prior[-1], 1, 1.0, "evaluative: target before it in the clause")]
        antecedent, note = _agent(text, [], lo, mentions, lexicon)
        if antecedent is not None:
            return [(antecedent, 1, 1.0, f"evaluative: {note}")]
        if candidates:
            return [(candidates[0], 1, 1.0, "evaluative: target after it in the clause")]
        sentence_wide = [m for m in mentions if not _is_patient(text, m, 0, lexicon)]
        if sentence_wide:
            nearest = min(sentence_wide, key=lambda m: abs(m.start - match.start()))
            return [(nearest, 1, _SENTENCE_FALLBACK, "evaluative: nearest target in the sentence")]
        return []
    if kind in ("gains", "losses"):
        factor = lexicon.outcome_factor
        verb = "gain verb" if kind == "gains" else "loss verb"
        agent, note = _agent(text, before, lo, mentions, lexicon)
        assigned: list[tuple[Mention | None, int, float, str]] = []
        if agent is not None:
            assigned.append((agent, 1, factor, f"{verb}: {note}"))
        else:
            assigned.append((None, 1, factor, f"{verb}: no agent named"))
        counterpart = [m for m in near_after if m.target != (agent.target if agent else "")]
        if counterpart:
            assigned.append((counterpart[0], -1, factor, f"{verb}: counterpart after it"))
        return assigned
    if kind in ("gain_nouns", "loss_nouns"):
        factor = lexicon.outcome_factor
        label = "gain noun" if kind == "gain_nouns" else "loss noun"
        if near_after:
            return [(near_after[0], 1, factor, f"{label}: target it is for")]
        if before:
            return [(before[-1], 1, factor, f"{label}: target before it")]
        return [(None, 1, factor, f"{label}: no target named")]
    agent, note = _agent(text, before, lo, mentions, lexicon)
    if agent is not None:
        return [(agent, 1, 1.0, f"{cue.kind}: {note}")]
    return []


def scan_article(
    text: str,
    *,
    lexicon: StanceLexicon,
    bounds: Sequence[tuple[int, int]],
    mentions: Sequence[Sequence[Mention]],
    quotes: Sequence[tuple[int, int, str]] = (),
) -> list[CueHit]:
    """Find every stance cue in ``text`` and the target it counts for.

    Parameters
    ----------
    text : str
        Cleaned article text (or a headline).
    lexicon : StanceLexicon
        Compiled cues.
    bounds : sequence of (start, end)
        Sentence spans (the document's sentences; the whole headline).
    mentions : sequence of sequence of Mention
        The target mentions of each sentence, pronouns resolved
        (:attr:`analysis.labels.document.ArticleDocument.mentions`).
    quotes : sequence of (start, end, speaker), optional
        Quotation spans in ``text``; cues inside one get ``voice = speaker``.

    Returns
    -------
    list of CueHit
        In text order; a cue with a role and a counterpart gives two hits.
    """
    spans = list(bounds)
    starts = [start for start, _ in spans]
    hits: list[CueHit] = []
    # A cue counts only for a target in its sentence, so only those sentences are scanned.
    lowered = text.lower()
    matches = (
        match
        for index, (start, end) in enumerate(spans)
        if mentions[index]
        for match in lexicon.pattern.finditer(text, lowered, start, end)
    )
    for match in matches:
        index = bisect.bisect_right(starts, match.start()) - 1
        cue = lexicon.cue_for(match)
        inside = [
            m
            for m in mentions[index]
            if m.start < match.end() and match.start() < m.end and not m.via_pronoun
        ]
        if inside and (cue.kind != "evaluative" or len(inside) > 1):
            continue
        # A capitalised cue inside a name is part of the name ("United States"),
        # not a judgement of it the way "the Russian regime" is.
        if inside and text[match.start()].isupper():
            continue
        start, end = spans[index]
        clause = _clause(text, start, end, match.start(), lexicon)
        negated = lexicon.negation.search(text, clause[0], match.start()) is not None
        words = text[match.start() : match.end()]
        if negated:
            negator = lexicon.negation.search(text, clause[0], match.start())
            assert negator is not None
            words = text[negator.start() : match.end()].strip()
        voice = voice_at(match.start(), quotes)
        # A quotation's cue speaks of targets inside it, the outlet's of targets outside.
        same_voice = [m for m in mentions[index] if voice_at(m.start, quotes) == voice]
        assigned = (
            [(inside[0], 1, 1.0, "evaluative: part of the name used for the target")]
            if inside
            else _assign(text, cue, match, clause, same_voice, lexicon)
        )
        for mention, sign, factor, rule in assigned:
            polarity = cue.polarity * sign * (-1 if negated else 1)
            if negated and cue.kind not in _OUTCOME_KINDS:
                factor *= lexicon.negated_judgement_factor
            full_rule = rule + (", negated" if negated else "")
            if mention is not None and mention.via_pronoun:
                full_rule += f", '{text[mention.start : mention.end]}' read as {mention.alias}"
            hits.append(
                CueHit(
                    sentence=index,
                    cue_start=match.start(),
                    cue_end=match.end(),
                    cue_words=words,
                    kind=cue.kind,
                    target=mention.target if mention is not None else "",
                    polarity=polarity,
                    weight=cue.weight,
                    factor=factor,
                    rule=full_rule,
                    voice=voice,
                )
            )
    return hits


@dataclass
class ArticleScan:
    """Cue hits of one article (headline hits have ``sentence == -1``).

    ``mentions`` counts alias mentions per target; ``offsets`` holds, for each
    hit, its sentence's offsets in the cleaned text and the cue's within the
    sentence (``sentence_start``, ``sentence_end``, ``mark_start``,
    ``mark_end``; the sentence offsets are -1 in the headline); ``quotes``
    are the body's quotation spans with their speakers; ``sentences`` the
    body's sentence spans and ``sentence_targets`` the targets each one names
    (pronouns included).
    """

    article_id: str
    hits: list[CueHit]
    mentions: dict[str, int]
    offsets: list[tuple[int, int, int, int]]
    quotes: list[tuple[int, int, str]]
    sentences: list[tuple[int, int]]
    sentence_targets: list[frozenset[str]]


def scan_articles(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    *,
    quotes: pd.DataFrame | None,
    matcher: TargetMatcher,
    lexicon: StanceLexicon,
    documents: Sequence[ArticleDocument] | None = None,
) -> list[ArticleScan | None]:
    """Scan the headline and cleaned text of every article.

    Parameters are as for :func:`analysis.labels.stance.stance_per_article`,
    with the matcher and lexicon compiled; ``documents`` are the articles'
    (:func:`analysis.labels.document.article_documents`), built here with
    ``matcher`` and ``quotes`` when omitted. Returns one :class:`ArticleScan`
    per article, in order, or ``None`` for an article whose language the
    lexicon does not cover.
    """
    return [
        _scan(document, lexicon) if document.language == lexicon.language else None
        for document in documents_for(articles, cleaned, documents, matcher=matcher, quotes=quotes)
    ]


def _scan(document: ArticleDocument, lexicon: StanceLexicon) -> ArticleScan:
    quotes = document.quote_spans
    scan = ArticleScan(
        document.article_id,
        [],
        {},
        [],
        quotes,
        document.bounds,
        [frozenset(m.target for m in found) for found in document.mentions],
    )
    no_quotes: list[tuple[int, int, str]] = []
    parts: tuple[
        tuple[
            bool,
            str,
            list[tuple[int, int]],
            Sequence[Sequence[Mention]],
            list[tuple[int, int, str]],
        ],
        ...,
    ] = (
        (True, document.title, [(0, len(document.title))], (document.title_mentions,), no_quotes),
        (False, document.text, scan.sentences, document.mentions, quotes),
    )
    for headline, body, bounds, mentions, body_quotes in parts:
        if not body:
            continue
        for found in mentions:
            for mention in found:
                if not mention.via_pronoun:
                    scan.mentions[mention.target] = scan.mentions.get(mention.target, 0) + 1
        for hit in scan_article(
            body, lexicon=lexicon, bounds=bounds, mentions=mentions, quotes=body_quotes
        ):
            start, end = bounds[hit.sentence]
            scan.hits.append(_as_headline(hit) if headline else hit)
            scan.offsets.append(
                (
                    HEADLINE if headline else start,
                    HEADLINE if headline else end,
                    hit.cue_start - start,
                    hit.cue_end - start,
                )
            )
    return scan


def _as_headline(hit: CueHit) -> CueHit:
    return CueHit(
        -1,
        hit.cue_start,
        hit.cue_end,
        hit.cue_words,
        hit.kind,
        hit.target,
        hit.polarity,
        hit.weight,
        hit.factor,
        hit.rule,
        hit.voice,
    )
