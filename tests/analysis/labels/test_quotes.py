from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.labels.attribution import ATTRIBUTION_WORDS_FILE, load_attribution_words
from analysis.labels.quotes import Quotation, find_quotations
from analysis.labels.speakers import load_speakers


def _summary(text: str, **options: object) -> list[tuple[str, str, str, str]]:
    return [
        (q.kind, q.speaker, q.speaker_id, q.text)
        for q in find_quotations(text, **options)  # type: ignore[arg-type]
    ]


def test_spans_point_back_into_the_text() -> None:
    text = 'Lavrov said: "We will not give in to pressure."'
    quotations = find_quotations(text)
    assert quotations == [
        Quotation(
            13,
            47,
            '"We will not give in to pressure."',
            "direct",
            "Lavrov",
            "lavrov",
            "Lavrov said:",
        )
    ]
    assert all(text[q.start : q.end] == q.text for q in quotations)


def test_colon_introduces_the_quoted_paragraph() -> None:
    text = (
        "Here is how Putin's spokesman Dmitry Peskov described them:\n\n"
        '"Talks were continued. They were rather constructive."'
    )
    assert _summary(text) == [
        (
            "direct",
            "Putin's spokesman Dmitry Peskov",
            "peskov",
            '"Talks were continued. They were rather constructive."',
        )
    ]


def test_said_after_the_quote_names_the_speaker() -> None:
    text = (
        '"Passivity can be worse than hostility," said Pasi Eronen, a research analyst.\n\n'
        '"China is following the game."'
    )
    assert _summary(text) == [
        ("direct", "Pasi Eronen", "pasi-eronen", '"Passivity can be worse than hostility,"'),
        ("direct", "Pasi Eronen", "pasi-eronen", '"China is following the game."'),
    ]


def test_surname_reuses_the_full_name_seen_earlier() -> None:
    text = (
        '"Passivity can be worse than hostility," said Pasi Eronen. '
        '"Putin is an aging autocrat," Eronen said.'
    )
    assert [(q.speaker, q.speaker_id) for q in find_quotations(text)] == [
        ("Pasi Eronen", "pasi-eronen"),
        ("Eronen", "pasi-eronen"),
    ]


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = (
        "Peskov somewhat testily replied:\n\n"
        '"I said everything I wanted. The main assessments will be made by Minis\n\n'
        'As for Kerry, TASS reports him describing the talks as "extremely frank and serious."'
    )
    assert _summary(text) == [
        (
            "direct",
            "Peskov",
            "peskov",
            '"I said everything I wanted. The main assessments will be made by Minis',
        ),
        ("direct", "Kerry", "kerry", '"extremely frank and serious."'),
    ]


def test_quote_closed_in_the_next_paragraph_spans_both() -> None:
    text = (
        '"His country has an economy about the size of New York.\n\n'
        'If the West coordinated sanctions, he would be cornered," said Bill Browder.'
    )
    [quotation] = find_quotations(text)
    assert quotation.text == text[: text.index(" said")]
    assert (quotation.speaker, quotation.speaker_id) == ("Bill Browder", "bill-browder")


def test_reported_speech_with_that_according_to_and_news_agency() -> None:
    text = (
        "Several NATO officials told CNN that Russia's agreement to meet is a concession. "
        "According to Richard Connolly, sanctions could hurt the Russian economy. "
        "TASS reports that the talks lasted past midnight."
    )
    assert _summary(text) == [
        (
            "reported",
            "Several NATO officials",
            "nato-officials",
            "Russia's agreement to meet is a concession",
        ),
        (
            "reported",
            "Richard Connolly",
            "richard-connolly",
            "sanctions could hurt the Russian economy",
        ),
        ("reported", "TASS", "tass", "the talks lasted past midnight"),
    ]


def test_described_as_and_pronoun_resolved_to_the_person_in_the_sentence() -> None:
    text = (
        "Kerry softened his stance as he said that he could not imagine this. "
        "Lavrov publicly declared that Russia would not withdraw, thus showing intransigence."
    )
    assert _summary(text) == [
        ("reported", "Kerry", "kerry", "he could not imagine this"),
        ("reported", "Lavrov", "lavrov", "Russia would not withdraw"),
    ]


def test_negated_passive_and_free_relative_attribute_nothing() -> None:
    text = (
        "Lavrov did not say whether the talks went well. "
        "The meeting is reported to have gone on past midnight. "
        "Despite what some are saying, Putin did not lose."
    )
    assert find_quotations(text) == []


