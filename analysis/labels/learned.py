"""Learned stance and outcome labels: the labels ``analyze`` and the dashboard show.

Per article, the sentence model's predictions on the targets' mentions in the
outlet's own voice (:mod:`analysis.labels.signals`) and the rules' cue totals
(:mod:`analysis.labels.stance`, :mod:`analysis.labels.outcome`, the documented
baseline) become features of a calibrated combination
(:mod:`analysis.labels.combination`). For stance toward Russia and the
US/West and for outcome framing, each task's ``system`` (chosen by ``narratives
train`` on the grouped cross-validation) says what gives the label: the
learned combination, the rules, or the rules where they read the language and
the learned combination elsewhere. Ukraine and Assad keep the rules' label (no
labelled set to learn them from). ``model``
says which gave each label, ``probability`` how sure the combination is
(NaN for the rules); ``rules_label`` keeps the baseline.

Labels: ``uncertain`` where the largest calibrated probability is below the
task's threshold; ``unsupported language`` where no sentence model reads the
language (:data:`analysis.labels.signals.MODEL_LANGUAGE`); ``not mentioned``
where the article never names the target. Overrides still win.

If a model file is missing or damaged, a warning names it and the command
that rebuilds it, and the articles it would have read keep the rules' labels
(``model`` ``"rules"``); everything else goes on.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.labels.combination import (
    LABEL_MODELS_FILE,
    LabelModel,
    LabelModelError,
    load_label_models,
)
from analysis.labels.document import ArticleDocument, documents_for
from analysis.labels.evidence import HEADLINE, EvidenceRow, concat_evidence, evidence_table
from analysis.labels.outcome import OUTCOME_COLUMNS, stance_and_outcome
from analysis.labels.signals import (
    MODEL_LANGUAGE,
    ArticleSignals,
    MentionSentiment,
    article_signals,
    outcome_features,
    target_features,
)
from analysis.labels.stance import STANCE_COLUMNS, label_table
from analysis.sentiment.model import ModelFileError, SentimentModel
from analysis.sentiment.training import load_sentiment_model

__all__ = [
    "LEARNED_OUTCOME_COLUMNS",
    "LEARNED_STANCE_COLUMNS",
    "LEARNED_TARGETS",
    "OUTCOME_TASK",
    "learned_stance_and_outcome",
    "rule_totals",
    "stance_task",
]

#: The targets whose stance is learned; the others keep the rules' label.
LEARNED_TARGETS = ("russia", "us_west")
OUTCOME_TASK = "outcome"
_EXTRA = ["rules_label", "model", "probability"]
LEARNED_STANCE_COLUMNS = [*STANCE_COLUMNS[:5], *_EXTRA, *STANCE_COLUMNS[5:]]
LEARNED_OUTCOME_COLUMNS = [*OUTCOME_COLUMNS[:4], *_EXTRA, *OUTCOME_COLUMNS[4:]]
#: Evidence sentences shown per article and learned target (outlet's voice, then quoted).
EVIDENCE_PER_TARGET = 3
_OUTCOME_WEIGHTS = (
    "russia_gained",
    "us_west_gained",
    "stalemate_or_failure",
    "cooperation_or_progress",
)


def stance_task(target: str) -> str:
    """The combination model's task name for stance toward ``target``."""
    return f"stance_{target}"


@functools.lru_cache(maxsize=4)
def _sentence_model(language: str) -> SentimentModel:
    return load_sentiment_model(language)


@functools.lru_cache(maxsize=2)
def _label_models(path: str) -> dict[str, LabelModel]:
    return load_label_models(path)


def rule_totals(stance: pd.DataFrame) -> dict[str, dict[str, tuple[float, float] | None]]:
    """The rules' (favorable, unfavorable) per article and target (``None``: unsupported)."""
    totals: dict[str, dict[str, tuple[float, float] | None]] = {}
    for article_id, target, label, favorable, unfavorable in zip(
        stance["article_id"],
        stance["target"],
        stance["computed_label"],
        stance["favorable"],
        stance["unfavorable"],
        strict=True,
    ):
        totals.setdefault(str(article_id), {})[str(target)] = (
            None if label == "unsupported language" else (float(favorable), float(unfavorable))
        )
    return totals


def _outcome_totals(outcome: pd.DataFrame) -> dict[str, list[float] | None]:
    return {
        str(row["article_id"]): (
            None
            if row["computed_label"] == "unsupported language"
            else [float(row[c]) for c in _OUTCOME_WEIGHTS]
        )
        for row in outcome.to_dict("records")
    }


