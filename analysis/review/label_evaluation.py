"""Measure and fit the learned stance and outcome labels on labelled real articles.

:func:`labelled_articles` reads the development set (a JSON Lines file of
articles with ``url`` and ``text``, and a labels file joined on ``url`` with
``outlet``, ``language``, ``title``, ``meeting``, ``stance_russia``,
``stance_us_west``, ``outcome_frame``) and adds the corpus's own article-level
hand labels (``corpus/labels/``). :func:`evaluate_labels` scores, with
cross-validation grouped by outlet (no outlet on both sides of a fold), the
learned combination beside the majority class and the rules, per task, per
language and per label. :func:`train_label_models` fits the committed models
on every labelled article and writes them with a manifest.

How "uncertain" and "unsupported language" count: the headline figures
(``macro_f1``, ``semeval_f``) are over **all** labelled articles, with an
article the model leaves uncertain or cannot read counted as a miss (it
lowers recall of its true label; it is not a class of its own). Beside them,
``coverage`` (share decided) and ``decided_macro_f1`` (on the decided
articles only). The issue's targets refer to the first. "not mentioned"
counts as "neutral" (the development set labels an article that does not
name a target neutral).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from analysis.corpus.articles import load_corpus
from analysis.labels.combination import (
    LABEL_MODELS_FILE,
    UNCERTAIN,
    LabelModel,
    fit_label_model,
    grouped_folds,
    save_label_models,
)
from analysis.labels.document import article_documents
from analysis.labels.learned import OUTCOME_TASK, rule_totals, stance_task
from analysis.labels.outcome import stance_and_outcome
from analysis.labels.signals import (
    OUTCOME_FEATURES,
    TARGET_FEATURES,
    article_signals,
    outcome_features,
    target_features,
)
from analysis.review.hand_labels import LABELS_FILE, OUTCOME_LABELS, load_labels
from analysis.review.meeting_evaluation import _read_jsonl
from analysis.sentiment.training import load_sentiment_model
from analysis.text.cleaning import clean_articles

__all__ = [
    "MANIFEST_FILE",
    "PARAMETERS",
    "TASKS",
    "LabelEvaluation",
    "TaskData",
    "evaluate_labels",
    "labelled_articles",
    "render_label_evaluation",
    "render_label_evaluation_json",
    "task_data",
    "train_label_models",
]

STANCE_CLASSES = ("favorable", "unfavorable", "neutral")
#: Task -> (label column, classes).
TASKS: dict[str, tuple[str, tuple[str, ...]]] = {
    stance_task("russia"): ("stance_russia", STANCE_CLASSES),
    stance_task("us_west"): ("stance_us_west", STANCE_CLASSES),
    OUTCOME_TASK: ("outcome", OUTCOME_LABELS),
}
#: Inverse regularisation and abstention threshold of every task (chosen by grouped CV).
PARAMETERS: dict[str, float] = {"C": 0.03, "threshold": 0.4, "folds": 5}
MANIFEST_FILE = "labels_manifest.json"
UNSUPPORTED = "unsupported language"
_DEVSET_OUTCOME = {
    "russia_gained": "Russia gained",
    "us_gained": "US-West gained",
    "stalemate_or_failure": "stalemate or failure",
    "cooperation_progress": "cooperation or progress",
    "neutral_report": "neutral report",
}
_ARTICLE_COLUMNS = ["id", "url", "outlet", "language", "title", "text", "meetings"]


def labelled_articles(
    devset: Path | str, labels: Path | str, *, corpus_dir: Path | str | None = None
) -> pd.DataFrame:
    """The labelled articles: the development set's with text, then the corpus's.

    Returns
    -------
    pandas.DataFrame
        ``id`` (``devset-LINE`` or the corpus id), ``url``, ``outlet``,
        ``language``, ``title``, ``text``, ``meetings`` (a tuple, empty for
        none), ``stance_russia``, ``stance_us_west``, ``outcome`` (an outcome
        label of :data:`analysis.review.hand_labels.OUTCOME_LABELS`, ``""``
        for an article about no meeting).

    Raises
    ------
    ValueError
        Naming the file and line of a row without ``url``, a devset article
        without a label, or a label that is none of the known ones.
    """
    devset_path, labels_path = Path(devset), Path(labels)
    given: dict[str, tuple[int, dict[str, Any]]] = {}
    for number, row in _read_jsonl(labels_path):
        url = row.get("url")
        if not isinstance(url, str):
            raise ValueError(f"{labels_path}: line {number}: needs a 'url'")
        given[url.strip()] = (number, row)
    rows: list[dict[str, Any]] = []
    for number, row in _read_jsonl(devset_path):
        url, text = row.get("url"), row.get("text")
        if not isinstance(url, str) or not url.strip():
            raise ValueError(f"{devset_path}: line {number}: needs a 'url'")
        if not isinstance(text, str) or not text.strip():
            continue
        if url.strip() not in given:
            raise ValueError(f"{devset_path}: line {number}: {url!r} has no label in {labels}")
        label_line, label = given[url.strip()]
        where = f"{labels_path}: line {label_line}"
        for key in ("stance_russia", "stance_us_west"):
            if label.get(key) not in STANCE_CLASSES:
                raise ValueError(f"{where}: {key} must be one of {', '.join(STANCE_CLASSES)}")
        outcome = label.get("outcome_frame")
        if outcome is not None and outcome not in _DEVSET_OUTCOME:
            raise ValueError(f"{where}: outcome_frame {outcome!r} is not a known label")
        meeting = str(label.get("meeting") or "NONE")
        rows.append(
            {
                "id": f"devset-{number}",
                "url": url.strip(),
                "outlet": str(label.get("outlet") or row.get("outlet") or "(unknown)"),
                "language": str(label.get("language") or row.get("language") or ""),
                "title": str(label.get("title") or ""),
                "text": text,
                "meetings": () if meeting.upper() == "NONE" else (meeting,),
                "stance_russia": label["stance_russia"],
                "stance_us_west": label["stance_us_west"],
                "outcome": _DEVSET_OUTCOME[outcome] if outcome else "",
            }
        )
    if corpus_dir is not None:
        rows.extend(_corpus_rows(Path(corpus_dir)))
    return pd.DataFrame(
        rows, columns=[*_ARTICLE_COLUMNS, "stance_russia", "stance_us_west", "outcome"]
    )


def _corpus_rows(corpus_dir: Path) -> list[dict[str, Any]]:
    if not (corpus_dir / LABELS_FILE).is_file():
        return []
    hand = load_labels(corpus_dir)
    hand = hand[hand["sentence"] == ""]
    gold = {
        (a, t): label
        for a, t, label in zip(hand["article_id"], hand["target"], hand["label"], strict=True)
    }
    corpus = load_corpus(corpus_dir)
    rows = []
    for article in corpus.articles.to_dict("records"):
        stance = {t: gold.get((article["id"], t)) for t in ("russia", "us_west")}
        if None in stance.values():
            continue
        rows.append(
            {
                **{c: article[c] for c in _ARTICLE_COLUMNS if c != "meetings"},
                "title": article["title"] or "",
                "meetings": tuple(article["meetings"]),
                **{
                    f"stance_{t}": "neutral" if label == "not mentioned" else label
                    for t, label in stance.items()
                },
                "outcome": gold.get((article["id"], "outcome"), ""),
            }
        )
    return rows


@dataclass(frozen=True)
class TaskData:
    """Features of the labelled articles, and what the rules said, for every task.

    ``features`` maps a task to its matrix (one row per article);
    ``supported`` is whether a sentence model reads the article;
    ``rules`` maps a task to the rules' label of every article (``""``
    where the article covers no meeting, for outcome).
    """

    articles: pd.DataFrame
    supported: np.ndarray
    features: dict[str, np.ndarray]
    rules: dict[str, list[str]]


def task_data(articles: pd.DataFrame) -> TaskData:
    """Clean, find quotations, run the rules and the sentence models on ``articles``."""
    cleaned, _ = clean_articles(articles)
    documents = article_documents(articles, cleaned)
    stance, outcome, _ = stance_and_outcome(articles, cleaned, documents=documents)
    signals = article_signals(documents, load_model=load_sentiment_model)
    totals = rule_totals(stance)
    features: dict[str, np.ndarray] = {}
    rules: dict[str, list[str]] = {}
    for target in ("russia", "us_west"):
        features[stance_task(target)] = np.array(
            [target_features(s, target, totals[s.article_id]) for s in signals]
        )
        labels = stance[stance["target"] == target].set_index("article_id")["computed_label"]
        rules[stance_task(target)] = [
            "neutral" if labels[a] == "not mentioned" else str(labels[a]) for a in articles["id"]
        ]
    by_id = outcome.set_index("article_id")
    weights = ["russia_gained", "us_west_gained", "stalemate_or_failure", "cooperation_or_progress"]
    features[OUTCOME_TASK] = np.array(
        [
            outcome_features(
                s,
                None
                if by_id.loc[s.article_id, "computed_label"] in (UNSUPPORTED, "")
                else [float(str(by_id.loc[s.article_id, w])) for w in weights],
            )
            for s in signals
        ]
    )
    rules[OUTCOME_TASK] = [str(by_id.loc[a, "computed_label"]) for a in articles["id"]]
    supported = np.array([s.supported for s in signals], dtype=bool)
    return TaskData(articles.reset_index(drop=True), supported, features, rules)


def _scores(
    gold: Sequence[str] | np.ndarray, predicted: Sequence[str], classes: Sequence[str]
) -> dict[str, Any]:
    gold_array = np.asarray(gold, dtype=object)
    predicted_array = np.asarray(predicted, dtype=object)
    present = [c for c in classes if c in set(gold_array)]
    decided = np.isin(predicted_array, list(classes))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold_array, predicted_array, labels=present, zero_division=0
    )
    per_label = {
        c: {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(s),
        }
        for c, p, r, f, s in zip(present, precision, recall, f1, support, strict=True)
    }
    columns = [*classes, UNCERTAIN, UNSUPPORTED]
    matrix = (
        confusion_matrix(gold_array, predicted_array, labels=columns) if len(gold_array) else []
    )
    record: dict[str, Any] = {
        "articles": len(gold_array),
        "macro_f1": round(float(np.mean(f1)) if len(f1) else float("nan"), 4),
        "coverage": round(float(decided.mean()) if len(decided) else float("nan"), 4),
        "uncertain": round(
            float((predicted_array == UNCERTAIN).mean()) if len(decided) else 0.0, 4
        ),
        "unsupported": round(
            float((predicted_array == UNSUPPORTED).mean()) if len(decided) else 0.0, 4
        ),
        "decided_macro_f1": round(
            float(
                f1_score(
                    gold_array[decided],
                    predicted_array[decided],
                    labels=present,
                    average="macro",
                    zero_division=0,
                )
            )
            if decided.any()
            else float("nan"),
            4,
        ),
        "per_label": per_label,
        "confusion": {
            g: {p: int(matrix[i][j]) for j, p in enumerate(columns)}
            for i, g in enumerate(columns)
            if g in classes
        },
    }
    if "favorable" in classes:
        record["semeval_f"] = round(
            float(
                f1_score(
                    gold_array,
                    predicted_array,
                    labels=["favorable", "unfavorable"],
                    average="macro",
                    zero_division=0,
                )
            ),
            4,
        )
    return record


@dataclass(frozen=True)
class LabelEvaluation:
    """What :func:`evaluate_labels` measured: per task and system, overall and per language."""

    articles: int
    outlets: int
    tasks: dict[str, dict[str, Any]]
    meeting_articles: int
    meeting_unsupported: int
    parameters: dict[str, float] = field(default_factory=dict)


def _fit_task(data: TaskData, task: str, rows: np.ndarray) -> tuple[LabelModel, np.ndarray]:
    """A task's combination fitted on ``rows`` of ``data``, and its out-of-fold probabilities."""
    column, classes = TASKS[task]
    gold = data.articles[column].to_numpy(dtype=object)
    return fit_label_model(
        data.features[task][rows],
        list(gold[rows]),
        list(data.articles["outlet"].to_numpy()[rows]),
        task=task,
        names=OUTCOME_FEATURES if task == OUTCOME_TASK else TARGET_FEATURES,
        classes=classes,
        c=PARAMETERS["C"],
        threshold=PARAMETERS["threshold"],
        folds=int(PARAMETERS["folds"]),
    )


