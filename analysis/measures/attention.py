"""Attention over time: how many articles (or search hits) each outlet or group had per period."""

from __future__ import annotations

import pandas as pd

__all__ = ["PERIODS", "per_period", "period_starts"]

#: Periods rows can be counted by, and the pandas period that makes each.
#: A week runs Monday to Sunday and is named by its Monday.
PERIODS: dict[str, str] = {"day": "D", "week": "W-SUN", "month": "M"}


def per_period(
    rows: pd.DataFrame,
    *,
    by: str,
    period: str = "week",
    date_column: str = "published",
    count: str = "articles",
) -> pd.DataFrame:
    """Rows counted per period and value of ``by``.

    Parameters
    ----------
    rows : pandas.DataFrame
        One row per thing to count (an article, a hit) with ``date_column``
        and ``by``. Not modified. Rows without a date are left out (the
        caller says how many).
    by : str
        Column whose values make the series (``outlet``, ``outlet_group``).
    period : {"day", "week", "month"}, default "week"
        Length of a period; weeks start on Monday.
    date_column : str, default "published"
        Column of dates.
    count : str, default "articles"
        Name of the column of counts.

    Returns
    -------
    pandas.DataFrame
        Columns ``period_start`` (the period's first day), ``by`` and
        ``count``, one row per period and value with at least one row (periods
        with none are not listed), sorted by ``period_start`` then ``by``.

    Raises
    ------
    ValueError
        If ``period`` is not one of :data:`PERIODS` or a column is missing.
    """
    if period not in PERIODS:
        raise ValueError(f"period={period!r} is not one of {tuple(PERIODS)}")
    for column in (by, date_column):
        if column not in rows.columns:
            raise ValueError(f"rows has no {column!r} column")
    starts = period_starts(rows[date_column], period)
    dated = rows.loc[starts.notna(), [by]].astype(str)
    counted = (
        dated.assign(period_start=starts[starts.notna()])
        .groupby(["period_start", by])
        .size()
        .rename(count)
        .reset_index()
    )
    return counted.sort_values(["period_start", by], kind="mergesort").reset_index(drop=True)


def period_starts(dates: pd.Series, period: str) -> pd.Series:
    """The first day of the ``period`` (see :data:`PERIODS`) each date falls in, at midnight;
    missing (``NaT``) where a date is missing or cannot be read. Same index as ``dates``."""
    if period not in PERIODS:
        raise ValueError(f"period={period!r} is not one of {tuple(PERIODS)}")
    read = pd.to_datetime(dates, errors="coerce").dt.tz_localize(None)
    return read.dt.to_period(PERIODS[period]).dt.start_time.dt.normalize()
