"""Measure meeting assignment on a labelled set of real articles (the development set).

:func:`evaluate_meetings` reads a JSON Lines file of articles (``url``,
``text``, and where known ``title``, ``language`` and ``published``), assigns
each a meeting of the catalogue with
:func:`~analysis.ingest.inference.infer_meetings` exactly as an import would,
and compares the assignment with the article's label. The assignment never
sees the label: the labels come from a second file (``--labels``, joined on
``url``) or, when none is given, from the ``meeting`` field of the same rows,
which is read only after the assignment.

A label is a meeting key of ``meetings.yaml``, one of a meeting's ``aliases``
(the development set writes ``M1`` ... ``M5``), or ``none`` / ``NONE``. An
article the inference leaves ``undetermined`` is a miss.

Rows without text (pages that could not be rebuilt) are counted and left out.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.corpus.registry import Meeting, load_meetings
from analysis.corpus.types import PublishedDate
from analysis.ingest.inference import infer_language, infer_meetings, parse_published
from analysis.ingest.meetings import MeetingProfiles
from analysis.labels.targets import TargetMatcher, load_targets

__all__ = [
    "ITEM_COLUMNS",
    "MeetingEvaluation",
    "evaluate_meetings",
    "render_meeting_evaluation",
    "render_meeting_evaluation_json",
]

NONE = "none"
UNDETERMINED = "undetermined"

ITEM_COLUMNS: dict[str, str] = {
    "line": "line of the article in the devset file (from 1)",
    "url": "address of the article",
    "language": "language of the article (given, else identified)",
    "expected": "the label: a meeting key or 'none'",
    "got": "the assignment: a meeting key, 'none' or 'undetermined'",
    "why": "the basis of the assignment",
    "targets_named": "how many stance targets the text names",
}


@dataclass(frozen=True)
class MeetingEvaluation:
    """What :func:`evaluate_meetings` measured.

    ``items`` has :data:`ITEM_COLUMNS`, one row per article with text;
    ``without_text`` counts the rows left out because they have none;
    ``meetings`` are the catalogue's keys in date order.
    """

    items: pd.DataFrame
    without_text: int
    meetings: tuple[str, ...]
    undated: bool = False

    @property
    def accuracy(self) -> float:
        """Share of articles whose assignment is their label."""
        if self.items.empty:
            return float("nan")
        return float((self.items["expected"] == self.items["got"]).mean())

    def by_language(self) -> pd.DataFrame:
        """Per language: ``articles``, ``correct``, ``accuracy``, ``targets_named``.

        ``targets_named`` counts the articles in which at least one stance
        target is named. Languages by number of articles, then by code.
        """
        items = self.items.assign(
            correct=self.items["expected"] == self.items["got"],
            named=self.items["targets_named"] > 0,
        )
        grouped = items.groupby("language", sort=True)
        frame = pd.DataFrame(
            {
                "articles": grouped.size(),
                "correct": grouped["correct"].sum(),
                "targets_named": grouped["named"].sum(),
            }
        )
        frame["accuracy"] = frame["correct"] / frame["articles"]
        frame = frame.reset_index()
        order = frame.sort_values(["articles", "language"], ascending=[False, True]).index
        return frame.loc[order, ["language", "articles", "correct", "accuracy", "targets_named"]]

    def confusion(self) -> pd.DataFrame:
        """Articles by label (rows) and assignment (columns, with ``undetermined``)."""
        rows = [*self.meetings, NONE]
        columns = [*self.meetings, NONE, UNDETERMINED]
        table = pd.crosstab(self.items["expected"], self.items["got"])
        return table.reindex(index=rows, columns=columns, fill_value=0).astype(int)

    def misses(self) -> pd.DataFrame:
        """The items whose assignment is not their label, in file order."""
        return self.items[self.items["expected"] != self.items["got"]]


def _read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows: list[tuple[int, dict[str, Any]]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}: line {number}: not JSON ({err.msg})") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}: line {number}: must be a JSON object")
            rows.append((number, row))
    return rows


def _read_labels(path: Path) -> dict[str, tuple[int, str]]:
    """``{url: (line, label)}`` of a JSON Lines or CSV file with ``url`` and ``meeting``."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"url", "meeting"} <= set(reader.fieldnames or ()):
                raise ValueError(f"{path}: needs the columns 'url' and 'meeting'")
            rows = [(number, row) for number, row in enumerate(reader, start=2)]
    else:
        rows = _read_jsonl(path)
    labels: dict[str, tuple[int, str]] = {}
    for number, row in rows:
        url, meeting = row.get("url"), row.get("meeting")
        if not isinstance(url, str) or not isinstance(meeting, str):
            raise ValueError(f"{path}: line {number}: needs a 'url' and a 'meeting' text")
        labels[url.strip()] = (number, meeting)
    return labels


