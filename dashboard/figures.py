"""Chart builders: tidy frames in, Plotly figures or Vega-Lite specs out. No Streamlit calls.

Every builder titles its chart in the analyst's words with the number of
articles behind it, labels both axes, and puts what a selection needs to
drill down (an article id, an outlet, a term) into ``customdata`` (Plotly) or
the chart's selection fields (Vega-Lite, :mod:`dashboard.vega`). The matrices
and timelines are Vega-Lite: the Overview draws only those, so a tab that
opens it loads no Plotly script. Colours come from :mod:`dashboard.colours`.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.corpus.types import list_items
from analysis.wording import counted
from dashboard import vega
from dashboard.colours import LABEL_PATTERNS, NEUTRAL_COLOUR, STANCE_COLOURS
from dashboard.tables import meeting_labels, timeline_points
from dashboard.vega import VegaChart

__all__ = [
    "AXIS_LINE",
    "HEAT_COLOURS",
    "ONE_ARTICLE",
    "TITLE_LINE",
    "Z_THRESHOLD",
    "articles_timeline",
    "characteristic_terms",
    "counts_over_time",
    "counts_per_group",
    "coverage_bar",
    "heat_colour",
    "matrix_chart",
    "one_article_flags",
    "share_bars",
    "term_bars",
    "term_scatter",
    "values_over_time",
    "with_caption",
    "wrapped_title",
]

_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "hexagon", "cross")


#: Characters of a title line; Plotly never wraps a title, and a longer line is cut at 800 px.
TITLE_LINE = 64
#: Characters of an axis title line.
AXIS_LINE = 36
_SUBTITLE = re.compile(r"<sup>([^<]*)</sup>")


#: Whether each figure is checked against Plotly's schema as it is built. Plotly checks
#: every property and copies every array it is given: 20-40 ms a chart on every rerun,
#: a tenth of a filter change on the Overview. The figures here set a fixed set of
#: properties, so the tests check them (``NARRATIVES_CHECK_FIGURES=1``, set by
#: ``tests/conftest.py``) and the dashboard sends what they build as it is; a test
#: checks that both give the browser the same figure.
CHECK_FIGURES = os.environ.get("NARRATIVES_CHECK_FIGURES") == "1"


def _figure(data: Sequence[Mapping[str, Any]], layout: Mapping[str, Any]) -> go.Figure:
    """The figure of ``data`` and ``layout``, checked only if :data:`CHECK_FIGURES`."""
    return go.Figure(data=list(data), layout=dict(layout), _validate=CHECK_FIGURES)


def wrapped_title(title: str, *, width: int = TITLE_LINE) -> str:
    """``title`` with lines longer than ``width`` broken between words (``<br>``).

    A ``<sup>`` subtitle line is broken at a third more characters (its type
    is smaller) and each of its lines keeps the ``<sup>`` tags.
    """
    lines = []
    for line in title.split("<br>"):
        small = _SUBTITLE.fullmatch(line)
        if small:
            lines += [f"<sup>{part}</sup>" for part in textwrap.wrap(small[1], width * 4 // 3)]
        elif "<" in line or len(line) <= width:
            lines.append(line)
        else:
            lines += textwrap.wrap(line, width)
    return "<br>".join(lines)


#: The longest line of a category's name on an axis (names break between words).
_TICK_LINE = 22


def _tick_lines(name: str, *, width: int = _TICK_LINE) -> str:
    """``name`` for an axis tick: markup escaped, broken between words into lines of at most
    ``width`` characters where it can be (a longer word keeps a line of its own)."""
    lines = textwrap.wrap(name, width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(_plain(line) for line in lines) or _plain(name)


def _layout(*, title: str, x: str, y: str, height: int | None = None) -> dict[str, Any]:
    """The layout every chart shares, as a dict to complete and pass to ``go.Figure`` once.

    Plotly validates every property it is given and copies the figure on each
    ``update_*`` or ``add_vline`` call, so building a figure in one go takes a
    fraction of the time of building it step by step (with the same result).
    """
    title = wrapped_title(title)
    lines = title.count("<br>") + 1
    layout: dict[str, Any] = {
        "title": {"text": title},
        # Long axis titles are broken too; automargin makes room for their lines.
        "xaxis": {"title": {"text": wrapped_title(x, width=AXIS_LINE)}, "automargin": True},
        "yaxis": {"title": {"text": wrapped_title(y, width=AXIS_LINE)}, "automargin": True},
        "legend": {"title": {"text": ""}},
        "margin": {"t": 50 + 22 * lines, "l": 10, "r": 10, "b": 10},
        "hoverlabel": {"namelength": -1},
        "clickmode": "event+select",
        "dragmode": False,
    }
    if height:
        layout["height"] = height
    return layout


def _series_hover(
    rows: pd.DataFrame, name: object, columns: Sequence[str], lines: Sequence[str]
) -> dict[str, Any]:
    """The ``customdata`` (``columns`` of ``rows``) and hover text of one named series."""
    return {
        "customdata": np.column_stack([_plain_column(rows[c]) for c in columns])
        if columns
        else None,
        "hovertemplate": f"<b>{_plain(str(name))}</b><br>" + "<br>".join(lines) + "<extra></extra>",
    }


def _trace(kind: str, **properties: Any) -> dict[str, Any]:
    """A trace as a dict: ``go.Figure`` validates it once (a ``go.Scatter`` is validated twice)."""
    return {"type": kind, **properties}


def _dotted(value: object, *, vertical: bool) -> dict[str, Any]:
    """A dotted line across the plot at ``value``, as ``add_vline`` / ``add_hline`` draw it."""
    line = {"dash": "dot", "width": 1, "color": NEUTRAL_COLOUR}
    if vertical:
        return {"type": "line", "x0": value, "x1": value, "xref": "x",
                "y0": 0, "y1": 1, "yref": "y domain", "line": line}  # fmt: skip
    return {"type": "line", "x0": 0, "x1": 1, "xref": "x domain",
            "y0": value, "y1": value, "yref": "y", "line": line}  # fmt: skip


#: Heatmap cells from few (pale) to many (dark): the middle of Cividis (colour-blind safe),
#: whose darkest and palest ends vanish on a dark and a light page respectively.
HEAT_COLOURS = ["#C3B369", "#A59C74", "#8A8678", "#707173", "#575D6D", "#3B496C"]
#: Cells darker than this fraction of the scale get white numbers, the others black.
_DARK_CELLS = 0.5

#: |z| above this is unlikely to be chance (two-sided p < 0.05).
Z_THRESHOLD = 1.96
#: Written after a term whose occurrences on its side all come from one article.
ONE_ARTICLE = " · 1 article"


def _threshold_lines(*, vertical: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Dotted lines at z = ±1.96, each labelled "p < 0.05" on the plot's edge."""
    shapes = [_dotted(edge, vertical=vertical) for edge in (-Z_THRESHOLD, Z_THRESHOLD)]
    font = {"size": 10, "color": NEUTRAL_COLOUR}
    if vertical:
        labels = [
            {"x": edge, "xref": "x", "y": 1, "yref": "paper", "text": "p < 0.05",
             "showarrow": False, "yanchor": "bottom", "font": font}
            for edge in (-Z_THRESHOLD, Z_THRESHOLD)
        ]  # fmt: skip
    else:
        labels = [
            {"x": 1, "xref": "paper", "y": edge, "yref": "y", "text": "p < 0.05",
             "showarrow": False, "xanchor": "right", "yanchor": "bottom" if edge > 0 else "top",
             "font": font}
            for edge in (-Z_THRESHOLD, Z_THRESHOLD)
        ]  # fmt: skip
    return shapes, labels


