"""Who covered what: the spread of a story's coverage across groups, and each group's blind spots.

* :func:`coverage_spread` — per group (outlet group by default): how many
  articles and outlets it ran and its share of all the articles, the numbers
  behind a coverage bar.
* :func:`blind_spots` — per meeting: the groups that ran nothing on a meeting
  other groups covered, and the subjects other groups covered on a meeting and
  a group did not.

Meetings are read from the articles' ``meetings`` lists, so an article that
covers two meetings counts on both. A group is any value of the ``by`` column;
``unassigned`` (outlets nobody has placed yet) is a group like any other.
Neither function changes its inputs.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.corpus.selection import per_meeting
from analysis.labels.agenda import omissions

__all__ = [
    "BLIND_SPOT_COLUMNS",
    "SPREAD_COLUMNS",
    "blind_spots",
    "coverage_spread",
]

#: Columns of :func:`coverage_spread`, after the group column.
SPREAD_COLUMNS = ("articles", "outlets", "share")
#: Columns of :func:`blind_spots`, the group column (named after ``by``) fourth.
BLIND_SPOT_COLUMNS = (
    "meeting",
    "kind",
    "subject",
    "subject_name",
    "n_articles",
    "covered_by",
    "articles_covering",
)
#: What a blind spot is of: a whole meeting, or one subject of a meeting.
KIND_MEETING = "meeting"
KIND_SUBJECT = "subject"


def _check_columns(articles: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [column for column in columns if column not in articles.columns]
    if missing:
        raise ValueError(f"articles is missing column(s) {', '.join(missing)}")


def coverage_spread(
    articles: pd.DataFrame, *, by: str = "outlet_group", order: Sequence[str] | None = None
) -> pd.DataFrame:
    """How many articles each group ran, from how many outlets, and its share of them all.

    Parameters
    ----------
    articles : pandas.DataFrame
        ``id``, ``outlet`` and the ``by`` column: the articles of one story
        (a meeting's) or any selection. Not modified.
    by : str, default "outlet_group"
        The column that names each article's group.
    order : sequence of str, optional
        The order of the groups (the registry's, so a bar keeps its order
        across meetings); groups not in it follow, sorted. By default the
        groups come sorted.

    Returns
    -------
    pandas.DataFrame
        Columns ``<by>`` then :data:`SPREAD_COLUMNS`: ``articles`` (distinct
        article ids), ``outlets`` (distinct outlets) and ``share`` = articles /
        all the articles. One row per group with an article; empty for no article.

    Raises
    ------
    ValueError
        If a column is missing from ``articles``.
    """
    _check_columns(articles, ["id", "outlet", by])
    groups = articles[by].astype(str)
    counts = articles.assign(_group=groups).groupby("_group", sort=True)
    per_group = pd.DataFrame(
        {"articles": counts["id"].nunique(), "outlets": counts["outlet"].nunique()}
    )
    known = [g for g in dict.fromkeys(order or ()) if g in per_group.index]
    rest = [g for g in per_group.index if g not in set(known)]
    per_group = per_group.loc[[*known, *rest]]
    total = articles["id"].nunique()
    spread = pd.DataFrame(
        {
            by: per_group.index.astype(str),
            "articles": per_group["articles"].astype("int64").to_numpy(),
            "outlets": per_group["outlets"].astype("int64").to_numpy(),
        }
    )
    spread["share"] = spread["articles"] / total if total else 0.0
    return spread.reset_index(drop=True)


def blind_spots(
    articles: pd.DataFrame,
    agenda: pd.DataFrame,
    *,
    by: str = "outlet_group",
    meetings: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The meetings and the subjects of a meeting that other groups covered and a group did not.

    Parameters
    ----------
    articles : pandas.DataFrame
        ``id``, ``language``, ``meetings`` (each article's list of meeting
        keys) and the ``by`` column: every selected article, those on no
        meeting included, since a group's articles elsewhere show that it was
        there to cover the meeting. Not modified.
    agenda : pandas.DataFrame
        The subjects of the articles,
        :func:`analysis.labels.agenda.scan_subjects`'s first table.
    by : str, default "outlet_group"
        Whose blind spots: outlet group, outlet ...
    meetings : sequence of str, optional
        Only these meetings (by default every meeting an article covers).

    Returns
    -------
    pandas.DataFrame
        Columns ``meeting``, ``kind``, ``subject``, ``subject_name``, ``<by>``
        (the group with the blind spot), ``n_articles``, ``covered_by`` and
        ``articles_covering``. A row of kind ``meeting``: ``<by>`` ran
        ``n_articles`` = 0 articles on the meeting, while ``covered_by`` (the
        groups that did, ``; ``-separated) ran ``articles_covering``; its
        subject is empty. A row of kind ``subject``: ``<by>`` ran
        ``n_articles`` on the meeting in a supported language and none names
        the subject, while ``articles_covering`` articles of ``covered_by`` do
        (:func:`analysis.labels.agenda.omissions`). Only groups with an
        article among ``articles`` can have a blind spot. Sorted by meeting,
        kind (meeting first), group and subject.

    Raises
    ------
    ValueError
        If ``by`` is ``meeting``, or a column is missing from ``articles`` or
        ``agenda``.
    """
    if by == "meeting":
        raise ValueError("by must name a group column, not 'meeting'")
    _check_columns(articles, ["id", "language", "meetings", by])
    groups = sorted(articles[by].dropna().astype(str).unique())
    exploded = per_meeting(articles)
    exploded = exploded.assign(**{by: exploded[by].astype(str)})
    if meetings is not None:
        exploded = exploded[exploded["meeting"].isin(list(meetings))]
    rows = []
    for meeting, on_meeting in exploded.groupby("meeting", sort=True):
        covering = on_meeting.groupby(by)["id"].nunique()
        for group in groups:
            if group in covering.index:
                continue
            rows.append(
                (
                    meeting,
                    KIND_MEETING,
                    "",
                    "",
                    group,
                    0,
                    "; ".join(str(g) for g in covering.index),
                    int(on_meeting["id"].nunique()),
                )
            )
    meeting_rows = pd.DataFrame(
        rows, columns=["meeting", "kind", "subject", "subject_name", by, *BLIND_SPOT_COLUMNS[4:]]
    )
    subject_rows = omissions(agenda, exploded, by=by, within="meeting").assign(kind=KIND_SUBJECT)
    columns = ["meeting", "kind", "subject", "subject_name", by, *BLIND_SPOT_COLUMNS[4:]]
    frames = [frame[columns] for frame in (meeting_rows, subject_rows) if len(frame)]
    if not frames:
        return meeting_rows
    found = pd.concat(frames, ignore_index=True).astype(
        {"n_articles": "int64", "articles_covering": "int64"}
    )
    found["_kind"] = (found["kind"] != KIND_MEETING).astype(int)
    return (
        found.sort_values(["meeting", "_kind", by, "subject"], kind="stable")
        .drop(columns="_kind")
        .reset_index(drop=True)
    )
