"""Writing an analysis: every table of a selection as formula-safe CSV, and its manifest.

:func:`write_analysis` is what ``narratives analyze`` and the dashboard's
"Export all" both call, so the two write the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypedDict

import pandas as pd

from analysis.corpus.article_file import write_text_atomically
from analysis.corpus.selection import Selection
from analysis.corpus.types import Problem
from analysis.labels.evidence import EVIDENCE_COLUMNS, evidence_text
from analysis.pipeline.prepare import AnalysisOptions, PreparedCorpus
from analysis.pipeline.safe_csv import to_csv_text, write_csv
from analysis.pipeline.store import analysis_version
from analysis.pipeline.tables import analysis_tables
from analysis.review.overrides import OVERRIDES_FILE, overrides_warning

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

#: Evidence rows given their sentences and written at once by :func:`csv_parts`.
CSV_PART_ROWS = 50_000

#: The file, beside the tables, that records how to reproduce them.
MANIFEST_FILE = "manifest.json"


def csv_parts(
    prepared: PreparedCorpus, table: pd.DataFrame, *, rows_per_part: int = CSV_PART_ROWS
) -> Iterator[str]:
    """The formula-safe CSV text of an analysis table, in parts to write one after another.

    Evidence rows (:data:`analysis.labels.evidence.EVIDENCE_COLUMNS`) get their
    sentences (:func:`analysis.labels.evidence.evidence_text`) ``rows_per_part``
    rows at a time; the text is the same as the CSV of the whole table with
    its sentences.
    """
    if list(table.columns) == list(EVIDENCE_COLUMNS):
        for first in range(0, max(len(table), 1), rows_per_part):
            part = evidence_text(prepared.articles, table.iloc[first : first + rows_per_part])
            yield to_csv_text(part, header=first == 0)
    else:
        yield to_csv_text(table)


def _software_version() -> str:
    try:
        return importlib.metadata.version("narratives")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class ManifestInputs:
    """What a manifest records of what its tables were made from, beyond filters and parameters.

    All of it is known once the corpus is loaded, before it is prepared, so
    :func:`up_to_date` can tell whether an output folder is current without
    preparing the corpus.
    """

    fingerprint: str
    articles: int
    options: AnalysisOptions
    overrides: pd.DataFrame
    overrides_problem: Problem | None = None

    @classmethod
    def of(cls, prepared: PreparedCorpus) -> ManifestInputs:
        """The inputs of a prepared corpus."""
        return cls(
            fingerprint=prepared.fingerprint,
            articles=len(prepared.articles),
            options=prepared.options,
            overrides=prepared.overrides,
            overrides_problem=prepared.overrides_problem,
        )


def _overrides_record(inputs: ManifestInputs) -> dict[str, object]:
    record: dict[str, object] = {
        "file": OVERRIDES_FILE.name,
        "applied": len(inputs.overrides),
        # Which corrections, not only how many: a changed label changes the tables.
        "sha256": hashlib.sha256(inputs.overrides.to_csv(index=False).encode("utf-8")).hexdigest(),
    }
    if inputs.overrides_problem is not None:
        record["error"] = overrides_warning(inputs.overrides_problem)
    return record


def manifest(
    prepared: PreparedCorpus | ManifestInputs,
    selection: Selection,
    *,
    parameters: dict[str, object],
    tables: dict[str, int],
    files: dict[str, int] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, object]:
    """What is needed to reproduce a set of tables: corpus, filters, parameters, version, time.

    ``prepared`` is the prepared corpus, or only its :class:`ManifestInputs`.
    ``overrides`` records the analyst's corrections in force: the file, how
    many it holds (``applied``), a hash of them (``sha256``) and, when it is
    broken, ``error`` (and ``applied`` is 0). ``analysis_version`` identifies
    the analysis code, lexicons, models and libraries
    (:func:`analysis.pipeline.store.analysis_version`); ``files`` the size in
    bytes of each table's file, as written.
    """
    inputs = prepared if isinstance(prepared, ManifestInputs) else ManifestInputs.of(prepared)
    return {
        "software": "narratives",
        "version": _software_version(),
        "analysis_version": analysis_version(),
        "created": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "corpus_fingerprint": inputs.fingerprint,
        "corpus_articles": inputs.articles,
        "filters": selection.to_dict(),
        "filters_in_words": selection.describe(),
        "options": asdict(inputs.options),
        "overrides": _overrides_record(inputs),
        "parameters": parameters,
        "tables": tables,
        "files": files or {},
    }


class TableOptions(TypedDict):
    """The keyword arguments of :func:`write_analysis` beyond the corpus, selection and folder."""

    group_by: str
    compare: tuple[str, str] | None
    kwic_terms: tuple[str, ...]
    top: int | None
    prior: str
    blind_spots: bool


def analysis_parameters(
    *,
    group_by: str = "outlet",
    compare: tuple[str, str] | None = None,
    kwic_terms: tuple[str, ...] = (),
    top: int | None = None,
    prior: str = "selection",
    blind_spots: bool = False,
) -> dict[str, object]:
    """The parameters :func:`write_analysis` records in the manifest."""
    return {
        "group_by": group_by,
        "compare": list(compare) if compare else None,
        "kwic": list(kwic_terms) or None,
        "top": top,
        **({"prior": prior} if prior != "selection" else {}),
        **({"blind_spots": True} if blind_spots else {}),
    }


#: Manifest entries that say what was written rather than what it was made from.
_OUTCOME_ENTRIES = ("created", "tables", "files")


def up_to_date(
    inputs: ManifestInputs, selection: Selection, out: Path, parameters: dict[str, object]
) -> str | None:
    """When ``out`` already holds these tables: the time its manifest records, else ``None``.

    They are there when ``out``'s manifest records the same corpus fingerprint,
    corrections, options, filters, parameters, software and analysis version
    as this analysis would, and every table file it lists is there with the
    size it records. Anything else (no manifest, an unreadable one, one
    written before sizes were recorded, a file missing or changed in size, a
    corpus without a fingerprint) means the tables must be written.
    """
    if not inputs.fingerprint:
        return None
    try:
        existing = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(existing, dict):
        return None
    expected = json.loads(json.dumps(manifest(inputs, selection, parameters=parameters, tables={})))
    for key, value in expected.items():
        if key not in _OUTCOME_ENTRIES and existing.get(key) != value:
            return None
    files, tables = existing.get("files"), existing.get("tables")
    if not isinstance(files, dict) or not isinstance(tables, dict):
        return None
    if set(files) != {f"{name}.csv" for name in tables}:
        return None
    for name, size in files.items():
        try:
            if (out / name).stat().st_size != size:
                return None
        except OSError:
            return None
    return str(existing.get("created", ""))


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
            size = 0
            with out.open(f"{name}.csv", "w") as member:
                for part in csv_parts(prepared, table):
                    encoded = part.encode("utf-8")
                    member.write(encoded)
                    size += len(encoded)
            files[f"{name}.csv"] = size
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            path = write_csv(csv_parts(prepared, table), out / f"{name}.csv")
            files[path.name] = path.stat().st_size
    record = manifest(prepared, selection, parameters=parameters, tables=rows, files=files, now=now)
    manifest_text = json.dumps(record, indent=2, sort_keys=True) + "\n"
    if isinstance(out, zipfile.ZipFile):
        out.writestr(MANIFEST_FILE, manifest_text)
    else:
        write_text_atomically(out / MANIFEST_FILE, manifest_text)
    return rows
