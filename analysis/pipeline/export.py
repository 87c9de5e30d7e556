"""Writing an analysis: every table of a selection as formula-safe CSV, and its manifest.

:func:`write_analysis` is what ``narratives analyze`` and the dashboard's
"Export all" both call, so the two write the same bytes. The manifest and the
up-to-date check are :mod:`analysis.pipeline.manifest`'s, named here too.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus.atomic import write_text_atomically
from analysis.corpus.selection import Selection
from analysis.labels.evidence import EVIDENCE_COLUMNS, article_positions, evidence_text
from analysis.pipeline.csv_cache import CsvCache, KeptPart, article_parts, row_hashes, write_part
from analysis.pipeline.manifest import (
    MANIFEST_FILE,
    ManifestInputs,
    TableOptions,
    analysis_parameters,
    manifest,
    up_to_date,
)
from analysis.pipeline.prepare import PreparedCorpus
from analysis.pipeline.safe_csv import has_carriage_return, to_csv_rows, to_csv_text, write_csv
from analysis.pipeline.tables import analysis_tables

__all__ = [
    "CSV_PART_ROWS",
    "MANIFEST_FILE",
    "ManifestInputs",
    "TableOptions",
    "analysis_parameters",
    "csv_parts",
    "manifest",
    "up_to_date",
    "write_analysis",
]

#: Rows made into CSV text at once by :func:`csv_parts` (evidence rows given their sentences).
CSV_PART_ROWS = 50_000


def _article_column(table: pd.DataFrame) -> str | None:
    for column in ("article_id", "id"):
        if column in table.columns:
            return column
    return None


def _evidence_quoted(prepared: PreparedCorpus, table: pd.DataFrame) -> bool:
    """Whether evidence with its sentences has a carriage return anywhere (then all is quoted).

    Its sentences are cut from its articles' cleaned texts and headlines, so
    those are searched rather than every sentence cut first.
    """
    if has_carriage_return(table):
        return True
    articles = prepared.articles[prepared.articles["id"].isin(table["article_id"].unique())]
    return bool(
        articles["text_clean"].str.contains("\r", regex=False).any()
        or articles["title"].astype(str).str.contains("\r", regex=False).any()
    )


#: An odd 64-bit constant (2**64 / golden ratio) that mixes one hash into another.
_MIX = np.uint64(0x9E3779B97F4A7C15)
#: Texts hashed at once by :func:`_text_hashes`.
_HASHED_AT_ONCE = 1024


def _text_hashes(values: Iterable[object]) -> np.ndarray:
    """A 64-bit hash of each text (a missing one hashes as one value of its own).

    The texts are hashed where they are: ``hash_pandas_object`` of a text
    column first makes the distinct texts an Arrow array and then Python
    strings again, two copies of every article's text at once (1.4 GiB more
    at 50,000 articles, the peak of a whole analysis); hashed all at once, their
    UTF-8 would all be held too.
    """
    texts = np.array([v if isinstance(v, str) else "\0" for v in values], dtype=object)
    hashes = np.zeros(len(texts), dtype=np.uint64)
    # A slice at a time: the hash holds the UTF-8 of every text it is given at once.
    for first in range(0, len(texts), _HASHED_AT_ONCE):
        part = texts[first : first + _HASHED_AT_ONCE]
        hashes[first : first + len(part)] = pd.util.hash_array(part, categorize=False)
    return hashes


def _evidence_row_keys(
    prepared: PreparedCorpus, table: pd.DataFrame, positions: np.ndarray
) -> np.ndarray:
    """A hash of each evidence row and of the cleaned text and headline of its article
    (``positions``: :func:`analysis.labels.evidence.article_positions` of its rows)."""
    articles = prepared.articles
    with np.errstate(over="ignore"):
        per_article = _text_hashes(articles["title"]) * _MIX ^ _text_hashes(articles["text_clean"])
        return row_hashes(table) * _MIX ^ per_article[positions]


def csv_parts(
    prepared: PreparedCorpus,
    table: pd.DataFrame,
    *,
    rows_per_part: int = CSV_PART_ROWS,
    cache: CsvCache | None = None,
) -> Iterator[str | bytes | KeptPart]:
    """The formula-safe CSV text of an analysis table, in parts to write one after another.

    The text is made ``rows_per_part`` rows at a time, so a table of millions
    of rows is never held as text whole; evidence rows
    (:data:`analysis.labels.evidence.EVIDENCE_COLUMNS`) get their sentences
    (:func:`analysis.labels.evidence.evidence_text`) a part at a time. The text
    is the same as the CSV of the whole table (with its sentences).

    With a ``cache`` (:class:`analysis.pipeline.csv_cache.CsvCache`), a table
    keyed by article is written in parts of consecutive articles instead, and a
    part whose text was made before is not made again but given as kept on disk
    (:class:`analysis.pipeline.csv_cache.KeptPart`, for
    :func:`analysis.pipeline.csv_cache.write_part`), and a part made now as its
    UTF-8; the text is the same.
    """
    evidence = list(table.columns) == list(EVIDENCE_COLUMNS)
    quote_all = _evidence_quoted(prepared, table) if evidence else has_carriage_return(table)

    # Each row's article, looked up once for the table rather than for each part.
    positions = article_positions(prepared.articles, table["article_id"]) if evidence else None

    def rows(lo: int, hi: int) -> pd.DataFrame:
        part = table.iloc[lo:hi]
        if positions is None:
            return part
        return evidence_text(prepared.articles, part, positions=positions[lo:hi])

    def text(lo: int, hi: int, *, header: bool = False) -> str:
        return to_csv_text(rows(lo, hi), header=header, quote_all=quote_all)

    column = _article_column(table)
    ranges = None if cache is None or column is None else article_parts(table[column])
    if cache is None or ranges is None:
        for first in range(0, max(len(table), 1), rows_per_part):
            yield text(first, first + rows_per_part, header=first == 0)
        return
    yield text(0, 0, header=True)
    describe = repr(
        (list(table.columns), [str(dtype) for dtype in table.dtypes], quote_all, evidence)
    ).encode()
    keys = (
        row_hashes(table) if positions is None else _evidence_row_keys(prepared, table, positions)
    )
    yield from cache.parts(
        ranges, describe, keys, lambda lo, hi: to_csv_rows(rows(lo, hi), quote_all=quote_all)
    )


def write_analysis(
    prepared: PreparedCorpus,
    selection: Selection,
    out: Path | zipfile.ZipFile,
    *,
    group_by: str = "outlet",
    compare: tuple[str, str] | None = None,
    kwic_terms: tuple[str, ...] = (),
    top: int | None = None,
    prior: str = "selection",
    blind_spots: bool = False,
    now: dt.datetime | None = None,
    cache: CsvCache | None = None,
) -> dict[str, int]:
    """Write every table of the analysis of the selected articles, and :data:`MANIFEST_FILE`.

    Parameters
    ----------
    prepared
        The prepared corpus (:func:`analysis.pipeline.prepare.prepare_corpus`).
    selection
        Which articles to analyse.
    out
        A folder (created if missing; each file is written atomically) or an
        open zip archive; either way the files are ``<table>.csv`` and
        ``manifest.json`` with the same bytes.
    group_by, compare, kwic_terms, top, prior, blind_spots
        As for :func:`analysis.pipeline.tables.analysis_tables` (``by`` there);
        recorded in the manifest (``blind_spots`` only when asked for, so the
        manifest of a run without it stays as it was).
    now
        The creation time the manifest records; the current time when omitted.
    cache
        Where CSV text of table parts is kept between writes
        (:class:`analysis.pipeline.csv_cache.CsvCache`): parts made before are
        not made again. The files are the same with or without it.

    Returns
    -------
    dict of str to int
        The number of rows of each table, by table name, in the order written.

    Raises
    ------
    ValueError
        If the selection is empty or the contrast cannot be made; nothing is
        written then.
    """
    tables = analysis_tables(
        prepared,
        selection,
        by=group_by,
        compare=compare,
        kwic_terms=kwic_terms,
        top=top,
        prior=prior,
        blind_spots=blind_spots,
    )
    rows = {name: len(table) for name, table in tables.items()}
    parameters = analysis_parameters(
        group_by=group_by,
        compare=compare,
        kwic_terms=kwic_terms,
        top=top,
        prior=prior,
        blind_spots=blind_spots,
    )
    files: dict[str, int] = {}
    if isinstance(out, zipfile.ZipFile):
        for name, table in tables.items():
            with out.open(f"{name}.csv", "w") as member:
                files[f"{name}.csv"] = sum(
                    write_part(member, part) for part in csv_parts(prepared, table, cache=cache)
                )
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            path = write_csv(csv_parts(prepared, table, cache=cache), out / f"{name}.csv")
            files[path.name] = path.stat().st_size
    if cache is not None:
        cache.prune()
    record = manifest(prepared, selection, parameters=parameters, tables=rows, files=files, now=now)
    manifest_text = json.dumps(record, indent=2, sort_keys=True) + "\n"
    if isinstance(out, zipfile.ZipFile):
        out.writestr(MANIFEST_FILE, manifest_text)
    else:
        write_text_atomically(out / MANIFEST_FILE, manifest_text)
    return rows
