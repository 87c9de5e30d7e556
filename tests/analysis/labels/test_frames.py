from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus.articles import load_corpus
from analysis.labels.evidence import EVIDENCE_COLUMNS
from analysis.labels.frames import (
    ARTICLE_FRAME_COLUMNS,
    group_frames,
    load_frames,
    scan_frames,
)
from analysis.text.cleaning import clean_articles
from tests.conftest import SHIPPED_CORPUS

LEXICON = """\
language: en
frames:
  security-defense:
    name: Security & defense
    cues: [military, troops, missile, security]
  external-regulation:
    name: External regulation & reputation
    cues: [sanctions, talks, security council]
  economic:
    name: Economic
    cues: [economy, oil price]
"""


@pytest.fixture(scope="module")
def seed_corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = load_corpus(SHIPPED_CORPUS, use_cache=False).articles
    return articles, clean_articles(articles)[0]


@pytest.fixture
def lexicon(tmp_path: Path):
    path = tmp_path / "frames.yaml"
    path.write_text(LEXICON)
    return load_frames(path)


def _corpus(*rows: tuple[str, str, str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = pd.DataFrame(
        [(i, outlet, language) for i, outlet, language, _ in rows],
        columns=["id", "outlet", "language"],
    )
    cleaned = pd.DataFrame([(i, text) for i, _, _, text in rows], columns=["id", "text_clean"])
    return articles, cleaned


def test_shares_are_cue_counts_over_the_article_total(lexicon) -> None:
    articles, cleaned = _corpus(
        (
            "a1",
            "tass",
            "en",
            "Troops and Military hardware moved. Sanctions hit the economy.\n\n"
            "The Security Council met; the oil  price fell and troops left.",
        )
    )
    frames = scan_frames(articles, cleaned, lexicon=lexicon)[0]
    assert list(frames.columns) == list(ARTICLE_FRAME_COLUMNS)
    assert frames[["frame", "count", "share", "total_cues", "cue_words"]].values.tolist() == [
        ["security-defense", 3, 3 / 7, 7, "troops ×2; military"],
        ["economic", 2, 2 / 7, 7, "economy; oil price"],
        ["external-regulation", 2, 2 / 7, 7, "sanctions; security council"],
    ]
    assert frames["status"].unique().tolist() == ["ok"]


def test_unsupported_language_and_no_cues_get_a_status_not_a_guess(lexicon) -> None:
    articles, cleaned = _corpus(
        ("ru1", "tass", "ru", "Военные и санкции: military troops."),
        ("en1", "tass", "en", "Nothing to see here."),
    )
    frames = scan_frames(articles, cleaned, lexicon=lexicon)[0]
    assert frames[["article_id", "status", "frame", "count"]].values.tolist() == [
        ["ru1", "unsupported language", "", 0],
        ["en1", "no frame cues", "", 0],
    ]
    assert frames["share"].isna().all()
    assert scan_frames(articles, cleaned, lexicon=lexicon)[1].empty


def test_evidence_points_to_the_sentences_with_their_cues(lexicon) -> None:
    text = "Talks began. Troops and missile units moved; troops stayed."
    articles, cleaned = _corpus(("a1", "tass", "en", text))
    evidence = scan_frames(articles, cleaned, lexicon=lexicon)[1]
    assert list(evidence.columns) == list(EVIDENCE_COLUMNS)
    assert evidence.values.tolist() == [
        ["a1", "frame", "", "external-regulation", "", 0, 12, -1, -1, "talks", 1.0, ""],
        ["a1", "frame", "", "security-defense", "", 13, 59, -1, -1, "troops; missile", 3.0, ""],
    ]
    assert text[13:59] == "Troops and missile units moved; troops stayed."


def test_group_shares_average_articles_and_count_left_out_ones(lexicon) -> None:
    articles, cleaned = _corpus(
        ("a1", "tass", "en", "Troops, troops, sanctions, economy."),
        ("a2", "tass", "en", "Sanctions."),
        ("a3", "tass", "ru", "Санкции."),
        ("b1", "cnn", "en", "No cue at all."),
    )
    frames = scan_frames(articles, cleaned, lexicon=lexicon)[0]
    grouped = group_frames(frames, articles, by="outlet")
    assert grouped.values.tolist() == [
        ["cnn", "", "", pytest.approx(float("nan"), nan_ok=True), 0, 0, 0, 1, 0],
        ["tass", "external-regulation", "External regulation & reputation", 0.625, 2, 2, 2, 0, 1],
        ["tass", "security-defense", "Security & defense", 0.25, 2, 1, 2, 0, 1],
        ["tass", "economic", "Economic", 0.125, 1, 1, 2, 0, 1],
    ]


def test_invalid_inputs_are_named(lexicon, tmp_path: Path) -> None:
    articles, cleaned = _corpus(("a1", "tass", "en", "Troops."))
    with pytest.raises(ValueError, match=r"cleaned is missing column\(s\) text_clean"):
        scan_frames(articles, cleaned.rename(columns={"text_clean": "text"}), lexicon=lexicon)[0]
    frames = scan_frames(articles, cleaned, lexicon=lexicon)[0]
    with pytest.raises(ValueError, match="cannot group by 'meeting': articles has no such column"):
        group_frames(frames, articles, by="meeting")
    bad = tmp_path / "bad.yaml"
    bad.write_text("language: en\nframes:\n  a:\n    cues: [war]\n  b:\n    cues: [War]\n")
    with pytest.raises(ValueError, match="cue 'War' belongs to both 'a' and 'b'"):
        load_frames(bad)


def test_shipped_frames_on_the_seeds(seed_corpus) -> None:
    articles, cleaned = seed_corpus
    frames = scan_frames(articles, cleaned)[0]
    top = frames.groupby("article_id").head(1).set_index("article_id")["frame"]
    assert top["osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"] == (
        "security-defense"
    )
    assert top["robinwestenra-blog-2016-07-15-putin-kerry-talks-fail"] == "external-regulation"
    shares = frames.groupby("article_id")["share"].sum()
    assert shares.round(12).eq(1.0).all()
