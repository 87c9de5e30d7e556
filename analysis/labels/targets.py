"""Stance targets and where a text names them.

The targets and their aliases live in ``analysis/data/targets.yaml`` (documented
there); an analyst can pass another file. In English, :class:`TargetMatcher`
compiles every alias of every target into one regular expression, so a text
is scanned once, and resolves "he", "his" and "him" to the most recent person
named. In every other language it finds the targets' ``names`` (Путина,
Kremls, Poutine) with :class:`~analysis.text.names.NameIndex`, the machinery
that also finds a meeting's participants.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from analysis import DATA_DIR
from analysis.corpus.schema import read_yaml_mapping, record_error
from analysis.text.names import NameHit, NameIndex

__all__ = [
    "ALIAS_LANGUAGE",
    "DEFAULT_TARGETS_FILE",
    "Mention",
    "Target",
    "TargetEntry",
    "TargetMatcher",
    "TargetsFile",
    "default_matcher",
    "load_targets",
    "name_index",
]

DEFAULT_TARGETS_FILE = DATA_DIR / "targets.yaml"
#: How many sentences back a pronoun may look for the person it stands for.
_PRONOUN_REACH = 2
_PRONOUN = re.compile(r"\b(?:he|his|him|himself|He|His|Him|Himself)\b")
_TARGET_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
#: The language whose articles are matched with the English ``aliases``.
ALIAS_LANGUAGE = "en"


@dataclass(frozen=True)
class Target:
    """One stance target: its id, display name and the words that name it.

    ``names`` maps an id of who or what names the target (``putin``) to its
    names by language (``{"ru": ("Путин",), ...}``).
    """

    id: str
    name: str
    aliases: tuple[str, ...]
    places: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    names: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Mention:
    """A target named in a text: ``text[start:end]`` is ``alias``.

    ``via_pronoun`` is true when the mention is a pronoun resolved to the
    person named in ``alias``.
    """

    start: int
    end: int
    target: str
    alias: str
    via_pronoun: bool = False


def _texts(value: object, info: ValidationInfo) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{info.field_name} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


class TargetsFile(BaseModel):
    """The schema of what ``targets.yaml`` has beside its targets; other keys are notes."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    place_prepositions: tuple[str, ...] = ()

    _lists = field_validator("place_prepositions", mode="before")(_texts)


