"""Targets named in the coverage's languages: inflected names, one lexicon."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.labels.targets import DEFAULT_TARGETS_FILE, TargetMatcher, load_targets

MATCHER = TargetMatcher(*load_targets())


def _named(text: str, language: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.target) for m in MATCHER.mentions(text, language)]


def test_russian_genitive_of_putin_is_russia():
    text = "Госсекретарь Керри провёл три часа у Путина."
    assert _named(text, "ru") == [("Керри", "us_west"), ("Путина", "russia")]


def test_russian_instrumental_forms_are_found():
    text = "Переговоры с Путиным и Лавровым, согласованные Кремлём, обсуждали в Вашингтоне."
    assert _named(text, "ru") == [
        ("Путиным", "russia"),
        ("Лавровым", "russia"),
        ("Кремлём", "russia"),
        ("Вашингтоне", "us_west"),
    ]


def test_ukrainian_genitive_of_putin_and_locative_of_kyiv():
    text = "Візит Керрі до Путіна обговорювали в Києві."
    assert _named(text, "uk") == [("Керрі", "us_west"), ("Путіна", "russia"), ("Києві", "ukraine")]


def test_german_genitive_of_the_kremlin():
    assert _named("Ein Sprecher des Kremls widersprach.", "de") == [("Kremls", "russia")]


def test_french_poutine_is_putin():
    assert _named("Poutine a reçu John Kerry à Sotchi.", "fr") == [
        ("Poutine", "russia"),
        ("Kerry", "us_west"),
    ]


def test_polish_genitive_of_putin():
    assert _named("Kerry spotkał się z prezydentem Rosji. Rozmowa z Putina doradcą.", "pl") == [
        ("Kerry", "us_west"),
        ("Rosji", "russia"),
        ("Putina", "russia"),
    ]


def test_arabic_names_with_attached_conjunction_and_article():
    text = "التقى كيري وبوتين في الكرملين"
    assert _named(text, "ar") == [("كيري", "us_west"), ("وبوتين", "russia"), ("الكرملين", "russia")]


def test_a_capitalised_name_needs_a_capitalised_word():
    assert _named("Ветер дул с запада.", "ru") == []
    assert _named("Санкции Запада.", "ru") == [("Запада", "us_west")]


def test_english_keeps_its_aliases_and_place_rule():
    assert _named("Putin's aides met in Moscow.", "en") == [("Putin's", "russia")]


def test_every_target_has_names_in_the_coverage_languages():
    targets, _ = load_targets()
    wanted = {"en", "ru", "uk", "de", "fr", "es", "it", "pl", "ar", "tr"}
    for target in targets.values():
        languages = {language for names in target.names.values() for language in names}
        assert wanted <= languages, target.id


def _edited(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(DEFAULT_TARGETS_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_name_id_in_two_targets_is_refused(tmp_path: Path):
    path = _edited(tmp_path, lambda d: d["targets"]["ukraine"]["names"].update(putin={"ru": ["X"]}))
    with pytest.raises(ValueError, match=r"name id 'putin' already belongs to 'russia'"):
        load_targets(path)


def test_a_names_entry_with_a_bad_language_is_refused(tmp_path: Path):
    path = _edited(
        tmp_path, lambda d: d["targets"]["assad"]["names"]["assad"].update(Russian=["Асад"])
    )
    with pytest.raises(ValueError, match=r"names: 'assad': 'Russian' is not a language code"):
        load_targets(path)
