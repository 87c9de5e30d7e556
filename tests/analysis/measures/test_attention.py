from __future__ import annotations

import pandas as pd
import pytest

from analysis.measures.attention import per_period, period_starts

ROWS = pd.DataFrame(
    {
        "published": pd.to_datetime(["2015-05-12", "2015-05-14", "2015-05-18", None]),
        "outlet": ["a", "a", "b", "a"],
    }
)


def test_weeks_start_on_monday_and_undated_rows_are_left_out():
    counted = per_period(ROWS, by="outlet", period="week")
    assert counted.to_dict("list") == {
        "period_start": list(pd.to_datetime(["2015-05-11", "2015-05-18"])),
        "outlet": ["a", "b"],
        "articles": [2, 1],
    }


def test_days_and_a_named_count():
    counted = per_period(ROWS, by="outlet", period="day", count="hits")
    assert list(counted["hits"]) == [1, 1, 1]
    assert list(counted["period_start"].dt.day) == [12, 14, 18]


def test_unknown_period_is_refused():
    with pytest.raises(ValueError, match="period='year' is not one of"):
        per_period(ROWS, by="outlet", period="year")


def test_period_starts_keep_their_rows_and_leave_missing_dates_missing():
    dates = pd.Series(
        pd.to_datetime(["2015-05-17 23:30", None, "2015-05-18 00:00"]), index=[7, 3, 1]
    )
    starts = period_starts(dates, "week")
    assert list(starts.index) == [7, 3, 1]
    # Late on Sunday 17 May is still the week of Monday 11 May.
    assert starts[7] == pd.Timestamp("2015-05-11")
    assert starts[1] == pd.Timestamp("2015-05-18")
    assert pd.isna(starts[3])
    assert period_starts(dates, "month")[7] == pd.Timestamp("2015-05-01")
    # A date with a zone counts on its own clock, not on UTC's (Monday 18 May in UTC).
    moscow = pd.Series(pd.to_datetime(["2015-05-18 01:30"]).tz_localize("Europe/Moscow"))
    assert period_starts(moscow, "week")[0] == pd.Timestamp("2015-05-18")