def _label_key(label: str, meetings: Mapping[str, Meeting], where: str) -> str:
    wanted = label.strip()
    if wanted.casefold() == NONE:
        return NONE
    if wanted in meetings:
        return wanted
    for key, meeting in meetings.items():
        if wanted in meeting.aliases:
            return key
    raise ValueError(
        f"{where}: meeting {label!r} is neither a key of meetings.yaml, one of its "
        "aliases, nor 'none'"
    )


def _published(value: object, where: str) -> PublishedDate:
    if value is None or (isinstance(value, str) and not value.strip()):
        return PublishedDate(None, "unknown")
    try:
        return parse_published(str(value))
    except ValueError as err:
        raise ValueError(f"{where}: published: {err}") from None


def evaluate_meetings(
    devset: Path | str,
    *,
    corpus_dir: Path | str,
    labels: Path | str | None = None,
    undated: bool = False,
) -> MeetingEvaluation:
    """Assign meetings to the articles of ``devset`` and compare them with their labels.

    Parameters
    ----------
    devset : path-like
        JSON Lines, one article per line: ``url`` and ``text`` (``null`` for
        a page that could not be rebuilt), optionally ``title``,
        ``language`` (identified from the text when missing) and
        ``published`` (``YYYY-MM-DD``, ``YYYY-MM`` or any form import reads).
    corpus_dir : path-like
        The corpus whose ``meetings.yaml`` is the catalogue.
    labels : path-like, optional
        JSON Lines or CSV with ``url`` and ``meeting`` for every article of
        ``devset``; by default the ``meeting`` field of ``devset``'s rows.
    undated : bool, default False
        Assign as if no article had a date, to measure the assignment by
        names and content alone.

    Raises
    ------
    ValueError
        Naming the file and line, if a row is not a JSON object, has no
        ``url``, an unreadable date, no label, or a label that is no meeting.
    """
    devset_path = Path(devset)
    meetings, _ = load_meetings(Path(corpus_dir))
    ordered = tuple(m.key for m in sorted(meetings.values(), key=lambda m: (m.start, m.key)))
    given = _read_labels(Path(labels)) if labels is not None else None
    matcher = TargetMatcher(*load_targets())
    profiles = MeetingProfiles(meetings, matcher)
    items: list[dict[str, object]] = []
    without_text = 0
    for number, row in _read_jsonl(devset_path):
        where = f"{devset_path}: line {number}"
        url = row.get("url")
        if not isinstance(url, str) or not url.strip():
            raise ValueError(f"{where}: needs a 'url'")
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            without_text += 1
            continue
        title = row.get("title") if isinstance(row.get("title"), str) else ""
        language = row.get("language")
        if not isinstance(language, str) or not language.strip():
            language = infer_language(text)[0]
        published = (
            PublishedDate(None, "unknown") if undated else _published(row.get("published"), where)
        )
        body = f"{title}\n\n{text}" if title else text
        keys, inference = infer_meetings(
            body, published, meetings, language=language.strip(), profiles=profiles
        )
        if given is not None:
            if url.strip() not in given:
                raise ValueError(f"{where}: {url!r} has no label in {labels}")
            label_line, raw_label = given[url.strip()]
            expected = _label_key(raw_label, meetings, f"{labels}: line {label_line}")
        else:
            raw = row.get("meeting")
            if not isinstance(raw, str):
                raise ValueError(f"{where}: needs a 'meeting' label (or give a labels file)")
            expected = _label_key(raw, meetings, where)
        items.append(
            {
                "line": number,
                "url": url.strip(),
                "language": language.strip(),
                "expected": expected,
                "got": keys[0] if keys else inference.value,
                "why": inference.basis,
                "targets_named": len({m.target for m in matcher.mentions(body, language.strip())}),
            }
        )
    frame = pd.DataFrame(items, columns=list(ITEM_COLUMNS))
    return MeetingEvaluation(frame, without_text, ordered, undated)