def _readable_languages(languages: set[str]) -> set[str]:
    """The article languages whose sentence model loads; a broken file is warned about."""
    readable = set()
    for model_language in sorted(
        {MODEL_LANGUAGE[lang] for lang in languages if lang in MODEL_LANGUAGE}
    ):
        try:
            _sentence_model(model_language)
        except ModelFileError as err:
            warnings.warn(f"{err}; the rules' labels are used instead", stacklevel=3)
            continue
        readable |= {lang for lang, model in MODEL_LANGUAGE.items() if model == model_language}
    return readable | {lang for lang in languages if lang not in MODEL_LANGUAGE}


def _computed(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        str(k): v for k, v in row.items() if k not in ("computed_label", "source", "override_note")
    }


def _direction(mention: MentionSentiment) -> str:
    """The sentence model's most probable reading of the mention's sentence, as a stance."""
    return max(
        ("unfavorable", mention.negative),
        ("neutral", mention.neutral),
        ("favorable", mention.positive),
        key=lambda pair: pair[1],
    )[0]


def _evidence_rows(
    signals: ArticleSignals, document: ArticleDocument, target: str, label: str
) -> list[EvidenceRow]:
    """The mentions that moved the decision most, each with its predicted sentiment."""
    own = [m for m in signals.mentions if m.target == target]
    outlet = [m for m in own if m.voice == "outlet"]
    if label == "favorable":
        outlet.sort(key=lambda m: -m.polarity)
    elif label == "unfavorable":
        outlet.sort(key=lambda m: m.polarity)
    else:
        outlet.sort(key=lambda m: -abs(m.polarity))
    quoted = sorted((m for m in own if m.voice != "outlet"), key=lambda m: -abs(m.polarity))
    rows = []
    for mention in [*outlet[:EVIDENCE_PER_TARGET], *quoted[:1]]:
        headline = mention.part == "headline"
        in_voice = mention.voice == "outlet"
        sentence = (
            document.title
            if headline
            else document.text[mention.sentence_start : mention.sentence_end]
        )
        rows.append(
            EvidenceRow(
                article_id=signals.article_id,
                analysis="stance",
                label=_direction(mention),
                sentence_start=HEADLINE if headline else mention.sentence_start,
                sentence_end=HEADLINE if headline else mention.sentence_end,
                cue_words=sentence[mention.mention_start : mention.mention_end],
                weight=mention.polarity if in_voice else 0.0,
                target=target,
                voice=mention.voice,
                mark_start=mention.mention_start,
                mark_end=mention.mention_end,
                rule=(
                    f"sentence model: negative {mention.negative:.2f}, neutral "
                    f"{mention.neutral:.2f}, positive {mention.positive:.2f}"
                    + ("" if in_voice else f"; quoted ({mention.voice}), not the outlet's voice")
                ),
            )
        )
    return rows


def _learned_reads(
    label_models: Mapping[str, LabelModel] | None, task: str, row: Mapping[Any, Any]
) -> bool:
    """Whether the task's learned combination gives this row's label (its ``system``)."""
    model = label_models.get(task) if label_models is not None else None
    if model is None or model.system == "rules":
        return False
    if model.system == "learned":
        return True
    return bool(row["computed_label"] == "unsupported language")


def _needing_signals(
    label_models: Mapping[str, LabelModel], stance: pd.DataFrame, outcome: pd.DataFrame
) -> set[str]:
    """The articles some task's learned combination labels: only these are read by the model."""
    needed: set[str] = set()
    for target in LEARNED_TARGETS:
        rows = stance[stance["target"] == target]
        needed |= {
            str(row["article_id"])
            for row in rows[["article_id", "computed_label"]].to_dict("records")
            if _learned_reads(label_models, stance_task(target), row)
        }
    meeting = outcome[outcome["computed_label"].astype(bool)]
    needed |= {
        str(row["article_id"])
        for row in meeting[["article_id", "computed_label"]].to_dict("records")
        if _learned_reads(label_models, OUTCOME_TASK, row)
    }
    return needed


