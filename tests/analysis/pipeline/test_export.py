from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest

from analysis.corpus.articles import load_corpus
from analysis.corpus.selection import Selection
from analysis.labels.evidence import evidence_text
from analysis.pipeline.export import csv_parts, write_analysis
from analysis.pipeline.prepare import prepare_corpus
from analysis.pipeline.safe_csv import to_csv_text
from analysis.pipeline.tables import analysis_tables
from tests.conftest import SHIPPED_CORPUS

_NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


def test_evidence_written_in_parts_is_the_csv_of_the_whole_table():
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    evidence = analysis_tables(prepared, Selection())["evidence"]
    whole = evidence_text(prepared.articles, evidence)
    assert len(evidence) > 7
    parts = list(csv_parts(prepared, evidence, rows_per_part=7))
    assert len(parts) == -(-len(evidence) // 7)
    assert "".join(parts) == to_csv_text(whole)
    assert "".join(csv_parts(prepared, evidence.iloc[0:0])) == to_csv_text(whole.iloc[0:0])


def test_every_table_is_written_in_parts_of_rows_the_same_as_whole():
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    contrasts = analysis_tables(prepared, Selection())["contrasts"]
    assert len(contrasts) > 7
    parts = list(csv_parts(prepared, contrasts, rows_per_part=7))
    assert len(parts) == -(-len(contrasts) // 7)
    assert parts[0].startswith("group,comparison,term,")
    assert not any(part.startswith("group,") for part in parts[1:])
    assert "".join(parts) == to_csv_text(contrasts)


def test_a_folder_and_a_zip_get_the_same_files(tmp_path):
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    selection = Selection(years=(2015, 2016))
    options = {"kwic_terms": ("kerry",), "top": 5, "now": _NOW}
    rows = write_analysis(prepared, selection, tmp_path / "out", **options)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        assert write_analysis(prepared, selection, bundle, **options) == rows
    bundle = zipfile.ZipFile(buffer)
    assert sorted(bundle.namelist()) == sorted(p.name for p in (tmp_path / "out").iterdir())
    for name in bundle.namelist():
        assert bundle.read(name) == (tmp_path / "out" / name).read_bytes(), name
    record = json.loads(bundle.read("manifest.json"))
    assert record["created"] == "2024-05-01T12:00:00+00:00"
    assert record["tables"] == rows
    assert record["parameters"] == {
        "group_by": "outlet",
        "compare": None,
        "kwic": ["kerry"],
        "top": 5,
    }
    tables = analysis_tables(prepared, selection, kwic_terms=("kerry",), top=5)
    assert rows == {name: len(table) for name, table in tables.items()}


def test_an_empty_selection_writes_nothing(tmp_path):
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    with pytest.raises(ValueError, match="no article matches the filters"):
        write_analysis(prepared, Selection(outlets=("nobody",)), tmp_path / "out")
    assert not (tmp_path / "out").exists()
