"""Selecting articles by outlet, outlet group, year, meeting and language."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from analysis.corpus.types import list_items

__all__ = [
    "NO_MEETING",
    "Selection",
    "filter_articles",
    "per_distinct",
    "per_meeting",
    "per_row",
]


@dataclass(frozen=True)
class Selection:
    """Which articles to analyse. An empty collection means "no restriction".

    ``years`` is an inclusive ``(first, last)`` range; undated articles are kept
    only when no year range is set, since their year is unknown.
    """

    outlets: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    meetings: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    def describe(
        self,
        *,
        outlet_names: Mapping[str, str] | None = None,
        meeting_names: Mapping[str, str] | None = None,
    ) -> str:
        """The filters in force, in words, for captions and manifests.

        ``outlet_names`` and ``meeting_names`` map keys to the names a reader
        knows (a key without a name is written as it is); a range of one year
        is written as that year.
        """
        outlets, meetings = dict(outlet_names or {}), dict(meeting_names or {})
        parts = []
        if self.outlets:
            parts.append("outlets: " + ", ".join(outlets.get(k, k) for k in self.outlets))
        if self.groups:
            parts.append("groups: " + ", ".join(self.groups))
        if self.years:
            first, last = self.years
            parts.append(f"year: {first}" if first == last else f"years: {first}–{last}")
        if self.meetings:
            parts.append("meetings: " + ", ".join(meetings.get(k, k) for k in self.meetings))
        if self.languages:
            parts.append("languages: " + ", ".join(self.languages))
        return "; ".join(parts) if parts else "all articles"

    def to_dict(self) -> dict[str, object]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


#: The meeting an article on no meeting is counted under, where such articles are kept.
NO_MEETING = "none"

_T = TypeVar("_T")


def per_distinct(cells: pd.Series, make: Callable[[object], _T]) -> tuple[np.ndarray, list[_T]]:
    """``make`` of each distinct cell, and each cell's position among them.

    Articles share a few combinations of authors and meetings: each is made once,
    not once per article (a cell that cannot be hashed, a list, counts as its own).
    """
    try:
        codes, distinct = pd.factorize(cells, use_na_sentinel=False)
    except TypeError:
        return np.arange(len(cells)), [make(cell) for cell in cells]
    return codes, [make(cell) for cell in distinct]


def per_row(cells: pd.Series, make: Callable[[object], object], dtype: str) -> pd.Series:
    """``make`` of each cell, made once per distinct cell (see :func:`per_distinct`)."""
    codes, made = per_distinct(cells, make)
    values = np.empty(len(made), dtype=object)
    for position, value in enumerate(made):
        # One by one: a slice assignment would read equal-length lists as a 2-D array.
        values[position] = value
    return pd.Series(values[codes], index=cells.index, dtype=dtype)


def _meeting_mask(meetings: pd.Series, wanted: Collection[str]) -> pd.Series:
    """Whether each cell's meetings (:data:`NO_MEETING` for none) include one of ``wanted``,
    each distinct cell looked at once (:func:`per_distinct`)."""
    wanted_set = set(wanted)

    def covers(value: object) -> bool:
        return bool(wanted_set.intersection(list_items(value) or (NO_MEETING,)))

    codes, kept = per_distinct(meetings, covers)
    return pd.Series(np.array(kept, dtype=bool)[codes], index=meetings.index)


def filter_articles(articles: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """The rows of ``articles`` that ``selection`` keeps (a new frame; the input is untouched).

    The meeting ``"none"`` selects articles that cover no meeting.
    """
    mask = pd.Series(True, index=articles.index)
    if selection.outlets:
        mask &= articles["outlet"].isin(selection.outlets)
    if selection.groups:
        mask &= articles["outlet_group"].isin(selection.groups)
    if selection.years:
        first, last = selection.years
        if first > last:
            raise ValueError(
                f"year range {first}–{last} is empty: the first year is after the last"
            )
        years = articles["year"]
        mask &= years.notna() & (years >= first) & (years <= last)
    if selection.meetings:
        mask &= _meeting_mask(articles["meetings"], selection.meetings)
    if selection.languages:
        mask &= articles["language"].isin(selection.languages)
    return articles.loc[mask.astype(bool)].copy()


def per_meeting(articles: pd.DataFrame, *, keep_none: bool = False) -> pd.DataFrame:
    """One row per article and meeting of its ``meetings`` list, the meeting in ``meeting``.

    An article on no meeting has one row with meeting :data:`NO_MEETING` when
    ``keep_none``, else none. The index runs from 0; ``articles`` is not modified.
    """

    def meetings_of(cell: object) -> list[str]:
        return list(list_items(cell)) or ([NO_MEETING] if keep_none else [])

    meetings = per_row(articles["meetings"], meetings_of, "object")
    exploded = articles.assign(meeting=meetings).explode("meeting", ignore_index=True)
    if keep_none:
        return exploded
    return exploded[exploded["meeting"].notna() & (exploded["meeting"] != NO_MEETING)]
