from __future__ import annotations

import pandas as pd
import pytest

from analysis.measures.attention import per_period

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
