"""Attention over time: how many articles each outlet or group published per day, week or month,
with the meetings marked."""

from __future__ import annotations

import streamlit as st

from analysis.measures.attention import PERIODS, per_period
from analysis.wording import counted, counted_are
from dashboard import data, figures, layout, links, tables, widgets

GROUPINGS = {"outlet": "Outlet", "outlet_group": "Outlet group"}

page = layout.start_page(
    "Attention over time",
    "How many articles each outlet or group published per day, week or month; the grey bands "
    "are the meetings, from their first to their last day. Click a bar to list its articles.",
    needs="articles",
)
articles, selection = page.articles, page.selection
names = dict(zip(page.corpus.outlets["outlet"], page.corpus.outlets["name"], strict=True))

controls = st.columns(2)
by = links.choice(
    controls[0].radio, "Count per", list(GROUPINGS), format_func=GROUPINGS.__getitem__,
    key="at_by", what="grouping", horizontal=True,
)  # fmt: skip
period = links.choice(
    controls[1].radio, "Articles per", list(PERIODS), key="at_period", what="period",
    horizontal=True, index=1,
)  # fmt: skip
assert by is not None
assert period is not None

counts, legend = tables.counts_with_names(
    per_period(articles, by=by, period=period), by, names, count="articles"
)
undated = int(articles["published"].isna().sum())
dated = len(articles) - undated
if counts.empty:
    st.info("None of the selected articles is dated.", icon=":material/info:")
    links.stop()
colours = page.colours if by == "outlet" else {}
drawn = layout.chart(
    figures.counts_over_time(
        counts,
        page.corpus.meetings,
        series="series",
        value="articles",
        title=f"Articles per {period} by {GROUPINGS[by].lower()} "
        f"(n = {counted(dated, 'dated article')})",
        y_title="Articles",
        period=period,
        colours=colours,
        names=legend,
    ),
    counts,
    what=f"articles per {period} by {by}",
    selection=selection,
    key="at_chart",
    alt=f"Stacked bars of the articles per {period} and {GROUPINGS[by].lower()}, "
    "with the meetings as grey bands",
)
sizes = " · ".join(legend.values())
st.caption(
    f"Sample sizes: {layout.escape_markdown(sizes)}."
    + (f" {counted_are(undated, 'undated article')} not on the chart." if undated else "")
)

# A bar's customdata is its series (an outlet's name, a group) and its period's first day.
bars = {(str(p[0]), str(p[1])) for p in layout.selected_points(drawn) if len(p) > 1}
if bars:
    widgets.article_drill(
        articles[tables.in_period_bars(articles, by=by, period=period, bars=bars, names=names)],
        what="articles behind the selected bars",
        selection=selection,
        key="at_drill",
    )

# Drawn: the analysis the other pages show is prepared while the analyst reads this one.
data.prepare_in_background()
