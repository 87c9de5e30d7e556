from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.sentiment.datasets import TargetedSentence
from analysis.sentiment.features import split_pair, view_features, window_text
from analysis.sentiment.model import (
    ModelFileError,
    SentimentParams,
    load_model,
    save_model,
    train_baseline,
    train_model,
)
from tests.analysis.sentiment.handmade import english_examples, russian_examples


@pytest.fixture(scope="module")
def english_model():
    return train_model("en", english_examples())


def test_split_pair_stems_russian_context_but_keeps_the_inflected_mention():
    sentence = "Министр не поддержал Путина на переговорах."
    left, mention, right = split_pair(sentence, 21, 27, language="ru", stem=True, negation=True)
    assert left == ["министр", "не", "NOT_поддержа"]
    assert mention == ["путина"]
    assert right == ["NOT_на", "NOT_переговор", "."]


def test_negation_scope_ends_at_punctuation_and_skips_the_target():
    left, _, right = split_pair(
        "Voters did not trust Smith, but liked Jones.",
        21,
        26,
        language="en",
        stem=False,
        negation=True,
    )
    assert left == ["voters", "did", "not", "NOT_trust"]
    assert right == [",", "but", "liked", "jones", "."]


def test_window_view_weights_words_by_distance_and_tags_sides():
    features = dict(view_features("win", ["a", "b"], ["x"], ["c"], window=1))
    assert features == {
        "l|b": 1.0,
        "*|b": 1.0,
        "r|c": 1.0,
        "*|c": 1.0,
        "b|b tgt": 1.0,
        "b|tgt c": 1.0,
        "p-1|b": 1.0,
        "p-2|a": 1.0,
        "p1|c": 1.0,
    }


def test_window_text_masks_the_mention_within_the_character_window():
    assert window_text("Critics slammed Smith yesterday.", 16, 21, 8) == "slammed  tgt  yesterd"


def test_the_model_learns_the_planted_verbs(english_model):
    sentences = [
        "The senator praised Brown on Monday.",
        "Critics condemned Brown on Monday.",
        "The mayor visited Brown on Monday.",
    ]
    spans = [(20, 25), (18, 23), (18, 23)]
    probabilities = english_model.predict(sentences, spans)
    assert probabilities.shape == (3, 3)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert english_model.predict_labels(sentences, spans) == ["positive", "negative", "neutral"]


def test_a_russian_model_reads_an_inflected_name():
    model = train_model("ru", russian_examples(), params=SentimentParams(stem=True, charwin=True))
    sentences = ["Журналист осудил Путина в понедельник.", "Мэр поддержал Путина в понедельник."]
    assert model.predict_labels(sentences, [(17, 23), (14, 20)]) == ["negative", "positive"]


def test_pn_bias_moves_probability_to_the_polar_classes(english_model):
    pair = (["Voters met Smith on Monday."], [(11, 16)])
    plain = english_model.predict(*pair)[0]
    biased = english_model.with_pn_bias(1.0).predict(*pair)[0]
    assert biased[1] < plain[1]
    assert biased[0] / biased[2] == pytest.approx(plain[0] / plain[2])


def test_the_baseline_learns_the_planted_verbs_too():
    baseline = train_baseline("en", english_examples())
    assert baseline.predict_labels(["Critics blamed Brown on Monday."], [(15, 20)]) == ["negative"]


def test_a_saved_model_predicts_exactly_what_it_did(english_model, tmp_path: Path):
    path = tmp_path / "model.npz"
    save_model(english_model, path)
    loaded = load_model(path)
    sentences = [e.sentence for e in english_examples()]
    spans = [(e.start, e.end) for e in english_examples()]
    assert loaded.params == english_model.params
    assert np.array_equal(loaded.predict(sentences, spans), english_model.predict(sentences, spans))


def test_bad_spans_and_unlabelled_examples_are_value_errors(english_model):
    with pytest.raises(ValueError, match=r"span 0 \(3, 40\) is not a mention inside"):
        english_model.predict(["Smith spoke."], [(3, 40)])
    with pytest.raises(ValueError, match="2 sentences but 1 spans"):
        english_model.predict(["A b.", "C d."], [(0, 1)])
    with pytest.raises(ValueError, match="every example needs a label"):
        train_model("en", [TargetedSentence("Smith spoke.", 0, 5)])


def test_a_missing_model_file_says_what_to_run(tmp_path: Path):
    with pytest.raises(ModelFileError, match=r"absent\.npz: the sentiment model file is missing; "):
        load_model(tmp_path / "absent.npz")
    with pytest.raises(ModelFileError, match=r"run `narratives train --data DATASETS_DIR`"):
        load_model(tmp_path / "absent.npz")


def test_a_corrupt_model_file_names_the_file(tmp_path: Path):
    path = tmp_path / "sentiment_en.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip archive")
    with pytest.raises(ModelFileError, match=r"sentiment_en\.npz: not a readable sentiment model"):
        load_model(path)


def test_a_truncated_model_file_names_the_file(english_model, tmp_path: Path):
    path = tmp_path / "sentiment_en.npz"
    save_model(english_model, path)
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(ModelFileError, match=r"sentiment_en\.npz: not a readable"):
        load_model(path)


def _rewrite_meta(path: Path, **changes: object) -> None:
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    meta.update(changes)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(path, **arrays)


def test_a_model_file_of_another_version_is_refused(english_model, tmp_path: Path):
    path = tmp_path / "sentiment_en.npz"
    save_model(english_model, path)
    _rewrite_meta(path, version=99)
    with pytest.raises(
        ModelFileError, match=r"sentiment_en\.npz: model file format version 99, but this"
    ):
        load_model(path)


def test_an_npz_that_is_not_a_model_is_refused(tmp_path: Path):
    path = tmp_path / "other.npz"
    np.savez_compressed(path, weights=np.zeros(3))
    with pytest.raises(ModelFileError, match=r"other\.npz: not a readable sentiment model file"):
        load_model(path)


def test_a_model_file_with_mismatched_arrays_is_damaged(english_model, tmp_path: Path):
    path = tmp_path / "sentiment_en.npz"
    save_model(english_model, path)
    _rewrite_meta(path, vocabularies={"sent": ["only"]})
    with pytest.raises(ModelFileError, match=r"sentiment_en\.npz: a damaged sentiment model"):
        load_model(path)
