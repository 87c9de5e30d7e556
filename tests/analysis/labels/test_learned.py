from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus.articles import load_corpus
from analysis.labels.combination import (
    LABEL_MODELS_FILE,
    UNCERTAIN,
    LabelModel,
    LabelModelError,
    load_label_models,
    save_label_models,
)
from analysis.labels.document import build_document
from analysis.labels.learned import learned_stance_and_outcome
from analysis.labels.quotes import Quotation
from analysis.labels.signals import article_signals, target_features
from analysis.labels.sources import article_quotations
from analysis.review.label_evaluation import choose_system
from analysis.sentiment import load_sentiment_model
from analysis.text.cleaning import clean_articles


def _signals(language: str, title: str, text: str, quotes=()):
    document = build_document(
        "a",
        language,
        title,
        text,
        quotations=[Quotation(s, e, text[s:e], "direct", who, "", "") for s, e, who in quotes],
    )
    return article_signals([document], load_model=load_sentiment_model)[0]


def test_a_russian_sentence_with_an_inflected_name_is_read_by_the_russian_model():
    text = "Оппозиция резко раскритиковала Путина за войну."
    signals = _signals("ru", "", text)
    assert signals.supported
    (mention,) = signals.mentions
    assert mention.target == "russia"
    assert text[mention.mention_start : mention.mention_end] == "Путина"
    assert mention.voice == "outlet"
    assert mention.negative + mention.neutral + mention.positive == pytest.approx(1.0)


def test_a_quotation_is_the_speakers_sentiment_not_the_outlets():
    text = 'Kerry met officials on Monday. "Russia is a brutal aggressor," said Smith.'
    start = text.index('"')
    quote = (start, text.index('"', start + 1) + 1, "Smith")
    signals = _signals("en", "", text, [quote])
    (mention,) = [m for m in signals.mentions if m.target == "russia"]
    assert mention.voice == "Smith"
    features = target_features(signals, "russia", {})
    assert features[0] == 0.0  # outlet-voice polarity: the quotation does not count


def _flat_model(threshold: float) -> LabelModel:
    return LabelModel(
        "stance_russia",
        ("x",),
        ("favorable", "unfavorable", "neutral"),
        np.zeros(1),
        np.ones(1),
        np.array([[1.0], [-1.0], [0.0]]),
        np.zeros(3),
        1.0,
        threshold,
    )


def test_an_article_below_the_threshold_is_uncertain_not_forced():
    labels, best = _flat_model(0.5).decide(np.array([[0.0], [3.0]]))
    assert labels == [UNCERTAIN, "favorable"]
    assert best[0] == pytest.approx(1 / 3)


def test_an_unsupported_language_is_said_so_and_never_guessed():
    articles = pd.DataFrame(
        {
            "id": ["fr-1"],
            "language": ["fr"],
            "title": ["Poutine reçoit Kerry"],
            "meetings": [("2015-05-sochi",)],
        }
    )
    cleaned = pd.DataFrame({"id": ["fr-1"], "text_clean": ["Poutine a reçu Kerry à Sotchi."]})
    quotes = pd.DataFrame(columns=["article_id", "start", "end", "speaker"])
    stance, outcome, _ = learned_stance_and_outcome(articles, cleaned, quotes=quotes)
    russia = stance[stance["target"] == "russia"].iloc[0]
    assert (russia["label"], russia["model"]) == ("unsupported language", "learned")
    assert np.isnan(russia["probability"])
    assert outcome.iloc[0]["label"] == "unsupported language"


def test_the_committed_model_reproduces_recorded_probabilities():
    models = load_label_models()
    assert sorted(models) == ["outcome", "stance_russia", "stance_us_west"]
    row = np.array([[-1.0, -0.5, 0.0, 0.0, 0.7, 0.5, 0.0, 0.0]])
    assert models["stance_russia"].predict_proba(row).round(4).tolist() == RECORDED


RECORDED = [[0.196, 0.3807, 0.4233]]


def test_a_damaged_model_file_names_itself_and_the_command(tmp_path: Path):
    path = tmp_path / "labels.json"
    path.write_text('{"format_version": 99}', encoding="utf-8")
    with pytest.raises(LabelModelError, match=r"labels\.json: format version 99.*narratives train"):
        load_label_models(path)
    with pytest.raises(LabelModelError, match=r"missing.*narratives train --devset"):
        load_label_models(tmp_path / "none.json")


_TEXTS = {
    "Putin praised": "Putin won a brilliant, admirable victory, and Putin deserves praise.",
    "Putin condemned": "Putin committed a brutal, shameful crime, and Putin is to blame.",
    "Putin met": "Putin met Kerry in Moscow on Tuesday to discuss Syria.",
}


