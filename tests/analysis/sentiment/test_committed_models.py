"""The committed models load and give the predictions recorded when they were trained.

The sentences are hand-written. A recorded prediction is what the model said, not the
truth: two are wrong, and kept so that a retrained model that fixes them shows up here.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from analysis.sentiment import load_sentiment_model
from analysis.sentiment.training import MANIFEST_FILE, MODELS_DIR, model_path

ENGLISH = [
    # sentence, mention, label, probabilities (negative, neutral, positive)
    (
        "Voters praised Smith for fixing the bridges.",
        "Smith",
        "positive",
        (0.019104, 0.071291, 0.909605),
    ),
    (
        "Critics accused Smith of lying about the budget.",
        "Smith",
        "negative",
        (0.986116, 0.013395, 0.000489),
    ),
    ("Smith will visit Ohio on Tuesday.", "Smith", "neutral", (0.004346, 0.899277, 0.096377)),
    (
        "The senator thanked Jones but blamed Brown for the delay.",
        "Jones",
        "positive",
        (0.109373, 0.120048, 0.77058),
    ),
    # Wrong: Brown is blamed. The sentence's praise of Jones outweighs it.
    (
        "The senator thanked Jones but blamed Brown for the delay.",
        "Brown",
        "positive",
        (0.265253, 0.072882, 0.661865),
    ),
]

RUSSIAN = [
    (
        "Оппозиция резко раскритиковала Путина за провал реформы.",
        "Путина",
        "negative",
        (0.892526, 0.005325, 0.102148),
    ),
    (
        "Эксперты высоко оценили вклад Путина в переговоры.",
        "Путина",
        "positive",
        (0.215062, 0.071487, 0.713451),
    ),
    # Wrong: a neutral report. pn_bias favours the polar classes (for F1_PN).
    ("Путин прилетел в Сочи во вторник.", "Путин", "negative", (0.475347, 0.324503, 0.200149)),
    (
        "Журналисты обвинили Иванова в коррупции.",
        "Иванова",
        "negative",
        (0.900989, 0.069151, 0.029859),
    ),
]


@pytest.mark.parametrize(("language", "cases"), [("en", ENGLISH), ("ru", RUSSIAN)])
def test_the_committed_model_reproduces_its_recorded_predictions(language, cases):
    model = load_sentiment_model(language)
    sentences = [sentence for sentence, *_ in cases]
    spans = [(s.index(m), s.index(m) + len(m)) for s, m, *_ in cases]
    assert model.predict_labels(sentences, spans) == [label for _, _, label, _ in cases]
    for row, (*_, expected) in zip(model.predict(sentences, spans), cases, strict=True):
        assert row.tolist() == pytest.approx(expected, abs=2e-6)


def test_the_manifest_describes_the_committed_files():
    manifest = json.loads((MODELS_DIR / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert sorted(manifest["models"]) == ["en", "ru"]
    for language, entry in manifest["models"].items():
        path = model_path(language)
        assert entry["file"] == path.name
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["params"] == json.loads(json.dumps(entry["params"]))
        assert {"rw-test", "mt-test"} <= set(entry["scores"]) or language == "ru"
    assert "validation_labeled" in manifest["models"]["ru"]["scores"]


def test_a_language_without_a_model_is_a_value_error():
    with pytest.raises(ValueError, match="no sentiment model for language 'de'; there are: en, ru"):
        load_sentiment_model("de")
