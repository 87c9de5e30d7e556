"""Plotly figure builders: tidy frames in, figures out. No Streamlit calls here.

Every builder titles its chart in the analyst's words with the number of
articles behind it, labels both axes, and puts what a selection needs to
drill down (an article id, an outlet, a term) into ``customdata``. Colours
come from :mod:`dashboard.colours`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.corpus.types import list_items
from dashboard.colours import NEUTRAL_COLOUR

__all__ = [
    "articles_timeline",
    "matrix_chart",
    "share_bars",
    "term_bars",
    "term_scatter",
    "values_over_time",
]

_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "hexagon", "cross")


def _layout(*, title: str, x: str, y: str, height: int | None = None) -> dict[str, Any]:
    """The layout every chart shares, as a dict to complete and pass to ``go.Figure`` once.

    Plotly validates every property it is given and copies the figure on each
    ``update_*`` or ``add_vline`` call, so building a figure in one go takes a
    fraction of the time of building it step by step (with the same result).
    """
    layout: dict[str, Any] = {
        "title": {"text": title},
        "xaxis": {"title": {"text": x}},
        "yaxis": {"title": {"text": y}},
        "legend": {"title": {"text": ""}},
        "margin": {"t": 70, "l": 10, "r": 10, "b": 10},
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
) -> go.Figure:
    """A heatmap drawn as square markers, so that a click selects one cell.

    ``cells`` has one row per cell with the ``x`` and ``y`` categories and a
    numeric ``value``; ``hover`` maps columns shown on hover to their names
    there, ``customdata`` columns are returned by a selection. Empty cells (value 0 or missing) are
    drawn hollow so an omission is visible, not just pale.
    """
    x_order = list(x_order) if x_order is not None else sorted(cells[x].astype(str).unique())
    y_order = list(y_order) if y_order is not None else sorted(cells[y].astype(str).unique())
    values = pd.to_numeric(cells[value], errors="coerce").fillna(0.0)
    filled = values > 0
    top = float(values.max()) if len(values) and values.max() > 0 else 1.0
    hover = dict(hover or {})
    hover_lines = [f"{y_title}: %{{y}}", f"{x_title}: %{{x}}", f"{value_title}: %{{text}}"]
    hover_lines += _hover_lines(hover, after=len(customdata))
    data = np.column_stack(
        [_plain_column(cells[c]) for c in (*customdata, *hover)] or [np.empty((len(cells), 0))]
    )
    side = max(18, min(48, int(420 / max(len(x_order), len(y_order), 1))))
    template = "<br>".join(hover_lines) + "<extra></extra>"
    texts = np.array([value_format.format(v) for v in values], dtype=object)
    shade = values[filled] / top

    def cells_trace(
        chosen: np.ndarray, textfont: dict[str, Any], symbol: str, marker: dict[str, Any]
    ) -> dict[str, Any]:
        """The ``chosen`` cells as square markers with their values written on them."""
        return _trace(
            "scatter",
            x=cells[x].astype(str)[chosen],
            y=cells[y].astype(str)[chosen],
            mode="markers+text",
            text=texts[chosen],
            textfont=textfont,
            customdata=data[chosen],
            hovertemplate=template,
            marker={"symbol": symbol, "size": side, **marker},
            showlegend=False,
        )

    traces = [
        cells_trace(
            ~filled.to_numpy(),
            {"size": 11, "color": NEUTRAL_COLOUR},
            "square-open",
            {"color": NEUTRAL_COLOUR, "line": {"width": 1}},
        ),
        cells_trace(
            filled.to_numpy(),
            # The cell colour runs from pale yellow to dark blue: dark text on the pale
            # half, white on the dark half, whatever the page theme.
            {"size": 12, "color": np.where(shade > 0.45, "#FFFFFF", "#000000")},
            "square",
            {
                "color": values[filled],
                "cmin": 0,
                "cmax": top,
                "colorscale": "Cividis",
                "reversescale": True,
                "showscale": True,
                "colorbar": {
                    "title": {"text": value_title},
                    "thickness": 12,
                    **({"dtick": max(1, round(top / 5))} if value_format == "{:.0f}" else {}),
                },
                "line": {"width": 1, "color": NEUTRAL_COLOUR},
            },
        ),
    ]
    height = 160 + side * len(y_order) + 12 * max(len(str(v)) for v in [*x_order, ""])
    layout = _layout(title=title, x=x_title, y=y_title, height=min(max(height, 300), 900))
    layout["xaxis"].update(categoryorder="array", categoryarray=x_order, type="category")
    layout["yaxis"].update(
        categoryorder="array", categoryarray=list(reversed(y_order)), type="category"
    )
    return go.Figure(data=traces, layout=layout)


def articles_timeline(
    articles: pd.DataFrame,
    meetings: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    colours: Mapping[str, str],
    title: str,
) -> go.Figure:
    """Publication dates per outlet against the meeting dates.

    ``articles`` needs ``id``, ``title``, ``outlet_name``, ``published``,
    ``date_precision`` and ``meetings``; undated articles are left out (the
    caller says how many). ``meetings`` needs ``meeting``, ``title`` and
    ``start``; each meeting line is marked with its ``labels`` entry and an
    article's meetings are named by their titles on hover. A selection returns
    the article id as ``customdata[0]``.
    """
    dated = articles[articles["published"].notna()]
    titles = dict(zip(meetings["meeting"], meetings["title"], strict=True))

    def meeting_titles(keys: object) -> str:
        return "; ".join(titles.get(key, key) for key in list_items(keys)) or "none"

    traces = []
    for name in dict.fromkeys(dated["outlet_name"]):
        rows = dated[dated["outlet_name"] == name]
        traces.append(
            _trace(
                "scatter",
                x=rows["published"],
                y=rows["outlet_name"],
                mode="markers",
                name=str(name),
                marker={"size": 12, "color": colours.get(str(name), NEUTRAL_COLOUR)},
                customdata=np.column_stack(
                    [
                        _plain_column(rows[c].map(meeting_titles) if c == "meetings" else rows[c])
                        for c in ("id", "title", "date_precision", "meetings")
                    ]
                ),
                hovertemplate=(
                    "<b>%{customdata[1]}</b><br>%{y}<br>published %{x|%Y-%m-%d} "
                    "(known to the %{customdata[2]})<br>meetings: %{customdata[3]}<extra></extra>"
                ),
            )
        )
    starts = pd.to_datetime(meetings["start"], errors="coerce")
    shapes, annotations = [], []
    for index, (start, key) in enumerate(zip(starts, meetings["meeting"], strict=True)):
        if pd.isna(start):
            continue
        shapes.append(_dotted(start, vertical=True))
        # Meetings a few months apart would print over each other: stagger the labels.
        annotations.append(
            {
                "x": start,
                "y": 1.0 - 0.3 * (index % 2),
                "yref": "paper",
                "text": _plain(labels.get(str(key), str(key))),
                "showarrow": False,
                "textangle": -90,
                "xanchor": "right",
                "yanchor": "top",
                "font": {"size": 10},
            }
        )
    layout = _layout(
        title=title,
        x="Publication date (dotted lines: meetings)",
        y="Outlet",
        height=max(320, 140 + 45 * dated["outlet_name"].nunique()),
    )
    if shapes:
        layout.update(shapes=shapes, annotations=annotations)
    return go.Figure(data=traces, layout=layout)


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
    ``docs_group``, ``docs_other`` and ``single_article`` (see
    :data:`analysis.measures.contrasts.CONTRAST_COLUMNS`). A selection returns the
    term as ``customdata[0]``.
    """
    ordered = terms.sort_values("z", kind="mergesort")
    warn = np.where(ordered["single_article"], " (one article only)", "")
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
    layout["shapes"] = [_dotted(edge, vertical=True) for edge in (-1.96, 1.96)]
    layout["yaxis"].update(type="category", automargin=True)
    return go.Figure(data=[bars], layout=layout)


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
    with a large |z| rest on few occurrences. A selection returns the term as
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
        y=f"z-score (> 0: more typical of {group_label})",
        height=420,
    )
    if highlight:
        found = terms[terms["term"] == highlight]
        if not found.empty:
            row = found.iloc[0]
            layout["annotations"] = [
                {
                    "x": np.log10(max(int(row["count_group"] + row["count_other"]), 1)),
                    "y": float(row["z"]),
                    "text": f"<b>{_plain(highlight)}</b>",
                    "showarrow": True,
                    "arrowhead": 2,
                }
            ]
    layout["xaxis"].update(type="log", dtick=1)
    return go.Figure(data=[points], layout=layout)


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
    layout["margin"]["t"] = 100
    longest = shares.groupby(category)[value].sum().max() if len(shares) else 0
    if longest and float(longest).is_integer() and longest <= 40:
        layout["xaxis"]["dtick"] = max(1, round(float(longest) / 8))
    if order:
        layout["yaxis"].update(
            categoryorder="array", categoryarray=list(reversed(order)), type="category"
        )
    return go.Figure(data=traces, layout=layout)


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
    hover: Mapping[str, str] | None = None,
    customdata: Sequence[str] = (),
) -> go.Figure:
    """One line with markers per ``series`` (an outlet) over time; points carry ``customdata``.

    ``hover`` maps columns shown on hover to their names there.
    """
    traces = []
    hover = dict(hover or {})
    extra = [*customdata, *hover]
    hover_lines = [f"{x_title}: %{{x|%Y-%m-%d}}", f"{y_title}: %{{y:.2f}}"]
    hover_lines += _hover_lines(hover, after=len(customdata))
    for index, name in enumerate(dict.fromkeys(points[series])):
        rows = points[points[series] == name].sort_values(x)
        traces.append(
            _trace(
                "scatter",
                x=rows[x],
                y=rows[y],
                mode="lines+markers",
                name=str(name),
                marker={
                    "size": 10,
                    "color": colours.get(str(name), NEUTRAL_COLOUR),
                    "symbol": _SYMBOLS[index % len(_SYMBOLS)],
                },
                line={"color": colours.get(str(name), NEUTRAL_COLOUR), "width": 1},
                **_series_hover(rows, name, extra, hover_lines),
            )
        )
    layout = _layout(title=title, x=x_title, y=y_title, height=420)
    layout["shapes"] = [_dotted(0, vertical=False)]
    return go.Figure(data=traces, layout=layout)


def _hover_lines(hover: Mapping[str, str], *, after: int) -> list[str]:
    """A hover line per ``hover`` column, named as the reader knows it, read from ``customdata``."""
    return [
        f"{_plain(name)}: %{{customdata[{after + k}]}}" for k, name in enumerate(hover.values())
    ]


def _plain_column(values: pd.Series) -> np.ndarray:
    """The values as hover text: dates as ``YYYY-MM-DD``, markup escaped."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return np.array(
            ["undated" if pd.isna(v) else f"{v:%Y-%m-%d}" for v in values.tolist()], dtype=object
        )
    # A plain list: iterating a pandas string column yields one value at a time, slowly.
    return np.array([_plain(str(value)) for value in values.tolist()], dtype=object)


def _plain(text: str) -> str:
    """Text for a Plotly label, with its markup characters escaped (Plotly renders a few tags)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
