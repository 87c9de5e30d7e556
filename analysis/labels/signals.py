"""What the sentence sentiment model says about each target in each article, in whose voice.

For every mention of a target (headline and body; pronouns resolved as
:meth:`analysis.labels.targets.TargetMatcher.mentions_by_sentence` does) the
learned sentence model (:mod:`analysis.sentiment`) gives the probability that
its sentence is negative, neutral or positive toward it. Each mention keeps
where it is (headline, lead: the first :data:`LEAD_SENTENCES` sentences of the
body, or the rest) and whose voice it is in: the outlet's, or the quoted
speaker's when it sits inside a quotation
(:mod:`analysis.labels.quotes`).

Sentence predictions run only on sentences that name a target, in the
languages :data:`MODEL_LANGUAGE` maps to a model (Ukrainian is read by the
Russian model: the two share the inflected names and most evaluative stems;
how well is measured on the development set, see the README). Any other
language is "unsupported language".

:func:`target_features` and :func:`outcome_features` reduce an article's
mentions (and the rules' cue totals) to the fixed-length vectors the
combination model (:mod:`analysis.labels.combination`) reads.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.labels.document import ArticleDocument
from analysis.sentiment.model import SentimentModel

__all__ = [
    "COUNTERPART",
    "LEAD_SENTENCES",
    "MODEL_LANGUAGE",
    "OUTCOME_FEATURES",
    "TARGET_FEATURES",
    "ArticleSignals",
    "MentionSentiment",
    "article_signals",
    "outcome_features",
    "target_features",
]

#: Language of the article -> language of the sentence model that reads it.
MODEL_LANGUAGE: dict[str, str] = {"en": "en", "ru": "ru", "uk": "ru"}
#: Mentions whose sentences are predicted at once.
PREDICT_BATCH = 1000
#: Body sentences that count as the lead.
LEAD_SENTENCES = 3

ModelLoader = Callable[[str], SentimentModel]


@dataclass(frozen=True, slots=True)
class MentionSentiment:
    """One mention of a target and its sentence's predicted sentiment toward it.

    ``part`` is ``"headline"``, ``"lead"`` or ``"body"``; ``voice`` is
    ``"outlet"`` or the quoted speaker (``"quoted"`` when unattributed).
    ``sentence_start``/``sentence_end`` are offsets in the cleaned text (-1
    for the headline); ``mention_start``/``mention_end`` are the mention's
    offsets within the sentence. ``negative``, ``neutral``, ``positive`` are
    the model's probabilities.
    """

    target: str
    part: str
    voice: str
    sentence_start: int
    sentence_end: int
    mention_start: int
    mention_end: int
    negative: float
    neutral: float
    positive: float

    @property
    def polarity(self) -> float:
        """``positive - negative``, in [-1, 1]."""
        return self.positive - self.negative


@dataclass(frozen=True)
class ArticleSignals:
    """The mentions of one article with their sentiment (``supported`` False: no model)."""

    article_id: str
    language: str
    supported: bool
    mentions: tuple[MentionSentiment, ...]
    sentences: tuple[str, ...] = ()
    """Headline first (``""`` when none), then the body's sentences in order."""


def _voice(start: int, end: int, quotes: Sequence[tuple[int, int, str]]) -> str:
    for q_start, q_end, speaker in quotes:
        if q_start <= start and end <= q_end:
            return speaker or "quoted"
    return "outlet"


