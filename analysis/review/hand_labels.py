"""The hand-labelled set (``corpus/labels/stance_labels.csv``) and the schema of a human label.

The labelled set (guideline in ``corpus/labels/guideline.md``) is article- and
sentence-level, for stance per target and for outcome framing (``target`` =
``"outcome"``), each row in the ``tuning`` or the ``frozen`` split. An
analyst's corrections (``corpus/overrides.csv``) are read in
:mod:`analysis.review.overrides` and checked by the same :class:`LabelledRow`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator

from analysis.corpus.articles import ARTICLES_DIR
from analysis.corpus.schema import STRICT, record_error
from analysis.labels.targets import load_targets

__all__ = [
    "LABELS_FILE",
    "LABEL_COLUMNS",
    "OUTCOME_LABELS",
    "OUTCOME_TARGET",
    "RATED_STANCE_LABELS",
    "SPLITS",
    "STANCE_LABELS",
    "HandLabel",
    "LabelledRow",
    "load_labels",
    "read_rows",
]

STANCE_LABELS = ("favorable", "unfavorable", "neutral", "not mentioned", "unsupported language")
#: The labels a human can give for stance (a language is a fact, not a judgement).
RATED_STANCE_LABELS = ("favorable", "unfavorable", "neutral", "not mentioned")
OUTCOME_LABELS = (
    "Russia gained",
    "US-West gained",
    "stalemate or failure",
    "cooperation or progress",
    "neutral report",
)
OUTCOME_TARGET = "outcome"
SPLITS = ("tuning", "frozen")
LABELS_FILE = Path("labels") / "stance_labels.csv"
LABEL_COLUMNS = [
    "article_id",
    "sentence",
    "target",
    "label",
    "split",
    "labeller",
    "labelled_on",
    "note",
]


class LabelledRow(BaseModel):
    """The schema of what every human label names: an article, a target and a label.

    Validated with ``context={"corpus_dir": Path, "targets": frozenset of target ids}``:
    the article must be a file of the corpus, the target a target id or
    ``"outcome"``, and the label one a human can give for that target.
    """

    model_config = STRICT

    article_id: str
    target: str
    label: str

    @field_validator("article_id")
    @classmethod
    def _known_article(cls, article_id: str, info: ValidationInfo) -> str:
        corpus_dir = (info.context or {})["corpus_dir"]
        if not article_id or not (corpus_dir / ARTICLES_DIR / f"{article_id}.md").is_file():
            raise ValueError(f"article_id {article_id!r} is not an article of {corpus_dir}")
        return article_id

    @field_validator("target")
    @classmethod
    def _known_target(cls, target: str, info: ValidationInfo) -> str:
        targets = (info.context or {})["targets"]
        if target != OUTCOME_TARGET and target not in targets:
            known = ", ".join(sorted(targets))
            raise ValueError(f"target {target!r} is not {OUTCOME_TARGET!r} or one of {known}")
        return target

    @field_validator("label")
    @classmethod
    def _known_label(cls, label: str, info: ValidationInfo) -> str:
        if "target" not in info.data:
            return label
        target = info.data["target"]
        allowed = OUTCOME_LABELS if target == OUTCOME_TARGET else RATED_STANCE_LABELS
        if label not in allowed:
            raise ValueError(f"label {label!r} for target {target!r} is not one of {allowed}")
        return label


class HandLabel(LabelledRow):
    """The schema of one row of ``stance_labels.csv``."""

    sentence: str
    split: str
    labeller: str
    labelled_on: str
    note: str

    @field_validator("split")
    @classmethod
    def _known_split(cls, split: str) -> str:
        if split not in SPLITS:
            raise ValueError(f"split {split!r} is not one of {SPLITS}")
        return split


def read_rows(path: Path) -> pd.DataFrame:
    """A CSV file of human labels, every cell a string (empty cells are ``""``)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])


def load_labels(corpus_dir: Path | str) -> pd.DataFrame:
    """Read and check the hand-labelled set.

    Parameters
    ----------
    corpus_dir : path-like
        The corpus folder; the file is ``labels/stance_labels.csv`` in it.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LABEL_COLUMNS`, all strings; ``sentence`` is ``""`` for
        an article-level label.

    Raises
    ------
    ValueError
        If a column is missing, or a row names an unknown article, target,
        label or split (the row and field are named), or a (article, sentence,
        target) is labelled twice.
    """
    root = Path(corpus_dir)
    path = root / LABELS_FILE
    labels = read_rows(path)
    missing = [c for c in LABEL_COLUMNS if c not in labels.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    context = {"corpus_dir": root, "targets": frozenset(load_targets()[0])}
    for row, record in enumerate(labels[LABEL_COLUMNS].to_dict("records"), start=2):
        try:
            HandLabel.model_validate(record, context=context)
        except ValidationError as err:
            raise record_error(f"{path}, line {row}", err) from None
    duplicated = labels.duplicated(["article_id", "sentence", "target"], keep=False)
    if duplicated.any():
        first = labels[duplicated].iloc[0]
        raise ValueError(
            f"{path}: article {first['article_id']!r}, target {first['target']!r} is labelled "
            f"twice for sentence {first['sentence']!r}"
        )
    return labels[LABEL_COLUMNS].reset_index(drop=True)