def render_meeting_evaluation(evaluation: MeetingEvaluation) -> str:
    """The evaluation as a plain-text report (what ``narratives evaluate --meetings`` prints).

    Accuracy; per language the articles, accuracy and how many name a stance
    target; the confusion of label against assignment; every miss with its
    line, language, label, assignment and the inference's basis.
    """
    items = evaluation.items
    correct = int((items["expected"] == items["got"]).sum())
    lines = [
        f"Meeting assignment on {len(items)} articles "
        f"({evaluation.without_text} rows without text left out)"
        + (", every date ignored" if evaluation.undated else ""),
        f"accuracy {evaluation.accuracy:.3f} ({correct}/{len(items)})",
        "",
        f"  {'language':<8} {'articles':>8} {'accuracy':>8} {'target named':>12}",
    ]
    for row in evaluation.by_language().itertuples(index=False):
        lines.append(
            f"  {row.language:<8} {row.articles:>8d} {row.accuracy:>8.3f} "
            f"{row.targets_named:>7d}/{row.articles:<4d}"
        )
    confusion = evaluation.confusion()
    width = max(len(c) for c in confusion.columns) + 1
    lines += [
        "",
        "label \\ assigned",
        "  " + " " * 15 + "".join(f"{c:>{width}}" for c in confusion),
    ]
    for label, counts in confusion.iterrows():
        lines.append(f"  {label!s:<15}" + "".join(f"{int(v):>{width}d}" for v in counts))
    misses = evaluation.misses()
    lines += ["", f"misses ({len(misses)})"]
    for row in misses.itertuples(index=False):
        lines.append(
            f"  line {row.line} [{row.language}] expected {row.expected}, got {row.got}: {row.why}"
        )
    return "\n".join(lines) + "\n"


def render_meeting_evaluation_json(evaluation: MeetingEvaluation) -> str:
    """The evaluation as one JSON object (``narratives evaluate --meetings --json``).

    Keys: ``articles``, ``without_text``, ``accuracy``, ``by_language``
    (language to ``articles``, ``correct``, ``accuracy``, ``targets_named``),
    ``undated``, ``confusion`` (label to assignment to count) and ``misses`` (``line``,
    ``url``, ``language``, ``expected``, ``got``, ``why``).
    """
    by_language = {
        str(row["language"]): {
            "articles": int(row["articles"]),
            "correct": int(row["correct"]),
            "accuracy": round(float(row["accuracy"]), 4),
            "targets_named": int(row["targets_named"]),
        }
        for row in evaluation.by_language().to_dict("records")
    }
    confusion = {
        str(label): {str(k): int(v) for k, v in counts.items()}
        for label, counts in evaluation.confusion().iterrows()
    }
    misses = [
        {key: row[key] for key in ("line", "url", "language", "expected", "got", "why")}
        for row in evaluation.misses().to_dict("records")
    ]
    record = {
        "articles": len(evaluation.items),
        "without_text": evaluation.without_text,
        "undated": evaluation.undated,
        "accuracy": round(evaluation.accuracy, 4),
        "by_language": by_language,
        "confusion": confusion,
        "misses": misses,
    }
    return json.dumps(record, ensure_ascii=False, default=int)
