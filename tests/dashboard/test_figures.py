"""What the charts say on hover and in their legends: names a reader knows, dates as dates."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pandas as pd
import plotly.io as pio
import pytest

from dashboard import colours, exports, figures, tables, vega
from dashboard.vega import VegaChart
from tests.dashboard.samples import ARTICLES, CROWDED

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


CELLS = pd.DataFrame(
    {
        "outlet_name": ["Outlet A", "Outlet B"],
        "meeting_label": ["Sochi, May 2015", "Sochi, May 2015"],
        "articles": [1, 0],
        "first": pd.to_datetime(["2015-12-19", None]),
    }
)


def _matrix(cells: pd.DataFrame):  # type: ignore[no-untyped-def]
    """The Overview's coverage matrix of ``cells``, with the first date on hover."""
    return figures.matrix_chart(
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


def _layer(chart: VegaChart, mark: str, *, data: str | None = None) -> dict[str, Any]:
    """The one layer of ``chart`` drawing ``mark`` marks (from dataset ``data``, if given)."""
    found = [
        layer
        for layer in chart.spec["layer"]
        if layer["mark"]["type"] == mark
        and (data is None or layer.get("data", {}).get("name") == data)
        and layer["mark"].get("opacity") != 0
    ]
    assert len(found) == 1, (mark, data, len(found))
    return found[0]


def test_matrix_hover_shows_dates_as_dates():
    figure = _matrix(CELLS)
    cells = figure.datasets["cells"]
    assert cells["h0"].tolist() == ["2015-12-19", "undated"]
    tooltip = _layer(figure, "rect")["encoding"]["tooltip"]
    assert tooltip[-1] == {"field": "h0", "title": "First published"}


def _timeline(articles: pd.DataFrame, **options: Any):  # type: ignore[no-untyped-def]
    """The Overview's timeline of ``articles`` against :data:`MEETINGS`, Outlet A in blue."""
    return figures.articles_timeline(
        articles,
        MEETINGS,
        labels=tables.meeting_labels(MEETINGS),
        colours={"Outlet A": colours.OKABE_ITO[0]},
        **{"title": "t", **options},
    )


def test_timeline_names_meetings_by_their_titles_and_labels():
    figure = _timeline(ARTICLES)
    points = figure.datasets["points"]
    outlet_b = points[points["outlet"] == "Outlet B"]
    assert outlet_b[["f0", "f1", "headline", "when", "about"]].values.tolist() == [
        ["b1", "Outlet B", "Third", "2015-05-13 (known to the day)",
         "Kerry meets Putin in Sochi; Kerry in Moscow"]
    ]  # fmt: skip
    # A click returns the article's id and outlet.
    assert figure.fields == ("f0", "f1")
    # Each meeting line is numbered above the plot, with its name on hover and in the axis title.
    lines = figure.datasets["meetings"]
    assert lines["number"].tolist() == ["1", "2", "3"]
    assert lines["label"].tolist() == [
        "Sochi, May 2015",
        "Moscow, 15 Dec 2015",
        "Moscow, 29 Dec 2015",
    ]
    assert _layer(figure, "rule")["encoding"]["tooltip"] == [{"field": "label", "title": "Meeting"}]
    x = _layer(figure, "point")["encoding"]["x"]
    assert x["title"] == "Publication date"
    # Months apart: Vega-Lite picks the ticks (years apart, a tick a year).
    assert "format" not in x["axis"]
    key = figure.spec["title"]["subtitle"]
    assert " ".join(key if isinstance(key, list) else [key]) == (
        "Dotted lines: the meetings (1 Sochi, May 2015; "
        "2 Moscow, 15 Dec 2015; 3 Moscow, 29 Dec 2015)"
    )


def test_a_timeline_of_years_has_a_tick_a_year():
    years_apart = ARTICLES.assign(
        published=pd.to_datetime(["2013-05-07", "2015-05-12", "2022-01-01"])
    )
    x = _layer(_timeline(years_apart), "point")["encoding"]["x"]
    assert x["axis"]["format"] == "%Y"
    assert x["axis"]["tickCount"] == {"interval": "year", "step": 1}


def test_a_crowded_timeline_draws_one_point_per_outlet_and_period_sized_by_its_articles():
    crowded = CROWDED.assign(
        title=CROWDED["id"], date_precision="day", meetings=[()] * len(CROWDED)
    )
    figure = _timeline(crowded, title="When", max_points=4)
    points = figure.datasets["points"]
    outlet_a, outlet_b = (
        points[points["outlet"] == "Outlet A"],
        points[points["outlet"] == "Outlet B"],
    )
    assert outlet_a[["f0", "f1", "f2"]].values.tolist() == [
        ["week:2015-05-11", "Outlet A", 3],
        ["week:2015-06-01", "Outlet A", 1],
    ]
    assert outlet_b["f0"].tolist() == ["week:2015-05-11", "week:2015-11-30"]
    assert figure.fields == ("f0", "f1", "f2")
    # The largest point is the week of three articles (24 px across); area grows with the count.
    assert outlet_a["area"].tolist() == [24.0**2, round((6 + 18 * (1 / 3) ** 0.5) ** 2, 1)]
    colour = _layer(figure, "point")["encoding"]["color"]["scale"]
    assert (
        dict(zip(colour["domain"], colour["range"], strict=True))["Outlet A"]
        == (colours.OKABE_ITO[0])
    )
    assert outlet_a[["headline", "when"]].values.tolist() == [
        ["3 articles", "week of 2015-05-11"],
        ["1 article", "week of 2015-06-01"],
    ]
    assert figure.spec["title"]["text"].startswith(
        "When; each point: an outlet's articles of one week"
    )


def test_timeline_numbers_of_meetings_days_apart_take_turns_between_two_rows():
    meetings = pd.DataFrame(
        {
            # Listed out of date order; the last two are 5 days apart on an axis of a year,
            # and one meeting has no date (no line, no number).
            "meeting": ["late", "undated", "early", "later"],
            "title": ["Late", "Undated", "Early", "Later"],
            "start": pd.to_datetime(["2016-05-10", None, "2015-05-12", "2016-05-15"]),
        }
    )
    figure = figures.articles_timeline(
        ARTICLES,
        meetings,
        labels={"early": "Early", "late": "Late", "later": "Later"},
        colours={"Outlet A": colours.OKABE_ITO[0]},
        title="t",
    )
    numbers = figure.datasets["meetings"]
    assert numbers[["number", "label", "row"]].values.tolist() == [
        ["1", "Early", 0],
        ["2", "Late", 0],
        ["3", "Later", 1],
    ]
    assert numbers["start"].tolist() == ["2015-05-12", "2016-05-10", "2016-05-15"]
    # Row 1 is drawn a line above row 0.
    heights = [
        (layer["transform"][0]["filter"], layer["encoding"]["y"]["value"])
        for layer in figure.spec["layer"]
        if layer["mark"]["type"] == "text"
    ]
    assert heights == [("datum.row == 0", -4), ("datum.row == 1", -18)]
    # The numbers and their key in grey, readable on a light and a dark page alike.
    assert {
        layer["mark"]["color"] for layer in figure.spec["layer"] if layer["mark"]["type"] == "text"
    } == {colours.NEUTRAL_COLOUR}
    assert figure.spec["title"]["subtitleColor"] == colours.NEUTRAL_COLOUR


TERMS = pd.DataFrame(
    {
        "term": ["sochi", "sanctions", "minsk", "partnership"],
        "z": [2.5, 1.0, -0.5, -2.2],
        "count_group": [3, 4, 1, 0],
        "count_other": [0, 2, 3, 4],
        "docs_group": [1, 2, 1, 0],
        "docs_other": [0, 1, 2, 1],
        "single_article": [True, False, True, False],
        "single_article_other": [False, True, False, True],
    }
)


def test_term_bars_label_the_significance_lines_and_flag_one_article_terms_on_both_sides():
    figure = figures.term_bars(
        TERMS, title="Terms", colour="#0072B2", group_label="A", other_label="B"
    )
    assert [a.text for a in figure.layout.annotations] == ["p < 0.05", "p < 0.05"]
    assert sorted(a.x for a in figure.layout.annotations) == [-1.96, 1.96]
    ticks = dict(zip(figure.layout.yaxis.tickvals, figure.layout.yaxis.ticktext, strict=True))
    # sochi leans to A and comes from one of A's articles; partnership from one of B's.
    assert ticks == {
        "partnership": "partnership · 1 article",
        "minsk": "minsk",
        "sanctions": "sanctions",
        "sochi": "sochi · 1 article",
    }


def test_term_scatter_labels_the_significance_lines_and_hollows_one_article_terms():
    figure = figures.term_scatter(
        TERMS, title="Terms", colour="#0072B2", group_label="A", other_label="B"
    )
    assert [a.text for a in figure.layout.annotations] == ["p < 0.05", "p < 0.05"]
    assert list(figure.data[0].marker.symbol) == [
        "circle-open", "circle", "circle", "circle-open"
    ]  # fmt: skip


def test_long_titles_are_broken_between_words_and_the_top_margin_grows():
    title = (
        "What sets OSW – Centre for Eastern Studies apart from robinwestenra.blogspot.com "
        "(repost blog)<br><sup>n = 1 articles of OSW – Centre for Eastern Studies vs 1 of "
        "robinwestenra.blogspot.com (repost blog)</sup>"
    )
    wrapped = figures.wrapped_title(title)
    lines = wrapped.split("<br>")
    assert lines == [
        "What sets OSW – Centre for Eastern Studies apart from",
        "robinwestenra.blogspot.com (repost blog)",
        "<sup>n = 1 articles of OSW – Centre for Eastern Studies vs 1 of "
        "robinwestenra.blogspot.com</sup>",
        "<sup>(repost blog)</sup>",
    ]
    figure = figures.term_bars(TERMS, title=title, colour="#000", group_label="A", other_label="B")
    assert figure.layout.title.text == wrapped
    assert figure.layout.margin.t == 50 + 22 * 4


#: The page backgrounds of Streamlit's light and dark themes.
BACKGROUNDS = ("#FFFFFF", "#0E1117")


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``."""
    channels = [int(colour.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _characteristic(terms: pd.DataFrame):  # type: ignore[no-untyped-def]
    return figures.characteristic_terms(
        terms, title="Terms", group_label="A", other_label="B", labelled=3
    )


PILED = pd.DataFrame(
    {
        # "nato" and "alliance" sit on the same spot; "minsk" far away; "talks" at z = 0.
        "term": ["nato", "alliance", "minsk", "talks", "sochi"],
        "z": [3.0, 2.9, -2.5, 0.0, 0.4],
        "count_group": [40, 40, 1, 10, 3],
        "count_other": [2, 2, 30, 10, 2],
        "group_tokens": [10_000] * 5,
        "other_tokens": [10_000] * 5,
    }
)


def test_long_outlet_names_are_broken_between_words_on_the_axis_and_whole_on_hover():
    counts = pd.DataFrame(
        {
            "outlet_name": ["robinwestenra.blogspot.com (repost blog)", "TASS", "A <b> & C"],
            "hits": [4, 2, 1],
        }
    )
    figure = figures.counts_per_group(
        counts, group="outlet_name", value="hits", title="Hits per outlet", x_title="Hits",
        y_title="Outlet", colours={},
    )  # fmt: skip
    axis = figure.layout.yaxis
    assert list(axis.tickvals) == list(counts["outlet_name"])
    assert list(axis.ticktext) == [
        "robinwestenra.blogspot.com<br>(repost blog)",
        "TASS",
        "A &lt;b&gt; &amp; C",
    ]
    # The bars and what a click or hover gives keep the whole name.
    assert list(figure.data[0].y) == list(counts["outlet_name"])
    assert list(axis.categoryarray) == list(counts["outlet_name"])[::-1]


def test_characteristic_terms_label_the_top_terms_without_piling_them_up():
    figure = _characteristic(PILED)
    labels = dict(zip(PILED["term"], figure.data[0].text, strict=True))
    # alliance is second by |z| but would print over nato: the next term is named instead.
    assert labels == {
        "nato": "nato",
        "alliance": "",
        "minsk": "minsk",
        "talks": "",
        "sochi": "sochi",
    }


def test_characteristic_terms_log_axes_have_no_minor_labels_and_every_point_shows():
    figure = _characteristic(PILED)
    for axis in (figure.layout.xaxis, figure.layout.yaxis):
        assert (axis.type, axis.dtick, axis.minor.ticks) == ("log", 1, "")
    scale = [colour for _, colour in figure.data[0].marker.colorscale]
    # z near 0 is the middle of the scale: it must not fade into either page background.
    for colour in scale:
        for background in BACKGROUNDS:
            assert contrast(colour, background) >= 2.0, (colour, background)


def test_heatmap_cells_keep_contrast_with_both_themes_and_their_numbers_are_readable():
    cells = pd.DataFrame(
        {
            "outlet_name": ["A", "A", "A", "B", "B", "B"],
            "subject": ["x", "y", "z", "x", "y", "z"],
            "percent": [0, 10, 40, 60, 90, 100],
        }
    )
    figure = figures.matrix_chart(
        cells, x="subject", y="outlet_name", value="percent", title="t", x_title="Subject",
        y_title="Outlet", value_title="% of its articles",
    )  # fmt: skip
    scale = figures.HEAT_COLOURS
    for colour in scale:
        for background in BACKGROUNDS:
            assert contrast(colour, background) >= 2.0, (colour, background)
    # The scale runs from the lowest filled value (10) to the highest; 0 is hollow.
    drawn = figure.datasets["cells"]
    assert drawn["fill"].tolist() == ["transparent"] + [
        figures.heat_colour((v - 10) / 90) for v in (10, 40, 60, 90, 100)
    ]
    assert figures.heat_colour(0) == scale[0]
    assert figures.heat_colour(1) == scale[-1]
    # Each number against its cell's colour.
    for fill, text_colour in zip(drawn["fill"][1:], drawn["ink"][1:], strict=True):
        assert contrast(text_colour, fill) >= 4.5, (fill, text_colour)


def test_stance_over_time_joins_points_of_one_meeting_only_and_spans_the_whole_scale():
    points = pd.DataFrame(
        {
            "published": pd.to_datetime(
                ["2015-05-12", "2015-05-14", "2015-12-16", "2015-12-17", "2015-05-13"]
            ),
            "score": [0.1, 0.2, 0.3, 0.4, 0.5],
            "outlet_name": ["A", "A", "A", "A", "B"],
            "meeting": ["sochi", "sochi", "moscow", "moscow", "sochi"],
            "article_id": ["a1", "a2", "a3", "a4", "b1"],
        }
    )
    figure = figures.values_over_time(
        points, x="published", y="score", series="outlet_name", segment="meeting",
        title="t", x_title="Publication date", y_title="Stance score", colours={},
        y_range=(-1.0, 1.0), y_ticks={-1.0: "−1 unfavorable", 0.0: "0", 1.0: "+1 favorable"},
        customdata=["article_id"],
    )  # fmt: skip
    a, b = figure.data
    # A gap (None) between the Sochi and the Moscow articles: no line across meetings.
    assert list(a.y) == [0.1, 0.2, None, 0.3, 0.4]
    assert [row[0] for row in a.customdata] == ["a1", "a2", "", "a3", "a4"]
    assert a.connectgaps is False
    assert list(b.y) == [0.5]
    low, high = figure.layout.yaxis.range
    assert low < -1.0
    assert high > 1.0
    assert list(figure.layout.yaxis.ticktext) == ["−1 unfavorable", "0", "+1 favorable"]
    assert figure.layout.yaxis.title.text == "Stance score"


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


def test_the_tests_check_every_figure_against_plotlys_schema():
    assert figures.CHECK_FIGURES
    with pytest.raises(ValueError, match="colour"):
        figures._figure([{"type": "bar", "x": [1], "marker": {"colour": "red"}}], {})


def test_a_figure_built_unchecked_reaches_the_browser_as_the_checked_one(
    monkeypatch: pytest.MonkeyPatch,
):
    builders = {
        "stance bars": lambda: _stance_bars(SHARES),
        "term bars": lambda: figures.term_bars(
            TERMS, title="Terms", colour="#0072B2", group_label="A", other_label="B"
        ),
        "term scatter": lambda: figures.term_scatter(
            TERMS, title="Terms", colour="#0072B2", group_label="A", other_label="B"
        ),
        "characteristic terms": lambda: _characteristic(PILED),
    }
    for name, build in builders.items():
        monkeypatch.setattr(figures, "CHECK_FIGURES", True)
        checked = build()
        monkeypatch.setattr(figures, "CHECK_FIGURES", False)
        unchecked = build()
        # What st.plotly_chart sends: the figure's dict as JSON.
        sent = json.loads(pio.to_json(unchecked.to_dict(), validate=False))
        assert sent == json.loads(pio.to_json(checked.to_dict(), validate=False)), name
        assert unchecked._validate is False


def test_the_colour_bar_starts_at_the_lowest_count_drawn_not_at_the_hollow_zero():
    cells = pd.DataFrame(
        {
            "outlet_name": ["A", "A", "B", "B"],
            "meeting_label": ["x", "y", "x", "y"],
            "articles": [0, 1, 3, 5],
        }
    )
    figure = figures.matrix_chart(
        cells, x="meeting_label", y="outlet_name", value="articles", title="t",
        x_title="Meeting", y_title="Outlet", value_title="Articles",
    )  # fmt: skip
    colour = _legend_layer(figure)["encoding"]["color"]
    assert colour["scale"]["domain"] == [1, 5]
    assert colour["legend"]["values"] == [1, 2, 3, 4, 5]
    # The palest colour of the bar is the one-article cell's; the empty cell is hollow.
    fills = figure.datasets["cells"]["fill"].tolist()
    assert fills == [
        "transparent",
        figures.heat_colour(0),
        figures.heat_colour(0.5),
        figures.heat_colour(1),
    ]
    # One value drawn needs no scale: each cell prints it.
    single = figures.matrix_chart(
        cells.assign(articles=[0, 2, 2, 0]), x="meeting_label", y="outlet_name",
        value="articles", title="t", x_title="Meeting", y_title="Outlet", value_title="Articles",
    )  # fmt: skip
    assert not any("color" in layer["encoding"] for layer in single.spec["layer"][:-1])
    assert single.datasets["cells"]["fill"].tolist()[1] == figures.heat_colour(1)


def _legend_layer(chart: VegaChart) -> dict[str, Any]:
    """The unseen layer of a matrix chart that carries its colour scale's legend."""
    (found,) = [layer for layer in chart.spec["layer"] if layer["mark"].get("opacity") == 0]
    return found


def test_every_vega_lite_chart_compiles_and_draws(monkeypatch: pytest.MonkeyPatch):
    crowded = CROWDED.assign(
        title=CROWDED["id"], date_precision="day", meetings=[()] * len(CROWDED)
    )
    charts = {
        "matrix": _matrix(CELLS),
        "timeline": _timeline(ARTICLES),
        "crowded timeline": _timeline(crowded, max_points=4),
        "timeline without meetings": figures.articles_timeline(
            ARTICLES, MEETINGS.iloc[:0], labels={}, colours={}, title="t"
        ),
    }
    for name, chart in charts.items():
        # The schema first (the tests build every chart checked), then Vega draws it.
        vega.check(chart.inline())
        svg = exports.figure_bytes(chart.inline(), "svg").decode("utf-8")
        assert svg.startswith("<svg"), name
    # A misspelt property is caught when the chart is built.
    monkeypatch.setattr(vega, "CHECK_SPECS", True)
    with pytest.raises(jsonschema.ValidationError):
        VegaChart({**_matrix(CELLS).spec, "hieght": 3}, {"cells": CELLS})


def test_the_legend_under_a_chart_of_days_apart_clears_the_axis_title():
    # Weeks days apart: Plotly writes each tick on two lines (time, then date), and a legend
    # placed a fixed fraction of the plot's height under it ran into the axis title.
    counts = pd.DataFrame(
        {
            "series": ["a", "a", "b"],
            "period_start": pd.to_datetime(["2015-05-11", "2015-05-18", "2015-05-11"]),
            "hits": [13, 2, 4],
        }
    )
    meetings = pd.DataFrame(
        {
            "meeting": ["m"],
            "title": ["Kerry meets Putin in Sochi"],
            "start": pd.to_datetime(["2015-05-12"]),
            "end": pd.to_datetime(["2015-05-12"]),
        }
    )
    figure = figures.counts_over_time(
        counts, meetings, series="series", value="hits", title="Hits per week",
        y_title="Hits", period="week", colours={}, names={"a": "Outlet A (n = 15)"},
    )  # fmt: skip
    svg = exports.figure_bytes(figure, "svg").decode("utf-8")
    (title_baseline,) = re.findall(r'class="xtitle"[^>]* y="([\d.]+)"', svg)
    (legend_top,) = re.findall(r'class="legend"[^>]* transform="translate\([\d.]+,([\d.]+)\)"', svg)
    # Below the title's baseline and its letters' tails.
    assert float(legend_top) > float(title_baseline) + 4


def test_meeting_bands_are_labelled_by_city_and_month_into_the_chart_with_the_title_on_hover():
    counts = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2015-05-04", "2015-12-14"]),
            "series": ["a", "a"],
            "hits": [3, 2],
        }
    )
    meetings = pd.DataFrame(
        {
            "meeting": ["2015-05-sochi", "2015-12-moscow"],
            "title": ["Kerry meets Putin in Sochi (Ukraine)", "Kerry in Moscow <Syria>"],
            "place": ["Sochi, Bocharov Ruchey residence", "Moscow, Kremlin"],
            "start": pd.to_datetime(["2015-05-12", "2015-12-15"]),
            "end": pd.to_datetime(["2015-05-12", "2015-12-15"]),
        }
    )
    figure = figures.counts_over_time(
        counts, meetings, series="series", value="hits", title="Hits per week",
        y_title="Hits", period="week", colours={},
    )  # fmt: skip
    sochi, moscow = figure.layout.annotations
    assert sochi.text == "Sochi, May 2015"
    assert sochi.hovertext == "Kerry meets Putin in Sochi (Ukraine)"
    assert (moscow.text, moscow.hovertext) == ("Moscow, Dec 2015", "Kerry in Moscow &lt;Syria&gt;")
    # The first meeting's label runs right from its band's start; the last one's, in the
    # chart's right half, runs left from its band's end, so the chart's edge cannot cut it.
    assert (sochi.xanchor, pd.Timestamp(sochi.x)) == ("left", pd.Timestamp("2015-05-12"))
    assert (moscow.xanchor, pd.Timestamp(moscow.x)) == ("right", pd.Timestamp("2015-12-16"))


