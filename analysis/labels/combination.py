"""The learned combination: article features to a calibrated probability per label.

One small multinomial logistic regression per task (stance toward Russia,
stance toward the US/West, outcome framing) over the features of
:mod:`analysis.labels.signals`, standardised, class-weighted (the polar labels
are rare), then calibrated by one temperature fitted on out-of-fold
predictions (cross-validation grouped by outlet), so that a probability of 0.8
is right about as often as it says. Where the largest probability is below
the task's ``threshold`` the label is :data:`UNCERTAIN`: shown and counted as
such, never forced.

The models are one JSON document (no pickle): ``analysis/data/models/labels.json``,
written by ``narratives train --devset FILE --labels FILE`` with a manifest
beside it. A missing, damaged or other-version file is a
:class:`LabelModelError` that names it and says what to run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from analysis import DATA_DIR

__all__ = [
    "FORMAT_VERSION",
    "LABEL_MODELS_FILE",
    "SYSTEMS",
    "TRAIN_COMMAND",
    "UNCERTAIN",
    "LabelModel",
    "LabelModelError",
    "fit_label_model",
    "grouped_folds",
    "load_label_models",
    "out_of_fold",
    "save_label_models",
]

FORMAT_VERSION = 1
LABEL_MODELS_FILE = DATA_DIR / "models" / "labels.json"
UNCERTAIN = "uncertain"
TRAIN_COMMAND = "narratives train --devset ARTICLES.jsonl --labels LABELS.jsonl"
#: What gives a task's label: the learned combination; the rules; or the rules where they
#: read the language and the learned combination elsewhere. ``narratives train`` keeps
#: the one that scores best in the grouped cross-validation.
SYSTEMS = ("learned", "rules", "rules, else learned")
_TEMPERATURES = np.exp(np.linspace(np.log(0.25), np.log(4.0), 41))


class LabelModelError(ValueError):
    """A label model file that is missing, unreadable, or of another format version."""


@dataclass(frozen=True)
class LabelModel:
    """One task's combination: standardise, linear scores, temperature, softmax.

    ``threshold`` is the smallest largest-probability that gives a label;
    below it the label is :data:`UNCERTAIN`.
    """

    task: str
    features: tuple[str, ...]
    classes: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    temperature: float
    threshold: float
    system: str = "learned"
    """Which of :data:`SYSTEMS` gives the task's label."""

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, shape ``(n, len(classes))``.

        Raises
        ------
        ValueError
            If ``features`` does not have one column per name in ``features``.
        """
        matrix = np.atleast_2d(np.asarray(features, dtype=np.float64))
        if matrix.shape[1] != len(self.features):
            raise ValueError(
                f"{self.task}: expected {len(self.features)} features, got {matrix.shape[1]}"
            )
        scores = ((matrix - self.mean) / self.scale) @ self.coef.T + self.intercept
        return _softmax(scores / self.temperature)

    def decide(self, features: np.ndarray) -> tuple[list[str], np.ndarray]:
        """The label of each row (:data:`UNCERTAIN` below ``threshold``) and its probability."""
        probabilities = self.predict_proba(features)
        best = probabilities.max(axis=1)
        labels = [
            self.classes[i] if p >= self.threshold else UNCERTAIN
            for i, p in zip(probabilities.argmax(axis=1), best, strict=True)
        ]
        return labels, best

    def as_dict(self) -> dict[str, Any]:
        """The model as JSON-ready values."""
        return {
            "task": self.task,
            "features": list(self.features),
            "classes": list(self.classes),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept.tolist(),
            "temperature": self.temperature,
            "threshold": self.threshold,
            "system": self.system,
        }


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def _fit_raw(
    features: np.ndarray,
    labels: Sequence[str],
    *,
    task: str,
    names: Sequence[str],
    classes: Sequence[str],
    c: float,
) -> LabelModel:
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    coef = np.zeros((len(classes), features.shape[1]))
    # A class absent from the training part gets no score it could win with.
    intercept = np.full(len(classes), -30.0)
    if len(set(labels)) == 1:
        intercept[list(classes).index(labels[0])] = 0.0
        return LabelModel(
            task, tuple(names), tuple(classes), mean, scale, coef, intercept, 1.0, 0.0
        )
    # Imported here: labelling with a fitted model needs neither scikit-learn nor SciPy's stats.
    from sklearn.linear_model import LogisticRegression

    regression = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    regression.fit((features - mean) / scale, list(labels))
    fitted = [str(k) for k in regression.classes_]
    for row, name in enumerate(fitted):
        position = list(classes).index(name)
        if len(fitted) == 2:
            sign = 1.0 if row == 1 else -1.0
            coef[position] = sign * regression.coef_[0] / 2
            intercept[position] = sign * regression.intercept_[0] / 2
        else:
            coef[position] = regression.coef_[row]
            intercept[position] = regression.intercept_[row]
    return LabelModel(task, tuple(names), tuple(classes), mean, scale, coef, intercept, 1.0, 0.0)


def grouped_folds(groups: Sequence[str], *, folds: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test index pairs with no group (outlet) on both sides."""
    group_array = np.asarray(groups, dtype=object)
    splits = min(folds, len(set(group_array)))
    if splits < 2:
        raise ValueError("cross-validation needs articles from at least two outlets")
    positions = np.arange(len(group_array))
    from sklearn.model_selection import GroupKFold

    return list(GroupKFold(n_splits=splits).split(positions, groups=group_array))


