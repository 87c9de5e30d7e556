"""The import report and validation problems as tables: exact rows from a hand-made report."""

from __future__ import annotations

from pathlib import Path

from analysis.corpus.types import Inference, Problem
from analysis.ingest.report import (
    AddedArticle,
    AddedOutlet,
    DuplicateArticle,
    ImportReport,
    SkippedArticle,
)
from analysis.ingest.report_tables import import_report_tables, validation_table

REPORT = ImportReport(
    corpus=Path("corpus"),
    dry_run=True,
    added=[
        AddedArticle(
            id="cnn-2015-05-12-sochi",
            source="sochi.txt",
            title="Kerry in Sochi",
            outlet="cnn",
            published="",
            language="en",
            meetings=("2015-05-sochi", "2015-12-moscow"),
            url="",
            inferred=(Inference("language", "en", "stop words"),),
        )
    ],
    skipped=[SkippedArticle(source="rows.csv", title="No text", reason="empty text")],
    duplicates=[
        DuplicateArticle(
            source="again.txt",
            title="Kerry in Sochi",
            kind="near",
            of_id="cnn-x",
            similarity=0.91234,
        )
    ],
    problems=[Problem("rows.csv", "text", "is empty", line=2)],
    outlets=[AddedOutlet("kommersant", "Kommersant", ("kommersant.ru",), "ru", "rows.csv:3")],
)


def test_import_report_tables_have_one_row_per_item():
    shown = import_report_tables(REPORT)
    assert list(shown) == ["added", "outlets", "inferred", "duplicates", "skipped", "problems"]
    assert shown["added"].to_dict("records") == [
        {
            "id": "cnn-2015-05-12-sochi",
            "from file": "sochi.txt",
            "title": "Kerry in Sochi",
            "outlet": "cnn",
            "published": "undated",
            "language": "en",
            "meetings": "2015-05-sochi; 2015-12-moscow",
            "renamed from": "",
            "near duplicate of": "",
        }
    ]
    assert shown["outlets"].to_dict("records") == [
        {"outlet": "kommersant", "name": "Kommersant", "domains": "kommersant.ru",
         "language": "ru", "group": "unassigned", "first named in": "rows.csv:3"}
    ]  # fmt: skip
    assert shown["inferred"].to_dict("records") == [
        {"id": "cnn-2015-05-12-sochi", "field": "language", "value": "en", "basis": "stop words"}
    ]
    assert shown["duplicates"].to_dict("records") == [
        {"from file": "again.txt", "title": "Kerry in Sochi", "kind": "near",
         "of article": "cnn-x", "similarity": 0.912, "added as": "skipped"}
    ]  # fmt: skip
    assert shown["skipped"].to_dict("records") == [
        {"from file": "rows.csv", "title": "No text", "reason": "empty text"}
    ]
    assert shown["problems"].to_dict("records") == [
        {"file": "rows.csv", "line": 2, "field": "text", "problem": "is empty"}
    ]


def test_an_empty_report_gives_empty_tables():
    shown = import_report_tables(ImportReport(corpus=Path("corpus"), dry_run=False))
    assert all(table.empty for table in shown.values())


def test_validation_table_lists_each_problem_with_its_severity():
    problems = [
        Problem("articles/a.md", "published", "not a date", line=4),
        Problem("outlets.yaml", "group", "unknown group", severity="warning"),
    ]
    table = validation_table(problems)
    assert list(table.columns) == ["severity", "file", "line", "field", "problem"]
    assert table.drop(columns="line").to_dict("records") == [
        {"severity": "error", "file": "articles/a.md", "field": "published",
         "problem": "not a date"},
        {"severity": "warning", "file": "outlets.yaml", "field": "group",
         "problem": "unknown group"},
    ]  # fmt: skip
    assert table["line"].iloc[0] == 4
    assert table["line"].isna().tolist() == [False, True]