def learned_stance_and_outcome(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    *,
    quotes: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
    models_file: Path | str = LABEL_MODELS_FILE,
    documents: Sequence[ArticleDocument] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Stance and outcome framing of every article, learned where a model reads it.

    Parameters
    ----------
    articles, cleaned, overrides
        As for :func:`analysis.labels.outcome.stance_and_outcome`.
    quotes : pandas.DataFrame, optional
        ``article_id``, ``start``, ``end``, ``speaker`` of every quotation;
        found by the articles' documents when omitted.
    models_file : path-like
        The combination models (:func:`analysis.labels.combination.load_label_models`).
    documents : sequence of ArticleDocument, optional
        The articles' documents (:func:`analysis.labels.document.article_documents`),
        read by the rules and the sentence model alike; built here (with
        ``quotes``) when omitted.

    Returns
    -------
    stance : pandas.DataFrame
        Columns :data:`LEARNED_STANCE_COLUMNS`.
    outcome : pandas.DataFrame
        Columns :data:`LEARNED_OUTCOME_COLUMNS`.
    evidence : pandas.DataFrame
        Columns :data:`analysis.labels.evidence.EVIDENCE_COLUMNS`, in evidence
        order: the rules' evidence and, per learned target, the mentions that
        moved the decision most (``label`` the sentence model's reading of
        the sentence, ``rule`` its probabilities, ``weight`` the mention's
        polarity, 0 for a quotation).

    Raises
    ------
    ValueError
        As :func:`analysis.labels.outcome.stance_and_outcome`, or if
        ``documents`` are not those of ``articles``.
    """
    documents = documents_for(articles, cleaned, documents, quotes=quotes)
    rules_stance, rules_outcome, rules_evidence = stance_and_outcome(
        articles, cleaned, documents=documents
    )
    try:
        label_models: dict[str, LabelModel] | None = _label_models(str(models_file))
    except LabelModelError as err:
        warnings.warn(f"{err}; the rules' labels are used instead", stacklevel=2)
        label_models = None
    document_of = {document.article_id: document for document in documents}
    signals: list[ArticleSignals] = []
    if label_models is not None:
        readable = _readable_languages({document.language for document in documents})
        needed = _needing_signals(label_models, rules_stance, rules_outcome)
        signals = article_signals(
            [d for d in documents if d.language in readable and d.article_id in needed],
            load_model=_sentence_model,
            targets=LEARNED_TARGETS,
        )
    by_article = {s.article_id: s for s in signals}
    totals = rule_totals(rules_stance)
    evidence_rows: list[EvidenceRow] = []
    stance_rows = []
    for row in rules_stance.to_dict("records"):
        row = {**row, "rules_label": row["computed_label"], "model": "rules"}
        row["probability"] = math.nan
        article_signal = by_article.get(str(row["article_id"]))
        task = stance_task(str(row["target"]))
        if _learned_reads(label_models, task, row) and article_signal is not None:
            if not article_signal.supported:
                row |= {"label": "unsupported language", "model": "learned"}
            else:
                named = sum(1 for m in article_signal.mentions if m.target == row["target"])
                row["mentions"] = named
                if named == 0:
                    row |= {"label": "not mentioned", "model": "learned"}
                else:
                    features = target_features(
                        article_signal, str(row["target"]), totals[str(row["article_id"])]
                    )
                    model = label_models[task] if label_models is not None else None
                    assert model is not None  # _learned_reads said the task has a model
                    labels, best = model.decide(features[None, :])
                    row |= {"label": labels[0], "model": "learned", "probability": best[0]}
                    evidence_rows.extend(
                        _evidence_rows(
                            article_signal,
                            document_of[str(row["article_id"])],
                            str(row["target"]),
                            labels[0],
                        )
                    )
        stance_rows.append(row)
    outcome_totals = _outcome_totals(rules_outcome)
    outcome_rows = []
    for row in rules_outcome.to_dict("records"):
        row = {**row, "rules_label": row["computed_label"], "model": "rules"}
        row["probability"] = math.nan
        article_signal = by_article.get(str(row["article_id"]))
        model = label_models.get(OUTCOME_TASK) if label_models is not None else None
        if (
            row["computed_label"]
            and model is not None
            and _learned_reads(label_models, OUTCOME_TASK, row)
            and article_signal is not None
        ):
            if not article_signal.supported:
                row |= {"label": "unsupported language", "model": "learned"}
            else:
                features = outcome_features(article_signal, outcome_totals[str(row["article_id"])])
                labels, best = model.decide(features[None, :])
                row |= {"label": labels[0], "model": "learned", "probability": best[0]}
        outcome_rows.append(row)
    stance = label_table(
        [_computed(r) for r in stance_rows],
        columns=LEARNED_STANCE_COLUMNS,
        task="stance",
        overrides=overrides,
    )
    outcome = label_table(
        [_computed(r) for r in outcome_rows],
        columns=LEARNED_OUTCOME_COLUMNS,
        task="outcome",
        overrides=overrides,
    )
    return stance, outcome, concat_evidence([rules_evidence, evidence_table(evidence_rows)])