def _cross_validated(
    data: TaskData, task: str
) -> tuple[np.ndarray, list[str], list[str], np.ndarray]:
    """Gold labels, model labels (grouped out-of-fold), rules' labels, and the rows scored."""
    column, classes = TASKS[task]
    gold = data.articles[column].to_numpy(dtype=object)
    rows = np.flatnonzero(gold != "")
    train = rows[data.supported[rows]]
    predicted = np.full(len(gold), UNSUPPORTED, dtype=object)
    if len(train):
        _, probabilities = _fit_task(data, task, train)
        best = probabilities.max(axis=1)
        chosen = np.asarray(classes, dtype=object)[probabilities.argmax(axis=1)]
        predicted[train] = np.where(best >= PARAMETERS["threshold"], chosen, UNCERTAIN)
    rules = np.asarray(data.rules[task], dtype=object)
    return gold[rows], list(predicted[rows]), list(rules[rows]), rows


def evaluate_labels(data: TaskData) -> LabelEvaluation:
    """Score the model (grouped by outlet), the majority class and the rules on ``data``.

    The majority class is the most frequent label of the other outlets' articles
    (computed per fold, like the model); the rules are today's labels.
    """
    tasks: dict[str, dict[str, Any]] = {}
    languages = data.articles["language"].to_numpy(dtype=object)
    outlets = data.articles["outlet"].to_numpy(dtype=object)
    for task, (_, classes) in TASKS.items():
        gold, model, rules, rows = _cross_validated(data, task)
        majority = np.empty(len(rows), dtype=object)
        for train, test in grouped_folds(list(outlets[rows]), folds=int(PARAMETERS["folds"])):
            values, counts = np.unique(gold[train], return_counts=True)
            majority[test] = values[counts.argmax()]
        rules_else_model = [m if r == UNSUPPORTED else r for r, m in zip(rules, model, strict=True)]
        systems = {
            "model": model,
            "majority": list(majority),
            "rules": rules,
            "rules_else_model": rules_else_model,
        }
        entry: dict[str, Any] = {"classes": list(classes)}
        for name, predicted in systems.items():
            entry[name] = _scores(gold, predicted, classes)
            entry[name]["by_language"] = {
                str(language): _scores(
                    gold[languages[rows] == language],
                    list(np.asarray(predicted, dtype=object)[languages[rows] == language]),
                    classes,
                )
                for language in sorted(set(languages[rows]))
            }
        entry["chosen"], entry["support"] = choose_system(gold, systems, classes)
        tasks[task] = entry
    meetings = np.array([len(m) > 0 for m in data.articles["meetings"]], dtype=bool)
    return LabelEvaluation(
        articles=len(data.articles),
        outlets=len(set(outlets)),
        tasks=tasks,
        meeting_articles=int(meetings.sum()),
        meeting_unsupported=int((meetings & ~data.supported).sum()),
        parameters=dict(PARAMETERS),
    )


