"""CSV exports that a spreadsheet cannot turn into formulas, byte-identical on every run."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analysis.corpus.atomic import replacing, write_text_atomically
from analysis.corpus.types import list_text
from analysis.pipeline.csv_cache import KeptPart, write_part

__all__ = [
    "FORMULA_PREFIXES",
    "has_carriage_return",
    "neutralize_formulas",
    "to_csv_bytes",
    "to_csv_rows",
    "to_csv_text",
    "write_csv",
]

#: A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _neutralize(value: object) -> object:
    if isinstance(value, list | tuple):
        value = list_text(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a leading apostrophe, which spreadsheets show as text. Numbers
    are left alone: ``-1.5`` in a numeric column stays a number.
    """
    result = frame.copy()
    for column in result.columns:
        values = result[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            categories = values.cat.categories.map(_neutralize)
            if categories.is_unique:
                result[column] = values.cat.rename_categories(list(categories))
            else:
                result[column] = values.astype(object).map(_neutralize)
        elif values.dtype != object and pd.api.types.is_string_dtype(values):
            # A text column holds text or missing values only: one vectorised test
            # (a cell at a time took a third of writing the tables at 10,000 articles).
            starts = values.str.startswith(FORMULA_PREFIXES)
            formulas = starts.fillna(False).astype(bool).to_numpy()
            if formulas.any():
                result[column] = values.where(~formulas, "'" + values)
        elif values.dtype == object:
            # Lists, numbers and text side by side: each cell as it is.
            result[column] = values.map(_neutralize)
    result.columns = [str(_neutralize(str(c))) for c in result.columns]
    return result


def has_carriage_return(frame: pd.DataFrame) -> bool:
    """Whether a text cell (or a column name) of ``frame`` holds a carriage return."""
    if any("\r" in str(column) for column in frame.columns):
        return True
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = pd.Series(values.cat.categories)
        if values.dtype != object and pd.api.types.is_string_dtype(values):
            # Text only: searched as it is, without a copy of every cell as str.
            found = values.str.contains("\r", regex=False).fillna(False).astype(bool)
        elif values.dtype == object:
            found = values.dropna().astype(str).str.contains("\r", regex=False)
        else:
            continue
        if found.any():
            return True
    return False


def to_csv_text(frame: pd.DataFrame, *, header: bool = True, quote_all: bool | None = None) -> str:
    """Formula-safe CSV text with ``\\n`` line ends and floats written to 10 significant digits.

    Without ``header`` the rows only: parts of one table written one after another
    give the same text as the whole table. Cells holding a line feed, a quote or
    a comma are quoted; so is every text cell of a table in which some cell holds
    a carriage return (the CSV writer would leave a lone ``\\r`` unquoted with
    ``\\n`` line ends, and a spreadsheet would start a new row there).
    ``quote_all`` says whether to quote every text cell, for parts of a table
    that must all be quoted alike; by default, whether ``frame`` has a
    carriage return (:func:`has_carriage_return`).
    """
    if quote_all is None:
        quote_all = has_carriage_return(frame)
    return _csv_text(neutralize_formulas(frame), header=header, quote_all=quote_all)


def _csv_text(safe: pd.DataFrame, *, header: bool, quote_all: bool) -> str:
    """The CSV text of a frame already made formula-safe."""
    buffer = io.StringIO()
    quoting: Literal[0, 2] = csv.QUOTE_NONNUMERIC if quote_all else csv.QUOTE_MINIMAL
    safe.to_csv(
        buffer,
        index=False,
        header=header,
        quoting=quoting,
        lineterminator="\n",
        float_format="%.10g",
        date_format="%Y-%m-%d",
    )
    return buffer.getvalue()


def _line_feeds(values: pd.Series) -> np.ndarray:
    """Line feeds in each cell of a column (0 in numbers and missing cells)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        per_category = _line_feeds(pd.Series(values.cat.categories.astype(object)))
        codes = values.cat.codes.to_numpy()
        return np.where(
            codes < 0, 0, per_category[np.maximum(codes, 0)] if len(per_category) else 0
        )
    if values.dtype != object and pd.api.types.is_string_dtype(values):
        return values.str.count("\n").fillna(0).to_numpy(dtype=np.int64)
    if values.dtype == object:
        return values.map(lambda v: v.count("\n") if isinstance(v, str) else 0).to_numpy(
            dtype=np.int64
        )
    return np.zeros(len(values), dtype=np.int64)


def to_csv_rows(frame: pd.DataFrame, *, quote_all: bool) -> tuple[bytes, np.ndarray] | None:
    """The UTF-8 of :func:`to_csv_text` without a header, and where each row ends in it.

    A row ends after its line feed: one per row plus one per line feed in its
    cells (which are quoted). ``None`` when the line feeds do not add up,
    which a caller treats as "cut the rows another way".
    """
    safe = neutralize_formulas(frame)
    per_row = np.ones(len(safe), dtype=np.int64)
    for column in safe.columns:
        per_row += _line_feeds(safe[column])
    data = _csv_text(safe, header=False, quote_all=quote_all).encode("utf-8")
    line_feeds = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    if len(line_feeds) != int(per_row.sum()):
        return None
    return data, line_feeds[np.cumsum(per_row) - 1] + 1


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """:func:`to_csv_text` as UTF-8 bytes, for downloads."""
    return to_csv_text(frame).encode("utf-8")


def write_csv(frame: pd.DataFrame | Iterable[str | KeptPart], path: Path) -> Path:
    """Write :func:`to_csv_text` of ``frame`` to ``path`` atomically.

    ``frame`` may also be the CSV text in parts (a large table written part by
    part), some of them kept on disk (:class:`analysis.pipeline.csv_cache.KeptPart`).
    """
    if isinstance(frame, pd.DataFrame):
        write_text_atomically(Path(path), to_csv_text(frame))
    else:
        with replacing(Path(path), durable=True) as handle:
            for part in frame:
                write_part(handle, part)
    return Path(path)