class TargetEntry(BaseModel):
    """The schema of one target of ``targets.yaml``; other keys are notes and not checked."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str = Field(default=None, validate_default=True)
    aliases: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    names: dict[str, dict[str, tuple[str, ...]]] = Field(default_factory=dict)

    @field_validator("name", mode="before")
    @classmethod
    def _named(cls, name: object) -> str:
        if not isinstance(name, str):
            raise ValueError("needs a 'name'")
        return name

    @field_validator("names", mode="before")
    @classmethod
    def _names(cls, value: object) -> dict[str, dict[str, tuple[str, ...]]]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise ValueError("names must map an id (putin) to names by language (ru: [Путин])")
        checked: dict[str, dict[str, tuple[str, ...]]] = {}
        for key, languages in value.items():
            if not isinstance(key, str) or not _TARGET_ID.match(key):
                raise ValueError(f"names: id {key!r} must be lower-case letters, digits and '_'")
            if not isinstance(languages, Mapping) or not languages:
                raise ValueError(f"names: {key!r} must map language codes to lists of names")
            checked[key] = {}
            for language, names in languages.items():
                if not isinstance(language, str) or not _LANGUAGE.match(language):
                    raise ValueError(
                        f"names: {key!r}: {language!r} is not a language code such as ru"
                    )
                if not isinstance(names, list) or not all(
                    isinstance(n, str) and n.strip() and re.search(r"[^\W_]", n) for n in names
                ):
                    raise ValueError(
                        f"names: {key!r}: {language} must be a list of names with letters"
                    )
                checked[key][language] = tuple(n.strip() for n in names)
        return checked

    _lists = field_validator("aliases", "places", "people", mode="before")(_texts)

    @model_validator(mode="after")
    def _named_somehow(self) -> TargetEntry:
        if not self.aliases and not self.places:
            raise ValueError("needs at least one alias or place")
        unknown = sorted(set(self.people) - set(self.aliases))
        if unknown:
            raise ValueError(f"people {unknown} are not among its aliases")
        return self


def load_targets(path: Path | str | None = None) -> tuple[dict[str, Target], tuple[str, ...]]:
    """Read the targets file.

    Parameters
    ----------
    path : path-like, optional
        A YAML file laid out like ``analysis/data/targets.yaml`` (the default).

    Returns
    -------
    targets : dict of str to Target
        By target id, in file order.
    place_prepositions : tuple of str
        Words after which a place alias names the place, not the actor.

    Raises
    ------
    ValueError
        If the file is not a mapping with a ``targets`` mapping, a target id is
        not lower-case letters, digits and ``_``, a target has no ``name`` or no
        aliases, a ``people`` or ``places`` entry is malformed, or an alias
        belongs to two targets.

    Each file is read once per process.
    """
    targets, prepositions = _load_targets(
        str(Path(path) if path is not None else DEFAULT_TARGETS_FILE)
    )
    return dict(targets), prepositions


@functools.lru_cache(maxsize=8)
def _load_targets(file: str) -> tuple[dict[str, Target], tuple[str, ...]]:
    expected = "must be a mapping with a 'targets' mapping"
    data = read_yaml_mapping(str(file), expected=expected)
    if not isinstance(data.get("targets"), Mapping):
        raise ValueError(f"{file}: {expected}")
    try:
        prepositions = TargetsFile.model_validate(dict(data)).place_prepositions
    except ValidationError as err:
        raise record_error(str(file), err) from None
    targets: dict[str, Target] = {}
    owner: dict[str, str] = {}
    for target_id, entry in data["targets"].items():
        where = f"{file}: target {target_id!r}"
        if not isinstance(target_id, str) or not _TARGET_ID.match(target_id):
            raise ValueError(f"{where}: id must be lower-case letters, digits and '_'")
        if not isinstance(entry, Mapping):
            raise ValueError(f"{where}: needs a 'name'")
        try:
            checked = TargetEntry.model_validate(entry)
        except ValidationError as err:
            raise record_error(where, err) from None
        for alias in (*checked.aliases, *checked.places):
            if owner.setdefault(alias, target_id) != target_id:
                raise ValueError(f"{where}: alias {alias!r} already belongs to {owner[alias]!r}")
        targets[target_id] = Target(
            target_id, checked.name, checked.aliases, checked.places, checked.people, checked.names
        )
    if not targets:
        raise ValueError(f"{file}: 'targets' is empty")
    try:
        name_index(targets)
    except ValueError as err:
        raise ValueError(f"{file}: {err}") from None
    return targets, prepositions


def name_index(targets: Mapping[str, Target]) -> NameIndex:
    """A :class:`~analysis.text.names.NameIndex` of the targets' ``names``, keyed by name id.

    Raises
    ------
    ValueError
        If two targets use the same name id.
    """
    owner: dict[str, str] = {}
    names: dict[str, tuple[str, ...]] = {}
    for target in targets.values():
        for key, by_language in target.names.items():
            if owner.setdefault(key, target.id) != target.id:
                raise ValueError(
                    f"target {target.id!r}: name id {key!r} already belongs to {owner[key]!r}"
                )
            names[key] = tuple(dict.fromkeys(n for group in by_language.values() for n in group))
    return NameIndex(names)


def _alternation(words: Sequence[str]) -> str:
    # Longest first, so "the Assad regime" wins over "Assad".
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _alias_pattern(words: Sequence[str]) -> str:
    # "the West" also matches "The West" at the start of a sentence.
    return _alternation(words).replace(r"the\ ", r"[Tt]he\ ")


class TargetMatcher:
    """Find target mentions in text.

    In English (the default), aliases match as whole words, case-sensitively,
    with an optional ``'s``, through one compiled expression. A place alias
    right after a place preposition (``in Moscow``) is not a mention. In any
    other language the targets' ``names`` match in their inflected forms
    (:mod:`analysis.text.names`); a place counts wherever it is named, and
    pronouns are not resolved.

    Parameters
    ----------
    targets : mapping of str to Target
        As returned by :func:`load_targets`.
    place_prepositions : sequence of str
        Words after which a place names the place.
    """

    def __init__(self, targets: Mapping[str, Target], place_prepositions: Sequence[str]) -> None:
        self.targets = dict(targets)
        self._owner: dict[str, str] = {}
        self._people: dict[str, str] = {}
        places: list[str] = []
        for target in self.targets.values():
            for alias in (*target.aliases, *target.places):
                self._owner[alias] = target.id
            self._people.update(dict.fromkeys(target.people, target.id))
            places.extend(target.places)
        self._places = frozenset(places)
        self._pattern = re.compile(
            r"(?<!\w)(" + _alias_pattern(list(self._owner)) + r")(?:'s)?(?!\w)"
        )
        self._after_preposition = (
            re.compile(r"(?:^|\W)(?:" + _alternation(place_prepositions) + r")\s+$", re.IGNORECASE)
            if place_prepositions
            else None
        )
        self.names = name_index(self.targets)
        self._name_owner = {
            key: target.id for target in self.targets.values() for key in target.names
        }

    def named(self, text: str, language: str | None) -> list[NameHit]:
        """Every target name (``names`` of the lexicon) in ``text``, read as ``language``.

        Each hit's ``key`` is a name id such as ``putin``; :meth:`target_of`
        gives its target.
        """
        return self.names.find(text, language)

    def target_of(self, name_id: str) -> str:
        """The target a name id belongs to."""
        return self._name_owner[name_id]

    def mentions(self, text: str, language: str = ALIAS_LANGUAGE) -> list[Mention]:
        """Return every target mention in ``text``, in order (no pronouns).

        ``language`` (ISO 639-1) chooses the English aliases (``en``) or the
        inflected names of every other language.
        """
        if language != ALIAS_LANGUAGE:
            return [
                Mention(hit.start, hit.end, self._name_owner[hit.key], hit.name)
                for hit in self.names.find(text, language)
            ]
        found: list[Mention] = []
        for match in self._pattern.finditer(text):
            alias = match.group(1)
            if alias.startswith("The "):
                alias = "t" + alias[1:]
            if (
                alias in self._places
                and self._after_preposition is not None
                and self._after_preposition.search(text, max(0, match.start() - 20), match.start())
            ):
                continue
            found.append(Mention(match.start(), match.end(), self._owner[alias], alias))
        return found

    def mentions_by_sentence(
        self, text: str, bounds: Sequence[tuple[int, int]], language: str = ALIAS_LANGUAGE
    ) -> list[list[Mention]]:
        """Mentions of each sentence, with pronouns resolved.

        Parameters
        ----------
        text : str
            The whole text; sentence ``i`` is ``text[bounds[i][0]:bounds[i][1]]``.
        bounds : sequence of (int, int)
            Sentence spans, in order and not overlapping.
        language : str, default "en"
            As for :meth:`mentions`.

        Returns
        -------
        list of list of Mention
            For each sentence, its mentions in order. In English, ``he``,
            ``his``, ``him`` and ``himself`` become a mention of the person
            named most recently before them, in the same sentence or in the
            two sentences before.
        """
        direct = self.mentions(text, language)
        if language != ALIAS_LANGUAGE:
            return [
                [m for m in direct if start <= m.start and m.end <= end] for start, end in bounds
            ]
        result: list[list[Mention]] = [[] for _ in bounds]
        position = 0
        last_person: tuple[int, Mention] | None = None
        for index, (start, end) in enumerate(bounds):
            while position < len(direct) and direct[position].start < start:
                position += 1
            own: list[Mention] = []
            while position < len(direct) and direct[position].end <= end:
                own.append(direct[position])
                position += 1
            if last_person is not None and index - last_person[0] > _PRONOUN_REACH:
                last_person = None
            merged: list[Mention] = []
            own_index = 0
            for pronoun in _PRONOUN.finditer(text, start, end):
                while own_index < len(own) and own[own_index].start < pronoun.start():
                    mention = own[own_index]
                    merged.append(mention)
                    if mention.alias in self._people:
                        last_person = (index, mention)
                    own_index += 1
                if last_person is not None:
                    person = last_person[1]
                    merged.append(
                        Mention(pronoun.start(), pronoun.end(), person.target, person.alias, True)
                    )
            for mention in own[own_index:]:
                merged.append(mention)
                if mention.alias in self._people:
                    last_person = (index, mention)
            result[index] = merged
        return result


@functools.lru_cache(maxsize=8)
def default_matcher(path: Path | str | None = None) -> TargetMatcher:
    """The :class:`TargetMatcher` of a targets file (the shipped one by default), compiled once.

    Raises
    ------
    ValueError
        As :func:`load_targets`.
    """
    return TargetMatcher(*load_targets(path))
