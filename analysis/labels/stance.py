"""Stance of each article toward each target, with the sentences that drove it.

Stance is the position the text takes toward a target, not its sentiment
(``corpus/labels/guideline.md``). The rules, with their word lists, are in
``analysis/data/stance_lexicon.yaml``; in short:

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

Per article and target: ``favorable`` and ``unfavorable`` are the summed cue
weights in the outlet's voice, ``score = (favorable - unfavorable) /
(favorable + unfavorable + 1)`` (the ``+ 1`` keeps one weak cue from making a
strong score), and the label is "not mentioned" without a mention, "neutral"
when ``|score| < NEUTRAL_BAND``, else "favorable" or "unfavorable".
``confidence`` is the share of cue weight that agrees with the label times
``1 - exp(-(favorable + unfavorable) / 2)`` (more evidence, more confidence);
for "neutral" with no cues it is ``1 - exp(-mentions / 2)``; for a mixed
"neutral" it is ``(1 - |favorable - unfavorable| / total) * strength``.

The word weights, ``outcome_factor`` and :data:`NEUTRAL_BAND` were chosen on
the tuning labels only (``corpus/labels/``).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from analysis import DATA_DIR
from analysis.labels.cues import article_texts
from analysis.labels.quotes import find_quotations
from analysis.labels.speakers import load_speakers
from analysis.labels.targets import Mention, TargetMatcher, load_targets
from analysis.measures.intervals import wilson_interval
from analysis.review.hand_labels import STANCE_LABELS, apply_overrides
from analysis.text.sentences import split_sentences

__all__ = [
    "DEFAULT_LEXICON_FILE",
    "EVIDENCE_COLUMNS",
    "MIN_GROUP_ARTICLES",
    "NEUTRAL_BAND",
    "STANCE_COLUMNS",
    "STANCE_GROUP_COLUMNS",
    "ArticleScan",
    "CueHit",
    "CuePattern",
    "StanceLexicon",
    "compile_cues",
    "label_tables",
    "load_stance_lexicon",
    "negation_pattern",
    "quotation_spans",
    "scan_article",
    "scan_articles",
    "stance_by_group",
    "stance_per_article",
    "voice_at",
]

DEFAULT_LEXICON_FILE = DATA_DIR / "stance_lexicon.yaml"
#: Scores closer to 0 than this are "neutral" (mixed evidence); chosen on the tuning labels.
NEUTRAL_BAND = 0.1
#: Below this many rated articles a group's distribution is "insufficient evidence".
MIN_GROUP_ARTICLES = 5
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

STANCE_COLUMNS = [
    "article_id",
    "target",
    "target_name",
    "label",
    "computed_label",
    "score",
    "confidence",
    "favorable",
    "unfavorable",
    "mentions",
    "evidence_sentences",
    "source",
    "override_note",
]
EVIDENCE_COLUMNS = [
    "article_id",
    "task",
    "target",
    "voice",
    "part",
    "sentence",
    "sentence_start",
    "sentence_end",
    "cue_words",
    "marked",
    "mark_start",
    "mark_end",
    "weight",
    "rule",
]
STANCE_GROUP_COLUMNS = [
    "group",
    "target",
    "label",
    "articles",
    "rated",
    "share",
    "share_low",
    "share_high",
    "status",
]


@dataclass(frozen=True)
class _Cue:
    kind: str
    polarity: int
    weight: float
    pattern: str


@dataclass(frozen=True)
class StanceLexicon:
    """A compiled stance lexicon (see ``analysis/data/stance_lexicon.yaml``)."""

    language: str
    cues: tuple[_Cue, ...]
    pattern: CuePattern
    negation: re.Pattern[str]
    clause_break: re.Pattern[str]
    patient_before: re.Pattern[str]
    object_before: re.Pattern[str]
    counterpart_window: int
    outcome_factor: float
    negated_judgement_factor: float

    def cue_for(self, match: re.Match[str]) -> _Cue:
        """The cue entry that ``match`` (from :attr:`pattern`) matched."""
        assert match.lastgroup is not None
        return self.cues[int(match.lastgroup[1:])]


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _entries(value: Any, *, where: str) -> list[tuple[str, float]]:
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list of {{cue, weight}} entries")
    entries = []
    for item in value:
        if not isinstance(item, Mapping) or not isinstance(item.get("cue"), str):
            raise ValueError(f"{where}: every entry needs a 'cue' string")
        weight = item.get("weight", 1.0)
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
            raise ValueError(f"{where}: cue {item['cue']!r} needs a positive 'weight'")
        try:
            re.compile(item["cue"])
        except re.error as error:
            raise ValueError(
                f"{where}: cue {item['cue']!r} is not a valid pattern: {error}"
            ) from None
        entries.append((item["cue"], float(weight)))
    return entries


@dataclass(frozen=True)
class CuePattern:
    """Cues compiled into one whole-word expression; group ``c<i>`` is cue ``i``.

    Matching runs on the lower-cased text with a case-sensitive expression,
    which is two to three times faster than a case-insensitive one; a text
    whose length lower-casing changes (a few non-ASCII letters) is matched
    case-insensitively instead, so offsets always point into the original.
    """

    lower: re.Pattern[str]
    any_case: re.Pattern[str]

    def finditer(self, text: str, lowered: str, start: int, end: int) -> Iterator[re.Match[str]]:
        """Matches in ``text[start:end]``; ``lowered`` is ``text.lower()``."""
        if len(lowered) == len(text):
            return self.lower.finditer(lowered, start, end)
        return self.any_case.finditer(text, start, end)


def compile_cues(cues: Sequence[tuple[str, float]]) -> CuePattern:
    """Compile cue fragments (lower-case) into one :class:`CuePattern`."""
    parts = [f"(?P<c{i}>{pattern})" for i, (pattern, _) in enumerate(cues)]
    source = r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])"
    return CuePattern(re.compile(source), re.compile(source, re.IGNORECASE))


def negation_pattern(negators: Sequence[str], window: int) -> re.Pattern[str]:
    """An expression that matches when a negator ends at most ``window`` words before the end."""
    plain = [n for n in negators if n != "n't"]
    negator = r"(?:(?<!\w)(?:" + _alternation(plain) + r")|n't)(?!\w)"
    return re.compile(negator + r"(?:\W+\w+){0," + str(window - 1) + r"}\W+$", re.IGNORECASE)


def _preceded_by(words: Sequence[str]) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!)")
    return re.compile(r"(?:^|\W)(?:" + _alternation(words) + r")\s+(?:the\s+)?$", re.IGNORECASE)


def load_stance_lexicon(path: Path | str | None = None) -> StanceLexicon:
    """Read and compile a stance lexicon.

    Parameters
    ----------
    path : path-like, optional
        A YAML file laid out like ``analysis/data/stance_lexicon.yaml`` (the default).

    Returns
    -------
    StanceLexicon

    Raises
    ------
    ValueError
        If a section is missing or malformed, a cue is not a valid regular
        expression or has a weight that is not a positive number.
    """
    file = Path(path) if path is not None else DEFAULT_LEXICON_FILE
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or not isinstance(data.get("language"), str):
        raise ValueError(f"{file}: must be a mapping with a 'language'")
    evaluative = data.get("evaluative")
    if not isinstance(evaluative, Mapping):
        raise ValueError(f"{file}: 'evaluative' must map 'favorable' and 'unfavorable' to cues")
    sections: list[tuple[str, int, Any]] = [
        ("evaluative", 1, evaluative.get("favorable")),
        ("evaluative", -1, evaluative.get("unfavorable")),
        ("act", -1, evaluative.get("unfavorable_acts")),
        ("gains", 1, data.get("gains")),
        ("losses", -1, data.get("losses")),
        ("gain_nouns", 1, data.get("gain_nouns")),
        ("loss_nouns", -1, data.get("loss_nouns")),
        ("intransigence", -1, data.get("intransigence")),
    ]
    cues: list[_Cue] = []
    for kind, polarity, value in sections:
        for pattern, weight in _entries(value, where=f"{file}: {kind}"):
            cues.append(_Cue(kind, polarity, weight, pattern))
    window = int(data.get("negation_window", 3))
    patients = data.get("patient_prepositions") or []
    clause_words = data.get("clause_words") or []
    return StanceLexicon(
        language=data["language"],
        cues=tuple(cues),
        pattern=compile_cues([(c.pattern, c.weight) for c in cues]),
        negation=negation_pattern(data.get("negators") or ["not"], window),
        clause_break=re.compile(
            r"[;:()—]|\s-\s|,\s*(?=(?:" + _alternation(clause_words) + r")\b)"
            r"|\s(?:and|or)\s+(?=(?:the\s+)?(?-i:[A-Z]))",
            re.IGNORECASE,
        ),
        patient_before=_preceded_by(patients),
        object_before=_preceded_by(data.get("object_prepositions") or []),
        counterpart_window=int(data.get("counterpart_window", 6)),
        outcome_factor=float(data.get("outcome_factor", 0.5)),
        negated_judgement_factor=float(data.get("negated_judgement_factor", 0.5)),
    )


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
    cue: _Cue,
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
    matcher: TargetMatcher,
    lexicon: StanceLexicon,
    quotes: Sequence[tuple[int, int, str]] = (),
    bounds: Sequence[tuple[int, int]] | None = None,
) -> tuple[list[CueHit], list[list[Mention]], list[tuple[int, int]]]:
    """Find every stance cue in ``text`` and the target it counts for.

    Parameters
    ----------
    text : str
        Cleaned article text (or a headline).
    matcher : TargetMatcher
        Compiled target aliases.
    lexicon : StanceLexicon
        Compiled cues.
    quotes : sequence of (start, end, speaker), optional
        Quotation spans in ``text``; cues inside one get ``voice = speaker``.
    bounds : sequence of (start, end), optional
        Sentence spans; by default :func:`analysis.text.sentences.split_sentences`.

    Returns
    -------
    hits : list of CueHit
        In text order; a cue with a role and a counterpart gives two hits.
    mentions : list of list of Mention
        Per sentence.
    bounds : list of (int, int)
        The sentence spans used.
    """
    if bounds is None:
        bounds = [(s.start, s.end) for s in split_sentences(text)]
    spans = list(bounds)
    mentions = matcher.mentions_by_sentence(text, spans)
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
    return hits, mentions, spans


def _marked(sentence: str, offset: int, hit: CueHit) -> str:
    lo, hi = hit.cue_start - offset, hit.cue_end - offset
    return f"{sentence[:lo]}**{sentence[lo:hi]}**{sentence[hi:]}"


def quotation_spans(articles: pd.DataFrame, texts: Sequence[str]) -> pd.DataFrame:
    """Direct and reported quotations of every text, as ``stance_per_article`` takes them.

    Uses :func:`analysis.labels.quotes.find_quotations`; returns ``article_id``,
    ``start``, ``end``, ``speaker`` (as the text names the speaker, ``""`` when
    unattributed) and ``kind``.
    """
    speakers = load_speakers()
    rows = [
        (article_id, q.start, q.end, q.speaker, q.kind)
        for article_id, text in zip(articles["id"], texts, strict=True)
        for q in find_quotations(text, speakers=speakers)
    ]
    return pd.DataFrame(rows, columns=["article_id", "start", "end", "speaker", "kind"])


def _quote_spans(quotes: pd.DataFrame) -> dict[str, list[tuple[int, int, str]]]:
    if quotes.empty:
        return {}
    missing = [c for c in ("article_id", "start", "end", "speaker") if c not in quotes.columns]
    if missing:
        raise ValueError(f"quotes is missing column(s) {', '.join(missing)}")
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for article_id, start, end, speaker in zip(
        quotes["article_id"], quotes["start"], quotes["end"], quotes["speaker"], strict=True
    ):
        name = speaker if isinstance(speaker, str) else ""
        spans.setdefault(str(article_id), []).append((int(start), int(end), name))
    return spans


@dataclass
class ArticleScan:
    """Cue hits of one article (headline hits have ``sentence == -1``).

    ``mentions`` counts alias mentions per target; ``evidence`` holds, for
    each hit, its ``part``, ``sentence``, offsets and ``marked`` sentence;
    ``quotes`` are the body's quotation spans with their speakers;
    ``sentences`` the body's sentence spans and ``sentence_targets`` the
    targets each one names (pronouns included).
    """

    article_id: str
    hits: list[CueHit]
    mentions: dict[str, int]
    evidence: list[dict[str, Any]]
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
) -> list[ArticleScan | None]:
    """Scan the headline and cleaned text of every article.

    Parameters are as for :func:`stance_per_article`, with the matcher and
    lexicon compiled. Returns one :class:`ArticleScan` per article, in order,
    or ``None`` for an article whose language the lexicon does not cover.
    """
    texts = [text for _, _, text in article_texts(articles, cleaned)]
    titles = (
        [t if isinstance(t, str) else "" for t in articles["title"]]
        if "title" in articles.columns
        else [""] * len(articles)
    )
    if quotes is None:
        quotes = quotation_spans(articles, texts)
    spans_by_article = _quote_spans(quotes)
    scans: list[ArticleScan | None] = []
    for article_id, language, title, text in zip(
        articles["id"], articles["language"], titles, texts, strict=True
    ):
        if language != lexicon.language:
            scans.append(None)
            continue
        scan = ArticleScan(
            str(article_id), [], {}, [], list(spans_by_article.get(str(article_id), ())), [], []
        )
        for part, body, quote_spans in (
            ("headline", title, ()),
            ("body", text, spans_by_article.get(str(article_id), ())),
        ):
            if not body:
                continue
            hits, mentions, bounds = scan_article(
                body,
                matcher=matcher,
                lexicon=lexicon,
                quotes=quote_spans,
                bounds=[(0, len(body))] if part == "headline" else None,
            )
            if part == "body":
                scan.sentences = list(bounds)
                scan.sentence_targets = [frozenset(m.target for m in ms) for ms in mentions]
            for sentence_mentions in mentions:
                for mention in sentence_mentions:
                    if not mention.via_pronoun:
                        scan.mentions[mention.target] = scan.mentions.get(mention.target, 0) + 1
            for hit in hits:
                start, end = bounds[hit.sentence]
                headline = part == "headline"
                scan.hits.append(hit if not headline else _as_headline(hit))
                scan.evidence.append(
                    {
                        "part": part,
                        "sentence": body[start:end],
                        "sentence_start": pd.NA if headline else start,
                        "sentence_end": pd.NA if headline else end,
                        "marked": _marked(body[start:end], start, hit),
                        "mark_start": hit.cue_start - start,
                        "mark_end": hit.cue_end - start,
                    }
                )
        scans.append(scan)
    return scans


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


def _label(favorable: float, unfavorable: float, mentions: int) -> tuple[str, float, float]:
    if mentions == 0 and favorable + unfavorable == 0:
        return "not mentioned", math.nan, math.nan
    total = favorable + unfavorable
    score = (favorable - unfavorable) / (total + 1.0)
    strength = 1.0 - math.exp(-total / 2.0)
    if abs(score) < NEUTRAL_BAND:
        if total == 0:
            return "neutral", 0.0, 1.0 - math.exp(-mentions / 2.0)
        return "neutral", score, (1.0 - abs(favorable - unfavorable) / total) * strength
    agreeing = favorable if score > 0 else unfavorable
    return ("favorable" if score > 0 else "unfavorable"), score, agreeing / total * strength


def stance_per_article(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    *,
    quotes: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
    targets_file: Path | str | None = None,
    lexicon_file: Path | str | None = None,
    scans: Sequence[ArticleScan | None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stance of every article toward every target, and the evidence for it.

    Parameters
    ----------
    articles : pandas.DataFrame
        Needs ``id`` and ``language``; ``title`` (the headline, scored as the
        outlet's voice) is used when present. Not modified.
    cleaned : pandas.DataFrame
        ``id`` and ``text_clean`` from :func:`analysis.text.cleaning.clean_articles`.
    quotes : pandas.DataFrame, optional
        Quotation spans in the cleaned text: ``article_id``, ``start``, ``end``,
        ``speaker`` (empty when unknown). Cues inside them are the speaker's.
        By default :func:`quotation_spans` finds them (direct and reported
        speech, :mod:`analysis.labels.quotes`); pass a frame to reuse a computed one.
    overrides : pandas.DataFrame, optional
        From :func:`analysis.review.hand_labels.load_overrides`; an override replaces the
        label (``source`` becomes ``"override"``; ``computed_label`` keeps ours).
    targets_file, lexicon_file : path-like, optional
        Other targets or lexicon files than the shipped ones.
    scans : sequence of ArticleScan or None, optional
        :func:`scan_articles` of the same articles, to scan once for stance
        and outcome framing; ``quotes`` and the files are then not read.

    Returns
    -------
    stance : pandas.DataFrame
        One row per article and target, columns :data:`STANCE_COLUMNS`:
        ``label`` is one of ``favorable``, ``unfavorable``, ``neutral``,
        ``not mentioned``, ``unsupported language``; ``score`` in [-1, 1]
        and ``confidence`` in [0, 1] (NaN when not mentioned or unsupported);
        ``favorable`` and ``unfavorable`` the summed cue weights in the
        outlet's voice; ``mentions`` the number of alias mentions;
        ``evidence_sentences`` how many sentences gave cues.
    evidence : pandas.DataFrame
        One row per cue and target, columns :data:`EVIDENCE_COLUMNS`, ``task``
        ``"stance"``; ``weight`` is signed (what it added to the score's
        numerator, 0 for a quotation's cue); ``voice`` is ``"outlet"`` or the
        quoted speaker; ``part`` is ``"headline"`` or ``"body"`` (headline
        rows have no offsets); ``marked`` has the cue in ``**bold**``, and
        ``mark_start``/``mark_end`` are the cue's offsets within ``sentence``.

    Raises
    ------
    ValueError
        If a required column is missing, an article has no cleaned text, or a
        targets, lexicon or overrides file is malformed.
    """
    target_map, prepositions = load_targets(targets_file)
    if scans is None:
        matcher = TargetMatcher(target_map, prepositions)
        lexicon = load_stance_lexicon(lexicon_file)
        scans = scan_articles(articles, cleaned, quotes=quotes, matcher=matcher, lexicon=lexicon)
    elif len(scans) != len(articles):
        raise ValueError(f"scans has {len(scans)} entries for {len(articles)} articles")
    rows: list[dict[str, Any]] = []
    evidence_rows: list[dict[str, Any]] = []
    for article_id, scan in zip(articles["id"], scans, strict=True):
        if scan is None:
            for target in target_map.values():
                rows.append(
                    {
                        "article_id": article_id,
                        "target": target.id,
                        "target_name": target.name,
                        "label": "unsupported language",
                        "score": math.nan,
                        "confidence": math.nan,
                        "favorable": math.nan,
                        "unfavorable": math.nan,
                        "mentions": 0,
                        "evidence_sentences": 0,
                    }
                )
            continue
        totals = {t: [0.0, 0.0] for t in target_map}
        sentences: dict[str, set[int]] = {t: set() for t in target_map}
        for hit, extra in zip(scan.hits, scan.evidence, strict=True):
            if not hit.target:
                continue
            outlet = hit.voice == "outlet"
            signed = hit.polarity * hit.weight * hit.factor if outlet else 0.0
            if outlet:
                totals[hit.target][0 if signed > 0 else 1] += abs(signed)
                sentences[hit.target].add(hit.sentence)
            evidence_rows.append(
                {
                    "article_id": article_id,
                    "task": "stance",
                    "target": hit.target,
                    "voice": hit.voice,
                    **extra,
                    "cue_words": hit.cue_words,
                    "weight": signed,
                    "rule": _rule_text(hit),
                }
            )
        for target in target_map.values():
            favorable, unfavorable = totals[target.id]
            mentions = scan.mentions.get(target.id, 0)
            label, score, confidence = _label(favorable, unfavorable, mentions)
            rows.append(
                {
                    "article_id": article_id,
                    "target": target.id,
                    "target_name": target.name,
                    "label": label,
                    "score": score,
                    "confidence": confidence,
                    "favorable": favorable,
                    "unfavorable": unfavorable,
                    "mentions": mentions,
                    "evidence_sentences": len(sentences[target.id]),
                }
            )
    return label_tables(
        rows, evidence_rows, columns=STANCE_COLUMNS, task="stance", overrides=overrides
    )


