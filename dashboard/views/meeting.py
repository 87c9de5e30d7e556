"""Meeting side by side: how each outlet told the same Kerry–Putin meeting."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analysis.corpus.selection import per_meeting
from analysis.corpus.types import list_text
from analysis.labels.agenda import omissions
from analysis.labels.stance import stance_by_group
from analysis.labels.summaries import group_profiles, outcome_counts
from analysis.measures.contrast_schema import MIN_GROUP_ARTICLES
from analysis.measures.coverage import blind_spots, coverage_spread
from analysis.review.hand_labels import OUTCOME_LABELS, STANCE_LABELS
from analysis.wording import counted
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
#: Distinctive terms per outlet in the compact table.
GLANCE_TERMS = 5
#: Columns side by side before the page sets groups side by side instead of outlets.
MAX_COLUMNS = 6
COLUMN_KINDS = ("Outlets", "Groups")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _all_rows(rows: int) -> int:
    """A table height that shows ``rows`` rows without scrolling, up to twenty."""
    return 35 * (min(rows, 20) + 1) + 3


page = layout.start_page(
    "Meeting side by side",
    "Pick a meeting: how its coverage spreads across outlet groups, each outlet at a glance, "
    "what each group left out, and columns for the outlets or groups you set side by side, "
    "with headlines, stance, outcome framing, distinctive terms, sources, subjects and key "
    "sentences.",
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
    # Every article here covers this meeting, whatever meeting its file names first.
    on_meeting_groups = on_meeting.assign(meeting=meeting)
    group_order = list(dict.fromkeys(corpus.outlets["group"].astype(str)))
    groups = [g for g in group_order if g in set(on_meeting["outlet_group"].astype(str))]
    group_of = dict(zip(corpus.outlets["outlet"], corpus.outlets["group"].astype(str), strict=True))
    hues = colours.group_colours(corpus.outlets)

    st.subheader("Coverage spread")
    spread = coverage_spread(on_meeting, order=group_order)
    outlets_of = {g: [names.get(o, o) for o in outlets if group_of.get(o) == g] for g in groups}
    spread_state = layout.chart(
        figures.coverage_bar(
            spread,
            group="outlet_group",
            title=f"Who covered it: {_count(len(on_meeting), 'article')} from "
            f"{_count(len(outlets), 'outlet')} in {_count(len(groups), 'group')}",
            colours=hues,
            legend_title="Outlet group",
        ),
        tables.spread_rows(spread, outlets_of),
        what=f"meeting {meeting} coverage spread",
        selection=meeting_selection,
        key="mt_spread",
        link_fields=1,
        alt="One bar split into each outlet group's share of the articles on this meeting",
    )
    layout.small_group_warning(
        dict(zip(spread["outlet_group"], spread["articles"], strict=True)),
        minimum=MIN_GROUP_ARTICLES,
    )
    targets = tables.target_names(results.stance) or {"": "no target"}
    owner = dict(
        zip(on_meeting["id"].astype(str), on_meeting["outlet_group"].astype(str), strict=True)
    )
    meeting_stance = results.rows_for("stance", on_meeting["id"])
    meeting_outcome = results.rows_for("outcome", on_meeting["id"])
    meeting_outcome = meeting_outcome[meeting_outcome["label"] != ""]
    picked_points: list[list[str]] = [[str(p[0])] for p in layout.selected_points(spread_state)]
    target = str(
        links.choice(
            st.selectbox, "Stance toward", list(targets), format_func=targets.__getitem__,
            key="mt_target", what="stance target",
        )
    )  # fmt: skip
    shares = tables.stance_shares(
        stance_by_group(meeting_stance, on_meeting_groups, by="outlet_group"),
        target,
        {g: g for g in groups},
    )
    stance_state = layout.chart(
        figures.stance_bars(
            shares,
            title=f"Stance toward {targets[target]} per group "
            f"(n = {counted(len(on_meeting), 'article')})",
            category_title="Outlet group",
            label_order=STANCE_LABELS,
            category_order=groups,
        ),
        shares,
        what=f"meeting {meeting} stance toward {target} per group",
        selection=meeting_selection,
        key="mt_group_stance",
        alt=f"Stacked bars of the stance toward {targets[target]} of each group's articles",
    )
    for point in layout.selected_points(stance_state):
        picked_points.append([str(point[0]), "stance", str(point[1])])
    counts = outcome_counts(meeting_outcome, owner).rename(columns={"outlet": "group"})
    outcome_state = layout.chart(
        figures.share_bars(
            counts,
            category="group",
            label="label",
            value="articles",
            title=f"Who came out ahead, per group (n = {counted(len(meeting_outcome), 'article')})",
            category_title="Outlet group",
            value_title="Articles",
            label_order=OUTCOME_LABELS,
            colours=colours.OUTCOME_COLOURS,
            legend_title="Outcome framing",
            customdata=["group", "label"],
            category_order=tables.in_order(groups, counts["group"]),
        ),
        counts,
        what=f"meeting {meeting} outcome framing per group",
        selection=meeting_selection,
        key="mt_group_outcome",
        alt="Stacked bars of the outcome framing of each group's articles",
    )
    for point in layout.selected_points(outcome_state):
        picked_points.append([str(point[0]), "outcome", str(point[1])])
    if picked_points:
        behind: set[str] = set()
        for point in picked_points:
            if len(point) == 1:
                behind |= tables.outlet_articles(owner, point[0])
            elif point[1] == "stance":
                behind |= tables.labelled_articles(
                    meeting_stance, owner, point[0], label=point[2], target=target
                )
            else:
                behind |= tables.labelled_articles(meeting_outcome, owner, point[0], label=point[2])
        widgets.article_drill(
            on_meeting[on_meeting["id"].astype(str).isin(behind)],
            what=f"meeting {meeting} articles behind the selected bars",
            selection=meeting_selection,
            key="mt_spread_drill",
        )
    else:
        st.caption("Click a segment or a bar to list the articles behind it.")

    st.subheader("Outlets at a glance")
    # The same contrast as the outlets' columns below: computed once, kept per filters.
    outlet_terms = (
        tables.terms_by_outlet(
            data.contrasts(prepared, meeting_selection, by="outlet", top=TERMS_PER_OUTLET),
            outlets,
            n=GLANCE_TERMS,
        )
        if len(outlets) >= 2
        else {}
    )
    glance = tables.at_a_glance(
        group_profiles(
            on_meeting,
            meeting_stance,
            results.rows_for("outcome", on_meeting["id"]),
            results.rows_for("sources", on_meeting["id"]),
            order=outlets,
        ),
        names=names,
        groups=group_of,
        targets=targets,
        terms=outlet_terms,
    )
    st.caption(
        "One row per outlet: its articles on this meeting, their stance and outcome labels "
        "counted, its distinctive terms against the other outlets on this meeting and whom it "
        "quotes most. Select a row to list its articles."
    )
    small = int((glance["articles"] < MIN_GROUP_ARTICLES).sum())
    if small:
        st.warning(
            f"Small samples — {small} of {len(glance)} outlets have fewer than "
            f"{MIN_GROUP_ARTICLES} articles on this meeting: their rows describe those "
            "articles, not the outlet's habits.",
            icon=":material/warning:",
        )
    glance_state = layout.table(
        glance, what=f"meeting {meeting} outlets at a glance", selection=meeting_selection,
        key="mt_glance", select_rows=True, height=_all_rows(len(glance)),
    )  # fmt: skip
    chosen_outlets = links.clicked(
        "mt_glance",
        [[outlets[row]] for row in layout.selected_rows(glance_state) if row < len(outlets)],
        fields=1,
    )
    for point in chosen_outlets[:1]:
        if point[0] in outlets:
            widgets.article_drill(
                on_meeting[on_meeting["outlet"] == point[0]],
                what=f"meeting {meeting} articles of {names.get(point[0], point[0])}",
                selection=meeting_selection,
                key="mt_glance_drill",
            )

    st.subheader("Blind spots")
    spots = blind_spots(articles, results.agenda, by="outlet_group", meetings=[meeting])
    if spots.empty:
        st.caption(
            "No blind spot: every group in the selection covered this meeting and, between "
            "the groups that did, no tracked subject was left out by one and named by another."
        )
    else:
        st.caption(
            "What a group left out while other groups covered it: the whole meeting (a group "
            "with articles in the selection but none on this meeting), or a subject of the "
            "meeting none of its articles names. Articles in a language the subjects are not "
            "tracked in count on neither side. Select a row to list the articles that covered it."
        )
        spot_state = layout.table(
            tables.blind_spot_rows(spots), what=f"meeting {meeting} blind spots",
            selection=meeting_selection, key="mt_blind", select_rows=True,
            height=_all_rows(len(spots)),
        )  # fmt: skip
        # A row goes into the link by what was left out and by whom, not by its position.
        spot_keys = [
            [str(subject) or "meeting", str(group)]
            for subject, group in zip(spots["subject"], spots["outlet_group"], strict=True)
        ]
        chosen_spots = links.clicked(
            "mt_blind", [spot_keys[row] for row in layout.selected_rows(spot_state)], fields=2
        )
        for point in chosen_spots[:1]:
            if point[:2] in spot_keys:
                spot = spots.iloc[spot_keys.index(point[:2])]
                covering = tables.blind_spot_articles(on_meeting, results.agenda, spot)
                widgets.article_drill(
                    on_meeting[on_meeting["id"].astype(str).isin(covering)],
                    what=f"meeting {meeting} articles covering a blind spot",
                    selection=meeting_selection,
                    key="mt_blind_drill",
                )

    st.subheader("Side by side")
    column_kinds = COLUMN_KINDS if len(outlets) <= MAX_COLUMNS else COLUMN_KINDS[::-1]
    kind = links.choice(
        st.radio, "Columns for", column_kinds, horizontal=True, key="mt_columns",
        what="kind of column",
    )  # fmt: skip
    if kind == "Groups":
        by = "outlet_group"
        picked = links.choices(
            st.multiselect, "Groups side by side", groups, key="mt_groups", what="group",
            placeholder="All the groups that covered it",
        )  # fmt: skip
        keys = picked or groups
        heading = {g: f"Group: {g}" for g in keys}
        members = {g: on_meeting[on_meeting["outlet_group"].astype(str) == g] for g in keys}
        others = "groups"
    else:
        by = "outlet"
        picked = links.choices(
            st.multiselect, "Outlets side by side", outlets, key="mt_outlets", what="outlet",
            format_func=lambda key: names.get(key, key),
            placeholder=f"The {min(len(outlets), MAX_COLUMNS)} with the most articles",
        )  # fmt: skip
        most = sorted(outlets, key=lambda o: -int((on_meeting["outlet"] == o).sum()))
        keys = picked or [o for o in outlets if o in set(most[:MAX_COLUMNS])]
        if not picked and len(outlets) > MAX_COLUMNS:
            st.caption(
                f"{len(outlets)} outlets covered this meeting: the {MAX_COLUMNS} with the most "
                "articles are shown. Pick outlets above, or set groups side by side."
            )
        heading = {o: names.get(o, o) for o in keys}
        members = {o: on_meeting[on_meeting["outlet"] == o] for o in keys}
        others = "outlets"
    # Terms are set against every other outlet or group on the meeting, picked or not.
    every = groups if by == "outlet_group" else outlets
    if len(every) == 1:
        st.info(
            f"Only {layout.escape_markdown(heading[every[0]])} covered this meeting in the "
            "selection, so there is nothing to set it beside. Its terms are compared with the "
            "rest of the corpus instead; widen the filters to add outlets.",
            icon=":material/info:",
        )
    terms, against = tables.meeting_terms(
        every,
        meeting,
        between_outlets=lambda: data.contrasts(
            prepared, meeting_selection, by=by, top=TERMS_PER_OUTLET
        ),
        between_meetings=lambda: data.contrasts(
            prepared, selection, by="meeting", top=TERMS_PER_OUTLET
        ),
        others=others,
    )
    layout.small_group_warning(
        {heading[k]: len(members[k]) for k in keys}, minimum=MIN_GROUP_ARTICLES
    )
    left_out = omissions(results.rows_for("agenda", on_meeting["id"]), on_meeting_groups, by=by)
    # Every column's key sentences at once: their texts are cut in one pass.
    sentences = key_sentences(results, on_meeting, by=by)
    own_articles = {key: members[key].sort_values("published", kind="mergesort") for key in keys}
    badges = badge_rows(
        results, [a for own in own_articles.values() for a in own["id"].head(ARTICLES_PER_OUTLET)]
    )
    width = min(3, max(len(keys), 2))
    for start in range(0, len(keys), width):
        row = st.columns(width)
        for column, key in zip(row, keys[start : start + width], strict=False):
            column_terms = tables.top_terms(terms, key, n=TERMS_PER_OUTLET) if len(terms) else terms
            with column.container(border=True):
                st.subheader(heading[key], divider="gray")
                own = own_articles[key]
                st.caption(f"{len(own)} article{'' if len(own) == 1 else 's'}")
                if by == "outlet_group":
                    st.caption("From " + layout.escape_markdown(", ".join(outlets_of.get(key, []))))
                if len(own) > ARTICLES_PER_OUTLET:
                    st.caption(
                        f"The first {ARTICLES_PER_OUTLET} by date; all {len(own)} are in the "
                        "CSV below and on the Overview page."
                    )
                for _, article in own.head(ARTICLES_PER_OUTLET).iterrows():
                    st.markdown(f"**{layout.escape_markdown(article['title'])}**")
                    when = tables.date_text(article["published"])
                    byline = list_text(article["authors"]) or "no byline"
                    source = (
                        f"{names.get(article['outlet'], article['outlet'])} · "
                        if by == "outlet_group"
                        else ""
                    )
                    st.caption(f"{layout.escape_markdown(source)}{when} · "
                               f"{layout.escape_markdown(byline)}")  # fmt: skip
                    widgets.article_badges(
                        results, str(article["id"]), rows=badges[str(article["id"])]
                    )
                    if st.button("Read", key=f"mt_open_{article['id']}", icon=":material/article:"):
                        open_in_reader(str(article["id"]))
                st.markdown("**Distinctive terms**")
                st.caption(against)
                if column_terms.empty:
                    st.caption("None stands out.")
                else:
                    st.dataframe(
                        column_terms[["term", "z", "count_group", "count_other"]],
                        hide_index=True,
                        column_config={
                            "z": st.column_config.NumberColumn("z", format="%.1f"),
                            "count_group": "here",
                            "count_other": "elsewhere",
                        },
                        key=f"mt_terms_{by}_{key}",
                    )
                widgets.outlet_details(
                    results,
                    members[key],
                    omitted=left_out[left_out[by].astype(str) == key],
                    sentences=sentences.get(key),
                    others=others,
                )
    st.divider()
    terms_of = tables.terms_by_outlet(terms, keys, n=TERMS_PER_OUTLET)
    shown_ids = pd.concat([members[k]["id"] for k in keys]) if keys else on_meeting["id"]
    column_of = "outlet_group" if by == "outlet_group" else "outlet"
    # Built only when the button is clicked.
    layout.download_csv(
        lambda: summary_table(results, on_meeting[on_meeting["id"].isin(shown_ids)]).assign(
            outlet_group=lambda f: f["outlet"].map(group_of),
            distinctive_terms=lambda f: f[column_of].map(terms_of),
        ),
        rows=int(on_meeting["id"].isin(shown_ids).sum()),
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
            f"<sup>n = {n_a} and {counted(n_b, 'article')}</sup>",
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
    per = per_meeting(mine)
    if per.empty:
        st.info("This outlet or group covered no meeting in the selection.", icon=":material/info:")
        links.stop()
    starts = dict(zip(corpus.meetings["meeting"], corpus.meetings["start"], strict=True))
    per = per.assign(meeting_start=per["meeting"].map(starts)).sort_values(
        ["meeting_start", "published"], kind="mergesort"
    )
    picked_ids, picked_periods = layout.timeline(
        mine,
        corpus.meetings[corpus.meetings["meeting"].isin(per["meeting"])],
        catalogue=corpus.meetings,
        colours=page.colours,
        title="Its articles against the meetings",
        what=f"{value}'s dated articles",
        selection=mine_selection,
        key="mt_who_timeline",
        alt="Publication date of each of its articles, with the meeting dates as dotted lines",
    )
    if picked_ids or picked_periods:
        layout.table(
            tables.articles_behind(mine, cells=(), ids=picked_ids, periods=picked_periods),
            what="articles behind the selected points",
            selection=mine_selection,
            key="mt_who_drill",
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
    st.subheader("Meetings it ran nothing on")
    by_who = "outlet" if kind == "outlet" else "outlet_group"
    spots = blind_spots(articles, results.agenda, by=by_who)
    ignored = tables.ignored_meetings(
        spots[spots[by_who].astype(str) == value],
        corpus.meetings,
        names if kind == "outlet" else None,
    )
    if ignored.empty:
        st.caption("None: it covered every meeting that another one in the selection covered.")
    else:
        st.caption(
            f"Meetings other {'outlets' if kind == 'outlet' else 'groups'} of the selection "
            "covered and it did not: its blind spots."
        )
        layout.table(
            ignored,
            what=f"{value} meetings not covered",
            selection=mine_selection,
            key="mt_ignored",
        )
