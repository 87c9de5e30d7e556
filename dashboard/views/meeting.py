"""Meeting side by side: how each outlet told the same Kerry–Putin meeting."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analysis.corpus.types import list_text
from analysis.labels.agenda import omissions
from analysis.measures.contrasts import MIN_GROUP_ARTICLES
from dashboard import colours, data, figures, layout, links, tables, widgets
from dashboard.navigation import open_in_reader
from dashboard.results import (
    SelectionResults,
    across_meetings,
    badge_rows,
    key_sentences,
    summary_table,
)

VIEWS = ("Side by side", "A against B", "Across meetings")
TERMS_PER_OUTLET = 8
#: Articles listed in an outlet's column; a meeting at 10k articles has hundreds per outlet.
ARTICLES_PER_OUTLET = 3

page = layout.start_page(
    "Meeting side by side",
    "Pick a meeting: one column per outlet that covered it, with its headline, stance, "
    "outcome framing, distinctive terms, sources, subjects and key sentences.",
)
corpus, prepared, selection, articles = page.corpus, page.prepared, page.selection, page.articles
names = dict(zip(corpus.outlets["outlet"], corpus.outlets["name"], strict=True))
catalogue = corpus.meetings.set_index("meeting")
covered_keys = tables.meetings_covered(articles)
covered = [m for m in corpus.meetings["meeting"] if m in covered_keys]
results = SelectionResults.of(prepared, articles)

if not covered:
    st.info(
        "None of the selected articles covers a meeting of the catalogue. Widen the meeting "
        "filter in the sidebar, or mark which meeting an article covers in its file.",
        icon=":material/info:",
    )
    links.stop()

top = st.columns([2, 1])
meeting = links.choice(
    top[0].selectbox,
    "Meeting",
    covered,
    format_func=lambda key: (
        f"{catalogue.loc[key, 'title']} — {catalogue.loc[key, 'start']:%Y-%m-%d}"
    ),
    key="mt_meeting",
    what="meeting",
)
assert meeting is not None
view = links.choice(top[1].radio, "View", VIEWS, horizontal=True, key="mt_view", what="view")
info = catalogue.loc[meeting]
st.caption(
    f"{layout.escape_markdown(info['place'])} · {info['start']:%Y-%m-%d}"
    + (f" to {info['end']:%Y-%m-%d}" if info["end"] != info["start"] else "")
    + f" · on the agenda: {layout.escape_markdown(info['subjects'])}"
)

on_meeting = tables.meeting_articles(articles, meeting)
meeting_selection = replace(selection, meetings=(meeting,))
on_meeting_outlets = set(on_meeting["outlet"])
outlets = [key for key in corpus.outlets["outlet"] if key in on_meeting_outlets]


if view == VIEWS[0]:
    if len(outlets) == 1:
        st.info(
            f"Only {layout.escape_markdown(names.get(outlets[0], outlets[0]))} covered this "
            "meeting in the selection, so there is nothing to set it beside. Its terms are "
            "compared with the rest of the corpus instead; widen the filters to add outlets.",
            icon=":material/info:",
        )
    terms, against = tables.meeting_terms(
        outlets,
        meeting,
        between_outlets=lambda: data.contrasts(
            prepared, meeting_selection, by="outlet", top=TERMS_PER_OUTLET
        ),
        between_meetings=lambda: data.contrasts(
            prepared, selection, by="meeting", top=TERMS_PER_OUTLET
        ),
    )
    layout.small_group_warning(
        {names.get(k, k): int((on_meeting["outlet"] == k).sum()) for k in outlets},
        minimum=MIN_GROUP_ARTICLES,
    )
    # Every article here covers this meeting, whatever meeting its file names first.
    left_out = omissions(
        results.rows_for("agenda", on_meeting["id"]),
        on_meeting.assign(meeting=meeting),
        by="outlet",
    )
    # Every outlet's key sentences at once: their texts are cut in one pass.
    sentences = key_sentences(results, on_meeting)
    own_articles = {
        outlet: on_meeting[on_meeting["outlet"] == outlet].sort_values(
            "published", kind="mergesort"
        )
        for outlet in outlets
    }
    badges = badge_rows(
        results, [a for own in own_articles.values() for a in own["id"].head(ARTICLES_PER_OUTLET)]
    )
    width = min(3, max(len(outlets), 2))
    for start in range(0, len(outlets), width):
        row = st.columns(width)
        for column, outlet in zip(row, outlets[start : start + width], strict=False):
            outlet_terms = (
                tables.top_terms(terms, outlet, n=TERMS_PER_OUTLET) if len(terms) else terms
            )
            with column.container(border=True):
                st.subheader(names.get(outlet, outlet), divider="gray")
                own = own_articles[outlet]
                st.caption(f"{len(own)} article{'' if len(own) == 1 else 's'}")
                if len(own) > ARTICLES_PER_OUTLET:
                    st.caption(
                        f"The first {ARTICLES_PER_OUTLET} by date; all {len(own)} are in the "
                        "CSV below and on the Overview page."
                    )
                for _, article in own.head(ARTICLES_PER_OUTLET).iterrows():
                    st.markdown(f"**{layout.escape_markdown(article['title'])}**")
                    when = tables.date_text(article["published"])
                    byline = list_text(article["authors"]) or "no byline"
                    st.caption(f"{when} · {layout.escape_markdown(byline)}")
                    widgets.article_badges(
                        results, str(article["id"]), rows=badges[str(article["id"])]
                    )
                    if st.button("Read", key=f"mt_open_{article['id']}", icon=":material/article:"):
                        open_in_reader(str(article["id"]))
                st.markdown("**Distinctive terms**")
                st.caption(against)
                if outlet_terms.empty:
                    st.caption("None stands out.")
                else:
                    st.dataframe(
                        outlet_terms[["term", "z", "count_group", "count_other"]],
                        hide_index=True,
                        column_config={
                            "z": st.column_config.NumberColumn("z", format="%.1f"),
                            "count_group": "here",
                            "count_other": "elsewhere",
                        },
                        key=f"mt_terms_{outlet}",
                    )
                widgets.outlet_details(
                    results,
                    on_meeting[on_meeting["outlet"] == outlet],
                    omitted=left_out[left_out["outlet"] == outlet],
                    sentences=sentences.get(outlet),
                )
    st.divider()
    terms_of = tables.terms_by_outlet(terms, outlets, n=TERMS_PER_OUTLET)
    # Built only when the button is clicked.
    layout.download_csv(
        lambda: summary_table(results, on_meeting).assign(
            distinctive_terms=lambda f: f["outlet"].map(terms_of)
        ),
        rows=len(on_meeting),
        what=f"meeting {meeting} side by side",
        selection=meeting_selection,
        key="mt_summary_csv",
    )
    if len(terms):
        layout.download_csv(
            terms,
            what=f"meeting {meeting} distinctive terms",
            selection=meeting_selection,
            key="mt_terms_csv",
        )

elif view == VIEWS[1]:
    if len(outlets) < 2:
        st.info(
            "A against B needs two outlets that covered this meeting; the selection has "
            f"{len(outlets)}. Pick another meeting or widen the filters.",
            icon=":material/info:",
        )
        links.stop()
    pair = st.columns(2)
    a = links.choice(
        pair[0].selectbox,
        "A",
        outlets,
        format_func=lambda key: names.get(key, key),
        key="mt_a",
        what="outlet",
    )
    b = links.choice(
        pair[1].selectbox,
        "B",
        [o for o in outlets if o != a],
        format_func=lambda key: names.get(key, key),
        key="mt_b",
        what="outlet",
    )
    assert a is not None
    assert b is not None
    try:
        frame = data.contrasts(prepared, meeting_selection, by="outlet", compare=(a, b), top=15)
    except ValueError as err:
        st.info(f"These outlets cannot be contrasted: {err}", icon=":material/info:")
        links.stop()
    n_a = int((on_meeting["outlet"] == a).sum())
    n_b = int((on_meeting["outlet"] == b).sum())
    layout.small_group_warning({names[a]: n_a, names[b]: n_b}, minimum=MIN_GROUP_ARTICLES)
    layout.chart(
        figures.term_bars(
            frame,
            title=f"{names[a]} against {names[b]} on this meeting<br>"
            f"<sup>n = {n_a} and {n_b} articles</sup>",
            colour=page.colours.get(a, colours.OKABE_ITO[0]),
            group_label=names[a],
            other_label=names[b],
        ),
        frame,
        what=f"meeting {meeting} terms {names[a]} vs {names[b]}",
        selection=meeting_selection,
        key="mt_pair_terms",
        link_fields=1,
        alt=f"Terms typical of {names[a]} and of {names[b]} on this meeting",
    )
    widgets.side_by_side(results, on_meeting, a, b, names=names, selection=meeting_selection)

else:
    present = set(articles["outlet"])
    choices = [f"outlet:{k}" for k in corpus.outlets["outlet"] if k in present]
    choices += [f"group:{g}" for g in sorted(articles["outlet_group"].unique())]
    who = links.choice(
        st.selectbox,
        "Outlet or group",
        choices,
        format_func=lambda c: (
            f"Outlet: {names.get(c[7:], c[7:])}" if c.startswith("outlet:") else f"Group: {c[6:]}"
        ),
        key="mt_who",
        what="outlet or group",
    )
    assert who is not None
    kind, _, value = who.partition(":")
    mine = articles[articles["outlet" if kind == "outlet" else "outlet_group"] == value]
    mine_selection = (
        replace(selection, outlets=(value,))
        if kind == "outlet"
        else replace(selection, groups=(value,))
    )
    per = tables.per_meeting(mine)
    per = per[per["meeting"] != "none"]
    if per.empty:
        st.info("This outlet or group covered no meeting in the selection.", icon=":material/info:")
        links.stop()
    starts = dict(zip(corpus.meetings["meeting"], corpus.meetings["start"], strict=True))
    per = per.assign(meeting_start=per["meeting"].map(starts)).sort_values(
        ["meeting_start", "published"], kind="mergesort"
    )
    st.plotly_chart(
        figures.articles_timeline(
            mine,
            corpus.meetings[corpus.meetings["meeting"].isin(per["meeting"])],
            labels=tables.meeting_labels(corpus.meetings),
            colours=page.colours,
            title=f"Its articles against the meetings (n = {len(mine)} articles)",
        ),
        key="mt_who_timeline",
    )
    shown = across_meetings(results, per)
    layout.table(
        shown,
        what=f"{value} across meetings",
        selection=mine_selection,
        key="mt_across",
        column_config={
            "published": st.column_config.DateColumn("published", format="YYYY-MM-DD"),
        },
    )
    if per["meeting"].nunique() >= 2:
        terms = data.contrasts(prepared, mine_selection, by="meeting", top=TERMS_PER_OUTLET)
        st.subheader("What it stressed at each meeting")
        st.caption("Each meeting's articles against its articles on the other meetings.")
        layout.table(
            tables.terms_per_meeting(terms, n=TERMS_PER_OUTLET),
            what=f"{value} distinctive terms per meeting",
            selection=mine_selection,
            key="mt_across_terms",
        )
    else:
        st.caption("With one meeting covered there are no meetings to set against each other.")
