"""Names found in a text in their inflected forms, in many languages.

A name is a word or a phrase ("Putin", "Владимир Путин", "Bocharov Ruchey",
"al-Nusra"). A word of the text matches a word of a name when one of its
*forms* is one of the name word's forms, where the forms of a word in a
language are

* the word itself, case-folded;
* its Snowball stem (``snowballstemmer``) for the languages in
  :data:`SNOWBALL_LANGUAGES`: "Kremls" and "Kreml" are both ``kreml`` in
  German, "Putina" and "Putin" both ``putin`` in Polish;
* for Russian and Ukrainian, also every lemma ``pymorphy3`` gives it with its
  dictionaries (``pymorphy3-dicts-ru``, ``pymorphy3-dicts-uk``): "Путіна" and
  "Києві" are ``путін`` and ``київ``, "Лавровым" is ``лавров``;
* for Arabic, which writes conjunctions, prepositions and the article as
  part of the word, the text's word with up to three letters cut from its
  start and two from its end (a name's own form is kept whole): "وبوتين" and
  "لبوتين" contain ``بوتين``. Diacritics and the tatweel are dropped and the
  forms of alef read as one letter first.

A name word written with a capital matches only a capitalised word, so
"Запад" (the West) is not "запад" (west) and "US" is not "us". Words are runs
of letters and digits: hyphens and apostrophes separate them ("Putin'in",
"d'Assad", "Женева-2"), and the words of a phrase must follow one another
with only spaces, hyphens or apostrophes between them. Where phrases overlap,
the longest wins.

Nothing is downloaded: the stemmers and dictionaries are installed packages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

__all__ = [
    "MORPHOLOGY_LANGUAGES",
    "SNOWBALL_LANGUAGES",
    "NameHit",
    "NameIndex",
    "word_forms",
]

#: ISO 639-1 code to the Snowball algorithm used for it.
SNOWBALL_LANGUAGES: dict[str, str] = {
    "en": "english",
    "ru": "russian",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pl": "polish",
    "tr": "turkish",
    "pt": "portuguese",
    "cs": "czech",
    "nl": "dutch",
    "sv": "swedish",
    "ro": "romanian",
    "hu": "hungarian",
    "fi": "finnish",
    "da": "danish",
    "no": "norwegian",
    "lt": "lithuanian",
    "sr": "serbian",
    "el": "greek",
    "ca": "catalan",
}
#: Languages whose words are also lemmatised with pymorphy3's dictionaries.
MORPHOLOGY_LANGUAGES = ("ru", "uk")
#: Languages that attach clitics to the word they belong to (see the module docstring).
_CLITIC_LANGUAGES = ("ar",)
_CLITIC_START, _CLITIC_END, _SHORTEST_CORE = 3, 2, 3

_WORD = re.compile(r"[^\W_]+")
_JOINER = re.compile(r"[\s.\-‐‑–'’ʼ]{1,3}")
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ALEFS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})
_CYRILLIC = re.compile("[\u0400-\u04ff]")


@cache
def _stemmer(language: str) -> Any:
    # Imported here: the package loads every language's stemmer, which the
    # dashboard's first page (it finds no names) would wait for after a restart.
    import snowballstemmer

    return snowballstemmer.stemmer(SNOWBALL_LANGUAGES[language])


@cache
def _morphology(language: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


def _folded(word: str, language: str | None) -> str:
    folded = unicodedata.normalize("NFC", word).casefold()
    if language in _CLITIC_LANGUAGES:
        folded = _ARABIC_MARKS.sub("", folded).translate(_ALEFS)
    return folded


@lru_cache(maxsize=262_144)
def word_forms(word: str, language: str | None, *, whole: bool = True) -> frozenset[str]:
    """The forms of ``word`` in ``language`` that a match compares (module docstring).

    ``whole`` is true for a name's own words: in a clitic language only the
    text's words are cut.
    """
    folded = _folded(word, language)
    forms = {folded}
    if language in SNOWBALL_LANGUAGES:
        forms.add(_stemmer(language).stemWord(folded))
    if language in MORPHOLOGY_LANGUAGES and _CYRILLIC.search(folded):
        forms.update(parse.normal_form for parse in _morphology(language).parse(folded))
        forms.add(_stemmer("ru").stemWord(folded))
    if language in _CLITIC_LANGUAGES and not whole:
        size = len(folded)
        forms.update(
            folded[start : size - end]
            for start in range(_CLITIC_START + 1)
            for end in range(_CLITIC_END + 1)
            if size - start - end >= _SHORTEST_CORE
        )
    return frozenset(forms)


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


@dataclass(frozen=True, slots=True)
class NameHit:
    """``text[start:end]`` names ``key`` with its name ``name``."""

    start: int
    end: int
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    name: str
    forms: tuple[frozenset[str], ...]
    capitals: tuple[bool, ...]


class NameIndex:
    """Find the names of many keys in texts of any language.

    Parameters
    ----------
    names : mapping of str to sequence of str
        For each key (a person, a place, a meeting cue), the names it goes by,
        in any language and script. Every name is looked for in every text,
        with the forms of the text's language.

    Raises
    ------
    ValueError
        If a name has no letter or digit.
    """

    def __init__(self, names: Mapping[str, Sequence[str]]) -> None:
        self._names = {key: tuple(values) for key, values in names.items()}
        for key, values in self._names.items():
            for name in values:
                if not _WORD.search(name):
                    raise ValueError(f"name {name!r} of {key!r} has no letter or digit")
        self._by_language: dict[str | None, dict[str, list[_Entry]]] = {}

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys, in the order given."""
        return tuple(self._names)

    def _index(self, language: str | None) -> dict[str, list[_Entry]]:
        index = self._by_language.get(language)
        if index is None:
            index = {}
            for key, values in self._names.items():
                for name in values:
                    words = _WORD.findall(name)
                    entry = _Entry(
                        key,
                        name,
                        tuple(word_forms(w, language) for w in words),
                        tuple(_capitalised(w) for w in words),
                    )
                    for form in entry.forms[0]:
                        index.setdefault(form, []).append(entry)
            self._by_language[language] = index
        return index

    def find(self, text: str, language: str | None) -> list[NameHit]:
        """Every name in ``text``, in order, read as ``language`` (ISO 639-1; None: exact)."""
        index = self._index(language)
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        hits: list[NameHit] = []
        position = 0
        while position < len(words):
            best: tuple[int, _Entry] | None = None
            start, _, word = words[position]
            for form in word_forms(word, language, whole=False):
                for entry in index.get(form, ()):
                    size = len(entry.forms)
                    if (best is None or size > best[0]) and self._matches(
                        entry, words, position, text, language
                    ):
                        best = (size, entry)
            if best is None:
                position += 1
                continue
            size, entry = best
            hits.append(NameHit(start, words[position + size - 1][1], entry.key, entry.name))
            position += size
        return hits

    @staticmethod
    def _matches(
        entry: _Entry,
        words: Sequence[tuple[int, int, str]],
        position: int,
        text: str,
        language: str | None,
    ) -> bool:
        if position + len(entry.forms) > len(words):
            return False
        for offset, (forms, capital) in enumerate(zip(entry.forms, entry.capitals, strict=True)):
            start, _, word = words[position + offset]
            if capital and not _capitalised(word) and language not in _CLITIC_LANGUAGES:
                return False
            if offset:
                gap = text[words[position + offset - 1][1] : start]
                if not _JOINER.fullmatch(gap):
                    return False
                if forms.isdisjoint(word_forms(word, language, whole=False)):
                    return False
        return True

    def keys_in(self, text: str, language: str | None) -> dict[str, list[str]]:
        """Each key named in ``text`` with the names found for it, in order of first mention."""
        found: dict[str, list[str]] = {}
        for hit in self.find(text, language):
            names = found.setdefault(hit.key, [])
            if hit.name not in names:
                names.append(hit.name)
        return found
