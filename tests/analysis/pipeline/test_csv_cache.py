"""Kept CSV text of table parts: the files are the same, and only changed parts are made again."""

from __future__ import annotations

import dataclasses
import os
import zipfile

import numpy as np
import pandas as pd
import pytest

from analysis.corpus.articles import load_corpus
from analysis.corpus.selection import Selection
from analysis.pipeline import csv_cache
from analysis.pipeline.csv_cache import CsvCache, KeptPart, article_parts, write_part
from analysis.pipeline.export import write_analysis
from analysis.pipeline.prepare import prepare_corpus
from tests.conftest import SHIPPED_CORPUS


def test_parts_end_after_the_articles_whose_id_hashes_to_a_multiple():
    # CRC-32 of "a6" and "a34" is a multiple of 64; of the others it is not.
    ids = pd.Series(["a1", "a1", "a6", "a2", "a34", "a34", "a3"])
    assert article_parts(ids) == [(0, 3), (3, 6), (6, 7)]
    assert article_parts(pd.Series(["a1", "a6"])) == [(0, 2)]
    assert article_parts(pd.Series([], dtype=object)) == []


def test_a_table_whose_article_rows_are_apart_is_not_cut():
    assert article_parts(pd.Series(["a1", "a2", "a1"])) is None


@pytest.fixture(scope="module")
def prepared():
    return prepare_corpus(load_corpus(SHIPPED_CORPUS))


def _written(prepared, out, cache=None, selection=None) -> dict[str, bytes]:
    write_analysis(prepared, selection or Selection(), out, top=5, cache=cache)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "manifest.json"}


def test_tables_written_from_kept_parts_are_the_same_files(prepared, tmp_path, monkeypatch):
    # Every article its own part, so a change of one article shows.
    monkeypatch.setattr(csv_cache, "PART_EVERY", 1)
    whole = _written(prepared, tmp_path / "whole")
    first = CsvCache(tmp_path / "kept", "v1")
    assert _written(prepared, tmp_path / "first", first) == whole
    assert first.reused == 0
    assert first.made > 5

    again = CsvCache(tmp_path / "kept", "v1")
    assert _written(prepared, tmp_path / "again", again) == whole
    assert (again.made, again.reused) == (0, first.made)

    # Four of the five articles: nothing new to make, and the files are theirs alone.
    fewer = Selection(outlets=tuple(sorted(set(prepared.articles["outlet"])))[1:])
    kept = CsvCache(tmp_path / "kept", "v1")
    assert _written(prepared, tmp_path / "fewer", kept, fewer) == _written(
        prepared, tmp_path / "fewer-whole", selection=fewer
    )
    assert kept.made == 0

    # Another version of the code never reads what this one kept.
    other = CsvCache(tmp_path / "kept", "v2")
    assert _written(prepared, tmp_path / "other", other) == whole
    assert other.reused == 0


def test_an_edited_article_makes_only_its_own_parts_again(prepared, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_cache, "PART_EVERY", 1)
    _written(prepared, tmp_path / "first", CsvCache(tmp_path / "kept"))
    articles = prepared.articles.copy()
    edited = articles["id"].iloc[0]
    articles.loc[0, "title"] = "A new headline"
    changed = dataclasses.replace(prepared, articles=articles)
    kept = CsvCache(tmp_path / "kept")
    assert _written(changed, tmp_path / "again", kept) == _written(changed, tmp_path / "whole")
    # The articles table and the evidence (headline cues cut from the title) of that article.
    assert kept.made == 2, edited


def test_a_damaged_part_is_made_again(prepared, tmp_path):
    whole = _written(prepared, tmp_path / "whole")
    _written(prepared, tmp_path / "first", CsvCache(tmp_path / "kept"))
    damaged = max((tmp_path / "kept").iterdir(), key=lambda path: path.stat().st_size)
    data = damaged.read_bytes()
    damaged.write_bytes(data[:-10] + b"0123456789")
    kept = CsvCache(tmp_path / "kept")
    assert _written(prepared, tmp_path / "again", kept) == whole
    assert kept.made == 1


