"""CSV exports that a spreadsheet cannot turn into formulas, byte-identical on every run."""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


#: The last categories neutralized, by identity, and what they became (``None``: unchanged).
#: The rows of a table written part by part share their categories: at 10,000 articles
#: the evidence table's article ids are 10,000 categories, and neutralizing them for
#: each part made writing it in parts of 10,000 rows take a quarter longer.
_NEUTRALIZED: deque[tuple[pd.Index, pd.Index | None]] = deque(maxlen=16)


def _neutralized_categories(categories: pd.Index) -> pd.Index | None:
    """``categories`` with :func:`_neutralize` applied, or ``None`` if that changes none."""
    # A copy to look through: another thread (a dashboard export) may add to it meanwhile.
    for seen, result in _NEUTRALIZED.copy():
        if seen is categories:
            return result
    mapped = categories.map(_neutralize)
    result = None if mapped.equals(categories) else mapped
    _NEUTRALIZED.append((categories, result))
    return result


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
            categories = _neutralized_categories(values.cat.categories)
            if categories is None:
                continue
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


#: How a float is written: to 10 significant digits (a missing one as an empty cell).
FLOAT_FORMAT = "%.10g"


def _csv_text(safe: pd.DataFrame, *, header: bool, quote_all: bool) -> str:
    """The CSV text of a frame already made formula-safe."""
    body = None if quote_all else _fast_rows(safe)
    if body is None:
        return _pandas_csv(_floats_as_text(safe), header=header, quote_all=quote_all)
    return (_pandas_csv(safe.iloc[:0], header=True, quote_all=False) if header else "") + body


def _pandas_csv(frame: pd.DataFrame, *, header: bool, quote_all: bool) -> str:
    """``frame`` as pandas writes it: the text :func:`_fast_rows` gives in less time."""
    buffer = io.StringIO()
    quoting: Literal[0, 2] = csv.QUOTE_NONNUMERIC if quote_all else csv.QUOTE_MINIMAL
    frame.to_csv(
        buffer,
        index=False,
        header=header,
        quoting=quoting,
        lineterminator="\n",
        float_format=FLOAT_FORMAT,
        date_format="%Y-%m-%d",
    )
    return buffer.getvalue()


