"""Search: the articles that match a query, hits per outlet and over time, each hit in context."""

from __future__ import annotations

import streamlit as st

from analysis.measures.attention import PERIODS, per_period
from analysis.wording import counted, counted_are
from dashboard import data, figures, layout, links, tables
from dashboard.navigation import open_in_reader

page = layout.start_page(
    "Search",
    'Words, "quoted phrases", AND, OR, NOT and parentheses, in any language; case and accents '
    "are ignored (geneve finds Genève, елка finds ёлка). Click a bar to list its hits; select "
    "a hit to open its article.",
)
prepared, selection, articles = page.prepared, page.selection, page.articles
names = dict(zip(page.corpus.outlets["outlet"], page.corpus.outlets["name"], strict=True))

controls = st.columns([3, 1])
query = links.value(
    controls[0].text_input,
    "Search the selected articles",
    key="se_query",
    what="query",
    parse=str,
    placeholder='e.g. sanctions AND ("regime change" OR Assad) NOT Ukraine',
).strip()
period = links.choice(
    controls[1].radio, "Hits per", list(PERIODS), key="se_period", what="period", horizontal=True,
    index=1,
)  # fmt: skip
assert period is not None
if not query:
    st.info("Type a query above.", icon=":material/search:")
    links.stop()
try:
    hits = data.search(prepared, selection, query=query)
except ValueError as err:
    st.warning(f"This query cannot be read: {layout.escape_markdown(err)}", icon=":material/error:")
    links.stop()
shown = layout.escape_markdown(query)
if hits.empty:
    st.info(f"No selected article matches {shown}.", icon=":material/search_off:")
    links.stop()

matched = hits["id"].nunique()
columns = st.columns(3)
columns[0].metric("Hits", len(hits))
columns[1].metric("Articles matching", f"{matched} of {len(articles)}")
columns[2].metric("Outlets", hits["outlet"].nunique())

per_outlet = tables.hits_per_outlet(hits, articles, page.corpus.outlets)
left, right = st.columns(2)
with left:
    outlet_state = layout.chart(
        figures.counts_per_group(
            per_outlet,
            group="outlet_name",
            value="hits",
            title=f"Hits of {query} per outlet<br><sup>{counted(matched, 'matching article')} "
            f"of {len(articles):,} selected</sup>",
            x_title="Hits",
            y_title="Outlet",
            colours=page.colours,
            hover={"articles_with_hits": "Articles with a hit", "articles": "Articles selected"},
            customdata=["outlet"],
        ),
        per_outlet,
        what=f"search hits per outlet {query}",
        selection=selection,
        key="se_outlets",
        link_fields=1,
        alt="Bars of the number of hits in each outlet",
    )
undated = int(hits["published"].isna().sum())
over_time, legend = tables.counts_with_names(
    per_period(hits, by="outlet", period=period, count="hits"), "outlet", names, count="hits"
)
with right:
    time_state = layout.chart(
        figures.counts_over_time(
            over_time,
            page.corpus.meetings,
            series="series",
            value="hits",
            title=f"Hits of {query} per {period}<br><sup>{len(hits) - undated} hits in dated "
            "articles</sup>",
            y_title="Hits",
            period=period,
            colours=page.colours,
            names=legend,
        ),
        over_time,
        what=f"search hits per {period} {query}",
        selection=selection,
        key="se_time",
        alt=f"Bars of the number of hits per {period} and outlet, with the meetings as bands",
    )
    if undated:
        st.caption(f"{counted_are(undated, 'hit', ' in undated articles')} not on this chart.")

st.subheader("Hits in context")
# A click on a bar keeps that outlet's hits, or those of that outlet and period.
clicked_outlets = {str(p[0]) for p in layout.selected_points(outlet_state) if p}
bars = {(str(p[0]), str(p[1])) for p in layout.selected_points(time_state) if len(p) > 1}
listed_hits = hits
if clicked_outlets or bars:
    in_bars = tables.in_period_bars(hits, by="outlet", period=period, bars=bars, names=names)
    listed_hits = hits[hits["outlet"].astype(str).isin(clicked_outlets).to_numpy() | in_bars]
    st.caption(
        f"The {counted(len(listed_hits), 'hit')} of the bars you clicked, of {len(hits):,}; "
        "double-click the chart to list them all again."
    )
st.caption("Select a row, then open its article in the Reader with the hit highlighted.")
listed = tables.hit_list(listed_hits, names)
state = layout.table(
    listed,
    what=f"search hits {query}",
    selection=selection,
    key="se_hits",
    select_rows=True,
    column_config={"outlet_name": "outlet"},
)
rows = layout.selected_rows(state)
if rows:
    chosen = listed.iloc[rows[0]]
    found = tuple(dict.fromkeys(listed.loc[listed["id"] == chosen["id"], "match"]))
    if st.button("Open in the Reader", key="se_open", icon=":material/article:", type="primary"):
        open_in_reader(str(chosen["id"]), terms=found)
