"""Outcome framing: who the article says came out of a meeting ahead.

For every article that covers a meeting (non-empty ``meetings``), one of
"Russia gained", "US-West gained", "stalemate or failure", "cooperation or
progress" or "neutral report" (the strategy/game frame; see
``corpus/labels/guideline.md``), with the sentences that drove it.

Evidence comes from two places, in the outlet's own voice only (headline
included; quotations are recorded with their speaker and weight 0):

* the stance lexicon's gains, losses and outcome nouns whose target is Russia
  or the US and the West (``analysis/data/stance_lexicon.yaml``): Russia
  gaining or the West losing is "Russia gained", and the reverse;
* target-free cues for stalemate and for cooperation
  (``analysis/data/outcome_cues.yaml``); a negator flips one to the other.
  A cue that already counted as a gain or loss of Russia or the West is not
  counted again.

The label with the largest total weight wins; below ``min_weight`` in total,
or when the two largest tie, the article is a "neutral report".
``confidence`` is the winner's share of the total weight times
``1 - exp(-total / 2)``; for a neutral report with too few cues it is
``1 - total / min_weight`` (no cue at all: 1), for a tie 0.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from analysis import DATA_DIR
from analysis.corpus.schema import STRICT, read_yaml_mapping, validate_lexicon
from analysis.corpus.types import list_items
from analysis.labels.document import ArticleDocument, documents_for
from analysis.labels.evidence import HEADLINE, EvidenceRow, concat_evidence, evidence_table
from analysis.labels.stance import label_table, stance_per_article
from analysis.labels.stance_lexicon import (
    StanceLexicon,
    WeightedCue,
    compile_cues,
    load_stance_lexicon,
)
from analysis.labels.stance_rules import ArticleScan, scan_articles, voice_at
from analysis.labels.targets import default_matcher
from analysis.review.hand_labels import OUTCOME_LABELS

__all__ = [
    "DEFAULT_OUTCOME_FILE",
    "OUTCOME_COLUMNS",
    "OutcomeCues",
    "OutcomeCuesFile",
    "load_outcome_cues",
    "outcome_per_article",
    "stance_and_outcome",
]

DEFAULT_OUTCOME_FILE = DATA_DIR / "outcome_cues.yaml"
_RUSSIA, _WEST = "russia", "us_west"
_RUSSIA_GAINED, _WEST_GAINED, _STALEMATE, _COOPERATION, _NEUTRAL = OUTCOME_LABELS
_OUTCOME_KINDS = frozenset({"gains", "losses", "gain_nouns", "loss_nouns"})

OUTCOME_COLUMNS = [
    "article_id",
    "meetings",
    "label",
    "computed_label",
    "confidence",
    "russia_gained",
    "us_west_gained",
    "stalemate_or_failure",
    "cooperation_or_progress",
    "reason",
    "source",
    "override_note",
]
_WEIGHT_COLUMNS = dict(
    zip(OUTCOME_LABELS[:4], OUTCOME_COLUMNS[5:9], strict=True),
)


class OutcomeCuesFile(BaseModel):
    """The schema of ``outcome_cues.yaml`` (see ``docs/lexicons.md``)."""

    model_config = STRICT

    language: str = "en"
    stalemate_or_failure: list[WeightedCue] = Field(min_length=1)
    cooperation_or_progress: list[WeightedCue] = Field(min_length=1)
    min_weight: float = Field(default=1.0, ge=0)


class OutcomeCues:
    """Compiled target-free outcome cues (see ``analysis/data/outcome_cues.yaml``)."""

    def __init__(self, path: Path | str | None = None) -> None:
        file = Path(path) if path is not None else DEFAULT_OUTCOME_FILE
        data = read_yaml_mapping(str(file), expected="must be a mapping")
        checked = validate_lexicon(OutcomeCuesFile, data, file)
        self.language = checked.language
        self.entries = [
            (entry.cue, float(entry.weight), label)
            for entries, label in (
                (checked.stalemate_or_failure, _STALEMATE),
                (checked.cooperation_or_progress, _COOPERATION),
            )
            for entry in entries
        ]
        self.pattern = compile_cues([(cue, weight) for cue, weight, _ in self.entries])
        self.min_weight = float(checked.min_weight)


def load_outcome_cues(path: Path | str | None = None) -> OutcomeCues:
    """Read and compile the outcome cues file (``analysis/data/outcome_cues.yaml`` by default).

    Each file is read and compiled once per process.

    Raises
    ------
    ValueError
        If a section is missing or empty, a cue is malformed or has a weight
        that is not a positive number.
    """
    return _load_outcome_cues(str(Path(path) if path is not None else DEFAULT_OUTCOME_FILE))


@functools.lru_cache(maxsize=8)
def _load_outcome_cues(path: str) -> OutcomeCues:
    return OutcomeCues(path)


def _actor_label(target: str, polarity: int) -> str:
    if target == _RUSSIA:
        return _RUSSIA_GAINED if polarity > 0 else _WEST_GAINED
    return _WEST_GAINED if polarity > 0 else _RUSSIA_GAINED


def outcome_per_article(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    *,
    quotes: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
    targets_file: Path | str | None = None,
    lexicon_file: Path | str | None = None,
    outcome_file: Path | str | None = None,
    scans: Sequence[ArticleScan | None] | None = None,
    documents: Sequence[ArticleDocument] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outcome framing of every article, and the evidence for it.

    Parameters
    ----------
    articles : pandas.DataFrame
        Needs ``id``, ``language`` and ``meetings`` (a tuple of meeting keys,
        empty for none); ``title`` is scored as the outlet's voice when present.
        Not modified.
    cleaned : pandas.DataFrame
        ``id`` and ``text_clean`` from :func:`analysis.text.cleaning.clean_articles`.
    quotes : pandas.DataFrame, optional
        As for :func:`analysis.labels.stance.stance_per_article`.
    overrides : pandas.DataFrame, optional
        From :func:`analysis.review.overrides.load_overrides`; rows with target
        ``"outcome"`` replace the label.
    targets_file, lexicon_file, outcome_file : path-like, optional
        Other data files than the shipped ones.
    scans : sequence of ArticleScan or None, optional
        :func:`analysis.labels.stance_rules.scan_articles` of the same articles (see
        :func:`stance_and_outcome`), so the text is scanned once.
    documents : sequence of ArticleDocument, optional
        As for :func:`analysis.labels.stance.stance_per_article`.

    Returns
    -------
    outcome : pandas.DataFrame
        One row per article, columns :data:`OUTCOME_COLUMNS`. ``label`` is an
        outcome label, ``"unsupported language"``, or ``""`` for an article
        that covers no meeting (``reason`` says why; ``confidence`` is NaN).
        The four weight columns are the summed cue weights per label.
    evidence : pandas.DataFrame
        Columns :data:`analysis.labels.evidence.EVIDENCE_COLUMNS` with
        ``analysis`` ``"outcome"`` and ``label`` the outcome label the cue
        supports.

    Raises
    ------
    ValueError
        If a required column is missing, an article has no cleaned text or a
        data file is malformed.
    """
    if "meetings" not in articles.columns:
        raise ValueError("articles is missing column(s) meetings")
    lexicon = load_stance_lexicon(lexicon_file)
    cues = load_outcome_cues(outcome_file)
    covers = [len(list_items(m)) > 0 for m in articles["meetings"]]
    # A boolean Series, not a list: an empty list would select no columns at all.
    chosen = articles[pd.Series(covers, index=articles.index, dtype=bool)]
    if scans is None:
        chosen_documents = (
            [d for d, cover in zip(documents, covers, strict=True) if cover]
            if documents is not None
            else None
        )
        chosen_scans = scan_articles(
            chosen,
            cleaned,
            quotes=quotes,
            matcher=default_matcher(targets_file),
            lexicon=lexicon,
            documents=chosen_documents,
        )
    elif len(scans) != len(articles):
        raise ValueError(f"scans has {len(scans)} entries for {len(articles)} articles")
    else:
        chosen_scans = [scan for scan, cover in zip(scans, covers, strict=True) if cover]
    by_article = dict(zip(chosen["id"], chosen_scans, strict=True))
    texts = dict(zip(cleaned["id"], cleaned["text_clean"], strict=True))
    titles = dict(zip(chosen["id"], chosen["title"], strict=True)) if "title" in chosen else {}
    rows: list[dict[str, Any]] = []
    evidence_rows: list[EvidenceRow] = []
    for article_id, meetings, cover in zip(
        articles["id"], articles["meetings"], covers, strict=True
    ):
        row: dict[str, Any] = {
            "article_id": article_id,
            "meetings": list_items(meetings) if cover else "",
        }
        totals = dict.fromkeys(OUTCOME_LABELS[:4], 0.0)
        scan = by_article.get(article_id) if cover else None
        if not cover:
            row |= {"label": "", "confidence": math.nan, "reason": "covers no meeting"}
        elif scan is None:
            row |= {
                "label": "unsupported language",
                "confidence": math.nan,
                "reason": "no outcome cues for the article's language",
            }
        else:
            counted: set[tuple[int, int]] = set()
            counted_labels: set[tuple[int, int, str]] = set()
            for hit, offsets in zip(scan.hits, scan.offsets, strict=True):
                if hit.kind not in _OUTCOME_KINDS or hit.target not in (_RUSSIA, _WEST):
                    continue
                label = _actor_label(hit.target, hit.polarity)
                if (hit.sentence, hit.cue_start, label) in counted_labels:
                    # Agent and counterpart of one cue tell the same outcome: count it once.
                    continue
                counted_labels.add((hit.sentence, hit.cue_start, label))
                weight = hit.weight if hit.voice == "outlet" else 0.0
                totals[label] += weight
                counted.add((hit.sentence, hit.cue_start))
                evidence_rows.append(
                    _evidence(
                        str(article_id), label, hit.voice, offsets, hit.cue_words, weight, hit.rule
                    )
                )
            for part, body in (
                ("headline", titles.get(article_id, "")),
                ("body", texts[article_id]),
            ):
                if not isinstance(body, str) or not body:
                    continue
                evidence_rows.extend(
                    _target_free(
                        str(article_id),
                        part,
                        body,
                        cues,
                        lexicon,
                        totals,
                        counted,
                        scan.quotes if part == "body" else [],
                        [(0, len(body))] if part == "headline" else scan.sentences,
                    )
                )
            row |= _decide(totals, cues.min_weight)
        row |= {_WEIGHT_COLUMNS[label]: value for label, value in totals.items()}
        rows.append(row)
    table = label_table(rows, columns=OUTCOME_COLUMNS, task="outcome", overrides=overrides)
    return table, evidence_table(evidence_rows)