_OVERRIDE_COLUMNS = ("computed_label", "source", "override_note")


def label_tables(
    rows: list[dict[str, Any]],
    evidence_rows: list[dict[str, Any]],
    *,
    columns: Sequence[str],
    task: str,
    overrides: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The label table and the evidence table of a task, from their rows.

    Parameters
    ----------
    rows : list of dict
        The computed labels, with every column of ``columns`` but the ones
        :func:`analysis.review.hand_labels.apply_overrides` adds.
    evidence_rows : list of dict
        Rows with the columns :data:`EVIDENCE_COLUMNS`.
    columns : sequence of str
        The label table's columns, in order (:data:`STANCE_COLUMNS`,
        :data:`analysis.labels.outcome.OUTCOME_COLUMNS`).
    task : {"stance", "outcome"}
        As for :func:`analysis.review.hand_labels.apply_overrides`.
    overrides : pandas.DataFrame, optional
        From :func:`analysis.review.hand_labels.load_overrides`.

    Returns
    -------
    labels : pandas.DataFrame
        The rows with the overrides applied, columns ``columns``.
    evidence : pandas.DataFrame
        Columns :data:`EVIDENCE_COLUMNS`; sentence offsets nullable integers
        (headline rows have none), mark offsets integers, weight a float.
    """
    table = pd.DataFrame(rows, columns=[c for c in columns if c not in _OVERRIDE_COLUMNS])
    table = apply_overrides(table, overrides, task=task)
    evidence = pd.DataFrame(evidence_rows, columns=EVIDENCE_COLUMNS)
    return table[list(columns)], evidence.astype(
        {
            "sentence_start": "Int64",
            "sentence_end": "Int64",
            "mark_start": "int64",
            "mark_end": "int64",
            "weight": "float64",
        }
    )


def _rule_text(hit: CueHit) -> str:
    sign = "favorable" if hit.polarity > 0 else "unfavorable"
    voice = "" if hit.voice == "outlet" else f"; quoted ({hit.voice}), not the outlet's voice"
    return f"{hit.rule} -> {sign}{voice}"


def stance_by_group(
    stance: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str = "outlet_group",
    min_articles: int = MIN_GROUP_ARTICLES,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Distribution of stance labels per group and target, with Wilson intervals.

    Parameters
    ----------
    stance : pandas.DataFrame
        From :func:`stance_per_article`.
    articles : pandas.DataFrame
        Needs ``id`` and the column ``by``. Not modified.
    by : str, default "outlet_group"
        Any metadata column (``outlet``, ``year``, ``meeting`` ...).
    min_articles : int, default MIN_GROUP_ARTICLES
        A group with fewer rated articles (favorable, unfavorable or neutral)
        for a target is ``"insufficient evidence"``: its counts are shown, its
        shares and intervals are NaN.
    confidence_level : float, default 0.95
        Coverage of the Wilson interval.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STANCE_GROUP_COLUMNS`, one row per group, target and
        label (every label, also with 0 articles). ``articles`` counts
        articles with the label; ``rated`` the group's rated articles for the
        target, the denominator of ``share`` (NaN for "not mentioned" and
        "unsupported language", which are not shares of stance); ``status``
        is ``"ok"`` or ``"insufficient evidence"``.

    Raises
    ------
    ValueError
        If ``by`` is not a column of ``articles``, ``min_articles`` < 1, or
        ``stance`` lacks ``article_id``, ``target`` or ``label``.
    """
    if by not in articles.columns:
        raise ValueError(f"by={by!r} is not a column of articles")
    if min_articles < 1:
        raise ValueError(f"min_articles must be at least 1, got {min_articles}")
    missing = [c for c in ("article_id", "target", "label") if c not in stance.columns]
    if missing:
        raise ValueError(f"stance is missing column(s) {', '.join(missing)}")
    groups = pd.Series(
        articles[by].astype("string").fillna("(none)").to_numpy(), index=articles["id"]
    )
    frame = stance[["article_id", "target", "label"]].assign(
        group=stance["article_id"].map(groups).fillna("(none)")
    )
    counts = frame.groupby(["group", "target", "label"]).size()
    index = pd.MultiIndex.from_product(
        [sorted(frame["group"].unique()), list(dict.fromkeys(frame["target"])), STANCE_LABELS],
        names=["group", "target", "label"],
    )
    table = counts.reindex(index, fill_value=0).rename("articles").reset_index()
    rated_labels = ["favorable", "unfavorable", "neutral"]
    rated = table[table["label"].isin(rated_labels)].groupby(["group", "target"])["articles"].sum()
    table["rated"] = [rated[(g, t)] for g, t in zip(table["group"], table["target"], strict=True)]
    is_rated = table["label"].isin(rated_labels).to_numpy()
    low, high = wilson_interval(
        np.where(is_rated, table["articles"].to_numpy(), 0),
        table["rated"].to_numpy(),
        confidence_level=confidence_level,
    )
    enough = table["rated"].to_numpy() >= min_articles
    is_share = is_rated & enough
    with np.errstate(divide="ignore", invalid="ignore"):
        share = table["articles"].to_numpy() / table["rated"].to_numpy()
    table["share"] = np.where(is_share, share, np.nan)
    table["share_low"] = np.where(is_share, low, np.nan)
    table["share_high"] = np.where(is_share, high, np.nan)
    table["status"] = np.where(enough, "ok", "insufficient evidence")
    return table[STANCE_GROUP_COLUMNS].astype({"articles": "int64", "rated": "int64"})
