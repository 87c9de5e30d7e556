"""Stance toward targets: roles, negation, quotations, languages, overrides, groups."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.corpus.articles import load_corpus
from analysis.labels.evidence import evidence_text
from analysis.labels.stance import stance_by_group, stance_per_article
from analysis.review.overrides import load_overrides, save_override
from analysis.text.cleaning import clean_articles

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
SOCHI = "euromaidan-press-2015-05-12-why-is-putin-meeting-with-kerry"
GOT_WHAT_HE_WANTED = (
    "euromaidan-press-2015-12-19-putin-got-what-he-really-wanted-from-kerry-meeting"
)
OSW = "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"
BLOG = "robinwestenra-blog-2016-07-15-putin-kerry-talks-fail"


def _frames(*texts: str, language: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"a{i}" for i in range(len(texts))]
    articles = pd.DataFrame(
        {"id": ids, "title": "", "language": language, "meetings": "", "outlet_group": "g"}
    )
    cleaned = pd.DataFrame({"id": ids, "text_clean": list(texts)})
    return articles, cleaned


def _labels(text: str, **options: object) -> dict[str, str]:
    articles, cleaned = _frames(text)
    stance, _ = stance_per_article(articles, cleaned, **options)  # type: ignore[arg-type]
    return dict(zip(stance["target"], stance["label"], strict=True))


def test_the_one_who_concedes_loses():
    labels = _labels("Putin conceded.")
    assert labels["russia"] == "unfavorable"
    assert labels["us_west"] == "not mentioned"


def test_conceding_to_someone_helps_them():
    labels = _labels("The West conceded to Putin.")
    assert labels["russia"] == "favorable"
    assert labels["us_west"] == "unfavorable"


def test_achieving_credits_the_agent_in_a_hostile_article():
    articles, cleaned = _frames("Putin is a brutal dictator. Putin achieved what he craves.")
    stance, evidence = stance_per_article(articles, cleaned)
    credit = evidence[evidence["cue_words"] == "achieved"]
    assert credit[["target", "weight"]].to_numpy().tolist() == [["russia", 0.25]]
    assert stance.set_index("target").loc["russia", "label"] == "unfavorable"


def test_negation_flips_both_roles():
    labels = _labels("Putin didn't lose and the West didn't win.")
    assert labels["russia"] == "favorable"
    assert labels["us_west"] == "unfavorable"


def test_a_quotation_is_the_speakers_stance_not_the_outlets():
    articles, cleaned = _frames('"Putin is a brutal dictator," said Kerry.')
    stance, evidence = stance_per_article(articles, cleaned)
    assert stance.set_index("target").loc["russia", "label"] == "neutral"
    quoted = evidence[evidence["target"] == "russia"]
    assert quoted["voice"].tolist() == ["Kerry", "Kerry"]
    assert quoted["weight"].tolist() == [0.0, 0.0]


def test_the_same_words_in_the_outlets_voice_count():
    assert _labels("Putin is a brutal dictator.")["russia"] == "unfavorable"


def test_a_target_never_mentioned_is_not_mentioned():
    articles, cleaned = _frames("Kerry praised the constructive talks.")
    stance, _ = stance_per_article(articles, cleaned)
    row = stance.set_index("target").loc["assad"]
    assert row["label"] == "not mentioned"
    assert np.isnan(row["score"])
    assert row["mentions"] == 0


def test_a_place_is_not_an_actor():
    labels = _labels("The talks in Moscow were long.")
    assert labels["russia"] == "not mentioned"
    assert _labels("Moscow refused.")["russia"] == "unfavorable"


def test_an_article_in_russian_is_unsupported_not_guessed():
    articles, cleaned = _frames("Путин проиграл, Запад победил.", language="ru")
    stance, evidence = stance_per_article(articles, cleaned)
    assert set(stance["label"]) == {"unsupported language"}
    assert evidence.empty


def test_evidence_marks_the_cue_and_gives_offsets():
    text = "Talks ended. Putin conceded."
    articles, cleaned = _frames(text)
    _, evidence = stance_per_article(articles, cleaned)
    row = evidence.iloc[0]
    assert (row["sentence_start"], row["sentence_end"], row["mark_start"], row["mark_end"]) == (
        13,
        28,
        6,
        14,
    )
    assert text[13:28][6:14] == "conceded"
    assert (row["analysis"], row["target"], row["label"]) == ("stance", "russia", "unfavorable")
    assert row["rule"] == "loss verb: agent -> unfavorable"
    shown = evidence_text(articles.assign(text_clean=[text]), evidence).iloc[0]
    assert (shown["sentence"], shown["marked"]) == ("Putin conceded.", "Putin **conceded**.")


def test_overrides_win_and_keep_the_computed_label():
    articles, cleaned = _frames("Putin conceded.")
    overrides = pd.DataFrame(
        [["a0", "russia", "neutral", "reads as irony", "Ann", "2026-11-22"]],
        columns=["article_id", "target", "label", "note", "who", "when"],
    )
    stance, _ = stance_per_article(articles, cleaned, overrides=overrides)
    row = stance.set_index("target").loc["russia"]
    assert (row["label"], row["computed_label"], row["source"]) == (
        "neutral",
        "unfavorable",
        "override",
    )
    assert row["override_note"] == "Ann, 2026-11-22: reads as irony"


def test_inputs_are_not_modified():
    articles, cleaned = _frames("Putin conceded.")
    before = (articles.copy(), cleaned.copy())
    stance_per_article(articles, cleaned)
    pd.testing.assert_frame_equal(articles, before[0])
    pd.testing.assert_frame_equal(cleaned, before[1])


def test_missing_column_is_named():
    articles, cleaned = _frames("Putin conceded.")
    with pytest.raises(ValueError, match="articles is missing column"):
        stance_per_article(articles.drop(columns="language"), cleaned)


def test_small_groups_are_insufficient_evidence():
    texts = ["Putin conceded."] * 4 + ["Putin won."]
    articles, cleaned = _frames(*texts)
    articles = articles.assign(outlet_group=["big"] * 4 + ["small"])
    stance, _ = stance_per_article(articles, cleaned)
    table = stance_by_group(stance, articles, min_articles=2)
    rows = {
        (str(record["group"]), str(record["target"]), str(record["label"])): record
        for record in table.to_dict("records")
    }
    big = rows[("big", "russia", "unfavorable")]
    assert (big["articles"], big["rated"], big["status"]) == (4, 4, "ok")
    assert big["share"] == 1.0
    assert big["share_low"] == pytest.approx(0.510109, abs=1e-6)
    small = rows[("small", "russia", "favorable")]
    assert (small["articles"], small["status"]) == (1, "insufficient evidence")
    assert np.isnan(small["share"])
    with pytest.raises(ValueError, match="by='nope' is not a column"):
        stance_by_group(stance, articles, by="nope")


def test_seeds_match_a_careful_reading():
    corpus = load_corpus(CORPUS)
    cleaned, _ = clean_articles(corpus.articles)
    stance, evidence = stance_per_article(corpus.articles, cleaned)
    labels = {
        (article, target): label
        for article, target, label in stance[["article_id", "target", "label"]].values
    }
    assert labels[(SOCHI, "russia")] == "unfavorable"
    assert labels[(GOT_WHAT_HE_WANTED, "russia")] == "unfavorable"
    assert labels[(GOT_WHAT_HE_WANTED, "us_west")] == "unfavorable"
    assert labels[(OSW, "russia")] == "unfavorable"
    assert labels[(OSW, "us_west")] == "unfavorable"
    assert labels[(BLOG, "us_west")] == "unfavorable"
    osw = evidence[evidence["article_id"].str.startswith("osw") & (evidence["target"] == "russia")]
    assert "intransigence" in set(osw["cue_words"])
    blog = evidence[evidence["article_id"].str.startswith("robin") & (evidence["weight"] < 0)]
    assert "inability" in set(blog[blog["target"] == "us_west"]["cue_words"])


def test_save_override_validates_and_writes(tmp_path: Path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a1.md").write_text("---\nid: a1\n---\nText\n", encoding="utf-8")
    with pytest.raises(ValueError, match="article_id 'a2' is not an article"):
        save_override(tmp_path, article_id="a2", target="russia", label="neutral", who="Ann")
    with pytest.raises(ValueError, match="target 'china' is not 'outcome' or one of"):
        save_override(tmp_path, article_id="a1", target="china", label="neutral", who="Ann")
    with pytest.raises(ValueError, match="label 'positive' for target 'russia' is not one of"):
        save_override(tmp_path, article_id="a1", target="russia", label="positive", who="Ann")
    with pytest.raises(ValueError, match="label 'neutral' for target 'outcome' is not one of"):
        save_override(tmp_path, article_id="a1", target="outcome", label="neutral", who="Ann")
    save_override(tmp_path, article_id="a1", target="russia", label="favorable", who="Ann")
    save_override(
        tmp_path, article_id="a1", target="russia", label="neutral", who="Bo", note="second look"
    )
    overrides = load_overrides(tmp_path)
    assert overrides[["article_id", "target", "label", "who", "note"]].values.tolist() == [
        ["a1", "russia", "neutral", "Bo", "second look"]
    ]
