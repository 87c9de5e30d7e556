"""The import report and the corpus's validation problems as tables, one row per item.

The dashboard's Corpus page shows and offers these tables for download; their
columns are the ones an analyst reads (``from file``, ``near duplicate of``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.corpus.types import Problem
from analysis.ingest.report import ImportReport

__all__ = ["import_report_tables", "validation_table"]


def import_report_tables(report: ImportReport) -> dict[str, pd.DataFrame]:
    """The report's ``added``, ``outlets``, ``inferred``, ``duplicates``, ``skipped`` and
    ``problems`` tables.

    ``added`` has one row per article added (or that would be, in a dry run);
    ``outlets`` one per outlet added to the registry; ``inferred`` one per
    inferred field with its basis; ``duplicates`` one per duplicate found
    (``added as`` is ``skipped`` when it was left out);
    ``skipped`` one per article left out; ``problems`` one per problem that
    kept a file out.
    """
    return {
        "added": pd.DataFrame(
            [
                {
                    "id": a.id,
                    "from file": a.source,
                    "title": a.title,
                    "outlet": a.outlet,
                    "published": a.published or "undated",
                    "language": a.language,
                    "meetings": "; ".join(a.meetings) or "none",
                    "renamed from": a.renamed_from,
                    "near duplicate of": a.near_duplicate_of,
                }
                for a in report.added
            ]
        ),
        "outlets": pd.DataFrame(
            [
                {
                    "outlet": o.key,
                    "name": o.name,
                    "domains": "; ".join(o.domains),
                    "language": o.language,
                    "group": "unassigned",
                    "first named in": o.source,
                }
                for o in report.outlets
            ],
            columns=["outlet", "name", "domains", "language", "group", "first named in"],
        ),
        "inferred": pd.DataFrame(
            [
                {"id": i, "field": f.field, "value": f.value, "basis": f.basis}
                for i, f in report.inferences
            ]
        ),
        "duplicates": pd.DataFrame(
            [
                {
                    "from file": d.source,
                    "title": d.title,
                    "kind": d.kind,
                    "of article": d.of_id,
                    "similarity": round(d.similarity, 3),
                    "added as": d.added_as or "skipped",
                }
                for d in report.duplicates
            ]
        ),
        "skipped": pd.DataFrame(
            [{"from file": s.source, "title": s.title, "reason": s.reason} for s in report.skipped]
        ),
        "problems": pd.DataFrame(
            [
                {"file": p.file, "line": p.line, "field": p.field, "problem": p.message}
                for p in report.problems
            ]
        ),
    }


def validation_table(problems: Iterable[Problem]) -> pd.DataFrame:
    """One row per problem: ``severity``, ``file``, ``line``, ``field``, ``problem``."""
    return pd.DataFrame(
        [
            {
                "severity": p.severity,
                "file": p.file,
                "line": p.line,
                "field": p.field,
                "problem": p.message,
            }
            for p in problems
        ]
    )
