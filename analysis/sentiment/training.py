"""Rebuild the committed sentiment models from a datasets folder, with their manifest.

English is trained on NewsMTSC ``rw-train``; its recipe was chosen on ``rw-dev`` and
``mt-dev``, and ``rw-test`` / ``mt-test`` are only reported. Russian is trained on
RuSentNE-2023 ``train.tsv``: 15% of its sentences (all targets of a sentence together,
fixed seed) are held out to choose ``pn_bias`` for F1_PN, then the model is refitted on
the whole of ``train.tsv`` with that bias; ``validation_labeled.tsv`` is only reported.

The manifest (``sentiment_manifest.json`` beside the models) records, per language, the
data files' sha256, the parameters, the training time and the scores of the model and of
the plain baseline on every split.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from analysis import DATA_DIR
from analysis.sentiment.datasets import (
    BENCHMARKS,
    TargetedSentence,
    benchmark_file,
    read_split,
)
from analysis.sentiment.evaluation import score
from analysis.sentiment.model import (
    SentimentModel,
    SentimentParams,
    load_model,
    save_model,
    train_baseline,
    train_model,
)

__all__ = [
    "LANGUAGES",
    "MANIFEST_FILE",
    "MODELS_DIR",
    "RECIPES",
    "load_sentiment_model",
    "model_path",
    "train_language",
    "train_models",
]

MODELS_DIR = DATA_DIR / "models"
"""Where the committed models and their manifest are."""

MANIFEST_FILE = "sentiment_manifest.json"

RECIPES = {
    "en": SentimentParams(),
    "ru": SentimentParams(char=False, charwin=True, stem=True),
}
"""The parameters per language (``pn_bias`` aside, which training chooses for Russian)."""

LANGUAGES = {"en": "newsmtsc", "ru": "rusentne"}
"""The benchmark each language's model is trained on."""

PN_BIAS_CHOICES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4)
HOLDOUT_SHARE = 0.15
SEED = 0
_HOLDOUT_SEED = 13


def model_path(language: str, models_dir: Path | str = MODELS_DIR) -> Path:
    """The file of the model for ``language`` ("en" or "ru") in ``models_dir``."""
    if language not in LANGUAGES:
        raise ValueError(
            f"no sentiment model for language {language!r}; there are: {', '.join(LANGUAGES)}"
        )
    return Path(models_dir) / f"sentiment_{language}.npz"


def load_sentiment_model(language: str, models_dir: Path | str = MODELS_DIR) -> SentimentModel:
    """The committed model for ``language`` (see :func:`analysis.sentiment.model.load_model`)."""
    return load_model(model_path(language, models_dir))


@dataclass(frozen=True)
class TrainedLanguage:
    """One language's model and what its manifest entry records."""

    model: SentimentModel
    record: dict[str, Any]


def _holdout(
    examples: Sequence[TargetedSentence],
) -> tuple[list[TargetedSentence], list[TargetedSentence]]:
    """Split off ``HOLDOUT_SHARE`` of the sentences, with all their targets."""
    sentences = sorted({e.sentence for e in examples})
    random.Random(_HOLDOUT_SEED).shuffle(sentences)
    held = set(sentences[: round(HOLDOUT_SHARE * len(sentences))])
    return [e for e in examples if e.sentence not in held], [
        e for e in examples if e.sentence in held
    ]


def _choose_pn_bias(model: SentimentModel, held_out: Sequence[TargetedSentence]) -> float:
    """The bias of :data:`PN_BIAS_CHOICES` with the best F1_PN on ``held_out`` (ties: smallest)."""
    return max(PN_BIAS_CHOICES, key=lambda b: (score(model.with_pn_bias(b), held_out).f1_pn, -b))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def train_language(
    language: str,
    data_dir: Path | str,
    *,
    limit: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> TrainedLanguage:
    """Train ``language``'s model from ``data_dir`` and score it and the baseline.

    ``limit`` trains on the first ``limit`` training examples only (a quick check of the
    recipe, not a model to commit); every other split is still scored in full.
    """
    model_path(language)  # a clear error for a language without a model
    benchmark = LANGUAGES[language]
    spec = BENCHMARKS[benchmark]
    files = {split: benchmark_file(data_dir, benchmark, split) for split in spec.splits}
    train = read_split(data_dir, benchmark, spec.train)[:limit]
    splits = {split: read_split(data_dir, benchmark, split) for split in spec.choice + spec.report}
    params = RECIPES[language]
    chosen: dict[str, Any] = {}
    if not spec.choice:
        fit_part, held_out = _holdout(train)
        progress(f"{language}: choosing pn_bias on {len(held_out)} held-out targets")
        trial = train_model(language, fit_part, params=params, seed=SEED)
        bias = _choose_pn_bias(trial, held_out)
        chosen = {"pn_bias": bias, "held_out_targets": len(held_out)}
        params = SentimentParams.from_dict({**asdict(params), "pn_bias": bias})
        trial_scores = score(trial.with_pn_bias(bias), held_out).as_dict()
    progress(f"{language}: training on {len(train)} targets")
    started = time.perf_counter()
    model = train_model(language, train, params=params, seed=SEED)
    seconds = time.perf_counter() - started
    baseline = train_baseline(language, train, seed=SEED)
    scores = {split: score(model, examples).as_dict() for split, examples in splits.items()}
    baseline_scores = {
        split: score(baseline, examples).as_dict() for split, examples in splits.items()
    }
    if chosen:
        scores = {f"{spec.train}-holdout (choice)": trial_scores, **scores}
    record = {
        "benchmark": benchmark,
        "data_files": {f"{spec.folder}/{path.name}": _sha256(path) for path in files.values()},
        "train_split": spec.train,
        "train_examples": len(train),
        "choice_splits": list(spec.choice) or [f"{spec.train} holdout"],
        "report_splits": list(spec.report),
        "params": asdict(params),
        "chosen_on_choice_data": chosen,
        "seed": SEED,
        "features": int(model.coef.shape[1]),
        "train_seconds": round(seconds, 1),
        "scores": scores,
        "baseline_scores": baseline_scores,
    }
    return TrainedLanguage(model, record)


def train_models(
    data_dir: Path | str,
    out_dir: Path | str = MODELS_DIR,
    *,
    languages: Sequence[str] = tuple(LANGUAGES),
    limit: int | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Train each language's model, write it and the manifest to ``out_dir``; return the manifest.

    Entries of other languages already in the manifest are kept.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST_FILE
    manifest: dict[str, Any] = {"models": {}}
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for language in languages:
        trained = train_language(language, data_dir, limit=limit, progress=progress)
        path = model_path(language, out)
        save_model(trained.model, path)
        load_model(path)
        manifest["models"][language] = {
            "file": path.name,
            "sha256": _sha256(path),
            "size_bytes": path.stat().st_size,
            "date": date.today().isoformat(),
            **trained.record,
        }
        progress(f"{language}: wrote {path}")
    manifest["command"] = "narratives train --data DATASETS_DIR"
    manifest_path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest
