"""Benchmark scores of a sentiment model beside the plain baseline trained in the same run.

NewsMTSC is scored by macro-F1 over the three classes, RuSentNE-2023 by F1_PN (the mean
F1 of the negative and positive classes, neutral still counting as an error); both are
given for both. ``narratives evaluate --benchmark`` prints :func:`render_benchmark`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.sentiment.datasets import (
    BENCHMARKS,
    CLASSES,
    TargetedSentence,
    labels_of,
    read_split,
)
from analysis.sentiment.model import SentimentModel, train_baseline

__all__ = [
    "BenchmarkResult",
    "Scores",
    "SplitResult",
    "evaluate_benchmark",
    "render_benchmark",
    "render_benchmark_json",
    "score",
]


@dataclass(frozen=True)
class Scores:
    """F1 of each class (in :data:`CLASSES` order), macro-F1, F1_PN and the count scored."""

    f1: tuple[float, float, float]
    macro_f1: float
    f1_pn: float
    n: int

    def as_dict(self) -> dict[str, float | int]:
        record: dict[str, float | int] = {
            f"f1_{name}": round(value, 4) for name, value in zip(CLASSES, self.f1, strict=True)
        }
        record.update(macro_f1=round(self.macro_f1, 4), f1_pn=round(self.f1_pn, 4), n=self.n)
        return record


def score(model: SentimentModel, examples: Sequence[TargetedSentence]) -> Scores:
    """Score ``model``'s most probable class against the labels of ``examples``."""
    truth = np.array([CLASSES.index(label) for label in labels_of(examples)])
    predicted = model.predict(
        [e.sentence for e in examples], [(e.start, e.end) for e in examples]
    ).argmax(axis=1)
    # Imported here: loading a model to label sentences does not load scikit-learn.
    from sklearn.metrics import f1_score

    per_class = f1_score(truth, predicted, labels=[0, 1, 2], average=None, zero_division=0)
    return Scores(
        f1=(float(per_class[0]), float(per_class[1]), float(per_class[2])),
        macro_f1=float(np.mean(per_class)),
        f1_pn=float((per_class[0] + per_class[2]) / 2),
        n=len(examples),
    )


@dataclass(frozen=True)
class SplitResult:
    """The model's and the baseline's scores on one report split."""

    split: str
    model: Scores
    baseline: Scores


@dataclass(frozen=True)
class BenchmarkResult:
    """What :func:`evaluate_benchmark` measured."""

    benchmark: str
    language: str
    model_path: str
    train_examples: int
    splits: tuple[SplitResult, ...]


def evaluate_benchmark(
    benchmark: str, data_dir: Path | str, model: SentimentModel, *, model_path: str = ""
) -> BenchmarkResult:
    """Score ``model`` on the report splits of ``benchmark`` in ``data_dir``.

    The baseline (TF-IDF word 1-2-grams of the masked sentence, logistic regression) is
    trained here on the benchmark's training split, so both are measured in one run.
    """
    spec = BENCHMARKS[benchmark]
    if model.language != spec.language:
        raise ValueError(
            f"{benchmark} is in {spec.language!r} but the model was trained on {model.language!r}"
        )
    reports = {split: read_split(data_dir, benchmark, split) for split in spec.report}
    train = read_split(data_dir, benchmark, spec.train)
    baseline = train_baseline(spec.language, train)
    return BenchmarkResult(
        benchmark=benchmark,
        language=spec.language,
        model_path=model_path,
        train_examples=len(train),
        splits=tuple(
            SplitResult(split, score(model, examples), score(baseline, examples))
            for split, examples in reports.items()
        ),
    )


def render_benchmark(result: BenchmarkResult) -> str:
    """Plain-text report: per split, the model's and the baseline's scores and differences."""
    lines = [
        f"{result.benchmark} ({result.language}): model {result.model_path or '(given)'}; "
        f"baseline TF-IDF + logistic regression trained in this run on "
        f"{result.train_examples} targets",
        f"{'split':20} {'who':9} {'n':>5}  F1 neg/neu/pos       macro-F1  F1_PN",
    ]
    for split in result.splits:
        for who, scores in (("model", split.model), ("baseline", split.baseline)):
            per_class = "/".join(f"{value:.3f}" for value in scores.f1)
            lines.append(
                f"{split.split:20} {who:9} {scores.n:5d}  {per_class:19}  "
                f"{scores.macro_f1:8.3f}  {scores.f1_pn:5.3f}"
            )
        lines.append(
            f"{'':20} {'model-bl':9} {'':5}  {'':19}  "
            f"{split.model.macro_f1 - split.baseline.macro_f1:+8.3f}  "
            f"{split.model.f1_pn - split.baseline.f1_pn:+5.3f}"
            f"  (ratio {_ratio(split.model.macro_f1, split.baseline.macro_f1)} / "
            f"{_ratio(split.model.f1_pn, split.baseline.f1_pn)})"
        )
    return "\n".join(lines)


def render_benchmark_json(result: BenchmarkResult) -> str:
    """One JSON object a line, one per report split."""
    lines = []
    for split in result.splits:
        model, baseline = split.model.as_dict(), split.baseline.as_dict()
        record: dict[str, object] = {"benchmark": result.benchmark, "split": split.split}
        record.update(model)
        record.update({f"baseline_{key}": value for key, value in baseline.items() if key != "n"})
        record["macro_f1_difference"] = round(split.model.macro_f1 - split.baseline.macro_f1, 4)
        record["f1_pn_difference"] = round(split.model.f1_pn - split.baseline.f1_pn, 4)
        record["model"] = result.model_path
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines)


def _ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}" if reference else "n/a"