def test_parts_no_write_used_are_removed_past_twice_what_one_used(tmp_path):
    for age, name in enumerate(["old2", "old1", "old0"]):
        (tmp_path / f"{name}.csv").write_text("x" * 50)
        os.utime(tmp_path / f"{name}.csv", (1_000_000 - age, 1_000_000 - age))
    cache = CsvCache(tmp_path)
    row_keys = np.zeros(1, dtype=np.uint64)
    made = (b"y" * 100, np.array([100]))
    assert list(cache.parts([(0, 1)], b"t", row_keys, lambda lo, hi: made)) == [b"y" * 100]
    # Kept: 150 bytes unused and this write's 100 (and its checksum line); the
    # oldest unused go until what is left is at most twice 100.
    cache.prune()
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("old")) == [
        "old2.csv"
    ]
    assert len(list(tmp_path.iterdir())) == 2


def test_texts_are_hashed_a_slice_at_a_time_with_the_same_hashes(monkeypatch):
    from analysis.pipeline import export

    texts = ["Путин и Керри.", "Kerry met Putin.", "Путин и Керри.", None, "", "Kerry met Putin!"]
    whole = export._text_hashes(texts)
    monkeypatch.setattr(export, "_HASHED_AT_ONCE", 2)
    assert export._text_hashes(texts).tolist() == whole.tolist()
    assert whole[0] == whole[2]
    assert len({whole[i] for i in (0, 1, 3, 4, 5)}) == 5


def test_a_kept_part_is_given_open_and_copied_as_it_was_written(tmp_path):
    row_keys = np.zeros(1, dtype=np.uint64)
    made = ("naïve,1\n".encode(), np.array([9]))
    assert list(
        CsvCache(tmp_path / "kept").parts([(0, 1)], b"t", row_keys, lambda lo, hi: made)
    ) == ["naïve,1\n".encode()]
    cache = CsvCache(tmp_path / "kept")
    with (tmp_path / "table.csv").open("wb") as target:
        target.write(b"name,n\n")
        for part in cache.parts([(0, 1)], b"t", row_keys, lambda lo, hi: None):
            assert isinstance(part, KeptPart)
            assert part.data() == "naïve,1\n".encode()
            assert write_part(target, part) == 9
        write_part(target, "end,2\n")
    assert (tmp_path / "table.csv").read_text("utf-8") == "name,n\nnaïve,1\nend,2\n"
    assert (cache.made, cache.reused) == (0, 1)
    # Closed once the next part was asked for.
    assert part.source.closed


@pytest.mark.parametrize("copied", ["refused", "stops halfway", "unavailable"])
def test_a_kept_part_the_kernel_will_not_copy_is_read_and_written(
    prepared, tmp_path, monkeypatch, copied
):
    whole = _written(prepared, tmp_path / "whole")
    _written(prepared, tmp_path / "first", CsvCache(tmp_path / "kept"))
    if copied == "unavailable":
        monkeypatch.delattr(os, "copy_file_range")
    else:
        real = os.copy_file_range
        calls = []

        def copy(source, destination, count, offset_src=None, offset_dst=None):
            calls.append(count)
            if copied == "refused":
                raise OSError(18, "Invalid cross-device link")
            # Half of the first part, then nothing more (as at the end of a file).
            return real(source, destination, count // 2, offset_src) if len(calls) == 1 else 0

        monkeypatch.setattr(os, "copy_file_range", copy)
    kept = CsvCache(tmp_path / "kept")
    assert _written(prepared, tmp_path / "again", kept) == whole
    assert kept.made == 0


def test_a_zip_written_from_kept_parts_holds_the_same_tables(prepared, tmp_path):
    whole = _written(prepared, tmp_path / "whole")
    _written(prepared, tmp_path / "first", CsvCache(tmp_path / "kept"))
    kept = CsvCache(tmp_path / "kept")
    with zipfile.ZipFile(tmp_path / "tables.zip", "w") as archive:
        write_analysis(prepared, Selection(), archive, top=5, cache=kept)
    with zipfile.ZipFile(tmp_path / "tables.zip") as archive:
        zipped = {
            name: archive.read(name) for name in archive.namelist() if name != "manifest.json"
        }
    assert zipped == whole
    assert kept.made == 0
    assert kept.reused > 0
