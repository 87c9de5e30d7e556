"""CSV exports that a spreadsheet cannot turn into formulas, byte-identical on every run."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.corpus.article_file import write_text_atomically

__all__ = ["FORMULA_PREFIXES", "neutralize_formulas", "to_csv_bytes", "to_csv_text", "write_csv"]

#: A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _neutralize(value: object) -> object:
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
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            result[column] = values.map(_neutralize)
    result.columns = [str(_neutralize(str(c))) for c in result.columns]
    return result


def to_csv_text(frame: pd.DataFrame, *, header: bool = True) -> str:
    """Formula-safe CSV text with ``\\n`` line ends and floats written to 10 significant digits.

    Without ``header`` the rows only: parts of one table written one after another
    give the same text as the whole table.
    """
    buffer = io.StringIO()
    neutralize_formulas(frame).to_csv(
        buffer,
        index=False,
        header=header,
        lineterminator="\n",
        float_format="%.10g",
        date_format="%Y-%m-%d",
    )
    return buffer.getvalue()


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """:func:`to_csv_text` as UTF-8 bytes, for downloads."""
    return to_csv_text(frame).encode("utf-8")


def write_csv(frame: pd.DataFrame | Iterable[str], path: Path) -> Path:
    """Write :func:`to_csv_text` of ``frame`` to ``path`` atomically.

    ``frame`` may also be the CSV text in parts (a large table written part by part).
    """
    text = to_csv_text(frame) if isinstance(frame, pd.DataFrame) else frame
    write_text_atomically(Path(path), text)
    return Path(path)
