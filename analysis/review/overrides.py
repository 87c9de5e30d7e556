"""The analyst's overrides (``corpus/overrides.csv``): corrections to computed labels.

Overrides win over computed labels in every output and count as labels in the
evaluation. Each row is checked by :class:`Override`. The command line and the
dashboard read the file with :func:`read_overrides`: a broken file applies no
correction at all and is reported (:func:`overrides_warning`), never silently
skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from analysis.corpus.atomic import write_text_atomically
from analysis.corpus.lock import corpus_lock
from analysis.corpus.schema import error_field, error_message, record_error
from analysis.corpus.types import Problem
from analysis.labels.targets import load_targets
from analysis.pipeline.safe_csv import to_csv_text
from analysis.review.hand_labels import OUTCOME_TARGET, LabelledRow

__all__ = [
    "OVERRIDES_FILE",
    "OVERRIDE_COLUMNS",
    "Override",
    "apply_overrides",
    "load_overrides",
    "overrides_warning",
    "read_overrides",
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


def _no_overrides() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=str) for c in OVERRIDE_COLUMNS})


class _BrokenFileError(Exception):
    """What :func:`_read` found wrong, as a :class:`Problem` (never leaves this module)."""

    def __init__(self, field: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.problem = Problem(OVERRIDES_FILE.name, field, message, line)


def _text(path: Path) -> str | None:
    """The file's text (``None`` when there is no file); a byte order mark is dropped."""
    if path.is_symlink() and not path.exists():
        raise _BrokenFileError("(file)", f"is a link to {path.readlink()}, which does not exist")
    if not path.exists():
        return None
    if not path.is_file():
        raise _BrokenFileError("(file)", "is a folder or a device, not a CSV file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise _BrokenFileError("(file)", f"cannot be read ({err.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise _BrokenFileError(
            "(file)",
            f"is not UTF-8 text (byte 0x{data[err.start]:02x}); save it as UTF-8 CSV",
            line,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _BrokenFileError("(file)", "contains a NUL character: a binary file?", line)
    return text


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank CSV record of ``text`` with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            reason = (
                "a quoted value is never closed"
                if "unexpected end of data" in str(err)
                else f"bad quoting ({err}); a value with a quote must be quoted as a "
                'whole, its quotes doubled: "say ""no"""'
            )
            raise _BrokenFileError("(row)", reason, line) from None
        if record:
            yield line, record
        line = reader.line_num + 1


def _read(root: Path) -> pd.DataFrame:
    """The checked overrides of the corpus in ``root``.

    Raises
    ------
    _BrokenFileError
        At the first thing wrong with the file.
    """
    text = _text(root / OVERRIDES_FILE)
    if text is None:
        return _no_overrides()
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise _BrokenFileError(
            "(header)", f"is empty; its first line must be {','.join(OVERRIDE_COLUMNS)}", 1
        )
    header = first[1]
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        raise _BrokenFileError("(header)", f"column(s) {', '.join(twice)} appear twice", 1)
    missing = [c for c in OVERRIDE_COLUMNS if c not in header]
    if missing:
        raise _BrokenFileError("(header)", f"missing column(s) {', '.join(missing)}", 1)
    context = {"corpus_dir": root, "targets": _targets()}
    rows: list[dict[str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for line, record in records:
        if len(record) != len(header):
            raise _BrokenFileError(
                "(row)",
                f"has {len(record)} values but the header names {len(header)} columns",
                line,
            )
        row = {c: v for c, v in zip(header, record, strict=True) if c in OVERRIDE_COLUMNS}
        try:
            Override.model_validate(row, context=context)
        except ValidationError as err:
            item = err.errors()[0]
            field, message = error_field(item), error_message(item)
            # A validator's message names its field and value itself (as record_error).
            if item["type"] != "value_error":
                message = f"{field}: {message}"
            raise _BrokenFileError(field, message, line) from None
        key = (row["article_id"], row["target"])
        if key in seen:
            raise _BrokenFileError(
                "(row)",
                f"article_id {key[0]!r} and target {key[1]!r} are corrected on line "
                f"{seen[key]} already; keep one of the two rows",
                line,
            )
        seen[key] = line
        rows.append(row)
    if not rows:
        return _no_overrides()
    return pd.DataFrame(rows, columns=OVERRIDE_COLUMNS, dtype=object)


def _where(root: Path | None, problem: Problem) -> str:
    file = str(root / problem.file) if root is not None else problem.file
    return file if problem.line is None else f"{file}, line {problem.line}"


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
        If the file cannot be read as UTF-8 CSV, a column is missing, a row
        names an unknown article, target or label, or corrects an article and
        target twice (the file, line and field are named).

    See Also
    --------
    read_overrides : the same, reporting a broken file instead of raising.
    """
    root = Path(corpus_dir)
    try:
        return _read(root)
    except _BrokenFileError as err:
        raise ValueError(f"{_where(root, err.problem)}: {err.problem.message}") from None


def read_overrides(corpus_dir: Path | str) -> tuple[pd.DataFrame, Problem | None]:
    """The overrides to apply and, when the file is broken, what is wrong with it.

    Never raises for a bad file: a broken file gives no override at all (not
    the rows before the bad one, nor an older version of the file), so every
    client shows the computed labels until it is fixed.

    Parameters
    ----------
    corpus_dir : path-like
        The corpus folder; the file is ``overrides.csv`` in it.

    Returns
    -------
    overrides : pandas.DataFrame
        As :func:`load_overrides` returns it; empty when the file is broken.
    problem : Problem or None
        The first thing wrong with the file (file ``overrides.csv``, its line
        and field); :func:`overrides_warning` says it in words.
    """
    try:
        return _read(Path(corpus_dir)), None
    except _BrokenFileError as err:
        return _no_overrides(), err.problem


def overrides_warning(problem: Problem, corpus_dir: Path | str | None = None) -> str:
    """What the command line, the manifest and the dashboard say about a broken overrides file.

    The file is named relative to the corpus folder, or under ``corpus_dir`` when given.
    """
    root = Path(corpus_dir) if corpus_dir is not None else None
    file = str(root / problem.file) if root is not None else problem.file
    return (
        f"{_where(root, problem)}: {problem.message}. "
        f"Fix or delete {file}; until then no correction is applied."
    )


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
    # Copy-on-write: the new frame shares the computed columns until one is written.
    result = frame.copy(deep=False)
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