def test_scare_quotes_are_terms_left_out_by_default() -> None:
    text = 'Kerry spoke of the "normalization" of relations and a "two-way street" with Moscow.'
    assert find_quotations(text) == []
    assert _summary(text, include_terms=True) == [
        ("term", "", "", '"normalization"'),
        ("term", "", "", '"two-way street"'),
    ]


def test_curly_guillemet_and_single_quotes_with_nesting() -> None:
    text = (
        "Peskov said: “We heard the ‘reset’ word again and again.” "
        "Lavrov said: «Nothing has changed at all.» "
        "Kerry said: ‘This is a serious step.’ Putin's aides and the Allies' envoys were there."
    )
    assert _summary(text) == [
        ("direct", "Peskov", "peskov", "“We heard the ‘reset’ word again and again.”"),
        ("direct", "Lavrov", "lavrov", "«Nothing has changed at all.»"),
        ("direct", "Kerry", "kerry", "‘This is a serious step.’"),
    ]


def test_quote_without_attribution_has_no_speaker() -> None:
    text = 'The position was summed up by the slogan "nothing about us without us."'
    assert _summary(text) == [("direct", "", "", '"nothing about us without us."')]


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="text must be a str, not int"):
        find_quotations(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_words must be at least 1, got 0"):
        find_quotations("x", min_words=0)


def test_speakers_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "speakers.yaml"
    path.write_text(
        "kerry:\n  kind: person\n  aliases: [Kerry]\njk:\n  kind: person\n  aliases: [kerry]\n"
    )
    with pytest.raises(ValueError, match="alias 'kerry' belongs to both 'kerry' and 'jk'"):
        load_speakers(path)
    path.write_text("kerry:\n  kind: human\n  aliases: [Kerry]\n")
    with pytest.raises(ValueError, match="has kind 'human'; use one of person, organization"):
        load_speakers(path)


def test_wildcard_alias_and_custom_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "speakers.yaml"
    path.write_text("allies:\n  kind: group\n  aliases: ['officials from * NATO']\n")
    text = "According to officials from the oldest NATO members, the alliance must stay united."
    [quotation] = find_quotations(text, speakers=load_speakers(path))
    assert (quotation.speaker_id, quotation.text) == ("allies", "the alliance must stay united")


def test_pronouns_resolve_to_the_last_person_quoted() -> None:
    text = (
        'According to Richard Connolly, "raising the cost of business would hurt."\n\n'
        'He also says that "secondary sanctions" could do damage to the economy.\n\n'
        '"We must unite and not be afraid," said Rasa Juknevičienė.\n\n'
        '"Europe can not go back to the time of Stalin.\n\n'
        'The Ukrainians must decide their future," she adds.'
    )
    assert [(q.kind, q.speaker_id, q.cue) for q in find_quotations(text)] == [
        ("direct", "richard-connolly", "According to Richard Connolly"),
        ("reported", "richard-connolly", "He also says that"),
        ("direct", "rasa-jukneviciene", "said Rasa Juknevičienė"),
        ("direct", "rasa-jukneviciene", "she adds"),
    ]


def test_speaker_with_a_misspelt_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "speakers.yaml"
    path.write_text("kerry:\n  kind: person\n  alias: [Kerry]\n")
    with pytest.raises(ValueError, match=r"speaker 'kerry' needs 'aliases', a non-empty list"):
        load_speakers(path)
    path.write_text("kerry:\n  kind: person\n  aliases: [Kerry]\n  nmae: John Kerry\n")
    with pytest.raises(
        ValueError, match=r"speaker 'kerry': nmae: is not a known field; check its spelling"
    ):
        load_speakers(path)


def test_attribution_words_file_is_checked(tmp_path: Path) -> None:
    shipped = yaml.safe_load(ATTRIBUTION_WORDS_FILE.read_text(encoding="utf-8"))
    path = tmp_path / "attribution_words.yaml"
    path.write_text(yaml.safe_dump({**shipped, "heads": 5}))
    with pytest.raises(ValueError, match=r"yaml: heads: must be a non-empty list"):
        load_attribution_words(path)
    path.write_text(yaml.safe_dump({k: v for k, v in shipped.items() if k != "say"}))
    with pytest.raises(ValueError, match=r"attribution_words.yaml: say: missing"):
        load_attribution_words(path)
    assert "said" in load_attribution_words().say