def _floats_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its float columns as the text ``to_csv`` writes for them with
    ``float_format=FLOAT_FORMAT``, each distinct value formatted once (pandas
    formats every cell in Python, one call each)."""
    out = None
    for position, dtype in enumerate(frame.dtypes):
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            if out is None:
                out = frame.copy(deep=False)
            texts = _float_texts(frame.iloc[:, position].to_numpy())
            # Kept as objects: as a column of text, pandas would convert every cell.
            formatted = pd.Series(texts, index=frame.index, dtype=object)
            out.isetitem(position, formatted)  # type: ignore[arg-type]
    return frame if out is None else out


def _float_texts(values: np.ndarray) -> np.ndarray:
    """Each float as :data:`FLOAT_FORMAT` writes it, a missing one as an empty string.

    Values are told apart by their bits, so ``-0.0`` stays ``-0``.
    """
    bits = values.view(np.dtype(f"u{values.itemsize}"))
    codes, distinct = pd.factorize(bits)
    texts = np.array(
        [FLOAT_FORMAT % value for value in distinct.view(values.dtype).tolist()] + [""],
        dtype=object,
    )
    codes[np.isnan(values)] = -1
    return texts[codes]


#: What makes a text cell quoted with ``csv.QUOTE_MINIMAL`` and ``\n`` line ends.
_QUOTED = '[,"\n]'


def _fast_rows(frame: pd.DataFrame) -> str | None:
    """The rows of ``frame`` as ``to_csv`` writes them with minimal quoting, built column by
    column in Arrow; ``None`` where that text is not sure to be the same (pandas writes it).

    Writing a table of millions of rows through pandas passes every cell to the
    ``csv`` module one at a time: 12 s of the term contrasts' 2.6 million rows
    at 10,000 articles. Here each column becomes its cells' text at once:
    whole numbers as Python writes them, booleans as ``True`` and ``False``,
    floats to :data:`FLOAT_FORMAT`, times as their dates (``%Y-%m-%d``), texts
    quoted where they hold a comma, a quote or a line feed (a quote doubled), a
    missing cell empty. Tables of one column (an empty row would be ``""``),
    and columns of other kinds (times with a zone, lists, mixed objects,
    categories of numbers), or texts with a carriage return (the ``csv``
    module leaves one unquoted), are left to pandas.
    """
    if len(frame.columns) < 2 or frame.empty:
        return None
    columns = []
    for position in range(len(frame.columns)):
        texts = _cell_texts(frame.iloc[:, position])
        if texts is None:
            return None
        columns.append(texts)
    lines = pc.binary_join_element_wise(*columns, _text(","))
    lines = pc.binary_join_element_wise(lines, _text(""), _text("\n"))
    # One text of every line, one after another.
    whole = pc.binary_join(
        pa.LargeListArray.from_arrays(pa.array([0, len(lines)]), lines), _text("")
    )
    return str(whole[0].as_py())


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def _cell_texts(values: pd.Series) -> pa.Array | None:
    """A column's cells as :func:`_fast_rows` writes them, or ``None`` if it cannot."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind != "O":
        array = values.to_numpy()
        if dtype.kind in "iu":
            return pc.cast(pa.array(array), pa.large_string())
        if dtype.kind == "b":
            return pc.cast(pc.if_else(pa.array(array), "True", "False"), pa.large_string())
        if dtype.kind == "f":
            return pa.array(_float_texts(array), pa.large_string())
        if dtype.kind == "M":
            return _date_texts(pa.array(array, from_pandas=True))
        return None
    if isinstance(values.array, pd.arrays.IntegerArray):
        # Whole numbers with missing cells (an evidence row's sentence start).
        ints = pa.array(values, from_pandas=True)
        return pc.fill_null(pc.cast(ints, pa.large_string()), "")
    if isinstance(values.array, pd.arrays.BooleanArray):
        flags = pc.if_else(pa.array(values, from_pandas=True), "True", "False")
        return pc.fill_null(pc.cast(flags, pa.large_string()), "")
    try:
        texts = pa.array(values, from_pandas=True)
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        return None
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if pa.types.is_dictionary(texts.type):
        texts = texts.dictionary_decode()
    if pa.types.is_null(texts.type):
        return pa.array([""] * len(values), pa.large_string())
    if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        return None
    texts = pc.fill_null(texts.cast(pa.large_string()), "")
    if pc.any(pc.match_substring(texts, "\r")).as_py():
        return None
    quoted = pc.match_substring_regex(texts, _QUOTED)
    if pc.any(quoted).as_py():
        doubled = pc.replace_substring(texts, '"', '""')
        texts = pc.if_else(
            quoted, pc.binary_join_element_wise(_text('"'), doubled, _text('"'), _text("")), texts
        )
    return texts


def _date_texts(stamps: pa.Array) -> pa.Array | None:
    """Times (no time zone) as pandas writes them with ``date_format="%Y-%m-%d"``; a missing
    one empty. ``None`` for a year outside 1000–9999, whose digits the two may write apart."""
    years = pc.min_max(pc.year(stamps))
    low, high = years["min"].as_py(), years["max"].as_py()
    if low is not None and (low < 1000 or high > 9999):
        return None
    return pc.fill_null(pc.cast(pc.strftime(stamps, format="%Y-%m-%d"), pa.large_string()), "")


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


def write_csv(frame: pd.DataFrame | Iterable[str | bytes | KeptPart], path: Path) -> Path:
    """Write :func:`to_csv_text` of ``frame`` to ``path`` atomically.

    ``frame`` may also be the CSV text in parts (a large table written part by
    part), as text or UTF-8, some of them kept on disk
    (:class:`analysis.pipeline.csv_cache.KeptPart`).
    """
    if isinstance(frame, pd.DataFrame):
        write_text_atomically(Path(path), to_csv_text(frame))
    else:
        with replacing(Path(path), durable=True) as handle:
            for part in frame:
                write_part(handle, part)
    return Path(path)
