"""The recipe retrained on a small slice of the real benchmarks, so it cannot rot.

The datasets are read from ``../shared/datasets`` beside the repository (where CI has
them), or from ``$NARRATIVES_DATASETS``; without them these tests are skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from analysis.sentiment.datasets import read_split
from analysis.sentiment.evaluation import score
from analysis.sentiment.model import load_model, save_model, train_baseline, train_model
from analysis.sentiment.training import RECIPES

DATASETS = Path(
    os.environ.get("NARRATIVES_DATASETS")
    or Path(__file__).resolve().parents[3] / ".." / "shared" / "datasets"
)

pytestmark = pytest.mark.skipif(
    not (DATASETS / "newsmtsc").is_dir() or not (DATASETS / "rusentne2023").is_dir(),
    reason=f"no benchmark datasets at {DATASETS} (set NARRATIVES_DATASETS to a datasets folder)",
)


def test_english_recipe_on_a_slice_beats_the_baseline_and_survives_a_round_trip(tmp_path):
    train = read_split(DATASETS, "newsmtsc", "rw-train")[:600]
    dev = read_split(DATASETS, "newsmtsc", "rw-dev")
    model = train_model("en", train, params=RECIPES["en"])
    baseline = train_baseline("en", train)
    assert score(model, dev).macro_f1 > score(baseline, dev).macro_f1
    assert score(model, dev).macro_f1 > 0.45
    save_model(model, tmp_path / "en.npz")
    sentences, spans = [e.sentence for e in dev], [(e.start, e.end) for e in dev]
    reloaded = load_model(tmp_path / "en.npz").predict(sentences, spans)
    assert np.array_equal(reloaded, model.predict(sentences, spans))


def test_russian_recipe_on_a_slice_beats_the_baseline():
    targets = read_split(DATASETS, "rusentne", "train")
    train, held_out = targets[:600], targets[-400:]
    model = train_model("ru", train, params=RECIPES["ru"])
    baseline = train_baseline("ru", train)
    assert score(model, held_out).f1_pn > score(baseline, held_out).f1_pn
    assert score(model, held_out).macro_f1 > score(baseline, held_out).macro_f1
    assert score(model, held_out).f1_pn > 0.15
