"""The manifest written beside an analysis's tables, and whether a folder's tables are current.

Everything here reads what is known once a corpus is loaded, so ``narratives
analyze`` can tell an up-to-date output folder without preparing the corpus
(or loading the analyses).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import pandas as pd

from analysis.corpus.selection import Selection
from analysis.corpus.types import Problem
from analysis.pipeline.options import AnalysisOptions
from analysis.pipeline.store import analysis_version
from analysis.review.overrides import OVERRIDES_FILE, overrides_warning

if TYPE_CHECKING:
    from analysis.pipeline.prepare import PreparedCorpus

__all__ = [
    "MANIFEST_FILE",
    "ManifestInputs",
    "TableOptions",
    "analysis_parameters",
    "manifest",
    "up_to_date",
]

#: The file, beside the tables, that records how to reproduce them.
MANIFEST_FILE = "manifest.json"


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