def test_bars_of_a_few_days_are_ticked_by_date_never_by_hour():
    meetings = pd.DataFrame(columns=["meeting", "title", "place", "start", "end"])
    counts = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2015-05-11", "2015-05-12", "2015-05-14"]),
            "series": ["a", "a", "a"],
            "hits": [3, 1, 2],
        }
    )
    figure = figures.counts_over_time(
        counts, meetings, series="series", value="hits", title="Hits per day",
        y_title="Hits", period="day", colours={},
    )  # fmt: skip
    axis = figure.layout.xaxis
    assert list(axis.ticktext) == ["May 11<br>2015", "May 12", "May 14"]
    # Under each bar's middle.
    assert [pd.Timestamp(t) for t in axis.tickvals] == list(
        pd.to_datetime(["2015-05-11 12:00", "2015-05-12 12:00", "2015-05-14 12:00"])
    )
    svg = exports.figure_bytes(figure, "svg").decode("utf-8")
    assert ":00" not in " ".join(re.findall(r'class="xtick">(.*?)</g>', svg))
    # Weeks far apart keep Plotly's own ticks.
    weekly = figures.counts_over_time(
        counts.assign(period_start=pd.to_datetime(["2015-05-11", "2015-06-15", "2015-12-14"])),
        meetings, series="series", value="hits", title="Hits per week",
        y_title="Hits", period="week", colours={},
    )  # fmt: skip
    assert weekly.layout.xaxis.tickmode is None