#: The systems :func:`choose_system` picks from, and the
#: :data:`analysis.labels.combination.SYSTEMS` name of each.
SYSTEM_OF = {"model": "learned", "rules": "rules", "rules_else_model": "rules, else learned"}
#: Resamples of the articles in :func:`choose_system`'s bootstrap.
BOOTSTRAP_RESAMPLES = 1000
#: Share of resamples in which a simpler system must beat the model to replace it.
BOOTSTRAP_SUPPORT = 0.9


def _macro_f1(gold: np.ndarray, predicted: np.ndarray, labels: int) -> float:
    """Macro-F1 over label codes ``0 .. labels - 1`` (any other code is a miss), as sklearn's."""
    hits = np.bincount(gold[gold == predicted], minlength=labels)[:labels]
    given = np.bincount(predicted[predicted < labels], minlength=labels)[:labels]
    true = np.bincount(gold, minlength=labels)[:labels]
    denominator = given + true
    f1 = np.divide(2 * hits, denominator, out=np.zeros(labels), where=denominator > 0)
    return float(f1.mean())


def choose_system(
    gold: Sequence[str] | np.ndarray,
    predictions: Mapping[str, Sequence[str]],
    classes: Sequence[str],
    *,
    seed: int = 0,
) -> tuple[str, dict[str, float]]:
    """The system (a key of :data:`SYSTEM_OF`) the labels use, and the support for each.

    The learned model (which reads the rules' cues among its features) is the
    default. The rules, or the rules with the model where they do not read the
    language, replace it only where the grouped cross-validation supports it:
    their macro-F1 is above the model's in at least :data:`BOOTSTRAP_SUPPORT`
    of :data:`BOOTSTRAP_RESAMPLES` resamples of the articles (a paired
    bootstrap). Of two supported, the one with the higher macro-F1 wins.

    Returns
    -------
    chosen : str
    support : dict
        For the rules and the rules-else-model, the share of resamples in
        which it beat the model.
    """
    present = [c for c in classes if c in set(gold)]
    codes = {label: code for code, label in enumerate(present)}
    other = len(present)
    gold_codes = np.array([codes[g] for g in gold], dtype=np.int64)
    arrays = {
        name: np.array([codes.get(p, other) for p in predictions[name]], dtype=np.int64)
        for name in SYSTEM_OF
    }
    rng = np.random.default_rng(seed)
    wins = {"rules": 0, "rules_else_model": 0}
    for _ in range(BOOTSTRAP_RESAMPLES):
        sample = rng.integers(0, len(gold_codes), len(gold_codes))
        model = _macro_f1(gold_codes[sample], arrays["model"][sample], other)
        for name in wins:
            if _macro_f1(gold_codes[sample], arrays[name][sample], other) > model:
                wins[name] += 1
    support = {name: count / BOOTSTRAP_RESAMPLES for name, count in wins.items()}
    supported = [n for n in wins if support[n] >= BOOTSTRAP_SUPPORT]
    if not supported:
        return "model", support
    return max(supported, key=lambda n: _macro_f1(gold_codes, arrays[n], other)), support


