"""Speakers who can be quoted, and the aliases a text names them by (``speakers.yaml``).

**Speaker ids** come from an alias file (``analysis/data/speakers.yaml``, see
:func:`load_speakers`): the last alias in the speaker phrase wins, and one
followed by ``'s`` loses to any other, so ``Putin's spokesman Dmitry Peskov``
is ``peskov``. A speaker not in the file gets the slug of the name at the end
of the phrase (``pasi-eronen``); a surname alone reuses a full name seen
earlier in the same text (``Eronen`` → ``pasi-eronen``). A speaker that is
no name (``observers``, ``Both Western and Russian sources``) has id ``""``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from analysis import DATA_DIR
from analysis.corpus.schema import STRICT, error_field, error_message, read_yaml_mapping
from analysis.labels.cues import fold_case, trie_pattern

__all__ = [
    "DEFAULT_SPEAKERS_FILE",
    "SPEAKER_KINDS",
    "AliasMention",
    "Speaker",
    "SpeakerEntry",
    "SpeakerLexicon",
    "load_speakers",
]

DEFAULT_SPEAKERS_FILE = DATA_DIR / "speakers.yaml"
#: Every kind a speaker can have.
SPEAKER_KINDS = ("person", "organization", "media", "group")


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker of the alias file."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]


class SpeakerLexicon:
    """Speakers and one compiled pattern matching all their aliases.

    Build it with :func:`load_speakers`.
    """

    def __init__(self, speakers: Mapping[str, Speaker]) -> None:
        self.speakers = dict(speakers)
        self._alias_ids: dict[str, str] = {}
        wildcards: list[tuple[str, str]] = []
        for speaker in self.speakers.values():
            for alias in speaker.aliases:
                key = _alias_key(alias)
                owner = self._alias_ids.get(key)
                if owner is not None and owner != speaker.id:
                    raise ValueError(
                        f"alias {alias!r} belongs to both {owner!r} and {speaker.id!r}; "
                        "give it to one speaker only"
                    )
                self._alias_ids[key] = speaker.id
                if "*" in alias.split():
                    wildcards.append((speaker.id, _wildcard_pattern(alias)))
        plain = sorted(key for key in self._alias_ids if "*" not in key.split())
        body = trie_pattern(plain) if plain else "(?!)"
        self._plain = re.compile(rf"(?<![\w'-])(?:{body})(?![\w-])")
        self._wildcard_ids = [speaker_id for speaker_id, _ in wildcards]
        parts = "|".join(f"({pattern})" for _, pattern in wildcards) or "(?!)"
        self._wildcards = re.compile(rf"(?<![\w'’-])(?:{parts})(?![\w-])", re.IGNORECASE)

    def matches(self, text: str) -> list[AliasMention]:
        """Every alias without a wildcard in ``text``, in order, longest first."""
        folded = _fold(text)
        found = []
        for match in self._plain.finditer(folded):
            speaker_id = self._alias_ids.get(_alias_key(match.group()))
            if speaker_id is not None:
                found.append(self._mention(text, match.start(), match.end(), speaker_id))
        return found

    def wildcard_matches(self, text: str, start: int, end: int) -> list[AliasMention]:
        """Aliases with a wildcard (``officials from * NATO``) in ``text[start:end]``."""
        return [
            self._mention(text, m.start(), m.end(), self._wildcard_ids[(m.lastindex or 1) - 1])
            for m in self._wildcards.finditer(text, start, end)
        ]

    def _mention(self, text: str, start: int, end: int, speaker_id: str) -> AliasMention:
        possessive = text.startswith(("'s", "’s"), end)
        return AliasMention(start, end, speaker_id, self.speakers[speaker_id].kind, possessive)


def _fold(text: str) -> str:
    """Lower case with ``’`` as ``'``, keeping every character's offset."""
    return fold_case(text.replace("’", "'"))


@dataclass(frozen=True, slots=True)
class AliasMention:
    """An alias found in a text: ``text[start:end]`` names ``speaker_id``."""

    start: int
    end: int
    speaker_id: str
    kind: str
    possessive: bool


def _alias_key(alias: str) -> str:
    return " ".join(alias.lower().replace("’", "'").split())


def _wildcard_pattern(alias: str) -> str:
    pieces = []
    for word in alias.split():
        if word == "*":
            pieces.append(r"(?:[\w'’.-]+\s+){0,6}?")
        else:
            pieces.append(re.escape(word).replace("'", "['’]") + r"\s+")
    return "".join(pieces).removesuffix(r"\s+")


def load_speakers(path: Path | str | None = None) -> SpeakerLexicon:
    """Read a speakers file (default: the shipped ``analysis/data/speakers.yaml``).

    Parameters
    ----------
    path : path-like, optional
        A YAML mapping ``id -> {name, kind, aliases}``; see the shipped file's
        header and ``docs/lexicons.md``.

    Returns
    -------
    SpeakerLexicon
        The speakers with their compiled alias pattern. The shipped file is
        read and compiled once per process.

    Raises
    ------
    ValueError
        If the file is not such a mapping, a kind is unknown, an entry has no
        aliases or an alias belongs to two speakers.
    """
    return _load_speakers(str(Path(path) if path is not None else DEFAULT_SPEAKERS_FILE))


class SpeakerEntry(BaseModel):
    """The schema of one entry of ``speakers.yaml``."""

    model_config = STRICT

    name: str | None = None
    kind: str | None = Field(default=None, validate_default=True)
    aliases: tuple[str, ...] | None = Field(default=None, validate_default=True)

    @field_validator("kind", mode="before")
    @classmethod
    def _known_kind(cls, kind: object) -> object:
        if kind not in SPEAKER_KINDS:
            raise ValueError(f"has kind {kind!r}; use one of {', '.join(SPEAKER_KINDS)}")
        return kind

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases(cls, aliases: object) -> tuple[str, ...]:
        if (
            not isinstance(aliases, list)
            or not aliases
            or not all(isinstance(a, str) and a.strip() for a in aliases)
        ):
            raise ValueError("needs 'aliases', a non-empty list of texts")
        return tuple(a.strip() for a in aliases)


@functools.lru_cache(maxsize=8)
def _load_speakers(path: str) -> SpeakerLexicon:
    data = read_yaml_mapping(
        path, expected="must be a mapping of speaker id to {name, kind, aliases}"
    )
    speakers = {}
    for key, entry in data.items():
        speaker_id = str(key)
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", speaker_id):
            raise ValueError(f"{path}: speaker id {speaker_id!r} must be lower-case, digits, '-'")
        if not isinstance(entry, Mapping):
            raise ValueError(f"{path}: speaker {speaker_id!r} must be a mapping")
        try:
            checked = SpeakerEntry.model_validate(entry)
        except ValidationError as err:
            item = err.errors()[0]
            where = f"{path}: speaker {speaker_id!r}"
            if item["type"] == "value_error":
                raise ValueError(f"{where} {error_message(item)}") from None
            raise ValueError(f"{where}: {error_field(item)}: {error_message(item)}") from None
        speakers[speaker_id] = Speaker(
            speaker_id, str(checked.name or speaker_id), str(checked.kind), checked.aliases or ()
        )
    return SpeakerLexicon(speakers)
