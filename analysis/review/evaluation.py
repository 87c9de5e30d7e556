"""Measure stance and outcome framing against the hand-labelled set.

:func:`evaluate` scores the rules' own labels (before overrides, which would
otherwise grade themselves) against the human labels of one split, beside two
baselines, at two levels:

* **article** — one item per labelled article and target (stance) or
  article (outcome framing).
* **sentence** — every body sentence of the articles that have
  sentence-level labels, times every target: the human label, or "not
  mentioned" where the labeller gave none (outcome: "none"). The rules' label
  of a sentence is the sign of its cue weights in the outlet's voice for a
  target it names (neutral at 0), "not mentioned" otherwise; for outcome, the
  label with the largest weight in the sentence, or "none".

Overrides in ``corpus/overrides.csv`` count as article-level labels: one
replaces (or adds) the human label of its article and target, in the split of
its article (articles without labels belong to ``tuning``).

Systems:

* ``rules`` — :mod:`analysis.labels.stance` and :mod:`analysis.labels.outcome`.
* ``majority`` — the most frequent human label of the *tuning* split (for
  stance, among favorable/unfavorable/neutral, given where the rules find the
  target mentioned, "not mentioned" elsewhere).
* ``sentiment`` — positive minus negative words of a tiny generic list
  (``analysis/data/sentiment_baseline.yaml``) over the whole article (article
  level) or sentence (sentence level), with no target window: > 0 favorable,
  < 0 unfavorable, 0 neutral, for every target the rules find mentioned. For
  outcome framing > 0 is cooperation or progress, < 0 stalemate or failure,
  0 a neutral report.

Metrics: precision, recall and F1 per label; macro-F1 over the task's rated
labels (stance: favorable, unfavorable, neutral; outcome: the five outcome
labels) that occur in the human or the system labels; for stance the SemEval
2016 score, the mean of F1(favorable) and F1(unfavorable); accuracy over all
items.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError
from sklearn.metrics import precision_recall_fscore_support

from analysis import DATA_DIR
from analysis.corpus.articles import load_corpus
from analysis.corpus.schema import STRICT, WordSet, lexicon_error, read_yaml_mapping
from analysis.corpus.types import Problem
from analysis.labels.evidence import HEADLINE
from analysis.labels.outcome import outcome_per_article
from analysis.labels.stance import stance_per_article
from analysis.labels.stance_lexicon import load_stance_lexicon
from analysis.labels.stance_rules import scan_articles
from analysis.labels.targets import default_matcher, load_targets
from analysis.review.hand_labels import (
    OUTCOME_LABELS,
    OUTCOME_TARGET,
    SPLITS,
    load_labels,
)
from analysis.review.overrides import read_overrides
from analysis.text.cleaning import clean_articles

__all__ = [
    "SCORE_COLUMNS",
    "SENTIMENT_FILE",
    "SUMMARY_COLUMNS",
    "Evaluation",
    "SentimentWords",
    "evaluate",
    "load_sentiment_words",
    "render_evaluation",
    "sentiment_score",
]

SENTIMENT_FILE = DATA_DIR / "sentiment_baseline.yaml"
_STANCE_RATED = ("favorable", "unfavorable", "neutral")
_NOT_MENTIONED = "not mentioned"
_NO_OUTCOME = "none"
_SYSTEMS = ("rules", "majority", "sentiment")
_WORD = re.compile(r"[\w'-]+")
SCORE_COLUMNS = [
    "task",
    "level",
    "system",
    "label",
    "precision",
    "recall",
    "f1",
    "support",
]
SUMMARY_COLUMNS = [
    "task",
    "level",
    "system",
    "items",
    "accuracy",
    "macro_f1",
    "semeval_f1",
]


@dataclass(frozen=True)
class Evaluation:
    """What :func:`evaluate` measured.

    ``scores`` has :data:`SCORE_COLUMNS` (one row per task, level, system and
    label), ``summary`` :data:`SUMMARY_COLUMNS`, and ``items`` every item with
    its human label and each system's label (``task``, ``level``,
    ``article_id``, ``sentence``, ``target``, ``gold``, ``rules``,
    ``majority``, ``sentiment``), so a disagreement can be read.
    ``overrides_problem`` says why no override counted as a label when
    ``overrides.csv`` is broken.
    """

    split: str
    scores: pd.DataFrame
    summary: pd.DataFrame
    items: pd.DataFrame
    overrides_problem: Problem | None = None


class SentimentWords(BaseModel):
    """The schema of ``sentiment_baseline.yaml``: the baseline's two word lists."""

    model_config = STRICT

    positive: WordSet
    negative: WordSet