def test_evaluate_on_a_tiny_devset_prints_exact_figures(tmp_path: Path, capsys):
    articles, labels = [], []
    kinds = [("Putin praised", "favorable"), ("Putin condemned", "unfavorable")]
    kinds += [("Putin met", "neutral")] * 2
    for outlet in ("A", "B", "C"):
        for number, (kind, stance) in enumerate(kinds):
            url = f"https://{outlet.lower()}.example/{number}"
            articles.append({"url": url, "text": _TEXTS[kind]})
            labels.append(
                {
                    "url": url,
                    "outlet": outlet,
                    "language": "en",
                    "title": kind,
                    "meeting": "M2",
                    "stance_russia": stance,
                    "stance_us_west": "neutral",
                    "outcome_frame": "neutral_report",
                }
            )
    devset, labels_file = tmp_path / "articles.jsonl", tmp_path / "labels.jsonl"
    devset.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    labels_file.write_text("\n".join(json.dumps(row) for row in labels) + "\n", encoding="utf-8")
    status = main(
        [
            "evaluate",
            "--devset",
            str(devset),
            "--labels",
            str(labels_file),
            "--corpus",
            str(tmp_path),
            "--json",
        ]
    )
    assert status == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["articles"], result["outlets"], result["meeting_unsupported"]) == (12, 3, 0)
    russia = result["tasks"]["stance_russia"]
    assert russia["majority"]["macro_f1"] == pytest.approx(0.2222, abs=1e-4)
    assert {k: russia["model"][k] for k in ("macro_f1", "semeval_f", "coverage")} == EXPECTED


EXPECTED = {"macro_f1": 1.0, "semeval_f": 1.0, "coverage": 1.0}


def test_a_simpler_system_replaces_the_model_only_where_the_bootstrap_supports_it():
    classes = ("favorable", "unfavorable", "neutral")
    gold = ["favorable"] * 10 + ["unfavorable"] * 10 + ["neutral"] * 20
    wrong = ["neutral"] * 40
    # The rules are right everywhere, the model nowhere but on neutral: rules, always.
    chosen, support = choose_system(
        gold, {"model": wrong, "rules": gold, "rules_else_model": wrong}, classes
    )
    assert (chosen, support) == ("rules", {"rules": 1.0, "rules_else_model": 0.0})
    # One article better out of forty is not enough to replace the model.
    one_better = ["favorable"] + ["neutral"] * 39
    chosen, support = choose_system(
        gold, {"model": wrong, "rules": wrong, "rules_else_model": one_better}, classes
    )
    assert chosen == "model"
    assert 0.5 < support["rules_else_model"] < 0.9
    assert support["rules"] == 0.0


def test_rules_else_learned_keeps_the_rules_where_they_read_the_language(tmp_path: Path):
    models = {
        task: replace(model, system="rules, else learned")
        for task, model in load_label_models().items()
    }
    path = tmp_path / "labels.json"
    save_label_models(models, path, parameters={})
    articles = pd.DataFrame(
        {
            "id": ["en-1", "ru-1"],
            "language": ["en", "ru"],
            "title": ["", ""],
            "meetings": [("2015-05-sochi",), ("2015-05-sochi",)],
        }
    )
    cleaned = pd.DataFrame(
        {
            "id": ["en-1", "ru-1"],
            "text_clean": [
                "Putin met Kerry in Sochi on Tuesday.",
                "Путин встретился с Керри в Сочи во вторник.",
            ],
        }
    )
    quotes = pd.DataFrame(columns=["article_id", "start", "end", "speaker"])
    stance, _, _ = learned_stance_and_outcome(articles, cleaned, quotes=quotes, models_file=path)
    russia = stance[stance["target"] == "russia"].set_index("article_id")
    assert russia.loc["en-1", "model"] == "rules"
    assert russia.loc["en-1", "label"] == russia.loc["en-1", "rules_label"]
    assert russia.loc["ru-1", "rules_label"] == "unsupported language"
    assert russia.loc["ru-1", "model"] == "learned"
    assert 0.0 < russia.loc["ru-1", "probability"] <= 1.0


def test_a_model_file_naming_an_unknown_system_is_refused(tmp_path: Path):
    document = json.loads(LABEL_MODELS_FILE.read_text(encoding="utf-8"))
    document["models"]["outcome"]["system"] = "oracle"
    path = tmp_path / "labels.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(LabelModelError, match=r"labels\.json.*'oracle'.*narratives train"):
        load_label_models(path)


BLOG = "robinwestenra-blog-2016-07-15-putin-kerry-talks-fail"
SOCHI = "euromaidan-press-2015-05-12-why-is-putin-meeting-with-kerry"
MOSCOW = "euromaidan-press-2015-12-19-putin-got-what-he-really-wanted-from-kerry-meeting"
MCU = "mcu-times-2022-01-the-west-has-a-rare-window-to-put-putin-in-his-place"
SEED_LABELS = {
    (BLOG, "russia"): "favorable",
    (BLOG, "us_west"): "unfavorable",
    (SOCHI, "russia"): "unfavorable",
    (MOSCOW, "russia"): "unfavorable",
    (MCU, "russia"): "unfavorable",
    (MCU, "us_west"): "favorable",
}


def test_the_seeds_get_the_labels_a_careful_reader_gives_with_evidence_in_that_direction():
    corpus = load_corpus(Path(__file__).resolve().parents[3] / "corpus")
    cleaned, _ = clean_articles(corpus.articles)
    quotes = article_quotations(corpus.articles, cleaned)
    stance, _, evidence = learned_stance_and_outcome(corpus.articles, cleaned, quotes=quotes)
    given = stance.set_index(["article_id", "target"])["label"]
    assert {key: given[key] for key in SEED_LABELS} == SEED_LABELS
    # Each label is backed by a sentence in the outlet's voice that points its way.
    in_voice = evidence[(evidence["voice"] == "outlet") & (evidence["analysis"] == "stance")]
    for (article, target), label in SEED_LABELS.items():
        rows = in_voice[(in_voice["article_id"] == article) & (in_voice["target"] == target)]
        assert label in set(rows["label"]), (article, target)
