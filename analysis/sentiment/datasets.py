"""Readers of the two public target-sentiment benchmarks, from a datasets folder.

The folder is laid out as ``../shared/datasets`` is (its README gives the licences):
``newsmtsc/{rw-train,rw-dev,rw-test,mt-dev,mt-test}.jsonl`` (NewsMTSC, English) and
``rusentne2023/{train,validation_labeled}.tsv`` (RuSentNE-2023, Russian). The files are
read, never copied into the project.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BENCHMARKS",
    "CLASSES",
    "Benchmark",
    "DatasetError",
    "TargetedSentence",
    "benchmark_file",
    "read_newsmtsc",
    "read_rusentne",
    "read_split",
]

CLASSES = ("negative", "neutral", "positive")
"""The sentiment classes, in the order of every probability column."""

_NEWSMTSC_POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
_RUSENTNE_LABEL = {"-1": "negative", "0": "neutral", "1": "positive"}
_RUSENTNE_COLUMNS = ("sentence", "entity_pos_start_rel", "entity_pos_end_rel", "label")


class DatasetError(ValueError):
    """A datasets folder without an expected file, field or column, or with a bad value."""


@dataclass(frozen=True)
class TargetedSentence:
    """One sentence, the character span of one target mention in it, and its sentiment.

    ``label`` is one of :data:`CLASSES` (the sentiment the sentence expresses toward the
    target), or ``None`` where the data gives none.
    """

    sentence: str
    start: int
    end: int
    label: str | None = None


@dataclass(frozen=True)
class Benchmark:
    """Where a benchmark's files are and which split serves what.

    ``choice`` splits are for choosing parameters, ``report`` splits only for reporting;
    a benchmark without a development split (RuSentNE) holds part of ``train`` out
    instead.
    """

    name: str
    language: str
    folder: str
    extension: str
    train: str
    choice: tuple[str, ...]
    report: tuple[str, ...]

    @property
    def splits(self) -> tuple[str, ...]:
        return (self.train, *self.choice, *self.report)


BENCHMARKS = {
    "newsmtsc": Benchmark(
        name="newsmtsc",
        language="en",
        folder="newsmtsc",
        extension=".jsonl",
        train="rw-train",
        choice=("rw-dev", "mt-dev"),
        report=("rw-test", "mt-test"),
    ),
    "rusentne": Benchmark(
        name="rusentne",
        language="ru",
        folder="rusentne2023",
        extension=".tsv",
        train="train",
        choice=(),
        report=("validation_labeled",),
    ),
}
"""The benchmarks by name: NewsMTSC (English) and RuSentNE-2023 (Russian)."""


def benchmark_file(data_dir: Path | str, benchmark: str, split: str) -> Path:
    """The file of one split of a benchmark in ``data_dir``; a clear error if it is missing."""
    spec = _benchmark(benchmark)
    if split not in spec.splits:
        raise ValueError(
            f"{benchmark} has no split {split!r}; its splits: {', '.join(spec.splits)}"
        )
    path = Path(data_dir) / spec.folder / f"{split}{spec.extension}"
    if not path.is_file():
        expected = ", ".join(f"{s}{spec.extension}" for s in spec.splits)
        raise DatasetError(
            f"{path} is missing: the datasets folder {data_dir} should hold {spec.folder}/ "
            f"with {expected} (see the datasets README)"
        )
    return path


def read_split(data_dir: Path | str, benchmark: str, split: str) -> list[TargetedSentence]:
    """Every target of one split of ``benchmark`` ("newsmtsc" or "rusentne")."""
    path = benchmark_file(data_dir, benchmark, split)
    return read_newsmtsc(path) if benchmark == "newsmtsc" else read_rusentne(path)


def read_newsmtsc(path: Path | str) -> list[TargetedSentence]:
    """One :class:`TargetedSentence` per target of a NewsMTSC JSONL file.

    Each line holds ``sentence_normalized`` and ``targets``, a list of ``from``, ``to``
    (character offsets) and ``polarity`` (2.0 negative, 4.0 neutral, 6.0 positive).

    Raises
    ------
    DatasetError
        Naming the file, the line and the missing field or bad value.
    """
    path = Path(path)
    examples: list[TargetedSentence] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise DatasetError(f"{where}: not a JSON object ({error.msg})") from None
            sentence = _field(record, "sentence_normalized", where)
            targets = _field(record, "targets", where)
            if not isinstance(sentence, str) or not isinstance(targets, list):
                raise DatasetError(f"{where}: expected a text and a list of targets")
            for target in targets:
                polarity = _field(target, "polarity", where)
                if polarity not in _NEWSMTSC_POLARITY:
                    raise DatasetError(f"{where}: polarity {polarity!r} is not 2.0, 4.0 or 6.0")
                examples.append(
                    _example(
                        sentence,
                        _field(target, "from", where),
                        _field(target, "to", where),
                        _NEWSMTSC_POLARITY[float(polarity)],
                        where,
                    )
                )
    return examples


def read_rusentne(path: Path | str) -> list[TargetedSentence]:
    """One :class:`TargetedSentence` per row of a RuSentNE-2023 TSV file.

    Columns used: ``sentence``, ``entity_pos_start_rel``, ``entity_pos_end_rel`` and
    ``label`` (-1 negative, 0 neutral, 1 positive; an empty label gives ``None``).

    Raises
    ------
    DatasetError
        Naming the file and the missing column, or the line and the bad value.
    """
    path = Path(path)
    csv.field_size_limit(1 << 24)
    examples: list[TargetedSentence] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        columns = reader.fieldnames or []
        for column in _RUSENTNE_COLUMNS:
            if column not in columns:
                raise DatasetError(
                    f"{path}: no column {column!r} (the header has: {', '.join(columns) or 'none'})"
                )
        for row in reader:
            where = f"{path}:{reader.line_num}"
            raw = (row["label"] or "").strip()
            if raw and raw not in _RUSENTNE_LABEL:
                raise DatasetError(f"{where}: label {raw!r} is not -1, 0 or 1")
            examples.append(
                _example(
                    row["sentence"] or "",
                    row["entity_pos_start_rel"],
                    row["entity_pos_end_rel"],
                    _RUSENTNE_LABEL[raw] if raw else None,
                    where,
                )
            )
    return examples


def _benchmark(name: str) -> Benchmark:
    if name not in BENCHMARKS:
        raise ValueError(f"unknown benchmark {name!r}; choose one of: {', '.join(BENCHMARKS)}")
    return BENCHMARKS[name]


def _field(record: object, name: str, where: str) -> object:
    if not isinstance(record, dict) or name not in record:
        raise DatasetError(f"{where}: no field {name!r}")
    return record[name]


def _example(
    sentence: str, start: object, end: object, label: str | None, where: str
) -> TargetedSentence:
    try:
        first, last = int(str(start)), int(str(end))
    except ValueError:
        raise DatasetError(f"{where}: the span {start!r}-{end!r} is not two offsets") from None
    if not 0 <= first < last <= len(sentence):
        raise DatasetError(f"{where}: the span {first}-{last} is outside the sentence")
    return TargetedSentence(sentence, first, last, label)


def labels_of(examples: Sequence[TargetedSentence]) -> list[str]:
    """The labels of ``examples``; a clear error if one has none."""
    labels = [e.label for e in examples]
    if any(label is None for label in labels):
        raise ValueError("every example needs a label to train or score on")
    return [str(label) for label in labels]