_TASK_NAMES = {
    stance_task("russia"): "stance toward Russia",
    stance_task("us_west"): "stance toward the US/West",
    OUTCOME_TASK: "outcome framing",
}
_SYSTEM_NAMES = {
    "model": "model",
    "rules": "rules",
    "rules_else_model": "rules, else model",
    "majority": "majority",
}


def render_label_evaluation(evaluation: LabelEvaluation) -> str:
    """The evaluation as a plain-text report (what ``narratives evaluate --devset`` prints)."""
    share = evaluation.meeting_unsupported / max(evaluation.meeting_articles, 1)
    lines = [
        f"Stance and outcome labels on {evaluation.articles} articles from {evaluation.outlets} "
        f"outlets, cross-validated by outlet ({int(evaluation.parameters['folds'])} folds)",
        "F1 over all articles: uncertain and unsupported count as misses; "
        "'decided' is F1 on the articles given a label.",
        f"unsupported language: {evaluation.meeting_unsupported}/{evaluation.meeting_articles} "
        f"meeting articles ({share:.1%})",
    ]
    for task, entry in evaluation.tasks.items():
        lines += ["", f"{_TASK_NAMES[task]} ({entry['model']['articles']} articles)"]
        lines.append(
            f"  {'system':<17} {'macro-F1':>8} {'SemEval':>8} {'coverage':>8} {'decided':>8} "
            f"{'uncertain':>9} {'unsupported':>11}"
        )
        for name in ("model", "rules", "rules_else_model", "majority"):
            s = entry[name]
            semeval = f"{s['semeval_f']:>8.3f}" if "semeval_f" in s else f"{'':>8}"
            chosen = "  <- used" if name == entry["chosen"] else ""
            if name in ("rules", "rules_else_model"):
                chosen += f"  (beats the model in {entry['support'][name]:.0%} of resamples)"
            lines.append(
                f"  {_SYSTEM_NAMES[name]:<17} {s['macro_f1']:>8.3f} {semeval} "
                f"{s['coverage']:>8.3f} {s['decided_macro_f1']:>8.3f} {s['uncertain']:>9.3f} "
                f"{s['unsupported']:>11.3f}{chosen}"
            )
        used = entry["chosen"]
        lines.append(
            f"  {_SYSTEM_NAMES[used]} per label: "
            + "; ".join(
                f"{label} P {v['precision']:.2f} R {v['recall']:.2f} F1 {v['f1']:.2f} "
                f"(n={v['support']})"
                for label, v in entry[used]["per_label"].items()
            )
        )
        lines.append("  per language (model / rules / rules, else model macro-F1, articles):")
        for language, s in entry["model"]["by_language"].items():
            rules = entry["rules"]["by_language"][language]
            either = entry["rules_else_model"]["by_language"][language]
            lines.append(
                f"    {language:<3} {s['macro_f1']:.3f} / {rules['macro_f1']:.3f} / "
                f"{either['macro_f1']:.3f}  (n={s['articles']})"
            )
        lines.append(f"  {_SYSTEM_NAMES[used]} confusion (label \\ given):")
        columns = [*entry["classes"], UNCERTAIN, UNSUPPORTED]
        lines.append("    " + " " * 24 + "".join(f"{c[:11]:>12}" for c in columns))
        for label, counts in entry[used]["confusion"].items():
            lines.append(f"    {label:<24}" + "".join(f"{counts[c]:>12d}" for c in columns))
    return "\n".join(lines) + "\n"


