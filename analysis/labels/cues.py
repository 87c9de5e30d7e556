"""Dictionaries of cue words and phrases, compiled once and matched in one scan of a text.

Frames (``analysis/data/frames.yaml``) and agenda subjects
(``analysis/data/subjects.yaml``) are both labels, each with a list of cue
words and phrases. This module reads such a file, compiles all cues into one
regular expression (a trie of the cues, so a text is scanned once whatever
the number of cues), and finds the cues in a text with their labels.

Matching rules (documented for analysts in ``docs/lexicons.md``):

* Cues match whole words: ``Iran`` does not match inside ``Iranian``; list
  each form you want (``Iran``, ``Iranian``).
* A cue written in lower case matches any capitalisation (``sanctions``
  matches ``Sanctions``); a cue with a capital letter matches only as written
  (``IS`` matches the group's abbreviation, not the verb "is").
* Words of a phrase may be separated by any whitespace.
* Where cues overlap, the longest wins (``missile defence`` over
  ``missile``, ``security council`` over ``security``), and each occurrence
  counts once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analysis.corpus.schema import error_message, read_yaml_mapping, record_error
from analysis.labels.evidence import EvidenceRow, evidence_table
from analysis.text.sentences import Sentence

if TYPE_CHECKING:
    # At run time the document module imports quotations, whose attribution uses this module.
    from analysis.labels.document import ArticleDocument

__all__ = [
    "CueCategory",
    "CueHit",
    "CueLabelEntry",
    "CueLexicon",
    "CueLexiconFile",
    "LabelRows",
    "check_group_inputs",
    "evidence_rows",
    "fold_case",
    "load_cue_lexicon",
    "scan_cues",
    "trie_pattern",
]

_LABEL_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True, slots=True)
class CueCategory:
    """One label of a cue dictionary: a frame or a subject."""

    id: str
    name: str
    description: str
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CueHit:
    """One cue found in a text: ``text[start:end]`` is the cue as written."""

    start: int
    end: int
    label: str
    cue: str


class CueLexicon:
    """Labels with their cues and the compiled pattern; see :func:`load_cue_lexicon`."""

    def __init__(self, labels: Sequence[CueCategory], *, language: str) -> None:
        self.language = language
        self.labels = {label.id: label for label in labels}
        self._folded: dict[str, str] = {}
        self._exact: dict[str, str] = {}
        for label in labels:
            for cue in label.cues:
                key = " ".join(cue.split())
                table = self._exact if key != key.lower() else self._folded
                owner = self._exact.get(key) or self._folded.get(key.lower())
                if owner is not None and owner != label.id:
                    raise ValueError(
                        f"cue {cue!r} belongs to both {owner!r} and {label.id!r}; "
                        "give it to one label only"
                    )
                table[key] = label.id
        keys = sorted({k.lower() for k in [*self._folded, *self._exact]})
        body = trie_pattern(keys) if keys else "(?!)"
        self.pattern = re.compile(rf"\b(?:{body})(?!\w)")

    def scan(self, text: str) -> list[CueHit]:
        """Every cue occurrence in ``text``, in order, longest match first."""
        folded = fold_case(text)
        hits = []
        for match in self.pattern.finditer(folded):
            start, end = match.span()
            written = " ".join(text[start:end].split())
            label = self._exact.get(written)
            if label is None:
                label = self._folded.get(written.lower())
                if label is None:
                    continue
            hits.append(CueHit(start, end, label, written.lower()))
        return hits


def fold_case(text: str) -> str:
    """``text`` in lower case, character for character, so offsets stay valid.

    The few characters whose lower case is longer (``İ``) are kept as they are.
    """
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def trie_pattern(keys: Sequence[str]) -> str:
    """A regular expression matching any key, longest first, built from a character trie."""
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: Mapping[str, dict]) -> str:
    branches = []
    ends_here = "" in node
    for char in sorted(k for k in node if k):
        piece = r"\s+" if char == " " else re.escape(char)
        branches.append(piece + _node_pattern(node[char]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body


class CueLexiconFile(BaseModel):
    """The schema of what a cue file has beside its labels: the language of its cues."""

    model_config = ConfigDict(frozen=True)

    language: str

    @field_validator("language", mode="before")
    @classmethod
    def _iso_code(cls, language: object) -> str:
        if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2,3}", language):
            raise ValueError("'language' must be an ISO 639 code such as 'en'")
        return language


class CueLabelEntry(BaseModel):
    """The schema of one label of ``frames.yaml`` or ``subjects.yaml``.

    Other keys (``codebook``) are notes for the reader and are not checked.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: object = None
    description: object = None
    cues: tuple[str, ...] = Field(default=None, validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, entry: object) -> object:
        return entry if isinstance(entry, Mapping) else {}

    @field_validator("cues", mode="before")
    @classmethod
    def _texts(cls, cues: object) -> tuple[str, ...]:
        if not isinstance(cues, list) or not cues or not all(isinstance(c, str) for c in cues):
            raise ValueError("needs 'cues', a non-empty list of texts")
        return tuple(cues)


