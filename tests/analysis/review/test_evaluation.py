"""The evaluation on the frozen labels: exact figures, baselines, overrides as labels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.review.evaluation import evaluate, render_evaluation, sentiment_score
from analysis.review.hand_labels import load_labels
from analysis.review.overrides import save_override

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
BLOG = "robinwestenra-blog-2016-07-15-putin-kerry-talks-fail"


def _summary(evaluation, task: str, level: str) -> dict[str, list[float]]:
    table = evaluation.summary
    rows = table[(table["task"] == task) & (table["level"] == level)]
    return {
        system: [items, round(accuracy, 3), round(macro, 3), round(semeval, 3)]
        for system, items, accuracy, macro, semeval in rows[
            ["system", "items", "accuracy", "macro_f1", "semeval_f1"]
        ].values
    }


def test_frozen_figures_are_pinned():
    evaluation = evaluate(CORPUS)
    stance_articles = _summary(evaluation, "stance", "article")
    assert stance_articles["rules"] == [8, 0.875, 0.619, 0.429]
    assert stance_articles["majority"] == [8, 0.5, 0.167, 0.0]
    assert stance_articles["sentiment"] == [8, 0.625, 0.389, 0.583]
    stance_sentences = _summary(evaluation, "stance", "sentence")
    assert stance_sentences["rules"] == [168, 0.899, 0.483, 0.321]
    assert stance_sentences["majority"] == [168, 0.863, 0.253, 0.0]
    assert stance_sentences["sentiment"] == [168, 0.821, 0.299, 0.12]
    outcome_articles = _summary(evaluation, "outcome", "article")
    assert [v for v in outcome_articles["rules"][:3]] == [2, 1.0, 1.0]
    assert outcome_articles["majority"][:3] == [2, 0.5, 0.333]
    outcome_sentences = _summary(evaluation, "outcome", "sentence")
    assert outcome_sentences["rules"][:3] == [42, 0.833, 0.676]


def test_the_frozen_disagreement_is_the_blog_on_russia():
    items = evaluate(CORPUS).items
    wrong = items[(items["level"] == "article") & (items["gold"] != items["rules"])]
    assert wrong[["article_id", "target", "gold", "rules"]].values.tolist() == [
        [BLOG, "russia", "favorable", "unfavorable"]
    ]


def test_frozen_and_tuning_hold_different_outlets():
    labels = load_labels(CORPUS)
    outlets = labels.assign(outlet=labels["article_id"].str.split("-20").str[0])
    frozen = set(outlets[outlets["split"] == "frozen"]["outlet"])
    tuning = set(outlets[outlets["split"] == "tuning"]["outlet"])
    assert frozen == {"osw", "robinwestenra-blog"}
    assert not frozen & tuning


def test_report_prints_each_task_and_the_semeval_score():
    report = render_evaluation(evaluate(CORPUS))
    assert report.startswith("Evaluation on the frozen split (rules before overrides)\n")
    assert "stance — article level (8 items)" in report
    assert "  rules         0.875    0.619    0.429" in report
    assert "  rules      unfavorable                  0.750   1.000  0.857       3" in report


def test_overrides_count_as_labels(tmp_path: Path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    save_override(
        corpus, article_id=BLOG, target="russia", label="unfavorable", who="Ann", note="test"
    )
    figures = _summary(evaluate(corpus), "stance", "article")
    assert figures["rules"][:2] == [8, 1.0]


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="split must be one of"):
        evaluate(CORPUS, split="dev")


def test_sentiment_baseline_ignores_targets():
    assert sentiment_score("Putin won a great victory; the West failed.") == 2
