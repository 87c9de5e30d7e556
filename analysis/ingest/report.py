"""What an import added, skipped and why, and that report as text for a terminal."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from analysis.corpus.types import Inference, Problem
from analysis.wording import counted

__all__ = [
    "AddedArticle",
    "AddedOutlet",
    "DuplicateArticle",
    "ImportReport",
    "SkippedArticle",
    "render_report",
]


@dataclass(frozen=True)
class AddedArticle:
    """An article the import added (or, in a dry run, would add)."""

    id: str
    source: str
    title: str
    outlet: str
    published: str
    language: str
    meetings: tuple[str, ...]
    url: str
    inferred: tuple[Inference, ...]
    renamed_from: str = ""
    near_duplicate_of: str = ""
    similarity: float | None = None


@dataclass(frozen=True)
class AddedOutlet:
    """An outlet the import added to ``outlets.yaml`` (group ``unassigned``); ``source``
    is the file (and line) of the first article that named it."""

    key: str
    name: str
    domains: tuple[str, ...]
    language: str
    source: str


@dataclass(frozen=True)
class SkippedArticle:
    """An article the import left out, and why."""

    source: str
    title: str
    reason: str


@dataclass(frozen=True)
class DuplicateArticle:
    """An input article that repeats one already in the corpus or earlier in the import.

    ``kind`` is ``"exact"`` (same normalized text: always skipped) or
    ``"near"`` (``similarity`` of at least
    :data:`analysis.ingest.duplicates.NEAR_DUPLICATE_THRESHOLD`); ``added_as`` is the
    id it was added under, or empty when it was skipped.
    """

    source: str
    title: str
    kind: Literal["exact", "near"]
    of_id: str
    similarity: float
    added_as: str = ""


@dataclass
class ImportReport:
    """What an import added, skipped and why.

    ``problems`` are the reasons input files (or, with ``skip_bad_rows``,
    rows) were refused. Duplicates that were skipped appear in ``duplicates``
    only; near duplicates that were added appear in both ``added`` and
    ``duplicates``. ``outlets`` are the outlets added to the registry for the
    articles added. ``recovered`` says what the import rolled back of an
    earlier, interrupted one (see :mod:`analysis.corpus.journal`) before it began.
    """

    corpus: Path
    dry_run: bool
    added: list[AddedArticle] = field(default_factory=list)
    skipped: list[SkippedArticle] = field(default_factory=list)
    duplicates: list[DuplicateArticle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    outlets: list[AddedOutlet] = field(default_factory=list)
    recovered: list[Problem] = field(default_factory=list)

    @property
    def inferences(self) -> list[tuple[str, Inference]]:
        """Every inference made, as (article id, inference), in the order of ``added``."""
        return [(a.id, i) for a in self.added for i in a.inferred]


def render_report(report: ImportReport) -> str:
    """The report as text for a terminal: what was added, duplicates, skipped, problems."""
    verb = "would add" if report.dry_run else "added"
    lines = [f"Recovered: {problem}" for problem in report.recovered]
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    if report.outlets:
        lines.append(
            f"{verb.capitalize()} {counted(len(report.outlets), 'outlet')} to outlets.yaml, "
            "in group unassigned (give each a group there or on the dashboard's Corpus page):"
        )
        lines.extend(
            f"  {o.key}  {o.name!r}, domains {', '.join(o.domains) or 'none'}, "
            f"{o.language or 'language unknown'} (first named in {o.source})"
            for o in report.outlets
        )
    lines.append(f"{verb.capitalize()} {counted(len(report.added), 'article')} to {report.corpus}")
    for article in report.added:
        meetings = ", ".join(article.meetings) or "none"
        lines.append(
            f"  {article.id}  (from {article.source}) outlet {article.outlet}, "
            f"published {article.published or 'undated'}, {article.language}, meetings {meetings}"
        )
        if article.renamed_from:
            lines.append(f"    id {article.renamed_from} was taken: renamed")
        for inference in article.inferred:
            lines.append(f"    inferred {inference.field} = {inference.value} ({inference.basis})")
    if report.duplicates:
        lines.append(f"Duplicates: {len(report.duplicates)}")
        for duplicate in report.duplicates:
            how = (
                "exact duplicate"
                if duplicate.kind == "exact"
                else f"near duplicate ({duplicate.similarity:.0%} of shingles shared)"
            )
            action = f"{verb} as {duplicate.added_as}" if duplicate.added_as else "skipped"
            lines.append(
                f"  {duplicate.source} {duplicate.title!r}: {how} of {duplicate.of_id}; {action}"
            )
    if report.skipped:
        lines.append(f"Skipped: {len(report.skipped)}")
        lines.extend(f"  {s.source} {s.title!r}: {s.reason}" for s in report.skipped)
    if report.problems:
        lines.append(f"Problems: {len(report.problems)}")
        lines.extend(f"  {problem}" for problem in report.problems)
    return "\n".join(lines) + "\n"