def out_of_fold(
    features: np.ndarray,
    labels: Sequence[str],
    groups: Sequence[str],
    *,
    task: str,
    names: Sequence[str],
    classes: Sequence[str],
    c: float,
    folds: int = 5,
) -> np.ndarray:
    """Uncalibrated probabilities of every row from a model fitted without its outlet."""
    label_array = np.asarray(labels, dtype=object)
    result = np.zeros((len(label_array), len(classes)))
    for train, test in grouped_folds(groups, folds=folds):
        model = _fit_raw(
            features[train], label_array[train], task=task, names=names, classes=classes, c=c
        )
        result[test] = model.predict_proba(features[test])
    return result


def _temperature(probabilities: np.ndarray, labels: Sequence[str], classes: Sequence[str]) -> float:
    """The temperature that minimises the log-loss of out-of-fold probabilities."""
    index = np.array([list(classes).index(label) for label in labels])
    logits = np.log(np.clip(probabilities, 1e-12, 1.0))
    losses = [
        -np.log(_softmax(logits / t)[np.arange(len(index)), index] + 1e-12).mean()
        for t in _TEMPERATURES
    ]
    return float(_TEMPERATURES[int(np.argmin(losses))])


def fit_label_model(
    features: np.ndarray,
    labels: Sequence[str],
    groups: Sequence[str],
    *,
    task: str,
    names: Sequence[str],
    classes: Sequence[str],
    c: float,
    threshold: float,
    folds: int = 5,
) -> tuple[LabelModel, np.ndarray]:
    """Fit a task's combination on every row, calibrated on grouped out-of-fold predictions.

    Parameters
    ----------
    features : numpy.ndarray
        One row per article, one column per name in ``names``.
    labels : sequence of str
        Each article's label, one of ``classes``.
    groups : sequence of str
        Each article's outlet: no outlet is on both sides of a fold.
    task, names, classes
        What the model is for, its feature names and its labels in order.
    c : float
        Inverse L2 regularisation strength.
    threshold : float
        Below this largest probability the label is :data:`UNCERTAIN`.

    Returns
    -------
    model : LabelModel
    out_of_fold : numpy.ndarray
        The calibrated out-of-fold probabilities the temperature was chosen on
        (what an honest evaluation scores).
    """
    unknown = sorted(set(labels) - set(classes))
    if unknown:
        raise ValueError(f"{task}: labels {', '.join(unknown)} are not among {list(classes)}")
    raw = out_of_fold(
        features, labels, groups, task=task, names=names, classes=classes, c=c, folds=folds
    )
    temperature = _temperature(raw, labels, classes)
    logits = np.log(np.clip(raw, 1e-12, 1.0))
    model = _fit_raw(features, labels, task=task, names=names, classes=classes, c=c)
    calibrated = LabelModel(
        task,
        model.features,
        model.classes,
        model.mean,
        model.scale,
        model.coef,
        model.intercept,
        temperature,
        threshold,
    )
    return calibrated, _softmax(logits / temperature)


def save_label_models(
    models: Mapping[str, LabelModel], path: Path | str, *, parameters: Mapping[str, Any]
) -> None:
    """Write the task models as one JSON document (with ``format_version``)."""
    document = {
        "format_version": FORMAT_VERSION,
        "parameters": dict(parameters),
        "models": {task: model.as_dict() for task, model in models.items()},
    }
    Path(path).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


def _error(path: Path, problem: str) -> LabelModelError:
    return LabelModelError(f"{path}: {problem}; rebuild it with `{TRAIN_COMMAND}`")


def load_label_models(path: Path | str = LABEL_MODELS_FILE) -> dict[str, LabelModel]:
    """Read the task models written by :func:`save_label_models`.

    Raises
    ------
    LabelModelError
        Naming the file and the command that rebuilds it, if the file is
        missing, not JSON, of another ``format_version`` or lacks a field.
    """
    file = Path(path)
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _error(file, "the label model file is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _error(file, f"the label model file cannot be read ({err})") from None
    if not isinstance(document, dict) or document.get("format_version") != FORMAT_VERSION:
        version = document.get("format_version") if isinstance(document, dict) else None
        raise _error(file, f"format version {version!r}, this code reads {FORMAT_VERSION}")
    models: dict[str, LabelModel] = {}
    try:
        for task, values in document["models"].items():
            features = tuple(str(f) for f in values["features"])
            classes = tuple(str(c) for c in values["classes"])
            coef = np.asarray(values["coef"], dtype=np.float64).reshape(len(classes), len(features))
            models[task] = LabelModel(
                str(values["task"]),
                features,
                classes,
                np.asarray(values["mean"], dtype=np.float64).reshape(len(features)),
                np.asarray(values["scale"], dtype=np.float64).reshape(len(features)),
                coef,
                np.asarray(values["intercept"], dtype=np.float64).reshape(len(classes)),
                float(values["temperature"]),
                float(values["threshold"]),
                str(values.get("system", "learned")),
            )
            if models[task].system not in SYSTEMS:
                raise ValueError(f"system {models[task].system!r} is none of {list(SYSTEMS)}")
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise _error(file, f"the label model file is damaged ({err!r})") from None
    return models
