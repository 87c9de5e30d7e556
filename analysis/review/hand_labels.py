"""Human labels: the hand-labelled set and the analyst's overrides.

* ``corpus/labels/stance_labels.csv`` — the labelled set (guideline in
  ``corpus/labels/guideline.md``), article- and sentence-level, for stance per
  target and for outcome framing (``target`` = ``"outcome"``), each row in the
  ``tuning`` or the ``frozen`` split.
* ``corpus/overrides.csv`` — corrections an analyst makes to computed labels.
  Overrides win over computed labels in every output and count as labels in
  the evaluation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from analysis.corpus.article_file import write_text_atomically
from analysis.corpus.articles import ARTICLES_DIR
from analysis.labels.targets import load_targets
from analysis.pipeline.safe_csv import to_csv_text

__all__ = [
    "LABELS_FILE",
    "LABEL_COLUMNS",
    "OUTCOME_LABELS",
    "OUTCOME_TARGET",
    "OVERRIDES_FILE",
    "OVERRIDE_COLUMNS",
    "RATED_STANCE_LABELS",
    "SPLITS",
    "STANCE_LABELS",
    "apply_overrides",
    "load_labels",
    "load_overrides",
    "save_override",
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
OVERRIDES_FILE = Path("overrides.csv")
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
OVERRIDE_COLUMNS = ["article_id", "target", "label", "note", "who", "when"]


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])


def _check_row(
    corpus_dir: Path,
    article_id: str,
    target: str,
    label: str,
    *,
    targets: frozenset[str],
    where: str,
) -> None:
    if not article_id or not (corpus_dir / ARTICLES_DIR / f"{article_id}.md").is_file():
        raise ValueError(f"{where}: article_id {article_id!r} is not an article of {corpus_dir}")
    if target != OUTCOME_TARGET and target not in targets:
        known = ", ".join(sorted(targets))
        raise ValueError(f"{where}: target {target!r} is not {OUTCOME_TARGET!r} or one of {known}")
    allowed = OUTCOME_LABELS if target == OUTCOME_TARGET else RATED_STANCE_LABELS
    if label not in allowed:
        raise ValueError(f"{where}: label {label!r} for target {target!r} is not one of {allowed}")


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
    labels = _read_csv(path)
    missing = [c for c in LABEL_COLUMNS if c not in labels.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    targets = frozenset(load_targets()[0])
    for row, record in enumerate(labels.to_dict("records"), start=2):
        where = f"{path}, line {row}"
        _check_row(
            root,
            str(record["article_id"]),
            str(record["target"]),
            str(record["label"]),
            targets=targets,
            where=where,
        )
        if record["split"] not in SPLITS:
            raise ValueError(f"{where}: split {record['split']!r} is not one of {SPLITS}")
    duplicated = labels.duplicated(["article_id", "sentence", "target"], keep=False)
    if duplicated.any():
        first = labels[duplicated].iloc[0]
        raise ValueError(
            f"{path}: article {first['article_id']!r}, target {first['target']!r} is labelled "
            f"twice for sentence {first['sentence']!r}"
        )
    return labels[LABEL_COLUMNS].reset_index(drop=True)


def load_overrides(corpus_dir: Path | str) -> pd.DataFrame:
    """Read the analyst's overrides (an empty frame when there are none).

    Parameters
    ----------
    corpus_dir : path-like
        The corpus folder; the file is ``overrides.csv`` in it.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`OVERRIDE_COLUMNS`, all strings: ``target`` is a target
        id or ``"outcome"``.

    Raises
    ------
    ValueError
        If a column is missing or a row names an unknown article, target or
        label (the line and field are named).
    """
    root = Path(corpus_dir)
    path = root / OVERRIDES_FILE
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype=str) for c in OVERRIDE_COLUMNS})
    overrides = _read_csv(path)
    missing = [c for c in OVERRIDE_COLUMNS if c not in overrides.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    targets = frozenset(load_targets()[0])
    for row, record in enumerate(overrides.to_dict("records"), start=2):
        _check_row(
            root,
            str(record["article_id"]),
            str(record["target"]),
            str(record["label"]),
            targets=targets,
            where=f"{path}, line {row}",
        )
    return overrides[OVERRIDE_COLUMNS].reset_index(drop=True)


def save_override(
    corpus_dir: Path | str,
    *,
    article_id: str,
    target: str,
    label: str,
    who: str,
    note: str = "",
    when: dt.date | None = None,
) -> pd.DataFrame:
    """Add or replace the override for one article and target, atomically.

    Parameters
    ----------
    corpus_dir : path-like
        The corpus folder.
    article_id : str
        An article of the corpus.
    target : str
        A target id (``russia``, ``us_west`` ...) or ``"outcome"``.
    label : str
        A stance label (favorable, unfavorable, neutral, not mentioned) or, for
        ``"outcome"``, an outcome label.
    who : str
        Who made the correction (not empty).
    note : str, optional
        Why, in the analyst's words.
    when : datetime.date, optional
        Defaults to today.

    Returns
    -------
    pandas.DataFrame
        All overrides after the change, as :func:`load_overrides` returns them.

    Raises
    ------
    ValueError
        If ``article_id``, ``target`` or ``label`` is unknown, or ``who`` is empty.
    """
    root = Path(corpus_dir)
    _check_row(
        root, article_id, target, label, targets=frozenset(load_targets()[0]), where="override"
    )
    if not who.strip():
        raise ValueError("override: who must name the analyst")
    day = (when or dt.date.today()).isoformat()
    current = load_overrides(root)
    kept = current[~((current["article_id"] == article_id) & (current["target"] == target))]
    row = pd.DataFrame(
        [[article_id, target, label, note, who.strip(), day]], columns=OVERRIDE_COLUMNS
    )
    updated = pd.concat([kept, row], ignore_index=True).sort_values(
        ["article_id", "target"], kind="stable", ignore_index=True
    )
    write_text_atomically(root / OVERRIDES_FILE, to_csv_text(updated))
    return updated


def apply_overrides(
    frame: pd.DataFrame, overrides: pd.DataFrame | None, *, task: str
) -> pd.DataFrame:
    """A copy of ``frame`` with override labels in ``label``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Computed labels with ``article_id``, ``label`` and, for ``task="stance"``,
        ``target``. Not modified.
    overrides : pandas.DataFrame or None
        From :func:`load_overrides`.
    task : {"stance", "outcome"}
        Stance rows match on article and target, outcome rows on article with
        target ``"outcome"``.

    Returns
    -------
    pandas.DataFrame
        ``frame`` plus ``computed_label`` (the rules' label), ``source``
        (``"rules"`` or ``"override"``) and ``override_note``
        (``"<who>, <when>: <note>"`` or ``""``).

    Raises
    ------
    ValueError
        If ``task`` is neither ``"stance"`` nor ``"outcome"``.
    """
    if task not in ("stance", "outcome"):
        raise ValueError(f"task must be 'stance' or 'outcome', got {task!r}")
    result = frame.copy()
    result["computed_label"] = result["label"]
    result["source"] = "rules"
    result["override_note"] = ""
    if overrides is None or overrides.empty:
        return result
    if task == "stance":
        chosen = overrides[overrides["target"] != OUTCOME_TARGET]
        keys = list(zip(result["article_id"], result["target"], strict=True))
        lookup = {(r.article_id, r.target): r for r in chosen.itertuples(index=False)}
    else:
        chosen = overrides[overrides["target"] == OUTCOME_TARGET]
        keys = list(zip(result["article_id"], [OUTCOME_TARGET] * len(result), strict=True))
        lookup = {(r.article_id, OUTCOME_TARGET): r for r in chosen.itertuples(index=False)}
    found = [lookup.get(key) for key in keys]
    labels = [
        r.label if r is not None else label for r, label in zip(found, result["label"], strict=True)
    ]
    notes = [f"{r.who}, {r.when}: {r.note}".rstrip(": ") if r is not None else "" for r in found]
    result["label"] = pd.Series(labels, index=result.index, dtype=object)
    result["source"] = pd.Series(
        ["override" if r is not None else "rules" for r in found], index=result.index, dtype=object
    )
    result["override_note"] = pd.Series(notes, index=result.index, dtype=object)
    return result