def load_cue_lexicon(path: Path | str, *, section: str) -> CueLexicon:
    """Read a cue dictionary file.

    Parameters
    ----------
    path : path-like
        A YAML file with ``language`` (ISO 639 code of the texts the cues are
        for) and a mapping ``section`` of label id to ``{name, description,
        cues}``; see ``docs/lexicons.md``.
    section : str
        The mapping's key: ``frames`` or ``subjects``.

    Returns
    -------
    CueLexicon
        Compiled once per file and section in a process.

    Raises
    ------
    ValueError
        If the file lacks ``language`` or ``section``, a label id is not
        lower-case letters, digits and ``-``, a label has no cues, or a cue
        belongs to two labels.
    """
    return _load(str(path), section)


@functools.lru_cache(maxsize=8)
def _load(path: str, section: str) -> CueLexicon:
    needs = f"needs a mapping '{section}' of label id to {{name, cues}}"
    data = read_yaml_mapping(path, expected=needs)
    if not isinstance(data.get(section), Mapping):
        raise ValueError(f"{path}: {needs}")
    try:
        language = CueLexiconFile.model_validate({"language": data.get("language")}).language
    except ValidationError as err:
        raise record_error(path, err) from None
    labels = []
    for key, entry in data[section].items():
        label_id = str(key)
        if not _LABEL_ID.fullmatch(label_id):
            raise ValueError(f"{path}: label {label_id!r} must be lower-case letters, digits, '-'")
        try:
            checked = CueLabelEntry.model_validate(entry)
        except ValidationError as err:
            # The only check of an entry is its cues; its message reads on from the label.
            raise ValueError(
                f"{path}: label {label_id!r} {error_message(err.errors()[0])}"
            ) from None
        labels.append(
            CueCategory(
                label_id,
                str(checked.name or label_id),
                " ".join(str(checked.description or "").split()),
                tuple(" ".join(c.split()) for c in checked.cues if c.strip()),
            )
        )
    return CueLexicon(labels, language=language)


#: Rows of one article from ``(document, hits, hits by label)``; labels are in
#: order of first hit, and each label's hits in text order.
LabelRows = Callable[
    ["ArticleDocument", list[CueHit], dict[str, list[CueHit]]], Iterable[tuple[object, ...]]
]


def scan_cues(
    documents: Sequence[ArticleDocument],
    lexicon: CueLexicon,
    *,
    analysis: str,
    columns: Sequence[str],
    dtypes: Mapping[str, str],
    unsupported: tuple[object, ...],
    no_cues: tuple[object, ...],
    label_rows: LabelRows,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scan every article's cleaned text once for ``lexicon``'s cues.

    Parameters
    ----------
    documents : sequence of ArticleDocument
        The articles (:func:`analysis.labels.document.article_documents`),
        whose sentences the evidence rows give.
    lexicon : CueLexicon
        The cues; articles in another language than ``lexicon.language`` are
        not scanned.
    analysis : str
        The evidence rows' ``analysis`` (``frame``, ``subject``).
    columns, dtypes
        The columns of the per-article table and the types to give them.
    unsupported, no_cues : tuple
        The row (after the article id) of an article in another language, and
        of one without any cue.
    label_rows : LabelRows
        The rows of an article with cues.

    Returns
    -------
    table : pandas.DataFrame
        The rows of every article, in ``articles`` order.
    evidence : pandas.DataFrame
        :func:`evidence_rows` of every article with cues, columns
        :data:`analysis.labels.evidence.EVIDENCE_COLUMNS`.
    """
    rows: list[tuple[object, ...]] = []
    evidence: list[EvidenceRow] = []
    for document in documents:
        if document.language != lexicon.language:
            rows.append((document.article_id, *unsupported))
            continue
        hits = lexicon.scan(document.text)
        if not hits:
            rows.append((document.article_id, *no_cues))
            continue
        by_label: dict[str, list[CueHit]] = {}
        for hit in hits:
            by_label.setdefault(hit.label, []).append(hit)
        rows.extend(label_rows(document, hits, by_label))
        evidence.extend(evidence_rows(document, hits, analysis=analysis))
    table = pd.DataFrame(rows, columns=list(columns)).astype(dict(dtypes))
    return table, evidence_table(evidence)


def evidence_rows(
    document: ArticleDocument, hits: list[CueHit], *, analysis: str
) -> list[EvidenceRow]:
    """Evidence rows of one article: one per label and sentence, cue words and their number."""
    grouped: dict[tuple[str, int], list[CueHit]] = {}
    sentences: dict[int, Sentence] = {}
    for hit in hits:
        sentence = document.sentence_at(hit.start)
        sentences[sentence.start] = sentence
        grouped.setdefault((hit.label, sentence.start), []).append(hit)
    rows: list[EvidenceRow] = []
    for label, start in sorted(grouped, key=lambda k: (k[1], k[0])):
        group = grouped[(label, start)]
        rows.append(
            EvidenceRow(
                article_id=document.article_id,
                analysis=analysis,
                label=label,
                sentence_start=start,
                sentence_end=sentences[start].end,
                cue_words="; ".join(dict.fromkeys(hit.cue for hit in group)),
                weight=float(len(group)),
            )
        )
    return rows


def check_group_inputs(
    table: pd.DataFrame, articles: pd.DataFrame, by: str, columns: tuple[str, ...], name: str
) -> None:
    """Raise a ValueError naming what is missing for grouping ``table`` by ``articles[by]``."""
    if by not in articles.columns:
        raise ValueError(
            f"cannot group by {by!r}: articles has no such column "
            f"(columns: {', '.join(map(str, articles.columns))})"
        )
    if "id" not in articles.columns:
        raise ValueError("articles is missing column(s) id")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {', '.join(missing)}")