def article_signals(
    documents: Sequence[ArticleDocument],
    *,
    load_model: ModelLoader,
    targets: Collection[str] | None = None,
) -> list[ArticleSignals]:
    """Target mentions and their sentence sentiment for every article.

    Parameters
    ----------
    documents : sequence of ArticleDocument
        The articles (:func:`analysis.labels.document.article_documents`), in
        order: their sentences, target mentions and quotations (a mention
        inside a quotation is in the speaker's voice).
    load_model : callable
        Language (``"en"``, ``"ru"``) to its sentence model; called once per
        language met.
    targets : collection of str, optional
        Only mentions of these targets are kept and predicted (default: all);
        the sentence model's cost grows with the mentions it reads.

    Returns
    -------
    list of ArticleSignals
        One per article, in order; predictions are batched per language.
    """
    pending: dict[str, list[tuple[int, str, str, int, int, int, int, str]]] = {}
    results: list[tuple[str, str, bool, list[str]]] = []
    for index, document in enumerate(documents):
        model_language = MODEL_LANGUAGE.get(document.language)
        if model_language is None:
            results.append((document.article_id, document.language, False, []))
            continue
        shown = [document.title, *(s.text for s in document.sentences)]
        results.append((document.article_id, document.language, True, shown))
        jobs = pending.setdefault(model_language, [])
        for m in document.title_mentions:
            # The headline's own names: a pronoun there has no person before it to stand for.
            if m.via_pronoun or (targets is not None and m.target not in targets):
                continue
            jobs.append((index, m.target, "headline", -1, -1, m.start, m.end, "outlet"))
        quotes = document.quote_spans
        for number, (sentence, found) in enumerate(
            zip(document.sentences, document.mentions, strict=True)
        ):
            part = "lead" if number < LEAD_SENTENCES else "body"
            start, end = sentence.start, sentence.end
            for m in found:
                if targets is not None and m.target not in targets:
                    continue
                voice = _voice(m.start, m.end, quotes)
                jobs.append(
                    (index, m.target, part, start, end, m.start - start, m.end - start, voice)
                )
    found_mentions: list[list[MentionSentiment]] = [[] for _ in documents]
    for model_language, jobs in pending.items():
        if not jobs:
            continue
        model = load_model(model_language)
        sentences = [
            results[index][3][0] if start < 0 else documents[index].text[start:end]
            for index, _, _, start, end, _, _, _ in jobs
        ]
        spans = [(job[5], job[6]) for job in jobs]
        # In slices: the character n-gram matrix of every mention at once is the largest
        # thing a chunk of articles would hold.
        probabilities = np.vstack(
            [
                model.predict(sentences[i : i + PREDICT_BATCH], spans[i : i + PREDICT_BATCH])
                for i in range(0, len(jobs), PREDICT_BATCH)
            ]
        )
        for job, p in zip(jobs, probabilities, strict=True):
            index, target, part, start, end, m_start, m_end, voice = job
            found_mentions[index].append(
                MentionSentiment(target, part, voice, start, end, m_start, m_end, *map(float, p))
            )
    return [
        ArticleSignals(article_id, language, supported, tuple(mentions), tuple(shown))
        for (article_id, language, supported, shown), mentions in zip(
            results, found_mentions, strict=True
        )
    ]


#: The other target whose features join a target's (pro-Russian coverage is anti-Western).
COUNTERPART = {"russia": "us_west", "us_west": "russia", "ukraine": "russia", "assad": "us_west"}

#: Names of :func:`target_features`' values, in order: the target's own, then its
#: counterpart's (:data:`COUNTERPART`).
TARGET_FEATURES = (
    "polarity",
    "headline_polarity",
    "lead_polarity",
    "rules_favorable",
    "rules_unfavorable",
    "counterpart_polarity",
    "counterpart_rules_favorable",
    "counterpart_rules_unfavorable",
)


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if values else 0.0


def _polarity(signals: ArticleSignals, target: str) -> float:
    """Outlet-voice polarity summed over mentions, divided by the square root of their number."""
    outlet = [m.polarity for m in signals.mentions if m.target == target and m.voice == "outlet"]
    return sum(outlet) / math.sqrt(max(len(outlet), 1))


def target_features(
    signals: ArticleSignals,
    target: str,
    rules: Mapping[str, tuple[float, float] | None],
) -> np.ndarray:
    """The article's features toward ``target`` (:data:`TARGET_FEATURES`).

    Only mentions in the outlet's voice count (quotations are the speaker's):
    the polarity (``positive - negative``) summed over them and divided by the
    square root of their number, and the mean polarity of the headline's and of
    the lead's mentions. ``rules`` maps a target to the rules' favorable and
    unfavorable cue totals (``log1p``), ``None`` (zeros) where the rules do not
    read the language.
    """
    counterpart = COUNTERPART[target]
    own = rules.get(target) or (0.0, 0.0)
    other = rules.get(counterpart) or (0.0, 0.0)
    outlet = [m for m in signals.mentions if m.target == target and m.voice == "outlet"]
    return np.array(
        [
            _polarity(signals, target),
            _mean([m.polarity for m in outlet if m.part == "headline"]),
            _mean([m.polarity for m in outlet if m.part == "lead"]),
            math.log1p(own[0]),
            math.log1p(own[1]),
            _polarity(signals, counterpart),
            math.log1p(other[0]),
            math.log1p(other[1]),
        ]
    )


#: Names of :func:`outcome_features`' values, in order.
OUTCOME_FEATURES = (
    "russia_polarity",
    "us_west_polarity",
    "rules_russia_gained",
    "rules_us_west_gained",
    "rules_stalemate",
    "rules_cooperation",
)


def outcome_features(signals: ArticleSignals, rules: Sequence[float] | None) -> np.ndarray:
    """The article's outcome features (:data:`OUTCOME_FEATURES`).

    The outlet-voice polarity sums toward Russia and the US/West, and the
    rules' four outcome cue totals (``log1p``; zeros where the rules do not
    read the language).
    """
    totals = list(rules) if rules is not None else [0.0] * 4
    polarity = [_polarity(signals, target) for target in ("russia", "us_west")]
    return np.array([*polarity, *(math.log1p(v) for v in totals)])
