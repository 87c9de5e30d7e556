"""The stance lexicon (``analysis/data/stance_lexicon.yaml``): cues, weights and their patterns."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis import DATA_DIR

__all__ = [
    "DEFAULT_LEXICON_FILE",
    "CuePattern",
    "StanceCue",
    "StanceLexicon",
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


def _entries(value: Any, *, where: str) -> list[tuple[str, float]]:
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list of {{cue, weight}} entries")
    entries = []
    for item in value:
        if not isinstance(item, Mapping) or not isinstance(item.get("cue"), str):
            raise ValueError(f"{where}: every entry needs a 'cue' string")
        weight = item.get("weight", 1.0)
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
            raise ValueError(f"{where}: cue {item['cue']!r} needs a positive 'weight'")
        try:
            re.compile(item["cue"])
        except re.error as error:
            raise ValueError(
                f"{where}: cue {item['cue']!r} is not a valid pattern: {error}"
            ) from None
        entries.append((item["cue"], float(weight)))
    return entries


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

    Raises
    ------
    ValueError
        If a section is missing or malformed, a cue is not a valid regular
        expression or has a weight that is not a positive number.
    """
    file = Path(path) if path is not None else DEFAULT_LEXICON_FILE
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or not isinstance(data.get("language"), str):
        raise ValueError(f"{file}: must be a mapping with a 'language'")
    evaluative = data.get("evaluative")
    if not isinstance(evaluative, Mapping):
        raise ValueError(f"{file}: 'evaluative' must map 'favorable' and 'unfavorable' to cues")
    sections: list[tuple[str, int, Any]] = [
        ("evaluative", 1, evaluative.get("favorable")),
        ("evaluative", -1, evaluative.get("unfavorable")),
        ("act", -1, evaluative.get("unfavorable_acts")),
        ("gains", 1, data.get("gains")),
        ("losses", -1, data.get("losses")),
        ("gain_nouns", 1, data.get("gain_nouns")),
        ("loss_nouns", -1, data.get("loss_nouns")),
        ("intransigence", -1, data.get("intransigence")),
    ]
    cues: list[StanceCue] = []
    for kind, polarity, value in sections:
        for pattern, weight in _entries(value, where=f"{file}: {kind}"):
            cues.append(StanceCue(kind, polarity, weight, pattern))
    window = int(data.get("negation_window", 3))
    patients = data.get("patient_prepositions") or []
    clause_words = data.get("clause_words") or []
    return StanceLexicon(
        language=data["language"],
        cues=tuple(cues),
        pattern=compile_cues([(c.pattern, c.weight) for c in cues]),
        negation=negation_pattern(data.get("negators") or ["not"], window),
        clause_break=re.compile(
            r"[;:()—]|\s-\s|,\s*(?=(?:" + _alternation(clause_words) + r")\b)"
            r"|\s(?:and|or)\s+(?=(?:the\s+)?(?-i:[A-Z]))",
            re.IGNORECASE,
        ),
        patient_before=_preceded_by(patients),
        object_before=_preceded_by(data.get("object_prepositions") or []),
        counterpart_window=int(data.get("counterpart_window", 6)),
        outcome_factor=float(data.get("outcome_factor", 0.5)),
        negated_judgement_factor=float(data.get("negated_judgement_factor", 0.5)),
    )