def load_sentiment_words(path: Path | str | None = None) -> SentimentWords:
    """Read and check a sentiment word list (default: :data:`SENTIMENT_FILE`).

    Raises
    ------
    ValueError
        Naming the file and the list, if a list is missing or empty, a key is
        unknown, or an entry is not a word.
    """
    file = Path(path) if path is not None else SENTIMENT_FILE
    data = read_yaml_mapping(str(file), expected="must map 'positive' and 'negative' to words")
    try:
        return SentimentWords.model_validate(data)
    except ValidationError as err:
        raise lexicon_error(file, err) from None


@functools.lru_cache(maxsize=1)
def _sentiment_words() -> tuple[frozenset[str], frozenset[str]]:
    words = load_sentiment_words()
    return words.positive, words.negative


def sentiment_score(text: str) -> int:
    """Positive minus negative words of the baseline list in ``text`` (case-insensitive)."""
    positive, negative = _sentiment_words()
    words = [w.lower() for w in _WORD.findall(text)]
    return sum(w in positive for w in words) - sum(w in negative for w in words)


def _sign_label(value: float) -> str:
    return "favorable" if value > 0 else "unfavorable" if value < 0 else "neutral"


def _outcome_sign_label(value: float) -> str:
    return OUTCOME_LABELS[3] if value > 0 else OUTCOME_LABELS[2] if value < 0 else OUTCOME_LABELS[4]


def _gold(corpus_dir: Path) -> tuple[pd.DataFrame, Problem | None]:
    labels = load_labels(corpus_dir)
    overrides, problem = read_overrides(corpus_dir)
    article_split = labels.drop_duplicates("article_id").set_index("article_id")["split"]
    if not overrides.empty:
        extra = pd.DataFrame(
            {
                "article_id": overrides["article_id"],
                "sentence": "",
                "target": overrides["target"],
                "label": overrides["label"],
                "split": overrides["article_id"].map(article_split).fillna("tuning"),
                "labeller": overrides["who"],
                "labelled_on": overrides["when"],
                "note": overrides["note"],
            }
        )
        key = ["article_id", "sentence", "target"]
        labels = pd.concat([labels, extra], ignore_index=True).drop_duplicates(key, keep="last")
    return labels, problem


