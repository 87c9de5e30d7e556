from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus.articles import load_corpus
from analysis.labels.agenda import (
    ARTICLE_SUBJECT_COLUMNS,
    agenda_matrix,
    load_subjects,
    omissions,
    scan_subjects,
)
from analysis.text.cleaning import clean_articles
from tests.conftest import SHIPPED_CORPUS


@pytest.fixture(scope="module")
def seed_corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = load_corpus(SHIPPED_CORPUS, use_cache=False).articles
    return articles, clean_articles(articles)[0]


def _corpus(*rows: tuple[str, str, str, str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = pd.DataFrame(
        [(i, outlet, meeting, language) for i, outlet, meeting, language, _ in rows],
        columns=["id", "outlet", "meeting", "language"],
    )
    cleaned = pd.DataFrame([(i, text) for i, *_, text in rows], columns=["id", "text_clean"])
    return articles, cleaned


def test_aliases_count_as_their_subject() -> None:
    text = (
        "The US proposed joint strikes on Daesh and the Nusra Front. "
        "IS is not the only target: Islamic State fighters and al-Qaeda remain."
    )
    articles, cleaned = _corpus(("a1", "tass", "m1", "en", text))
    agenda = scan_subjects(articles, cleaned)[0]
    assert list(agenda.columns) == list(ARTICLE_SUBJECT_COLUMNS)
    assert agenda[["subject", "mentions", "cue_words", "sentence_start"]].values.tolist() == [
        ["isis", 3, "daesh; is; islamic state", 0],
        ["al-nusra", 2, "nusra front; al-qaeda", 0],
    ]
    assert agenda.loc[0, "sentence"] == text[:59]


def test_longest_alias_wins_and_lower_case_is_not_an_abbreviation() -> None:
    text = "Russia objects to the anti-missile defence system. It is what it is."
    articles, cleaned = _corpus(("a1", "tass", "m1", "en", text))
    agenda = scan_subjects(articles, cleaned)[0]
    assert agenda[["subject", "cue_words"]].values.tolist() == [
        ["missile-defence", "anti-missile defence system"]
    ]
    evidence = scan_subjects(articles, cleaned)[1]
    assert evidence[["label", "sentence_start", "sentence_end", "weight"]].values.tolist() == [
        ["missile-defence", 0, 50, 1.0]
    ]


def test_unsupported_language_is_left_out_of_the_matrix() -> None:
    articles, cleaned = _corpus(
        ("a1", "tass", "m1", "en", "Syria and Iran."),
        ("a2", "tass", "m1", "en", "Syria only."),
        ("a3", "tass", "m1", "ru", "Сирия."),
        ("b1", "cnn", "m1", "en", "Nothing relevant."),
    )
    agenda = scan_subjects(articles, cleaned)[0]
    assert agenda[["article_id", "status", "subject"]].values.tolist() == [
        ["a1", "ok", "syria"],
        ["a1", "ok", "iran"],
        ["a2", "ok", "syria"],
        ["a3", "unsupported language", ""],
        ["b1", "no subject", ""],
    ]
    matrix = agenda_matrix(agenda, articles, by="outlet", wide=True)
    assert matrix[["outlet", "n_articles", "syria", "iran", "ukraine"]].values.tolist() == [
        ["cnn", 1, 0.0, 0.0, 0.0],
        ["tass", 2, 1.0, 0.5, 0.0],
    ]
    long = agenda_matrix(agenda, articles, by="outlet")
    tass_iran = long[(long["outlet"] == "tass") & (long["subject"] == "iran")]
    assert tass_iran[["articles_covering", "n_articles", "share"]].values.tolist() == [[1, 2, 0.5]]


def test_omissions_on_a_planted_three_outlet_corpus() -> None:
    articles, cleaned = _corpus(
        ("a1", "tass", "m1", "en", "Syria and the ceasefire."),
        ("b1", "cnn", "m1", "en", "Syria, the ceasefire and Assad."),
        ("b2", "cnn", "m1", "en", "Sanctions on Russia."),
        ("c1", "osw", "m1", "en", "Syria and Assad."),
        ("c2", "osw", "m2", "en", "Ukraine and Crimea."),
        ("d1", "tass", "m2", "en", "Ukraine."),
        ("e1", "cnn", "none", "en", "Iran."),
        ("e2", "tass", "m1", "ru", "Иран."),
    )
    agenda = scan_subjects(articles, cleaned)[0]
    result = omissions(agenda, articles, by="outlet", within="meeting")
    assert result.values.tolist() == [
        ["m1", "osw", "ceasefire", "Ceasefire", 1, "cnn; tass", 2],
        ["m1", "osw", "sanctions", "Sanctions", 1, "cnn", 1],
        ["m1", "tass", "assad", "Assad", 1, "cnn; osw", 2],
        ["m1", "tass", "sanctions", "Sanctions", 1, "cnn", 1],
        ["m2", "tass", "crimea", "Crimea", 1, "osw", 1],
    ]


def test_invalid_inputs_are_named(tmp_path: Path) -> None:
    articles, cleaned = _corpus(("a1", "tass", "m1", "en", "Syria."))
    agenda = scan_subjects(articles, cleaned)[0]
    with pytest.raises(ValueError, match="by and within must differ, both are 'outlet'"):
        omissions(agenda, articles, by="outlet", within="outlet")
    with pytest.raises(ValueError, match="cannot group by 'year': articles has no such column"):
        agenda_matrix(agenda, articles, by="year")
    with pytest.raises(ValueError, match=r"agenda is missing column\(s\) mentions"):
        agenda_matrix(agenda.drop(columns="mentions"), articles)
    bad = tmp_path / "subjects.yaml"
    bad.write_text("subjects:\n  syria:\n    cues: [Syria]\n")
    with pytest.raises(ValueError, match="'language' must be an ISO 639 code"):
        load_subjects(bad)


def test_seed_agendas(seed_corpus) -> None:
    articles, cleaned = seed_corpus
    agenda = scan_subjects(articles, cleaned)[0]
    covered = agenda.groupby("article_id")["subject"].apply(set)
    osw = covered["osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"]
    assert {
        "syria",
        "missile-defence",
        "human-rights",
        "iran",
        "afghanistan",
        "north-korea",
    } <= osw
    euromaidan = covered[
        "euromaidan-press-2015-12-19-putin-got-what-he-really-wanted-from-kerry-meeting"
    ]
    assert {"syria", "assad", "ukraine"} <= euromaidan
    blog = covered["robinwestenra-blog-2016-07-15-putin-kerry-talks-fail"]
    assert {"syria", "assad", "isis", "al-nusra"} <= blog
    assert omissions(agenda, articles).empty
