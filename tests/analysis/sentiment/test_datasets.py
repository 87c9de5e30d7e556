from __future__ import annotations

from pathlib import Path

import pytest

from analysis.sentiment.datasets import (
    DatasetError,
    TargetedSentence,
    read_newsmtsc,
    read_rusentne,
    read_split,
)
from tests.analysis.sentiment.handmade import (
    english_examples,
    russian_examples,
    write_datasets,
    write_newsmtsc,
    write_rusentne,
)


def test_read_newsmtsc_gives_one_example_per_target(tmp_path: Path):
    path = tmp_path / "rw-train.jsonl"
    path.write_text(
        '{"sentence_normalized": "Smith praised Jones.", "targets": ['
        '{"from": 0, "to": 5, "polarity": 4.0}, {"from": 14, "to": 19, "polarity": 6.0}]}\n'
        "\n"
        '{"sentence_normalized": "Critics blamed Brown.", "targets": ['
        '{"from": 15, "to": 20, "polarity": 2.0}]}\n',
        encoding="utf-8",
    )
    assert read_newsmtsc(path) == [
        TargetedSentence("Smith praised Jones.", 0, 5, "neutral"),
        TargetedSentence("Smith praised Jones.", 14, 19, "positive"),
        TargetedSentence("Critics blamed Brown.", 15, 20, "negative"),
    ]


def test_read_rusentne_maps_labels_and_offsets(tmp_path: Path):
    path = tmp_path / "train.tsv"
    write_rusentne(path, russian_examples()[:1])
    assert read_rusentne(path) == [
        TargetedSentence("Сенатор похвалил Путина в понедельник.", 17, 23, "positive")
    ]


def test_a_rusentne_file_without_a_column_names_the_file_and_the_column(tmp_path: Path):
    path = tmp_path / "train.tsv"
    write_rusentne(path, russian_examples()[:3], drop="entity_pos_end_rel")
    with pytest.raises(DatasetError, match=r"train\.tsv: no column 'entity_pos_end_rel'"):
        read_rusentne(path)


def test_a_newsmtsc_line_without_a_field_names_the_file_line_and_field(tmp_path: Path):
    path = tmp_path / "rw-dev.jsonl"
    write_newsmtsc(path, english_examples()[:2])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"sentence_normalized": "Smith spoke.", "targets": [{"from": 0, "to": 5}]}\n')
    with pytest.raises(DatasetError, match=r"rw-dev\.jsonl:3: no field 'polarity'"):
        read_newsmtsc(path)


def test_a_span_outside_the_sentence_is_an_error(tmp_path: Path):
    path = tmp_path / "rw-dev.jsonl"
    path.write_text(
        '{"sentence_normalized": "Smith.", "targets": [{"from": 2, "to": 40, "polarity": 4.0}]}\n',
        encoding="utf-8",
    )
    with pytest.raises(DatasetError, match=r"rw-dev\.jsonl:1: the span 2-40 is outside"):
        read_newsmtsc(path)


def test_a_folder_without_a_split_file_names_the_missing_file(tmp_path: Path):
    folder = write_datasets(tmp_path / "datasets")
    (folder / "newsmtsc" / "mt-test.jsonl").unlink()
    assert len(read_split(folder, "newsmtsc", "rw-test")) == 108
    with pytest.raises(DatasetError, match=r"mt-test\.jsonl is missing: the datasets folder"):
        read_split(folder, "newsmtsc", "mt-test")


def test_an_unknown_benchmark_or_split_is_a_value_error(tmp_path: Path):
    with pytest.raises(ValueError, match="unknown benchmark 'semeval'"):
        read_split(tmp_path, "semeval", "train")
    with pytest.raises(ValueError, match="rusentne has no split 'test'"):
        read_split(tmp_path, "rusentne", "test")
