from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus.articles import load_corpus
from analysis.labels.evidence import EVIDENCE_COLUMNS
from analysis.labels.sources import (
    QUOTATION_COLUMNS,
    SOURCE_COLUMNS,
    article_quotations,
    article_sources,
    group_sources,
    is_unnamed,
    source_evidence,
)
from analysis.text.cleaning import clean_articles
from tests.conftest import SHIPPED_CORPUS


@pytest.fixture(scope="module")
def seed_sources() -> pd.DataFrame:
    articles = load_corpus(SHIPPED_CORPUS, use_cache=False).articles
    return article_sources(article_quotations(articles, clean_articles(articles)[0]))


def _corpus(*rows: tuple[str, str, str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = pd.DataFrame(
        [(i, outlet, language) for i, outlet, language, _ in rows],
        columns=["id", "outlet", "language"],
    )
    cleaned = pd.DataFrame([(i, text) for i, *_, text in rows], columns=["id", "text_clean"])
    return articles, cleaned


TASS_STORY = (
    "Kremlin spokesman Dmitry Peskov described them:\n\n"
    '"The talks were rather constructive and detailed."\n\n'
    "TASS reports that Peskov declined to say more. "
    '"Nothing more to add on this," Peskov said. '
    'The slogan was "nothing about us without us."'
)


def test_quotations_table_has_offsets_speakers_and_sentences() -> None:
    articles, cleaned = _corpus(("a1", "tass", "en", TASS_STORY))
    quotations = article_quotations(articles, cleaned)
    assert list(quotations.columns) == list(QUOTATION_COLUMNS)
    assert quotations[["kind", "speaker", "source", "cue"]].values.tolist() == [
        [
            "direct",
            "Kremlin spokesman Dmitry Peskov",
            "peskov",
            "Kremlin spokesman Dmitry Peskov described them:",
        ],
        ["reported", "TASS", "tass", "TASS reports that"],
        ["direct", "Peskov", "peskov", "Peskov said"],
        ["direct", "", "(unattributed)", ""],
    ]
    for start, end, text in zip(
        quotations["start"], quotations["end"], quotations["text"], strict=True
    ):
        assert TASS_STORY[start:end] == text
    assert quotations.loc[1, "sentence"] == "TASS reports that Peskov declined to say more."


def test_sources_per_article_count_each_speaker_and_kind() -> None:
    articles, cleaned = _corpus(("a1", "tass", "en", TASS_STORY))
    sources = article_sources(article_quotations(articles, cleaned))
    assert list(sources.columns) == list(SOURCE_COLUMNS)
    assert sources[
        ["source", "speaker", "kind", "count", "speaker_as_written"]
    ].values.tolist() == [
        ["peskov", "Dmitry Peskov", "direct", 2, "Kremlin spokesman Dmitry Peskov; Peskov"],
        ["tass", "TASS", "reported", 1, "TASS"],
    ]
    assert sources.loc[0, "evidence"] == (
        '"The talks were rather constructive and detailed." | '
        '"Nothing more to add on this," Peskov said.'
    )
    with_unattributed = article_sources(
        article_quotations(articles, cleaned), include_unattributed=True
    )
    assert with_unattributed["source"].tolist() == ["peskov", "(unattributed)", "tass"]


def test_group_sources_counts_articles_and_unsupported_ones() -> None:
    articles, cleaned = _corpus(
        (
            "a1",
            "tass",
            "en",
            'Lavrov said that the talks were useful. "We agree on much," Lavrov said.',
        ),
        ("a2", "tass", "en", "Kerry said that progress was slow."),
        ("a3", "tass", "en", "No one speaks here."),
        ("a4", "tass", "ru", "Лавров сказал, что переговоры были полезны."),
        ("b1", "cnn", "en", "Lavrov told reporters that nothing has changed."),
    )
    grouped = group_sources(article_sources(article_quotations(articles, cleaned)), articles)
    assert grouped[
        ["outlet", "source", "kind", "count", "articles_citing", "n_articles", "n_unsupported"]
    ].values.tolist() == [
        ["cnn", "lavrov", "reported", 1, 1, 1, 0],
        ["tass", "kerry", "reported", 1, 1, 3, 1],
        ["tass", "lavrov", "direct", 1, 1, 3, 1],
        ["tass", "lavrov", "reported", 1, 1, 3, 1],
    ]
    assert grouped.loc[1, "share_of_articles"] == pytest.approx(1 / 3)


def test_source_evidence_has_the_shared_columns() -> None:
    articles, cleaned = _corpus(("a1", "tass", "en", TASS_STORY))
    evidence = source_evidence(article_quotations(articles, cleaned))
    assert list(evidence.columns) == list(EVIDENCE_COLUMNS)
    assert evidence[["analysis", "label", "cue_words", "weight"]].values.tolist() == [
        ["source", "peskov", "Kremlin spokesman Dmitry Peskov described them:", 1.0],
        ["source", "tass", "TASS reports that", 1.0],
        ["source", "peskov", "Peskov said", 1.0],
        ["source", "(unattributed)", "(unattributed)", 1.0],
    ]
    with pytest.raises(ValueError, match=r"quotations is missing column\(s\) cue"):
        source_evidence(article_quotations(articles, cleaned).drop(columns="cue"))


def _kinds(sources: pd.DataFrame, article_id: str) -> set[tuple[str, str]]:
    rows = sources[sources["article_id"] == article_id]
    return set(zip(rows["source"], rows["kind"], strict=True))


def test_seed_sources(seed_sources: pd.DataFrame) -> None:
    blog = _kinds(seed_sources, "robinwestenra-blog-2016-07-15-putin-kerry-talks-fail")
    assert {("peskov", "direct"), ("tass", "reported"), ("kerry", "direct")} <= blog
    mcu = _kinds(
        seed_sources, "mcu-times-2022-01-the-west-has-a-rare-window-to-put-putin-in-his-place"
    )
    assert {
        ("blinken", "reported"),
        ("nato-officials", "reported"),
        ("nato-officials", "direct"),
        ("pasi-eronen", "direct"),
        ("bill-browder", "direct"),
        ("richard-connolly", "direct"),
        ("rasa-jukneviciene", "direct"),
    } <= mcu
    osw = _kinds(
        seed_sources, "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"
    )
    assert {("lavrov", "reported"), ("kerry", "reported")} <= osw


@pytest.mark.parametrize(
    "speaker",
    ["he", "She", "they", "it", "он", "она", "они", "Supporters", "sources", "officials",
     "senior officials", "Both Western and Russian sources", "observers", "U.S. officials"],
)  # fmt: skip
def test_pronouns_and_groups_without_a_name_or_affiliation_are_unnamed(speaker: str) -> None:
    assert is_unnamed(speaker)


@pytest.mark.parametrize(
    "speaker", ["Pasi Eronen", "Kremlin sources", "NATO officials", "TASS", "Carnegie Center", ""]
)
def test_a_name_or_an_affiliation_is_a_source(speaker: str) -> None:
    assert not is_unnamed(speaker)


def test_pronouns_and_vague_groups_are_counted_under_unnamed_not_as_sources() -> None:
    articles, cleaned = _corpus(
        (
            "a1",
            "tass",
            "en",
            '"The talks were a waste of everybody\'s time," he said. '
            "Supporters say that the deal betrays Ukraine. "
            "Both Western and Russian sources said that the meeting ran late. "
            "Kremlin sources said that the president was tired. "
            '"We stand ready to talk," Pasi Eronen said.',
        ),
    )
    quotations = article_quotations(articles, cleaned)
    assert quotations[["speaker", "source"]].values.tolist() == [
        ["he", "(unnamed)"],
        ["Supporters", "(unnamed)"],
        ["Both Western and Russian sources", "(unnamed)"],
        ["Kremlin sources", "kremlin"],
        ["Pasi Eronen", "pasi-eronen"],
    ]
    sources = article_sources(quotations)
    assert sources[["source", "speaker", "count", "speaker_as_written"]].values.tolist() == [
        ["(unnamed)", "unnamed source", 2, "Supporters; Both Western and Russian sources"],
        ["(unnamed)", "unnamed source", 1, "he"],
        ["kremlin", "the Kremlin", 1, "Kremlin sources"],
        ["pasi-eronen", "Pasi Eronen", 1, "Pasi Eronen"],
    ]