def render_label_evaluation_json(evaluation: LabelEvaluation) -> str:
    """The evaluation as one JSON object (``narratives evaluate --devset ... --json``).

    Keys: ``articles``, ``outlets``, ``meeting_articles``, ``meeting_unsupported``,
    ``parameters`` and ``tasks``: per task ``classes``, ``chosen`` (the system
    the labels use), ``support`` (per simpler system, the share of bootstrap
    resamples in which it beat the model: :func:`choose_system`) and, for each
    of ``model``, ``rules``, ``rules_else_model`` and ``majority``:
    ``macro_f1``, ``semeval_f`` (stance), ``coverage``, ``decided_macro_f1``,
    ``uncertain``, ``unsupported``, ``per_label``, ``confusion`` and
    ``by_language`` (the same per language).
    """
    return json.dumps(
        {
            "articles": evaluation.articles,
            "outlets": evaluation.outlets,
            "meeting_articles": evaluation.meeting_articles,
            "meeting_unsupported": evaluation.meeting_unsupported,
            "parameters": evaluation.parameters,
            "tasks": evaluation.tasks,
        },
        ensure_ascii=False,
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train_label_models(
    devset: Path | str,
    labels: Path | str,
    *,
    corpus_dir: Path | str | None,
    out: Path | str = LABEL_MODELS_FILE,
) -> dict[str, Any]:
    """Fit every task's combination on all labelled articles; write it and its manifest.

    The manifest (``labels_manifest.json`` beside ``out``) records the labels
    files' sha256, the parameters, the number of articles per task and the
    grouped cross-validated scores of :func:`evaluate_labels`. The devset's
    text is never written.

    Returns
    -------
    dict
        The manifest.
    """
    started = time.perf_counter()
    data = task_data(labelled_articles(devset, labels, corpus_dir=corpus_dir))
    models: dict[str, LabelModel] = {}
    for task, (column, _) in TASKS.items():
        gold = data.articles[column].to_numpy(dtype=object)
        rows = np.flatnonzero((gold != "") & data.supported)
        models[task], _ = _fit_task(data, task, rows)
    evaluation = evaluate_labels(data)
    models = {
        task: replace(model, system=SYSTEM_OF[evaluation.tasks[task]["chosen"]])
        for task, model in models.items()
    }
    out_path = Path(out)
    save_label_models(models, out_path, parameters=PARAMETERS)
    files = [Path(labels)]
    if corpus_dir is not None:
        files.append(Path(corpus_dir) / "labels" / "stance_labels.csv")
    manifest = {
        "file": out_path.name,
        "labels_files": {path.name: _sha256(path) for path in files},
        "parameters": PARAMETERS,
        "articles": evaluation.articles,
        "outlets": evaluation.outlets,
        "grouped_cv": {
            task: {
                system: {
                    k: entry[system][k]
                    for k in ("macro_f1", "semeval_f", "coverage", "decided_macro_f1")
                    if k in entry[system]
                }
                for system in ("model", "rules", "rules_else_model", "majority")
            }
            | {"used": SYSTEM_OF[entry["chosen"]], "support": entry["support"]}
            for task, entry in evaluation.tasks.items()
        },
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    (out_path.parent / MANIFEST_FILE).write_text(
        json.dumps(manifest, indent=1) + "\n", encoding="utf-8"
    )
    return manifest