def _evidence(
    article_id: str,
    label: str,
    voice: str,
    offsets: tuple[int, int, int, int],
    cue_words: str,
    weight: float,
    rule: str,
) -> EvidenceRow:
    quoted = "" if voice == "outlet" else f"; quoted ({voice}), not the outlet's voice"
    start, end, mark_start, mark_end = offsets
    return EvidenceRow(
        article_id=article_id,
        analysis="outcome",
        label=label,
        sentence_start=start,
        sentence_end=end,
        cue_words=cue_words,
        weight=weight,
        voice=voice,
        mark_start=mark_start,
        mark_end=mark_end,
        rule=f"{rule} -> {label}{quoted}",
    )


def _target_free(
    article_id: str,
    part: str,
    body: str,
    cues: OutcomeCues,
    lexicon: StanceLexicon,
    totals: dict[str, float],
    counted: set[tuple[int, int]],
    quotes: list[tuple[int, int, str]],
    sentences: list[tuple[int, int]],
) -> list[EvidenceRow]:
    starts = [start for start, _ in sentences]
    rows: list[EvidenceRow] = []
    for match in cues.pattern.finditer(body, body.lower(), 0, len(body)):
        index = bisect.bisect_right(starts, match.start()) - 1
        if index < 0:
            continue
        sentence_index = -1 if part == "headline" else index
        if (sentence_index, match.start()) in counted:
            continue
        assert match.lastgroup is not None
        _, weight, label = cues.entries[int(match.lastgroup[1:])]
        start, end = sentences[index]
        negator = lexicon.negation.search(body, start, match.start())
        words = body[match.start() : match.end()]
        rule = "outcome cue"
        if negator is not None:
            label = _COOPERATION if label == _STALEMATE else _STALEMATE
            words = body[negator.start() : match.end()].strip()
            rule += ", negated"
        voice = voice_at(match.start(), quotes)
        counted_weight = weight if voice == "outlet" else 0.0
        totals[label] += counted_weight
        headline = part == "headline"
        offsets = (
            HEADLINE if headline else start,
            HEADLINE if headline else end,
            match.start() - start,
            match.end() - start,
        )
        rows.append(_evidence(article_id, label, voice, offsets, words, counted_weight, rule))
    return rows


