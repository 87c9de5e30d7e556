"""What the charts say on hover and in their legends: names a reader knows, dates as dates."""

from __future__ import annotations

import pandas as pd

from dashboard import colours, figures, tables
from tests.dashboard.samples import ARTICLES

MEETINGS = pd.DataFrame(
    {
        "meeting": ["2015-05-sochi", "2015-12-moscow", "2015-12-moscow-2"],
        "title": ["Kerry meets Putin in Sochi", "Kerry in Moscow", "Kerry in Moscow again"],
        "place": ["Sochi, Bocharov Ruchey", "Moscow, Kremlin", "Moscow"],
        "start": pd.to_datetime(["2015-05-12", "2015-12-15", "2015-12-29"]),
    }
)
SHARES = pd.DataFrame(
    {
        "group": ["a", "a", "b"],
        "outlet_name": ["Outlet A", "Outlet A", "Outlet B"],
        "label": ["favorable", "unsupported language", "unfavorable"],
        "articles": [2, 1, 1],
        "share_text": ["67%", "—", "—"],
        "status": ["ok", "ok", "insufficient evidence"],
    }
)


def _stance_bars(shares: pd.DataFrame):  # type: ignore[no-untyped-def]
    return figures.share_bars(
        shares,
        category="outlet_name",
        label="label",
        value="articles",
        title="Stance",
        category_title="Outlet",
        value_title="Articles",
        label_order=["favorable", "unfavorable", "unsupported language"],
        colours=colours.STANCE_COLOURS,
        patterns=colours.LABEL_PATTERNS,
        legend_title="Stance",
        customdata=["group", "label"],
        hover={"share_text": "Share of its rated articles", "status": "Evidence"},
    )


def test_meeting_labels_are_city_and_month_with_the_day_when_two_share_them():
    assert tables.meeting_labels(MEETINGS) == {
        "2015-05-sochi": "Sochi, May 2015",
        "2015-12-moscow": "Moscow, 15 Dec 2015",
        "2015-12-moscow-2": "Moscow, 29 Dec 2015",
        "none": "no meeting",
    }


def test_stance_bars_name_their_hover_fields_and_show_a_legend():
    figure = _stance_bars(SHARES)
    favorable = figure.data[0]
    assert favorable.hovertemplate == (
        "<b>favorable</b><br>Outlet: %{y}<br>Articles: %{x}<br>"
        "Share of its rated articles: %{customdata[2]}<br>Evidence: %{customdata[3]}"
        "<extra></extra>"
    )
    assert favorable.customdata.tolist() == [["a", "favorable", "67%", "ok"]]
    assert [(t.name, t.marker.color, t.marker.pattern.shape) for t in figure.data] == [
        ("favorable", "#5E3C99", ""),
        ("unfavorable", "#8C510A", ""),
        ("unsupported language", "#D9D9D9", "/"),
    ]
    assert figure.layout.showlegend is True
    assert figure.layout.legend.title.text == "Stance:"


def test_a_single_label_still_has_its_legend():
    figure = _stance_bars(SHARES[SHARES["label"] == "unfavorable"])
    assert [t.name for t in figure.data] == ["unfavorable"]
    assert figure.layout.showlegend is True


def test_matrix_hover_shows_dates_as_dates():
    cells = pd.DataFrame(
        {
            "outlet_name": ["Outlet A", "Outlet B"],
            "meeting_label": ["Sochi, May 2015", "Sochi, May 2015"],
            "articles": [1, 0],
            "first": pd.to_datetime(["2015-12-19", None]),
        }
    )
    figure = figures.matrix_chart(
        cells,
        x="meeting_label",
        y="outlet_name",
        value="articles",
        title="t",
        x_title="Meeting",
        y_title="Outlet",
        value_title="Articles",
        hover={"first": "First published"},
    )
    hollow, filled = figure.data
    assert filled.customdata.tolist() == [["2015-12-19"]]
    assert hollow.customdata.tolist() == [["undated"]]
    assert filled.hovertemplate.endswith("First published: %{customdata[0]}<extra></extra>")


def test_timeline_names_meetings_by_their_titles_and_labels():
    figure = figures.articles_timeline(
        ARTICLES,
        MEETINGS,
        labels=tables.meeting_labels(MEETINGS),
        colours={"Outlet A": colours.OKABE_ITO[0]},
        title="t",
    )
    outlet_b = figure.data[1]
    assert outlet_b.customdata.tolist() == [
        ["b1", "Third", "day", "Kerry meets Putin in Sochi; Kerry in Moscow"]
    ]
    assert [a.text for a in figure.layout.annotations] == [
        "Sochi, May 2015",
        "Moscow, 15 Dec 2015",
        "Moscow, 29 Dec 2015",
    ]


def test_coverage_bar_writes_each_groups_count_and_share_in_its_colour():
    spread = pd.DataFrame(
        {
            "outlet_group": ["Ukrainian", "<b>Think & do</b>"],
            "articles": [3, 1],
            "outlets": [2, 1],
            "share": [0.75, 0.25],
        }
    )
    figure = figures.coverage_bar(
        spread,
        group="outlet_group",
        title="Who covered it",
        colours={"Ukrainian": "#0072B2"},
        legend_title="Outlet group",
    )
    assert [trace.text[0] for trace in figure.data] == [
        "Ukrainian: 3 (75%)",
        "&lt;b&gt;Think &amp; do&lt;/b&gt;: 1 (25%)",
    ]
    # A click returns the group as it is named, markup and all.
    assert figure.data[1].customdata[0][0] == "<b>Think & do</b>"
    assert [trace.x[0] for trace in figure.data] == [75.0, 25.0]
    # A group without a colour of its own is drawn grey, never left out.
    assert [trace.marker.color for trace in figure.data] == ["#0072B2", colours.NEUTRAL_COLOUR]
    assert list(figure.data[0].customdata[0]) == ["Ukrainian", 3, 2]
    assert figure.data[0].hovertemplate == (
        "<b>Ukrainian</b><br>Articles: %{customdata[1]} (%{x:.0f}% of them)<br>"
        "Outlets: %{customdata[2]}<extra></extra>"
    )
    assert figure.layout.legend.title.text == "Outlet group:"