def evaluate(corpus_dir: Path | str, *, split: str = "frozen") -> Evaluation:
    """Score the rules and two baselines against the human labels of ``split``.

    Parameters
    ----------
    corpus_dir : path-like
        The corpus folder, with ``labels/stance_labels.csv`` (and optionally
        ``overrides.csv``).
    split : {"frozen", "tuning"}, default "frozen"
        Which labels to score against; report on ``frozen``, tune on ``tuning``.

    Returns
    -------
    Evaluation
        With ``overrides_problem`` set when ``overrides.csv`` is broken: the
        evaluation then counts none of its rows.

    Raises
    ------
    ValueError
        If ``split`` is unknown, the labels file is malformed, or a
        labelled sentence is not a sentence of its article's cleaned text.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    root = Path(corpus_dir)
    labels, overrides_problem = _gold(root)
    corpus = load_corpus(root)
    articles = corpus.articles
    cleaned, _ = clean_articles(articles)
    article_scans = scan_articles(
        articles, cleaned, quotes=None, matcher=default_matcher(), lexicon=load_stance_lexicon()
    )
    stance, _ = stance_per_article(articles, cleaned, scans=article_scans)
    outcome, outcome_evidence = outcome_per_article(articles, cleaned, scans=article_scans)
    scans = dict(zip(articles["id"], article_scans, strict=True))
    target_map, _ = load_targets()
    texts = dict(zip(cleaned["id"], cleaned["text_clean"], strict=True))
    titles = dict(zip(articles["id"], articles["title"], strict=True))
    tuning = labels[labels["split"] == "tuning"]
    chosen = labels[labels["split"] == split]
    items: list[dict[str, str]] = []

    stance_rated = tuning[tuning["target"] != OUTCOME_TARGET]["label"]
    stance_majority = _majority(stance_rated[stance_rated.isin(_STANCE_RATED)])
    outcome_majority = _majority(tuning[tuning["target"] == OUTCOME_TARGET]["label"])

    computed = stance.set_index(["article_id", "target"])["computed_label"]
    article_rows = chosen[chosen["sentence"] == ""]
    outcome_computed = dict(zip(outcome["article_id"], outcome["computed_label"], strict=True))
    for record in article_rows.to_dict("records"):
        article_id, target, gold_label = (
            str(record["article_id"]),
            str(record["target"]),
            str(record["label"]),
        )
        text = f"{titles.get(article_id, '')}\n\n{texts.get(article_id, '')}"
        if target == OUTCOME_TARGET:
            predicted = str(outcome_computed.get(article_id, "")) or _NO_OUTCOME
            sentiment = _outcome_sign_label(sentiment_score(text))
            items.append(
                _item(
                    "outcome", "article", record, gold_label, predicted, outcome_majority, sentiment
                )
            )
            continue
        rules = str(computed.get((article_id, target), _NOT_MENTIONED))
        mentioned = rules != _NOT_MENTIONED
        items.append(
            _item(
                "stance",
                "article",
                record,
                gold_label,
                rules,
                stance_majority if mentioned else _NOT_MENTIONED,
                _sign_label(sentiment_score(text)) if mentioned else _NOT_MENTIONED,
            )
        )

    sentence_rows = chosen[chosen["sentence"] != ""]
    for group_key, rows in sentence_rows.groupby("article_id", sort=True):
        article_id = str(group_key)
        scan = scans[article_id]
        if scan is None:
            continue
        body = str(texts[article_id])
        sentences = [body[start:end] for start, end in scan.sentences]
        known = set(sentences)
        unknown = sorted(set(rows["sentence"]) - known)
        if unknown:
            raise ValueError(
                f"article {article_id!r}: labelled sentence {unknown[0][:60]!r} is not a sentence "
                "of its cleaned text"
            )
        gold = {
            (str(sentence), str(target)): str(label)
            for sentence, target, label in zip(
                rows["sentence"], rows["target"], rows["label"], strict=True
            )
        }
        weights: dict[tuple[int, str], float] = {}
        sentence_starts = [start for start, _ in scan.sentences]
        for hit in scan.hits:
            if hit.sentence >= 0 and hit.target and hit.voice == "outlet":
                key = (hit.sentence, hit.target)
                weights[key] = weights.get(key, 0.0) + hit.polarity * hit.weight * hit.factor
        outcome_weights: dict[int, dict[str, float]] = {}
        article_evidence = outcome_evidence[
            (outcome_evidence["article_id"] == article_id)
            & (outcome_evidence["sentence_start"] != HEADLINE)
        ]
        for start, label, weight in zip(
            article_evidence["sentence_start"],
            article_evidence["label"],
            article_evidence["weight"],
            strict=True,
        ):
            index = sentence_starts.index(int(start))
            counts = outcome_weights.setdefault(index, {})
            counts[str(label)] = counts.get(str(label), 0.0) + float(weight)
        for index, sentence in enumerate(sentences):
            tone = sentiment_score(sentence)
            for target in target_map:
                mentioned = target in scan.sentence_targets[index]
                rules = (
                    _sign_label(weights.get((index, target), 0.0)) if mentioned else _NOT_MENTIONED
                )
                items.append(
                    {
                        "task": "stance",
                        "level": "sentence",
                        "article_id": article_id,
                        "sentence": sentence,
                        "target": target,
                        "gold": gold.get((sentence, target), _NOT_MENTIONED),
                        "rules": rules,
                        "majority": stance_majority if mentioned else _NOT_MENTIONED,
                        "sentiment": _sign_label(tone) if mentioned else _NOT_MENTIONED,
                    }
                )
            ranked = sorted(outcome_weights.get(index, {}).items(), key=lambda item: -item[1])
            best = [label for label, weight in ranked if weight > 0]
            items.append(
                {
                    "task": "outcome",
                    "level": "sentence",
                    "article_id": article_id,
                    "sentence": sentence,
                    "target": OUTCOME_TARGET,
                    "gold": gold.get((sentence, OUTCOME_TARGET), _NO_OUTCOME),
                    "rules": best[0] if best else _NO_OUTCOME,
                    "majority": _NO_OUTCOME,
                    "sentiment": _NO_OUTCOME if tone == 0 else _outcome_sign_label(tone),
                }
            )
    frame = pd.DataFrame(
        items,
        columns=["task", "level", "article_id", "sentence", "target", "gold", *_SYSTEMS],
    )
    scores, summary = _score(frame)
    return Evaluation(split, scores, summary, frame, overrides_problem)


def _majority(labels: pd.Series) -> str:
    counts = Counter(labels)
    if not counts:
        return "neutral"
    # Ties go to the alphabetically first label, so the baseline is reproducible.
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def _item(
    task: str,
    level: str,
    record: Mapping[Hashable, Any],
    gold: str,
    rules: str,
    majority: str,
    sentiment: str,
) -> dict[str, str]:
    return {
        "task": task,
        "level": level,
        "article_id": str(record["article_id"]),
        "sentence": "",
        "target": str(record["target"]),
        "gold": gold,
        "rules": rules,
        "majority": majority,
        "sentiment": sentiment,
    }


def _score(items: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    score_rows: list[dict[str, object]] = []
    summary_rows: list[dict[str, object]] = []
    for (task, level), group in items.groupby(["task", "level"], sort=True):
        rated = _STANCE_RATED if task == "stance" else OUTCOME_LABELS
        extra = _NOT_MENTIONED if task == "stance" else _NO_OUTCOME
        for system in _SYSTEMS:
            gold = group["gold"].tolist()
            predicted = group[system].tolist()
            present = [label for label in rated if label in gold or label in predicted]
            labels = [*present, extra] if extra in gold or extra in predicted else present
            precision, recall, f1, support = precision_recall_fscore_support(
                gold, predicted, labels=labels, zero_division=0
            )
            by_label = dict(zip(labels, f1, strict=True))
            for i, label in enumerate(labels):
                score_rows.append(
                    {
                        "task": task,
                        "level": level,
                        "system": system,
                        "label": label,
                        "precision": float(precision[i]),
                        "recall": float(recall[i]),
                        "f1": float(f1[i]),
                        "support": int(support[i]),
                    }
                )
            semeval: float = (
                (by_label.get("favorable", 0.0) + by_label.get("unfavorable", 0.0)) / 2
                if task == "stance"
                else np.nan
            )
            summary_rows.append(
                {
                    "task": task,
                    "level": level,
                    "system": system,
                    "items": len(group),
                    "accuracy": float(np.mean(np.array(gold) == np.array(predicted))),
                    "macro_f1": float(np.mean([by_label[label] for label in present]))
                    if present
                    else np.nan,
                    "semeval_f1": semeval,
                }
            )
    return pd.DataFrame(score_rows, columns=SCORE_COLUMNS), pd.DataFrame(
        summary_rows, columns=SUMMARY_COLUMNS
    )


def render_evaluation(evaluation: Evaluation) -> str:
    """The evaluation as a plain-text report (what ``narratives evaluate`` prints).

    Parameters
    ----------
    evaluation : Evaluation
        From :func:`evaluate`.

    Returns
    -------
    str
        Per task and level: a summary line per system (items, accuracy,
        macro-F1, SemEval F1 for stance), then precision, recall, F1 and
        support per label for every system. Figures have three decimals.
    """
    lines = [f"Evaluation on the {evaluation.split} split (rules before overrides)", ""]
    for (task, level), summary in evaluation.summary.groupby(["task", "level"], sort=True):
        items = int(summary["items"].iloc[0])
        lines.append(f"{task} — {level} level ({items} items)")
        lines.append(f"  {'system':<10} {'accuracy':>8} {'macro-F1':>8} {'SemEval':>8}")
        for system, accuracy, macro, value in zip(
            summary["system"],
            summary["accuracy"],
            summary["macro_f1"],
            summary["semeval_f1"],
            strict=True,
        ):
            semeval = "" if np.isnan(value) else f"{value:.3f}"
            lines.append(f"  {system:<10} {accuracy:>8.3f} {macro:>8.3f} {semeval:>8}")
        scores = evaluation.scores[
            (evaluation.scores["task"] == task) & (evaluation.scores["level"] == level)
        ]
        lines.append(
            f"  {'system':<10} {'label':<24} {'precision':>9} {'recall':>7} {'F1':>6} "
            f"{'support':>7}"
        )
        for row in scores.itertuples(index=False):
            lines.append(
                f"  {row.system:<10} {row.label:<24} {row.precision:>9.3f} {row.recall:>7.3f} "
                f"{row.f1:>6.3f} {row.support:>7d}"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
