"""The stance lexicon (``analysis/data/stance_lexicon.yaml``): cues, weights and their patterns."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from analysis import DATA_DIR
from analysis.corpus.schema import STRICT, read_yaml_mapping, validate_lexicon

__all__ = [
    "DEFAULT_LEXICON_FILE",
    "CuePattern",
    "StanceCue",
    "StanceLexicon",
    "StanceLexiconFile",
    "WeightedCue",
    "compile_cues",
    "load_stance_lexicon",
    "negation_pattern",
]

DEFAULT_LEXICON_FILE = DATA_DIR / "stance_lexicon.yaml"


@dataclass(frozen=True)
class StanceCue:
    """One cue of the lexicon: its kind (the list it is in), polarity, weight and pattern."""

    kind: str
    polarity: int
    weight: float
    pattern: str


@dataclass(frozen=True)
class StanceLexicon:
    """A compiled stance lexicon (see ``analysis/data/stance_lexicon.yaml``)."""

    language: str
    cues: tuple[StanceCue, ...]
    pattern: CuePattern
    negation: re.Pattern[str]
    clause_break: re.Pattern[str]
    patient_before: re.Pattern[str]
    object_before: re.Pattern[str]
    counterpart_window: int
    outcome_factor: float
    negated_judgement_factor: float

    def cue_for(self, match: re.Match[str]) -> StanceCue:
        """The cue entry that ``match`` (from :attr:`pattern`) matched."""
        assert match.lastgroup is not None
        return self.cues[int(match.lastgroup[1:])]


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


class WeightedCue(BaseModel):
    """The schema of one cue of a lexicon: a lower-case regular expression and its weight."""

    model_config = STRICT

    cue: str
    weight: float = 1.0

    @field_validator("cue")
    @classmethod
    def _pattern(cls, cue: str) -> str:
        try:
            re.compile(cue)
        except re.error as error:
            raise ValueError(f"{cue!r} is not a valid pattern: {error}") from None
        return cue

    @field_validator("weight")
    @classmethod
    def _positive(cls, weight: float) -> float:
        if weight <= 0:
            raise ValueError("must be a positive number")
        return weight


class EvaluativeCues(BaseModel):
    """The schema of the ``evaluative`` section of ``stance_lexicon.yaml``."""

    model_config = STRICT

    favorable: list[WeightedCue]
    unfavorable: list[WeightedCue]
    unfavorable_acts: list[WeightedCue]


def _words(value: object) -> object:
    return [] if value is None else value


class StanceLexiconFile(BaseModel):
    """The schema of ``stance_lexicon.yaml`` (see ``docs/lexicons.md``)."""

    model_config = STRICT

    language: str
    evaluative: EvaluativeCues
    gains: list[WeightedCue]
    losses: list[WeightedCue]
    gain_nouns: list[WeightedCue]
    loss_nouns: list[WeightedCue]
    intransigence: list[WeightedCue]
    negators: list[str] = Field(default_factory=lambda: ["not"])
    negation_window: int = Field(default=3, ge=1)
    patient_prepositions: list[str] = Field(default_factory=list)
    object_prepositions: list[str] = Field(default_factory=list)
    clause_words: list[str] = Field(default_factory=list)
    counterpart_window: int = Field(default=6, ge=0)
    outcome_factor: float = 0.5
    negated_judgement_factor: float = 0.5

    @field_validator("negators", mode="before")
    @classmethod
    def _some_negator(cls, value: object) -> object:
        return value or ["not"]

    _lists = field_validator(
        "patient_prepositions", "object_prepositions", "clause_words", mode="before"
    )(_words)


@dataclass(frozen=True)
class CuePattern:
    """Cues compiled into one whole-word expression; group ``c<i>`` is cue ``i``.

    Matching runs on the lower-cased text with a case-sensitive expression,
    which is two to three times faster than a case-insensitive one; a text
    whose length lower-casing changes (a few non-ASCII letters) is matched
    case-insensitively instead, so offsets always point into the original.
    """

    lower: re.Pattern[str]
    any_case: re.Pattern[str]

    def finditer(self, text: str, lowered: str, start: int, end: int) -> Iterator[re.Match[str]]:
        """Matches in ``text[start:end]``; ``lowered`` is ``text.lower()``."""
        if len(lowered) == len(text):
            return self.lower.finditer(lowered, start, end)
        return self.any_case.finditer(text, start, end)


def compile_cues(cues: Sequence[tuple[str, float]]) -> CuePattern:
    """Compile cue fragments (lower-case) into one :class:`CuePattern`."""
    parts = [f"(?P<c{i}>{pattern})" for i, (pattern, _) in enumerate(cues)]
    source = r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])"
    return CuePattern(re.compile(source), re.compile(source, re.IGNORECASE))


def negation_pattern(negators: Sequence[str], window: int) -> re.Pattern[str]:
    """An expression that matches when a negator ends at most ``window`` words before the end."""
    plain = [n for n in negators if n != "n't"]
    negator = r"(?:(?<!\w)(?:" + _alternation(plain) + r")|n't)(?!\w)"
    return re.compile(negator + r"(?:\W+\w+){0," + str(window - 1) + r"}\W+$", re.IGNORECASE)


def _preceded_by(words: Sequence[str]) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!)")
    return re.compile(r"(?:^|\W)(?:" + _alternation(words) + r")\s+(?:the\s+)?$", re.IGNORECASE)


def load_stance_lexicon(path: Path | str | None = None) -> StanceLexicon:
    """Read and compile a stance lexicon.

    Parameters
    ----------
    path : path-like, optional
        A YAML file laid out like ``analysis/data/stance_lexicon.yaml`` (the default).

    Returns
    -------
    StanceLexicon
        Each file is read and compiled once per process.

    Raises
    ------
    ValueError
        If a section is missing or malformed, a cue is not a valid regular
        expression or has a weight that is not a positive number.
    """
    return _load_stance_lexicon(str(Path(path) if path is not None else DEFAULT_LEXICON_FILE))


@functools.lru_cache(maxsize=8)
def _load_stance_lexicon(file: str) -> StanceLexicon:
    data = read_yaml_mapping(str(file), expected="must be a mapping with a 'language'")
    lexicon = validate_lexicon(StanceLexiconFile, data, file)
    evaluative = lexicon.evaluative
    sections: list[tuple[str, int, list[WeightedCue]]] = [
        ("evaluative", 1, evaluative.favorable),
        ("evaluative", -1, evaluative.unfavorable),
        ("act", -1, evaluative.unfavorable_acts),
        ("gains", 1, lexicon.gains),
        ("losses", -1, lexicon.losses),
        ("gain_nouns", 1, lexicon.gain_nouns),
        ("loss_nouns", -1, lexicon.loss_nouns),
        ("intransigence", -1, lexicon.intransigence),
    ]
    cues = [
        StanceCue(kind, polarity, float(entry.weight), entry.cue)
        for kind, polarity, entries in sections
        for entry in entries
    ]
    return StanceLexicon(
        language=lexicon.language,
        cues=tuple(cues),
        pattern=compile_cues([(c.pattern, c.weight) for c in cues]),
        negation=negation_pattern(lexicon.negators, lexicon.negation_window),
        clause_break=re.compile(
            r"[;:()—]|\s-\s|,\s*(?=(?:" + _alternation(lexicon.clause_words) + r")\b)"
            r"|\s(?:and|or)\s+(?=(?:the\s+)?(?-i:[A-Z]))",
            re.IGNORECASE,
        ),
        patient_before=_preceded_by(lexicon.patient_prepositions),
        object_before=_preceded_by(lexicon.object_prepositions),
        counterpart_window=lexicon.counterpart_window,
        outcome_factor=float(lexicon.outcome_factor),
        negated_judgement_factor=float(lexicon.negated_judgement_factor),
    )
