"""Overview: the corpus at a glance — coverage, timeline, outlets and articles."""

from __future__ import annotations

import dataclasses

import streamlit as st

from analysis.measures.contrast_schema import MIN_GROUP_ARTICLES
from analysis.wording import counted
from dashboard import data, figures, layout, links, tables
from dashboard.navigation import open_in_reader

page = layout.start_page(
    "Overview",
    "Which outlets covered which Kerry–Putin meeting, when they published, and who they are. "
    "Click a cell or a point to list the articles behind it.",
    needs="articles",
)
articles, corpus, selection = page.articles, page.corpus, page.selection

first, last = articles["published"].min(), articles["published"].max()
# A row that wraps on a narrow page, where four fixed columns cut the longest figure.
with st.container(horizontal=True, gap="large"):
    st.metric("Articles", len(articles), width="content")
    st.metric("Outlets", articles["outlet"].nunique(), width="content")
    # Meetings of the catalogue, each once however many articles cover it.
    st.metric(
        "Meetings covered", len(tables.meetings_covered(articles) - {"none"}), width="content"
    )
    st.metric("Published", tables.year_span(first, last), width="content")
layout.small_group_warning(
    {str(k): int(v) for k, v in articles["outlet_name"].value_counts().items()},
    minimum=MIN_GROUP_ARTICLES,
)

st.subheader("Coverage: articles per outlet and meeting")
# The meetings any outlet covered under the other filters: an outlet or group filter keeps
# the meetings the chosen outlets left out, as hollow squares.
compared = data.selected_articles(
    corpus.articles, dataclasses.replace(selection, outlets=(), groups=())
)
cells = tables.coverage_cells(articles, corpus.outlets, corpus.meetings, compared=compared)
coverage = layout.chart(
    figures.matrix_chart(
        cells,
        x="meeting_label",
        y="outlet_name",
        value="articles",
        title=f"Articles per outlet and meeting (n = {counted(len(articles), 'article')})",
        x_title="Meeting",
        y_title="Outlet",
        value_title="Articles",
        hover={"meeting_title": "Title"},
        customdata=["outlet", "meeting"],
        x_order=list(dict.fromkeys(cells["meeting_label"])),
        y_order=list(dict.fromkeys(cells["outlet_name"])),
    ),
    cells,
    what="articles per outlet and meeting",
    selection=selection,
    key="ov_coverage",
    alt="Matrix of the number of articles each outlet published about each meeting",
)
st.caption(
    "An article that covers several meetings counts in each; hollow squares are meetings "
    "an outlet did not cover."
)

st.subheader("Timeline: publication against the meeting dates")
# A timeline point is an article or, on a crowded timeline, an outlet's articles of a period.
picked_ids, picked_periods = layout.timeline(
    articles,
    corpus.meetings,
    catalogue=corpus.meetings,
    colours=page.colours,
    title="When each outlet published",
    what="dated articles",
    selection=selection,
    key="ov_timeline",
    alt="Publication date of each article by outlet, with the meeting dates as dotted lines",
)

picked = {(row[0], row[1]) for row in layout.selected_points(coverage)}
if picked or picked_ids or picked_periods:
    st.subheader("Articles behind your selection")
    layout.table(
        tables.articles_behind(articles, cells=picked, ids=picked_ids, periods=picked_periods),
        what="articles behind the selected cells",
        selection=selection,
        key="ov_drill",
    )

# The registry and the article list are drawn only when opened: two data grids and
# their script, which a tab that shows only the charts never loads.
outlets = links.section("Outlets and their groups", key="ov_outlets")
with outlets:
    if outlets.open:
        st.caption(
            "Groups are the analyst's (outlets.yaml): each with the reason and its source. "
            f"Outlets with fewer than {MIN_GROUP_ARTICLES} selected articles are small samples."
        )
        layout.table(
            tables.outlet_registry(corpus.outlets, articles),
            what="outlet registry",
            selection=selection,
            key="ov_registry",
        )

listed_section = links.section(
    "Articles: the list, to open one in the Reader",
    key="ov_list",
    opened_by=("ov_articles_page",),
)
with listed_section:
    if listed_section.open:
        st.caption(f"{counted(len(articles), 'article')}. Select a row and open it in the Reader.")
        listed, state = layout.paged_table(
            tables.article_list(articles),
            what="articles",
            selection=selection,
            key="ov_articles",
            select_rows=True,
            column_config={
                "outlet_name": "outlet",
                "outlet_group": "group",
                "published": st.column_config.DateColumn("published", format="YYYY-MM-DD"),
                "date_precision": "date known to",
                "url": st.column_config.TextColumn("url"),
            },
        )
        rows = layout.selected_rows(state)
        if rows:
            chosen = listed.iloc[rows[0]]
            if st.button(
                "Open in the Reader", key="ov_open", icon=":material/article:", type="primary"
            ):
                open_in_reader(str(chosen["id"]))

# Drawn: the analysis the other pages show is prepared while the analyst reads this one.
data.prepare_in_background()
