"""The analyst's overrides (``corpus/overrides.csv``): corrections to computed labels.

Overrides win over computed labels in every output and count as labels in the
evaluation. Each row is checked by :class:`Override`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from analysis.corpus.article_file import write_text_atomically
from analysis.corpus.lock import corpus_lock
from analysis.corpus.schema import record_error
from analysis.labels.targets import load_targets
from analysis.pipeline.safe_csv import to_csv_text
from analysis.review.hand_labels import OUTCOME_TARGET, LabelledRow, read_rows

__all__ = [
    "OVERRIDES_FILE",
    "OVERRIDE_COLUMNS",
    "Override",
    "apply_overrides",
    "load_overrides",
    "save_override",
]

OVERRIDES_FILE = Path("overrides.csv")
OVERRIDE_COLUMNS = ["article_id", "target", "label", "note", "who", "when"]


class Override(LabelledRow):
    """The schema of one row of ``overrides.csv``; validated with :class:`LabelledRow`'s context."""

    note: str
    who: str
    when: str


def _targets() -> frozenset[str]:
    return frozenset(load_targets()[0])


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
    overrides = read_rows(path)
    missing = [c for c in OVERRIDE_COLUMNS if c not in overrides.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    context = {"corpus_dir": root, "targets": _targets()}
    for row, record in enumerate(overrides[OVERRIDE_COLUMNS].to_dict("records"), start=2):
        try:
            Override.model_validate(record, context=context)
        except ValidationError as err:
            raise record_error(f"{path}, line {row}", err) from None
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
    try:
        LabelledRow.model_validate(
            {"article_id": article_id, "target": target, "label": label},
            context={"corpus_dir": root, "targets": _targets()},
        )
    except ValidationError as err:
        raise record_error("override", err) from None
    if not who.strip():
        raise ValueError("override: who must name the analyst")
    day = (when or dt.date.today()).isoformat()
    # Read, change and write under the corpus lock: two analysts saving at once
    # each keep their correction.
    with corpus_lock(root, "label correction"):
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