def _decide(totals: Mapping[str, float], min_weight: float) -> dict[str, Any]:
    total = sum(totals.values())
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    (best, best_weight), (_, second_weight) = ranked[0], ranked[1]
    if total < min_weight or total == 0:
        confidence = 1.0 - total / min_weight if min_weight > 0 else 1.0
        return {"label": _NEUTRAL, "confidence": confidence, "reason": "too few outcome cues"}
    if best_weight == second_weight:
        return {"label": _NEUTRAL, "confidence": 0.0, "reason": "outcome cues tie"}
    confidence = best_weight / total * (1.0 - math.exp(-total / 2.0))
    return {"label": best, "confidence": confidence, "reason": ""}


def stance_and_outcome(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    *,
    quotes: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
    documents: Sequence[ArticleDocument] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Stance and outcome framing from one scan of the texts (what ``analyze`` needs).

    Parameters are as for :func:`analysis.labels.stance.stance_per_article` and
    :func:`outcome_per_article`, with the shipped data files.

    Returns
    -------
    stance : pandas.DataFrame
        As :func:`analysis.labels.stance.stance_per_article` returns it.
    outcome : pandas.DataFrame
        As :func:`outcome_per_article` returns it.
    evidence : pandas.DataFrame
        Both evidence tables as one, in evidence order
        (:func:`analysis.labels.evidence.concat_evidence`).
    """
    matcher = default_matcher()
    documents = documents_for(articles, cleaned, documents, matcher=matcher, quotes=quotes)
    scans = scan_articles(
        articles,
        cleaned,
        quotes=quotes,
        matcher=matcher,
        lexicon=load_stance_lexicon(),
        documents=documents,
    )
    stance, stance_evidence = stance_per_article(
        articles, cleaned, overrides=overrides, scans=scans
    )
    outcome, outcome_evidence = outcome_per_article(
        articles, cleaned, overrides=overrides, scans=scans
    )
    return stance, outcome, concat_evidence([stance_evidence, outcome_evidence])
