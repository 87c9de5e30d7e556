"""Hand-written sentences with planted sentiment cues, and a datasets folder made of them.

No benchmark text: the verbs before the target carry the label ("praised" positive,
"condemned" negative, "met" neutral), so a model that learns anything learns them.
"""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path

from analysis.sentiment.datasets import TargetedSentence

EN_VERBS = {
    "positive": ("praised", "thanked", "applauded"),
    "negative": ("condemned", "blamed", "attacked"),
    "neutral": ("met", "visited", "called"),
}
EN_SUBJECTS = ("The senator", "Critics", "The mayor", "Voters")
EN_TARGETS = ("Smith", "Jones", "the governor")

RU_VERBS = {
    "positive": ("похвалил", "поблагодарил", "поддержал"),
    "negative": ("осудил", "обвинил", "раскритиковал"),
    "neutral": ("встретил", "посетил", "упомянул"),
}
RU_SUBJECTS = ("Сенатор", "Министр", "Мэр", "Журналист")
RU_TARGETS = ("Путина", "Иванова", "губернатора")
RU_LABEL = {"negative": "-1", "neutral": "0", "positive": "1"}
NEWSMTSC_POLARITY = {"negative": 2.0, "neutral": 4.0, "positive": 6.0}


def english_examples() -> list[TargetedSentence]:
    """36 per class: '<subject> <verb> <target> on Monday.'"""
    examples = []
    for label, verbs in EN_VERBS.items():
        for subject, verb, target in product(EN_SUBJECTS, verbs, EN_TARGETS):
            start = len(f"{subject} {verb} ")
            sentence = f"{subject} {verb} {target} on Monday."
            examples.append(TargetedSentence(sentence, start, start + len(target), label))
    return examples


def russian_examples() -> list[TargetedSentence]:
    """36 per class: '<subject> <verb> <target> в понедельник.'"""
    examples = []
    for label, verbs in RU_VERBS.items():
        for subject, verb, target in product(RU_SUBJECTS, verbs, RU_TARGETS):
            start = len(f"{subject} {verb} ")
            sentence = f"{subject} {verb} {target} в понедельник."
            examples.append(TargetedSentence(sentence, start, start + len(target), label))
    return examples


def write_newsmtsc(path: Path, examples: list[TargetedSentence]) -> None:
    lines = [
        json.dumps(
            {
                "sentence_normalized": e.sentence,
                "targets": [
                    {
                        "from": e.start,
                        "to": e.end,
                        "mention": e.sentence[e.start : e.end],
                        "polarity": NEWSMTSC_POLARITY[str(e.label)],
                    }
                ],
            },
            ensure_ascii=False,
        )
        for e in examples
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_rusentne(path: Path, examples: list[TargetedSentence], *, drop: str = "") -> None:
    columns = [
        "sentence",
        "entity",
        "entity_tag",
        "entity_pos_start_rel",
        "entity_pos_end_rel",
        "label",
    ]
    rows = [
        [e.sentence, e.sentence[e.start : e.end], "PERSON", str(e.start), str(e.end), label]
        for e in examples
        for label in [RU_LABEL[str(e.label)]]
    ]
    keep = [i for i, c in enumerate(columns) if c != drop]
    text = "\n".join("\t".join(row[i] for i in keep) for row in [columns, *rows])
    path.write_text(text + "\n", encoding="utf-8")


def write_datasets(folder: Path) -> Path:
    """A datasets folder laid out like ``../shared/datasets``, every split from the templates."""
    (folder / "newsmtsc").mkdir(parents=True)
    (folder / "rusentne2023").mkdir(parents=True)
    english, russian = english_examples(), russian_examples()
    for split in ("rw-train", "rw-dev", "rw-test", "mt-dev", "mt-test"):
        write_newsmtsc(folder / "newsmtsc" / f"{split}.jsonl", english)
    for split in ("train", "validation_labeled"):
        write_rusentne(folder / "rusentne2023" / f"{split}.tsv", russian)
    return folder