def one_article_flags(terms: pd.DataFrame) -> np.ndarray:
    """Per term, whether its occurrences on the side it leans to all come from one article.

    A term with z ≥ 0 leans to the group (``single_article``), one with z < 0
    to the other side (``single_article_other``).
    """
    return np.where(terms["z"] >= 0, terms["single_article"], terms["single_article_other"]).astype(
        bool
    )


def matrix_chart(
    cells: pd.DataFrame,
    *,
    x: str,
    y: str,
    value: str,
    title: str,
    x_title: str,
    y_title: str,
    value_title: str,
    hover: Mapping[str, str] | None = None,
    customdata: Sequence[str] = (),
    x_order: Sequence[str] | None = None,
    y_order: Sequence[str] | None = None,
    value_format: str = "{:.0f}",
    text: tuple[str, str] | None = None,
    side: int | None = None,
) -> VegaChart:
    """A heatmap of square cells (Vega-Lite), each selectable by a click.

    ``cells`` has one row per cell with the ``x`` and ``y`` categories and a
    numeric ``value``; ``hover`` maps columns shown on hover to their names
    there, ``customdata`` columns are returned by a selection. Empty cells
    (value 0 or missing) are drawn hollow so an omission is visible, not just
    pale. Each cell shows its value, or with ``text=(column, name)`` that column
    (named so on hover). ``side`` is a cell's height in pixels (by default from
    the number of rows and columns). Labels may hold ``<br>`` line breaks.
    """
    x_order = list(x_order) if x_order is not None else sorted(cells[x].astype(str).unique())
    y_order = list(y_order) if y_order is not None else sorted(cells[y].astype(str).unique())
    values = pd.to_numeric(cells[value], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    filled = values > 0
    top = float(values.max()) if len(values) and values.max() > 0 else 1.0
    hover = dict(hover or {})
    # The colour scale spans the filled cells' values, so its palest end is the lowest
    # value drawn: a scale from 0 would show a colour for 0, which is drawn hollow.
    low = float(values[filled].min()) if filled.any() else 0.0
    shade = (values - low) / (top - low) if top > low else np.ones(len(values))
    texts = (
        _text_column(cells[text[0]])
        if text
        else np.array([value_format.format(v) for v in values], dtype=object)
    )
    shown_as = text[1] if text else value_title
    frame = pd.DataFrame(
        {
            "x": cells[x].astype(str).to_numpy(dtype=object),
            "y": cells[y].astype(str).to_numpy(dtype=object),
            "value": values,
            "shown": texts,
            "fill": np.where(filled, [heat_colour(f) for f in shade], "transparent"),
            # The cell colour runs from pale yellow to dark blue: dark text on the pale
            # half, white on the dark half, whatever the page theme.
            "ink": np.where(
                filled, np.where(shade > _DARK_CELLS, "#FFFFFF", "#000000"), NEUTRAL_COLOUR
            ),
            "filled": filled,
        }
    )
    for k, column in enumerate(customdata):
        frame[f"f{k}"] = cells[column].astype(str).to_numpy(dtype=object)
    for k, column in enumerate(hover):
        frame[f"h{k}"] = _text_column(cells[column])
    frame["x_plain"] = frame["x"].str.replace("<br>", " ", regex=False)
    frame["y_plain"] = frame["y"].str.replace("<br>", " ", regex=False)
    tooltip = [
        {"field": "y_plain", "title": _one_line(y_title)},
        {"field": "x_plain", "title": _one_line(x_title)},
        {"field": "shown", "title": _one_line(shown_as)},
        *({"field": f"h{k}", "title": _one_line(name)} for k, name in enumerate(hover.values())),
    ]
    longest = max((len(line) for v in x_order for line in str(v).split("<br>")), default=0)
    side = side or max(18, min(48, int(420 / max(len(x_order), len(y_order), 1))))
    # A row label of several lines needs the height of its lines.
    tallest = max((str(v).count("<br>") + 1 for v in y_order), default=1)
    side = max(side, 15 * tallest + 6)
    band = {"paddingInner": 0.08}
    position = {
        "x": {"field": "x", "type": "nominal", "sort": x_order, "scale": band,
              "title": vega.lines(wrapped_title(x_title, width=AXIS_LINE)),
              "axis": {**_category_axis(x_order), **_x_labels(longest)}},
        "y": {"field": "y", "type": "nominal", "sort": y_order, "scale": band,
              "title": vega.lines(wrapped_title(y_title, width=AXIS_LINE)),
              "axis": {**_category_axis(y_order), **_TITLE_ABOVE}},
    }  # fmt: skip
    fields = [f"f{k}" for k in range(len(customdata))]
    layers: list[dict[str, Any]] = []
    if top > low:
        # Under the cells, unseen: the colour scale's legend (one value has no scale:
        # every cell prints it).
        scale_legend: dict[str, Any] = {"title": vega.lines(wrapped_title(value_title, width=16)),
                                        "gradientThickness": 12}  # fmt: skip
        if value_format == "{:.0f}":
            scale_legend.update(values=_scale_ticks(low, top), format="d")
        layers.append(
            {
                "transform": [{"filter": "datum.filled"}],
                "mark": {"type": "rect", "opacity": 0},
                "encoding": {
                    **position,
                    "color": {
                        "field": "value",
                        "type": "quantitative",
                        "legend": scale_legend,
                        "scale": {"domain": [low, top], "range": HEAT_COLOURS},
                    },
                },
            }
        )
    layers.append(
        {
            "mark": {"type": "rect", "stroke": NEUTRAL_COLOUR, "cursor": "pointer"},
            "params": [{"name": vega.PICK, "select": {"type": "point", "fields": fields}}],
            "encoding": {
                **position,
                "fill": {"field": "fill", "type": "nominal", "scale": None, "legend": None},
                # A clicked cell gets a thick outline.
                "strokeWidth": {
                    "condition": {"param": vega.PICK, "empty": False, "value": 3},
                    "value": 1,
                },
                "tooltip": tooltip,
            },
        }
    )
    layers.append(
        {
            "mark": {"type": "text", "fontSize": 12, "cursor": "pointer"},
            "encoding": {
                **position,
                "text": {"field": "shown", "type": "nominal"},
                "color": {"field": "ink", "type": "nominal", "scale": None, "legend": None},
                "tooltip": tooltip,
            },
        }
    )
    spec = {
        "$schema": vega.SCHEMA,
        # Room for the edges of the titles' letters, which Vega measures inside its frame.
        "padding": vega.PADDING,
        "title": {"text": vega.lines(wrapped_title(title)), "anchor": "start"},
        "data": {"name": "cells"},
        "height": {"step": side},
        "layer": layers,
        # The unseen layer's colour scale and the cells' own fills are apart: Vega-Lite
        # would merge the two legends, and fail on the one that has no scale.
        "resolve": {
            "scale": {"fill": "independent", "color": "independent"},
            "legend": {"fill": "independent", "color": "independent"},
        },
    }
    return VegaChart(
        spec, {"cells": frame}, fields=tuple(fields), width=max(600, 60 * len(x_order))
    )


#: A left axis's title written across, above its labels: Vega places a title beside the
#: labels by their measured width, which in the browser can be less than the drawn one. It
#: ends where the labels end, clear of the timeline's meeting numbers over the plot.
_TITLE_ABOVE = {"titleAngle": 0, "titleAlign": "right", "titleBaseline": "bottom",
                "titleX": -8, "titleY": -6}  # fmt: skip


def _x_labels(longest: int) -> dict[str, Any]:
    """Column labels of up to ``longest`` characters: upright when short, else turned and cut
    at 180 px, with room before the axis title (Vega measures turned labels up to a fifth
    shorter than the browser draws them, and would put the title over the longest)."""
    if longest <= 6:
        return {"labelAngle": 0}
    return {"labelAngle": -90, "labelLimit": 180, "titlePadding": 44}


def _category_axis(labels: Sequence[str]) -> dict[str, Any]:
    """An axis of category ``labels``, each ``<br>`` in them a new line."""
    # Every label drawn: Vega would otherwise hide every other one once any two touch,
    # and a row or column without its name cannot be read.
    axis: dict[str, Any] = {"labelLimit": 260, "grid": False, "labelOverlap": False}
    if any("<br>" in str(label) for label in labels):
        axis["labelExpr"] = "split(datum.label, '<br>')"
    return axis


def _one_line(text: str) -> str:
    """A title or label on one line: line breaks and ``<sup>`` tags taken out."""
    plain = text.replace("<sup>", "").replace("</sup>", "")
    return re.sub(r"\s*<br>\s*", " ", plain)


def _text_column(values: pd.Series) -> np.ndarray:
    """The values as text (Vega-Lite's as they are): dates as ``YYYY-MM-DD``, others as
    strings."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return np.array(
            ["undated" if pd.isna(v) else f"{v:%Y-%m-%d}" for v in values.tolist()], dtype=object
        )
    # A plain list: iterating a pandas string column yields one value at a time, slowly.
    return np.array([str(value) for value in values.tolist()], dtype=object)


def _scale_ticks(low: float, top: float) -> list[float]:
    """Whole-number ticks of a colour scale from ``low`` to ``top``: both ends, and about
    four round steps between them (none closer to an end than half a step)."""
    step = max(1, round((top - low) / 5))
    if step >= 5:
        step = round(step, -len(str(step)) + 1)
    inner = [
        float(tick)
        for tick in range(int(low // step + 1) * step, int(top), step)
        if tick - low >= step / 2 and top - tick >= step / 2
    ]
    return [low, *inner, top]


def heat_colour(fraction: float) -> str:
    """The :data:`HEAT_COLOURS` scale's colour at ``fraction`` (0 to 1), as ``#RRGGBB``."""
    position = min(max(float(fraction), 0.0), 1.0) * (len(HEAT_COLOURS) - 1)
    low = min(int(position), len(HEAT_COLOURS) - 2)
    mix = position - low
    start, end = (
        [int(HEAT_COLOURS[k].lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)] for k in (low, low + 1)
    )
    return "#" + "".join(f"{round(a + (b - a) * mix):02X}" for a, b in zip(start, end, strict=True))


#: Meetings closer than this fraction of the timeline's span have their numbers on two rows.
_CLOSE = 0.04


#: How a timeline point's period is named on hover, from its first day.
_PERIOD_HOVER = {"day": "on %Y-%m-%d", "week": "week of %Y-%m-%d", "month": "%B %Y"}


def _article_points(dated: pd.DataFrame, meetings: pd.DataFrame) -> pd.DataFrame:
    """One point per article: ``f0`` its id, ``f1`` its outlet, and its hover lines."""
    titles = dict(zip(meetings["meeting"], meetings["title"], strict=True))

    def meeting_titles(keys: object) -> str:
        return "; ".join(titles.get(key, key) for key in list_items(keys)) or "none"

    days = pd.to_datetime(dated["published"], errors="coerce").dt.strftime("%Y-%m-%d")
    return pd.DataFrame(
        {
            "date": days.to_numpy(dtype=object),
            "outlet": dated["outlet_name"].astype(str).to_numpy(dtype=object),
            "area": np.full(len(dated), 144.0),
            "f0": dated["id"].astype(str).to_numpy(dtype=object),
            "f1": dated["outlet_name"].astype(str).to_numpy(dtype=object),
            "headline": _text_column(dated["title"]),
            "when": [
                f"{day} (known to the {precision})"
                for day, precision in zip(days, dated["date_precision"], strict=True)
            ],
            "about": dated["meetings"].map(meeting_titles).to_numpy(dtype=object),
        }
    )


def _period_points(points: pd.DataFrame, period: str) -> pd.DataFrame:
    """One point per outlet and period, its area proportional to the articles in it;
    ``f0`` the point's key, ``f1`` the outlet, ``f2`` the number of articles."""
    largest = max(int(points["articles"].max()), 1)
    counts = points["articles"].to_numpy()
    starts = pd.to_datetime(points["start"])
    return pd.DataFrame(
        {
            "date": starts.dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
            "outlet": points["outlet_name"].astype(str).to_numpy(dtype=object),
            "area": ((6 + 18 * np.sqrt(counts / largest)) ** 2).round(1),
            "f0": points["key"].astype(str).to_numpy(dtype=object),
            "f1": points["outlet_name"].astype(str).to_numpy(dtype=object),
            "f2": counts.astype(int),
            "headline": [counted(int(n), "article") for n in counts],
            "when": starts.dt.strftime(_PERIOD_HOVER[period]).to_numpy(dtype=object),
        }
    )


def articles_timeline(
    articles: pd.DataFrame,
    meetings: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    colours: Mapping[str, str],
    title: str,
    max_points: int | None = None,
    drawn: tuple[pd.DataFrame, str | None] | None = None,
) -> VegaChart:
    """Publication dates per outlet against the meeting dates (Vega-Lite).

    ``articles`` needs ``id``, ``title``, ``outlet_name``, ``published``,
    ``date_precision`` and ``meetings``; undated articles are left out (the
    caller says how many). ``meetings`` needs ``meeting``, ``title`` and
    ``start``; each meeting line is numbered in date order above the plot
    (its ``labels`` entry on hover, and after its number in the axis title)
    and an article's meetings are named by their titles on hover. A selection returns
    the article id and its outlet.

    Past ``max_points`` dated articles each point is an outlet's articles of a
    day, week or month (:func:`dashboard.tables.timeline_points`), sized by
    their number; a selection then returns the point's key
    (:func:`dashboard.tables.period_key`), its outlet and its number of
    articles, and the title says what a point is. ``drawn`` is
    :func:`dashboard.tables.timeline_points` of the dated articles when the
    caller has worked it out already (its CSV holds them).
    """
    dated = articles[articles["published"].notna()]
    points, period = drawn or timeline_points(dated, max_points=max_points)
    if period is None:
        frame = _article_points(dated, meetings)
        fields: tuple[str, ...] = ("f0", "f1")
        hover = [
            {"field": "headline", "title": "Title"},
            {"field": "outlet", "title": "Outlet"},
            {"field": "when", "title": "Published"},
            {"field": "about", "title": "Meetings"},
        ]
    else:
        frame = _period_points(points, period)
        fields = ("f0", "f1", "f2")
        hover = [
            {"field": "headline", "title": "Articles"},
            {"field": "outlet", "title": "Outlet"},
            {"field": "when", "title": "Period"},
        ]
        title = f"{title}; each point: an outlet's articles of one {period}"
    shown = (
        pd.DataFrame(
            {
                "start": pd.to_datetime(meetings["start"], errors="coerce").to_numpy(),
                "label": [_one_line(labels.get(str(k), str(k))) for k in meetings["meeting"]],
            }
        )
        .dropna(subset=["start"])
        .sort_values("start", kind="stable")
        .reset_index(drop=True)
    )
    # Meetings months apart on an axis of years would print their names over each
    # other: each line gets a number above the plot, and the axis title says which
    # meeting each number is. Numbers closer than _CLOSE of the axis take turns
    # between two rows.
    dates = pd.concat([pd.to_datetime(dated["published"], errors="coerce"), shown["start"]])
    dates = dates.dropna()
    span = (dates.max() - dates.min()) if len(dates) else pd.Timedelta(0)
    rows, row, previous = [], 0, None
    for start in shown["start"]:
        close = previous is not None and (start - previous) < span * _CLOSE
        row = 1 - row if close else 0
        previous = start
        rows.append(row)
    lines_at = pd.DataFrame(
        {
            "start": shown["start"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
            "number": [str(k) for k in range(1, len(shown) + 1)],
            "label": shown["label"].to_numpy(dtype=object),
            "row": np.array(rows, dtype=int),
        }
    )
    key = "; ".join(
        f"{n} {label}" for n, label in zip(lines_at["number"], lines_at["label"], strict=True)
    )
    # The key goes under the title, which spans the whole chart: an axis title spans the
    # plot only, a narrow strip on a narrow page.
    meetings_key = f"Dotted lines: the meetings ({key})" if key else ""
    outlets = list(dict.fromkeys(frame["outlet"]))
    date_axis: dict[str, Any] = {"grid": False}
    if span > pd.Timedelta(days=2 * 365):
        # Years apart: a tick a year, not month names between them.
        date_axis.update(tickCount={"interval": "year", "step": 1}, format="%Y")
    x = {"field": "date", "type": "temporal", "title": "Publication date", "axis": date_axis}
    layers: list[dict[str, Any]] = [
        {
            "data": {"name": "points"},
            "mark": {"type": "point", "filled": True, "opacity": 0.85, "cursor": "pointer"},
            "params": [{"name": vega.PICK, "select": {"type": "point", "fields": list(fields)}}],
            "encoding": {
                "x": x,
                "y": {
                    "field": "outlet",
                    "type": "nominal",
                    "sort": outlets,
                    "title": "Outlet",
                    "axis": {**_category_axis(outlets), **_TITLE_ABOVE},
                },
                "color": {
                    "field": "outlet",
                    "type": "nominal",
                    "legend": None,
                    "scale": {
                        "domain": outlets,
                        "range": [colours.get(o, NEUTRAL_COLOUR) for o in outlets],
                    },
                },
                "size": {"field": "area", "type": "quantitative", "scale": None, "legend": None},
                "stroke": {
                    "condition": {"param": vega.PICK, "empty": False, "value": "#000000"},
                    "value": None,
                },
                "tooltip": hover,
            },
        }
    ]
    if len(lines_at):
        layers[:0] = [
            {
                "data": {"name": "meetings"},
                "mark": {"type": "rule", "strokeDash": [2, 3], "color": NEUTRAL_COLOUR},
                "encoding": {
                    "x": {**x, "field": "start"},
                    "tooltip": [{"field": "label", "title": "Meeting"}],
                },
            },
        ]
        for level in (0, 1):
            layers.append(
                {
                    "data": {"name": "meetings"},
                    "transform": [{"filter": f"datum.row == {level}"}],
                    # Grey, as the key: the theme colours titles and axes, not these, which
                    # would be black on a dark page.
                    "mark": {
                        "type": "text",
                        "baseline": "bottom",
                        "fontSize": 11,
                        "color": NEUTRAL_COLOUR,
                    },
                    "encoding": {
                        "x": {**x, "field": "start"},
                        "y": {"value": -4 - 14 * level},
                        "text": {"field": "number", "type": "nominal"},
                        "tooltip": [{"field": "label", "title": "Meeting"}],
                    },
                }
            )
    spec = {
        "$schema": vega.SCHEMA,
        # Room for the edges of the titles' letters, which Vega measures inside its frame.
        "padding": vega.PADDING,
        "title": {"text": vega.lines(wrapped_title(title)), "anchor": "start",
                  "subtitle": vega.lines(wrapped_title(meetings_key)),
                  "subtitleColor": NEUTRAL_COLOUR,
                  "offset": 34 if len(lines_at) else 10},
        "height": {"step": 45},
        "layer": layers,
    }  # fmt: skip
    return VegaChart(spec, {"points": frame, "meetings": lines_at}, fields=fields, width=1000)


def term_bars(
    terms: pd.DataFrame,
    *,
    title: str,
    colour: str,
    group_label: str,
    other_label: str,
) -> go.Figure:
    """Diverging bars of the terms' z-scores: right, typical of the group; left, of the other side.

    ``terms`` has ``term``, ``z``, ``count_group``, ``count_other``,
    ``docs_group``, ``docs_other``, ``single_article`` and
    ``single_article_other`` (see
    :data:`analysis.measures.contrasts.CONTRAST_COLUMNS`). The lines at
    z = ±1.96 are labelled "p < 0.05"; a term from a single article on its side
    is marked on the axis (:data:`ONE_ARTICLE`). A selection returns the term
    as ``customdata[0]``.
    """
    ordered = terms.sort_values("z", kind="mergesort")
    flagged = one_article_flags(ordered)
    warn = np.where(flagged, " (one article only)", "")
    bars = _trace(
        "bar",
        x=ordered["z"],
        y=ordered["term"],
        orientation="h",
        marker={"color": np.where(ordered["z"] >= 0, colour, NEUTRAL_COLOUR)},
        customdata=np.column_stack(
            [
                ordered["term"],
                ordered["count_group"],
                ordered["count_other"],
                ordered["docs_group"],
                ordered["docs_other"],
                warn,
            ]
        ),
        hovertemplate=(
            "<b>%{customdata[0]}</b>%{customdata[5]}<br>z = %{x:.2f}<br>"
            f"{group_label}: %{{customdata[1]}} times in %{{customdata[3]}} articles<br>"
            f"{other_label}: %{{customdata[2]}} times in %{{customdata[4]}} articles"
            "<extra></extra>"
        ),
        showlegend=False,
    )
    layout = _layout(
        title=title,
        x=f"z-score  (→ {_plain(group_label)} · ← {_plain(other_label)})",
        y="Word or phrase",
        height=max(360, 120 + 22 * len(ordered)),
    )
    layout["shapes"], layout["annotations"] = _threshold_lines(vertical=True)
    # The one-article flag is written on the axis, not only on hover.
    labels = [
        _plain(str(term)) + (ONE_ARTICLE if flag else "")
        for term, flag in zip(ordered["term"], flagged, strict=True)
    ]
    layout["yaxis"].update(
        type="category",
        automargin=True,
        tickmode="array",
        tickvals=list(ordered["term"]),
        ticktext=labels,
    )
    return _figure([bars], layout)


def term_scatter(
    terms: pd.DataFrame,
    *,
    title: str,
    colour: str,
    group_label: str,
    other_label: str,
    highlight: str = "",
) -> go.Figure:
    """Each term's total occurrences against its z-score, with ``highlight`` marked.

    Frequent terms with a large |z| are the reliable differences; rare terms
    with a large |z| rest on few occurrences. A term from a single article on
    its side is a hollow point. A selection returns the term as
    ``customdata[0]``.
    """
    total = terms["count_group"] + terms["count_other"]
    side = np.where(terms["z"] >= 0, group_label, other_label)
    points = _trace(
        "scatter",
        x=total,
        y=terms["z"],
        mode="markers",
        marker={
            "color": np.where(terms["z"] >= 0, colour, NEUTRAL_COLOUR),
            "size": 8,
            "opacity": 0.75,
            # Hollow: all of the term's occurrences on its side come from one article.
            "symbol": np.where(one_article_flags(terms), "circle-open", "circle"),
        },
        customdata=np.column_stack(
            [terms["term"], terms["count_group"], terms["count_other"], side]
        ),
        hovertemplate=(
            "<b>%{customdata[0]}</b> (more typical of %{customdata[3]})<br>z = %{y:.2f}<br>"
            f"{group_label}: %{{customdata[1]}} times · {other_label}: %{{customdata[2]}} times"
            "<extra></extra>"
        ),
        showlegend=False,
    )
    layout = _layout(
        title=title,
        x="Occurrences in the compared articles (log scale)",
        y=f"z-score (> 0: more typical of {_plain(group_label)})",
        height=420,
    )
    layout["shapes"], layout["annotations"] = _threshold_lines(vertical=False)
    if highlight:
        found = terms[terms["term"] == highlight]
        if not found.empty:
            row = found.iloc[0]
            layout["annotations"] += [
                {
                    "x": np.log10(max(int(row["count_group"] + row["count_other"]), 1)),
                    "y": float(row["z"]),
                    "text": f"<b>{_plain(highlight)}</b>",
                    "showarrow": True,
                    "arrowhead": 2,
                }
            ]
    layout["xaxis"].update(type="log", dtick=1)
    return _figure([points], layout)


def stance_bars(
    shares: pd.DataFrame,
    *,
    title: str,
    category_title: str,
    label_order: Sequence[str],
    category_order: Sequence[str] | None = None,
) -> go.Figure:
    """Stacked bars of stance labels per outlet or group (``tables.stance_shares`` rows).

    Label colours and shapes are the stance palette's; a selection returns the
    row's ``group`` and ``label``.
    """
    return share_bars(
        shares,
        category="outlet_name",
        label="label",
        value="articles",
        title=title,
        category_title=category_title,
        value_title="Articles",
        label_order=label_order,
        colours=STANCE_COLOURS,
        patterns=LABEL_PATTERNS,
        legend_title="Stance",
        customdata=["group", "label"],
        hover={"share_text": "Share of its rated articles", "status": "Evidence"},
        category_order=category_order,
    )


def share_bars(
    shares: pd.DataFrame,
    *,
    category: str,
    label: str,
    value: str,
    title: str,
    category_title: str,
    value_title: str,
    label_order: Sequence[str],
    colours: Mapping[str, str],
    legend_title: str,
    patterns: Mapping[str, str] | None = None,
    hover: Mapping[str, str] | None = None,
    customdata: Sequence[str] = (),
    category_order: Sequence[str] | None = None,
) -> go.Figure:
    """Horizontal stacked bars: one bar per ``category``, one segment per ``label``.

    Each label has its colour (and ``patterns`` shape) from ``colours`` and a
    legend entry under ``legend_title``, even when it is the only one; ``hover``
    maps columns shown on hover to their names there. A selection returns
    ``customdata`` columns (for example an outlet and a label).
    """
    traces = []
    hover = dict(hover or {})
    extra = [*customdata, *hover]
    hover_lines = [f"{category_title}: %{{y}}", f"{value_title}: %{{x}}"]
    hover_lines += _hover_lines(hover, after=len(customdata))
    for name in label_order:
        rows = shares[shares[label] == name]
        if rows.empty:
            continue
        traces.append(
            _trace(
                "bar",
                x=rows[value],
                y=rows[category].astype(str),
                orientation="h",
                name=str(name),
                marker={
                    "color": colours.get(str(name), NEUTRAL_COLOUR),
                    "pattern": {"shape": (patterns or {}).get(str(name), "")},
                },
                **_series_hover(rows, name, extra, hover_lines),
            )
        )
    order = list(category_order) if category_order is not None else None
    layout = _layout(
        title=title,
        x=value_title,
        y=category_title,
        height=max(300, 150 + 40 * shares[category].nunique()),
    )
    layout["barmode"] = "stack"
    layout["showlegend"] = True
    layout["legend"].update(
        {
            "title": {"text": f"{_plain(legend_title)}:"},
            "orientation": "h",
            "y": 1.0,
            "yanchor": "bottom",
            "x": 0,
            "traceorder": "normal",
        }
    )
    layout["margin"]["t"] += 30
    longest = shares.groupby(category)[value].sum().max() if len(shares) else 0
    if longest and float(longest).is_integer() and longest <= 40:
        layout["xaxis"]["dtick"] = max(1, round(float(longest) / 8))
    if order:
        layout["yaxis"].update(
            categoryorder="array", categoryarray=list(reversed(order)), type="category"
        )
    return _figure(traces, layout)


def values_over_time(
    points: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    title: str,
    x_title: str,
    y_title: str,
    colours: Mapping[str, str],
    segment: str,
    y_range: tuple[float, float],
    y_ticks: Mapping[float, str] | None = None,
    hover: Mapping[str, str] | None = None,
    customdata: Sequence[str] = (),
) -> go.Figure:
    """One series of markers per ``series`` (an outlet) over time; points carry ``customdata``.

    A line joins a series' points only within one ``segment`` (a meeting):
    articles about different meetings are not one trend. The y-axis always
    spans ``y_range``, the measure's whole range, with ``y_ticks`` (value to
    label) when given; ``hover`` maps columns shown on hover to their names.
    """
    traces = []
    hover = dict(hover or {})
    extra = [*customdata, *hover]
    hover_lines = [f"{x_title}: %{{x|%Y-%m-%d}}", f"{y_title}: %{{y:.2f}}"]
    hover_lines += _hover_lines(hover, after=len(customdata))
    for index, name in enumerate(dict.fromkeys(points[series])):
        rows = points[points[series] == name].sort_values(x, kind="stable")
        # A gap (None) between segments breaks the line there.
        pieces = []
        for _, part in rows.groupby(segment, sort=False):
            pieces.append(part)
            pieces.append(pd.DataFrame({column: [None] for column in rows.columns}))
        gapped = pd.concat(pieces[:-1], ignore_index=True) if pieces else rows
        colour = colours.get(str(name), NEUTRAL_COLOUR)
        trace = _trace(
            "scatter",
            x=gapped[x],
            y=gapped[y],
            mode="lines+markers",
            connectgaps=False,
            name=_plain(str(name)),
            marker={"size": 10, "color": colour, "symbol": _SYMBOLS[index % len(_SYMBOLS)]},
            line={"color": colour, "width": 1},
            **_series_hover(gapped.fillna(""), name, extra, hover_lines),
        )
        traces.append(trace)
    layout = _layout(title=title, x=x_title, y=y_title, height=440)
    layout["shapes"] = [_dotted(0, vertical=False)]
    low, high = y_range
    pad = (high - low) * 0.05
    layout["yaxis"].update(range=[low - pad, high + pad], zeroline=False)
    if y_ticks:
        layout["yaxis"].update(
            tickmode="array", tickvals=list(y_ticks), ticktext=[_plain(t) for t in y_ticks.values()]
        )
    layout["showlegend"] = True
    # Under the plot: at the side, a legend of long outlet names leaves no room for the points.
    _legend_under(layout)
    return _figure(traces, layout)


def _legend_under(layout: dict[str, Any]) -> None:
    """Put the legend across the bottom of the figure, under the x axis's title.

    Placed against the plot's bottom, it sat a fixed fraction of the plot's
    height below it, and the title of an axis with two lines of dates under its
    ticks ran into it. Against the figure's bottom, Plotly makes room for its
    rows.
    """
    layout["legend"].update(
        {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0}
    )
    layout["margin"]["b"] = 120


def _hover_lines(hover: Mapping[str, str], *, after: int) -> list[str]:
    """A hover line per ``hover`` column, named as the reader knows it, read from ``customdata``."""
    return [
        f"{_plain(name)}: %{{customdata[{after + k}]}}" for k, name in enumerate(hover.values())
    ]


def _plain_column(values: pd.Series) -> np.ndarray:
    """The values as Plotly hover text: :func:`_text_column` with markup escaped."""
    return np.array([_plain(text) for text in _text_column(values)], dtype=object)


def _plain(text: str) -> str:
    """Text for a Plotly label, with its markup characters escaped (Plotly renders a few tags)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _meeting_bands(
    meetings: pd.DataFrame, *, first: pd.Timestamp, last: pd.Timestamp
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A shaded band from each meeting's start to its end (inclusive) between ``first`` and
    ``last``, as layout shapes and annotations.

    Each band is labelled with the meeting's city and month ("Sochi, May 2015",
    :func:`dashboard.tables.meeting_labels`; its title where the catalogue gives
    no place), its title on hover. A label runs from its band into the chart:
    rightwards in the chart's left half, leftwards in its right half, so a
    chart in a narrow column does not cut it at its right edge.
    """
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    starts = pd.to_datetime(meetings["start"], errors="coerce")
    ends = pd.to_datetime(meetings.get("end", meetings["start"]), errors="coerce").fillna(starts)
    titles = meetings["title"].astype(str).tolist()
    if {"meeting", "place"} <= set(meetings.columns):
        short = meeting_labels(meetings)
        labels = [short[str(key)] for key in meetings["meeting"]]
    else:
        labels = titles
    middle = first + (last - first) / 2
    shown = 0
    for start, end, label, title in zip(starts, ends, labels, titles, strict=True):
        if pd.isna(start) or start > last or end < first:
            continue
        after = end + pd.Timedelta(days=1)
        shapes.append(
            {"type": "rect", "x0": start, "x1": after, "xref": "x",
             "y0": 0, "y1": 1, "yref": "y domain", "fillcolor": NEUTRAL_COLOUR,
             "opacity": 0.25, "line": {"width": 1, "color": NEUTRAL_COLOUR}, "layer": "below"}
        )  # fmt: skip
        left_half = start <= middle
        # Meetings close together would print over each other: stagger the labels.
        annotations.append(
            {"x": start if left_half else after, "y": 1.0 - 0.08 * (shown % 5), "yref": "paper",
             "text": _plain(label), "hovertext": _plain(title), "showarrow": False,
             "xanchor": "left" if left_half else "right", "yanchor": "top",
             "font": {"size": 10}, "bgcolor": "rgba(255,255,255,0.6)"}
        )  # fmt: skip
        shown += 1
    return shapes, annotations


#: Bars spanning at most this many days are each ticked with their date (see
#: :func:`counts_over_time`).
_FEW_DAYS = 7


def counts_over_time(
    counts: pd.DataFrame,
    meetings: pd.DataFrame,
    *,
    series: str,
    value: str,
    title: str,
    y_title: str,
    period: str,
    colours: Mapping[str, str],
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Stacked bars of ``value`` per ``period_start`` and ``series``, with the meetings marked.

    ``counts`` is what :func:`analysis.measures.attention.per_period` returns;
    ``names`` maps a series value to its legend entry (with its sample size).
    Each meeting in the span of the bars is a grey band from its first to its
    last day, labelled with its city and month (its title on hover). A
    selection returns the series value and the period's first day as
    ``customdata``.
    """
    names = dict(names or {})
    width_days = {"day": 1, "week": 7, "month": 30}[period]
    traces = []
    for name in dict.fromkeys(counts[series]):
        rows = counts[counts[series] == name]
        shown = names.get(str(name), str(name))
        traces.append(
            _trace(
                "bar",
                x=rows["period_start"] + pd.Timedelta(days=width_days / 2),
                y=rows[value],
                width=width_days * 86_400_000 * 0.9,
                name=_plain(shown),
                marker={"color": colours.get(str(name), NEUTRAL_COLOUR)},
                customdata=np.column_stack(
                    [_plain_column(rows[series]), _plain_column(rows["period_start"])]
                ),
                hovertemplate=(
                    f"<b>{_plain(shown)}</b><br>{period} of %{{customdata[1]}}<br>"
                    f"{_plain(y_title)}: %{{y}}<extra></extra>"
                ),
            )
        )
    layout = _layout(
        title=title, x=f"{period.capitalize()} (grey bands: meetings)", y=y_title, height=440
    )
    layout["barmode"] = "stack"
    layout["showlegend"] = True
    _legend_under(layout)
    if len(counts):
        first = counts["period_start"].min() - pd.Timedelta(days=width_days)
        last = counts["period_start"].max() + pd.Timedelta(days=2 * width_days)
        shapes, annotations = _meeting_bands(meetings, first=first, last=last)
        layout.update(shapes=shapes, annotations=annotations)
        periods = sorted(pd.to_datetime(counts["period_start"].unique()))
        if (periods[-1] - periods[0]).days + width_days <= _FEW_DAYS:
            # On a span of a few days Plotly ticks hours ("12:00" over each date), though no
            # period is shorter than a day: each bar is ticked with its period's first day.
            layout["xaxis"].update(
                tickmode="array",
                tickvals=[start + pd.Timedelta(days=width_days / 2) for start in periods],
                ticktext=[
                    f"{start:%b} {start.day}" + (f"<br>{start:%Y}" if k == 0 else "")
                    for k, start in enumerate(periods)
                ],
            )
        top = float(counts.groupby("period_start")[value].sum().max())
        layout["yaxis"].update(rangemode="tozero", range=[0, top * 1.8])
        if top <= 10:
            layout["yaxis"]["dtick"] = 1
    return _figure(traces, layout)


def counts_per_group(
    counts: pd.DataFrame,
    *,
    group: str,
    value: str,
    title: str,
    x_title: str,
    y_title: str,
    colours: Mapping[str, str],
    hover: Mapping[str, str] | None = None,
    customdata: Sequence[str] = (),
) -> go.Figure:
    """One horizontal bar per ``group`` (an outlet), as long as its ``value``, in frame order.

    ``hover`` maps columns shown on hover to their names there; a selection
    returns the ``customdata`` columns.
    """
    hover = dict(hover or {})
    lines = [f"{_plain(x_title)}: %{{x}}", *_hover_lines(hover, after=len(customdata))]
    bars = _trace(
        "bar",
        x=counts[value],
        y=counts[group].astype(str),
        orientation="h",
        marker={"color": [colours.get(str(g), NEUTRAL_COLOUR) for g in counts[group]]},
        customdata=np.column_stack(
            [_plain_column(counts[c]) for c in (*customdata, *hover)]
            or [np.empty((len(counts), 0))]
        ),
        hovertemplate="<b>%{y}</b><br>" + "<br>".join(lines) + "<extra></extra>",
        showlegend=False,
    )
    layout = _layout(title=title, x=x_title, y=y_title, height=max(260, 140 + 40 * len(counts)))
    names = list(counts[group].astype(str))
    layout["yaxis"].update(
        type="category",
        categoryorder="array",
        categoryarray=names[::-1],
        # A long name on two lines: in a narrow column its one line was cut at the left edge.
        tickmode="array",
        tickvals=names,
        ticktext=[_tick_lines(name) for name in names],
    )
    top = float(counts[value].max()) if len(counts) else 0.0
    if top and top <= 10:
        layout["xaxis"]["dtick"] = 1
    return _figure([bars], layout)


def coverage_bar(
    spread: pd.DataFrame,
    *,
    group: str,
    title: str,
    colours: Mapping[str, str],
    legend_title: str,
) -> go.Figure:
    """One bar split into each group's share of the articles, as a news coverage bar.

    ``spread`` is :func:`analysis.measures.coverage.coverage_spread` (``group``,
    ``articles``, ``outlets``, ``share``), in the order the segments go from
    left to right. Each segment is written "group: n (share)"; a selection
    returns the group as ``customdata[0]``.
    """
    traces = []
    for name, articles, outlets, share in zip(
        spread[group].astype(str).tolist(),
        spread["articles"].astype(int).tolist(),
        spread["outlets"].astype(int).tolist(),
        spread["share"].astype(float).tolist(),
        strict=True,
    ):
        text = f"{_plain(name)}: {articles} ({share:.0%})"
        traces.append(
            _trace(
                "bar",
                x=[share * 100],
                y=["Articles"],
                orientation="h",
                name=_plain(name),
                text=[text],
                textposition="inside",
                insidetextanchor="middle",
                marker={"color": colours.get(name, NEUTRAL_COLOUR)},
                # The group as it is (a selection names it); the hover shows the numbers only.
                customdata=[[name, articles, outlets]],
                hovertemplate=(
                    f"<b>{_plain(name)}</b><br>Articles: %{{customdata[1]}} "
                    f"(%{{x:.0f}}% of them)<br>Outlets: %{{customdata[2]}}<extra></extra>"
                ),
            )
        )
    layout = _layout(title=title, x="Share of the articles (%)", y="", height=230)
    layout["barmode"] = "stack"
    layout["showlegend"] = True
    layout["xaxis"].update(range=[0, 100], dtick=10)
    layout["yaxis"].update(showticklabels=False)
    layout["legend"].update(
        {
            "title": {"text": f"{_plain(legend_title)}:"},
            "orientation": "h",
            "y": -0.35,
            "yanchor": "top",
            "x": 0,
            "traceorder": "normal",
        }
    )
    layout["margin"]["b"] = 60
    return _figure(traces, layout)


#: z from the other side's colour through grey (no difference) to the group's: the middle
#: stays visible on light and dark pages, where a white middle vanished.
Z_COLOURS = [[0.0, "#B2182B"], [0.5, "#9A9A9A"], [1.0, "#2166AC"]]
#: A label's character width and line height, as fractions of the plot's width and height
#: (11 px type in a plot about 400 px wide and 400 px high).
_LABEL_CHAR, _LABEL_LINE = 0.02, 0.05


def spaced_labels(
    x: np.ndarray, y: np.ndarray, priority: np.ndarray, *, names: Sequence[str], most: int
) -> np.ndarray:
    """Which points to label: by decreasing ``priority``, at most ``most``, none overlapping.

    ``x`` and ``y`` are positions on log axes (positive), ``names`` the labels
    written above them. A point is labelled when its label's box (its
    characters' width, one line high, in fractions of each axis's span of log
    values) clears every label already placed, so labels do not pile up.
    """
    lx, ly = np.log10(np.asarray(x, dtype=float)), np.log10(np.asarray(y, dtype=float))
    spans = [max(float(v.max() - v.min()), 1e-9) if len(v) else 1.0 for v in (lx, ly)]
    chosen = np.zeros(len(lx), dtype=bool)
    placed: list[tuple[float, float, float]] = []
    for k in np.argsort(-np.asarray(priority, dtype=float), kind="stable"):
        if len(placed) >= most:
            break
        half = len(str(names[k])) * _LABEL_CHAR / 2
        here = (lx[k] / spans[0], ly[k] / spans[1])
        if all(
            abs(here[0] - px) >= half + other or abs(here[1] - py) >= _LABEL_LINE
            for px, py, other in placed
        ):
            chosen[k] = True
            placed.append((*here, half))
    return chosen


def characteristic_terms(
    terms: pd.DataFrame,
    *,
    title: str,
    group_label: str,
    other_label: str,
    labelled: int = 20,
) -> go.Figure:
    """Each term placed by its frequency in the group (x) and on the other side (y), per 10,000
    words on log scales, coloured by z; up to ``labelled`` terms of largest |z| are named,
    skipping one whose label would overlap a larger one's (:func:`spaced_labels`).

    Terms far below the diagonal are typical of the group, far above it of the
    other side. A term one side never uses sits on that side's floor (half its
    smallest frequency), drawn as a dashed line. A selection returns the term
    as ``customdata[0]``.
    """
    per_group = terms["count_group"] / terms["group_tokens"].clip(lower=1) * 10_000
    per_other = terms["count_other"] / terms["other_tokens"].clip(lower=1) * 10_000
    floors = []
    for rates in (per_group, per_other):
        positive = rates[rates > 0]
        floors.append(float(positive.min()) / 2 if len(positive) else 0.1)
    x = per_group.where(per_group > 0, floors[0])
    y = per_other.where(per_other > 0, floors[1])
    named = spaced_labels(
        x.to_numpy(),
        y.to_numpy(),
        terms["z"].abs().to_numpy(),
        names=[str(term) for term in terms["term"]],
        most=labelled,
    )
    limit = float(terms["z"].abs().max()) if len(terms) else 1.0
    points = _trace(
        "scatter",
        x=x,
        y=y,
        mode="markers+text",
        text=np.where(named, [_plain(str(t)) for t in terms["term"]], ""),
        textposition="top center",
        textfont={"size": 10},
        marker={
            "color": terms["z"],
            "colorscale": Z_COLOURS,
            "cmin": -limit,
            "cmax": limit,
            "size": 8,
            "opacity": 0.85,
            "line": {"width": 1, "color": NEUTRAL_COLOUR},
            "showscale": True,
            "colorbar": {"title": {"text": "z"}, "thickness": 12},
        },
        customdata=np.column_stack(
            [
                _plain_column(terms["term"]),
                terms["count_group"],
                terms["count_other"],
                terms["z"].round(2),
            ]
        ),
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>z = %{customdata[3]}<br>"
            f"{_plain(group_label)}: %{{customdata[1]}} times (%{{x:.2f}} per 10,000 words)<br>"
            f"{_plain(other_label)}: %{{customdata[2]}} times (%{{y:.2f}} per 10,000 words)"
            "<extra></extra>"
        ),
        showlegend=False,
    )
    layout = _layout(
        title=title,
        x=f"Per 10,000 words in {_plain(group_label)} (log scale)",
        y=f"Per 10,000 words in {_plain(other_label)} (log scale)",
        height=560,
    )
    # Labels at powers of ten only: Plotly's minor labels (2, 5) on log axes are clutter.
    layout["xaxis"].update(type="log", dtick=1, minor={"ticks": ""})
    layout["yaxis"].update(type="log", dtick=1, minor={"ticks": ""})
    low, high = min(floors) / 1.5, float(max(x.max(), y.max())) * 1.5 if len(terms) else 10.0
    line = {"dash": "dash", "width": 1, "color": NEUTRAL_COLOUR}
    layout["shapes"] = [
        {"type": "line", "x0": low, "x1": high, "y0": low, "y1": high, "xref": "x", "yref": "y",
         "line": {"dash": "dot", "width": 1, "color": NEUTRAL_COLOUR}},
        {"type": "line", "x0": floors[0], "x1": floors[0], "y0": 0, "y1": 1, "xref": "x",
         "yref": "y domain", "line": line},
        {"type": "line", "x0": 0, "x1": 1, "y0": floors[1], "y1": floors[1], "xref": "x domain",
         "yref": "y", "line": line},
    ]  # fmt: skip
    return _figure([points], layout)


def with_caption(
    figure: go.Figure | VegaChart, caption: str, *, width: int = 1200
) -> go.Figure | dict[str, Any]:
    """A copy of ``figure`` for publication: ``caption`` written under the plot, a fixed width.

    The caption's lines (``\\n``) go below the axes in small grey type; the
    figure is made taller by as much, so the plot keeps its size. A Vega-Lite
    chart comes back as its spec with the data written in, the caption a view
    under it.
    """
    if isinstance(figure, VegaChart):
        spec = figure.inline(width=min(width, figure.width))
        datasets = spec.pop("datasets")
        spec.pop("$schema")
        return {
            "$schema": vega.SCHEMA,
            "datasets": datasets,
            "vconcat": [spec, vega.caption_block(caption, width=min(width, figure.width))],
            "config": {"background": "white"},
        }

    lines = [_plain(line) for line in caption.splitlines() if line.strip()]
    extra = 24 + 16 * len(lines)
    published = go.Figure(figure)
    height = int(published.layout.height or 450)
    bottom = int(published.layout.margin.b or 10)
    published.update_layout(
        width=width,
        height=height + extra,
        margin={"b": bottom + extra},
        template="plotly_white",
    )
    published.add_annotation(
        text="<br>".join(lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-(bottom + 8),
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 11, "color": "#555555"},
    )
    return published
