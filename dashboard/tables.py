"""Presentation tables: the library's frames arranged for display. No Streamlit calls here.

Nothing here computes an analysis number; these functions count articles,
join labels to names and pick columns, so that what a page shows and what
its CSV holds are the same frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = [
    "ARTICLE_LIST_COLUMNS",
    "article_labels",
    "article_list",
    "columns_present",
    "coverage_cells",
    "meeting_articles",
    "meetings_covered",
    "outlet_registry",
    "per_meeting",
    "top_terms",
]

#: Columns of the article lists the pages show (the text itself stays in the Reader).
ARTICLE_LIST_COLUMNS = [
    "title",
    "outlet_name",
    "outlet_group",
    "published",
    "date_precision",
    "authors",
    "meetings",
    "language",
    "url",
    "id",
]


def article_list(articles: pd.DataFrame) -> pd.DataFrame:
    """The article list as shown: metadata columns, newest first, undated last."""
    return (
        articles.sort_values(["published", "id"], ascending=[False, True], na_position="last")
        .loc[:, ARTICLE_LIST_COLUMNS]
        .reset_index(drop=True)
    )


def _meeting_lists(articles: pd.DataFrame) -> tuple[pd.Series, dict[str, list[str]]]:
    """Each article's ``meetings`` value, and the meetings each distinct value lists.

    A corpus has few distinct combinations of meetings, so each is split once.
    """
    values = articles["meetings"].fillna("")
    lists = {v: v.split("; ") if v else ["none"] for v in values.unique().tolist()}
    return values, lists


def per_meeting(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article and meeting it covers (``none`` for no meeting)."""
    values, lists = _meeting_lists(articles)
    return articles.assign(meeting=values.map(lists.__getitem__)).explode(
        "meeting", ignore_index=True
    )


def meetings_covered(articles: pd.DataFrame) -> set[str]:
    """The meetings the articles cover (``none`` if one covers no meeting)."""
    return {key for keys in _meeting_lists(articles)[1].values() for key in keys}


def coverage_cells(
    articles: pd.DataFrame, outlets: pd.DataFrame, meetings: pd.DataFrame
) -> pd.DataFrame:
    """Articles per outlet and meeting, every pair of a selected outlet and a meeting.

    Columns: ``outlet``, ``outlet_name``, ``meeting``, ``meeting_title``,
    ``articles``. Pairs without an article are kept with 0, so an omission shows.
    """
    exploded = per_meeting(articles)
    counts = exploded.groupby(["outlet", "meeting"]).size()
    names = dict(zip(outlets["outlet"], outlets["name"], strict=True))
    titles = dict(zip(meetings["meeting"], meetings["title"], strict=True))
    selected = set(articles["outlet"])
    covered = set(exploded["meeting"])
    present = [key for key in outlets["outlet"] if key in selected]
    meeting_keys = [key for key in meetings["meeting"] if key in covered]
    if "none" in covered:
        meeting_keys.append("none")
    rows = [
        {
            "outlet": outlet,
            "outlet_name": names.get(outlet, outlet),
            "meeting": meeting,
            "meeting_title": titles.get(meeting, "covers no meeting of the catalogue"),
            "articles": int(counts.get((outlet, meeting), 0)),
        }
        for outlet in present
        for meeting in meeting_keys
    ]
    return pd.DataFrame(
        rows, columns=["outlet", "outlet_name", "meeting", "meeting_title", "articles"]
    )


def outlet_registry(outlets: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The registry with the number of selected articles of each outlet."""
    counts = articles["outlet"].value_counts()
    return outlets.assign(
        selected_articles=outlets["outlet"].map(counts).fillna(0).astype(int)
    ).loc[
        :,
        [
            "outlet",
            "name",
            "group",
            "group_reason",
            "group_source",
            "kind",
            "country",
            "selected_articles",
        ],
    ]


def meeting_articles(articles: pd.DataFrame, meeting: str) -> pd.DataFrame:
    """The selected articles that cover ``meeting``."""
    values = articles["meetings"].fillna("")
    covering = {v for v in values.unique().tolist() if meeting in v.split("; ")}
    return articles.loc[values.isin(covering).to_numpy()]


def article_labels(articles: pd.DataFrame) -> dict[str, str]:
    """A readable, unique label per article id: "headline — outlet, date"."""
    labels: dict[str, str] = {}
    # Plain lists and dates formatted all at once: element by element, thousands of
    # articles took tens of milliseconds on every rerun.
    dates = articles["published"].dt.strftime("%Y-%m-%d").tolist()
    for key, title, outlet, when in zip(
        articles["id"].tolist(),
        articles["title"].tolist(),
        articles["outlet_name"].tolist(),
        dates,
        strict=True,
    ):
        labels[str(key)] = f"{title} — {outlet}, {'undated' if pd.isna(when) else when}"
    seen: dict[str, int] = {}
    for value in labels.values():
        seen[value] = seen.get(value, 0) + 1
    return {key: value if seen[value] == 1 else f"{value} [{key}]" for key, value in labels.items()}


def top_terms(
    contrasts: pd.DataFrame, group: str, *, n: int, positive: bool = True
) -> pd.DataFrame:
    """The ``n`` terms with the highest (or lowest) z for one group of a contrast frame."""
    rows = contrasts[contrasts["group"].astype(str) == str(group)]
    rows = rows[rows["z"] > 0] if positive else rows[rows["z"] < 0]
    ordered = rows.sort_values("z", ascending=not positive, kind="mergesort")
    return ordered.head(n).reset_index(drop=True)


def columns_present(frame: pd.DataFrame, wanted: Sequence[str]) -> list[str]:
    """The ``wanted`` columns that ``frame`` has, in that order."""
    return [column for column in wanted if column in frame.columns]
