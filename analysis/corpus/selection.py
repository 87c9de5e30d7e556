"""Selecting articles by outlet, outlet group, year, meeting and language."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analysis.corpus.types import list_items

__all__ = ["NO_MEETING", "Selection", "filter_articles", "per_meeting"]


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


def _meeting_mask(meetings: pd.Series, wanted: Collection[str]) -> pd.Series:
    """Whether each cell's meetings (:data:`NO_MEETING` for none) include one of ``wanted``.

    Articles share a few lists of meetings: each distinct cell is looked at once.
    """
    wanted_set = set(wanted)

    def covers(value: object) -> bool:
        return bool(wanted_set.intersection(list_items(value) or (NO_MEETING,)))

    try:
        codes, distinct = pd.factorize(meetings, use_na_sentinel=False)
    except TypeError:
        # A cell that cannot be hashed (a list, in a hand-made frame): one by one.
        return meetings.map(covers).astype(bool)
    kept = np.array([covers(value) for value in distinct], dtype=bool)
    return pd.Series(kept[codes], index=meetings.index)


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
    made: dict[tuple[str, ...], list[str]] = {}

    def meetings_of(cell: object) -> list[str]:
        # Articles share a few lists of meetings: each is made once.
        items = list_items(cell)
        if items not in made:
            made[items] = list(items) or ([NO_MEETING] if keep_none else [])
        return made[items]

    exploded = articles.assign(meeting=articles["meetings"].map(meetings_of)).explode(
        "meeting", ignore_index=True
    )
    if keep_none:
        return exploded
    return exploded[exploded["meeting"].notna() & (exploded["meeting"] != NO_MEETING)]
