"""Stance and framing: where each outlet stands on each actor, who it says won, what it covers."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis.labels.agenda import agenda_matrix
from analysis.labels.frames import group_frames
from analysis.labels.sources import group_sources
from analysis.labels.stance import MIN_GROUP_ARTICLES, stance_by_group
from analysis.labels.summaries import most_quoted, outcome_counts
from analysis.review.hand_labels import OUTCOME_LABELS, STANCE_LABELS
from dashboard import colours, figures, layout, tables
from dashboard import results as selected
from dashboard.widgets import evidence_drill

page = layout.start_page(
    "Stance and framing",
    "Per outlet: stance toward each actor, who it says came out of the meeting ahead, its "
    "frames, the subjects it covers and leaves out, and whom it quotes. Click any bar, cell or "
    "point for the sentences behind it.",
)
corpus, selection, articles = page.corpus, page.selection, page.articles
results = selected.SelectionResults.of(page.prepared, articles)
names = dict(zip(corpus.outlets["outlet"], corpus.outlets["name"], strict=True))
present = set(articles["outlet"])
order = [names[k] for k in corpus.outlets["outlet"] if k in present]
n = len(articles)
outlet_of = dict(zip(articles["id"].tolist(), articles["outlet"].tolist(), strict=True))


def evidence_for(article_ids: set[str], *, analysis: str, **match: str) -> pd.DataFrame:
    return selected.evidence_for(
        results, article_ids, analysis=analysis, outlet_of=outlet_of, names=names, match=match
    )


def drill(
    state: object, build: Callable[[list[str]], pd.DataFrame], *, what: str, key: str
) -> None:
    evidence_drill(state, build, what=what, key=key, selection=selection)


# Only the open tab is computed: each one groups every selected article.
tabs = st.tabs(
    ["Stance", "Outcome framing", "Frames", "Agenda", "Sources", "Stance over time"],
    key="sf_tab",
    on_change="rerun",
    bind="query-params",
)

named = results.stance[["target", "target_name"]].drop_duplicates("target")
targets = dict(zip(named["target"], named["target_name"], strict=True))
with tabs[0]:
    if tabs[0].open:
        target = st.selectbox(
            "Toward", list(targets), format_func=targets.__getitem__, key="sf_target",
            bind="query-params",
        )  # fmt: skip
        assert target is not None
        groups = tables.stance_shares(
            stance_by_group(results.stance, articles, by="outlet"), target, names
        )
        small = groups[groups["status"] != "ok"]["outlet_name"].unique()
        if len(small):
            st.warning(
                f"Insufficient evidence (fewer than {MIN_GROUP_ARTICLES} rated articles): "
                f"{layout.escape_markdown(', '.join(small))}. Their counts are shown; shares and "
                "intervals are not.",
                icon=":material/warning:",
            )
        state = layout.chart(
            figures.share_bars(
                groups,
                category="outlet_name",
                label="label",
                value="articles",
                title=f"Stance toward {targets[target]} per outlet (n = {n} articles)",
                category_title="Outlet",
                value_title="Articles",
                label_order=STANCE_LABELS,
                colours=colours.STANCE_COLOURS,
                customdata=["group", "label"],
                hover=["share_text", "status"],
                category_order=order,
            ),
            groups,
            what=f"stance toward {target} per outlet",
            selection=selection,
            key="sf_stance",
            alt=f"Stacked bars of the stance toward {targets[target]} of each outlet's articles",
        )

        def stance_rows(point: list[str]) -> pd.DataFrame:
            outlet, label = point[0], point[1]
            chosen = results.stance[
                (results.stance["target"] == target) & (results.stance["label"] == label)
            ]
            ids = {a for a in chosen["article_id"] if outlet_of.get(a) == outlet}
            return evidence_for(ids, analysis="stance", target=target)

        drill(state, stance_rows, what=f"evidence stance toward {target}", key="sf_stance_drill")

with tabs[1]:
    if tabs[1].open:
        outcome = results.outcome[results.outcome["label"] != ""]
        if outcome.empty:
            st.info(
                "None of the selected articles covers a meeting, so none has an outcome framing."
            )
        else:
            counts = outcome_counts(outcome, outlet_of)
            counts["outlet_name"] = counts["outlet"].map(names)
            state = layout.chart(
                figures.share_bars(
                    counts,
                    category="outlet_name",
                    label="label",
                    value="articles",
                    title=f"Who came out ahead, per outlet (n = {len(outcome)} articles about a "
                    "meeting)",
                    category_title="Outlet",
                    value_title="Articles",
                    label_order=OUTCOME_LABELS,
                    colours=colours.OUTCOME_COLOURS,
                    customdata=["outlet", "label"],
                    category_order=[o for o in order if o in set(counts["outlet_name"])],
                ),
                counts,
                what="outcome framing per outlet",
                selection=selection,
                key="sf_outcome",
                alt="Stacked bars of the outcome framing of each outlet's articles",
            )
            layout.small_group_warning(
                {names[k]: int(v) for k, v in counts.groupby("outlet")["articles"].sum().items()},
                minimum=MIN_GROUP_ARTICLES,
            )

            def outcome_rows(point: list[str]) -> pd.DataFrame:
                chosen = outcome[outcome["label"] == point[1]]
                ids = {a for a in chosen["article_id"] if outlet_of.get(a) == point[0]}
                return evidence_for(ids, analysis="outcome")

            drill(state, outcome_rows, what="evidence outcome framing", key="sf_outcome_drill")

with tabs[2]:
    if tabs[2].open:
        frames = group_frames(results.frames, articles, by="outlet")
        if frames.empty:
            st.info("No frame cue in the selected articles (or none in a supported language).")
        else:
            frames = tables.in_percent(frames, names)
            state = layout.chart(
                figures.matrix_chart(
                    frames,
                    x="frame_name",
                    y="outlet_name",
                    value="percent",
                    title=f"Share of each outlet's framing vocabulary per frame (n = {n} articles)",
                    x_title="Frame (Policy Frames Codebook)",
                    y_title="Outlet",
                    value_title="% of frame cues",
                    hover=["count", "articles_with_frame", "n_articles"],
                    customdata=["outlet", "frame"],
                    y_order=[o for o in order if o in set(frames["outlet_name"])],
                ),
                frames,
                what="frames per outlet",
                selection=selection,
                key="sf_frames",
                alt="Matrix of the share of each frame in each outlet's framing vocabulary",
            )

            def frame_rows(point: list[str]) -> pd.DataFrame:
                ids = {a for a, o in outlet_of.items() if o == point[0]}
                return evidence_for(ids, analysis="frame", label=point[1])

            drill(state, frame_rows, what="evidence frames", key="sf_frames_drill")

with tabs[3]:
    if tabs[3].open:
        agenda = agenda_matrix(results.agenda, articles, by="outlet")
        if agenda.empty:
            st.info("No article in a supported language: the agenda cannot be measured.")
        else:
            agenda = tables.in_percent(agenda, names)
            state = layout.chart(
                figures.matrix_chart(
                    agenda,
                    x="subject_name",
                    y="outlet_name",
                    value="percent",
                    title=f"Which subjects each outlet covers (n = {n} articles); "
                    "hollow = left out",
                    x_title="Subject",
                    y_title="Outlet",
                    value_title="% of its articles",
                    hover=["articles_covering", "n_articles"],
                    customdata=["outlet", "subject"],
                    x_order=list(dict.fromkeys(agenda["subject_name"])),
                    y_order=[o for o in order if o in set(agenda["outlet_name"])],
                ),
                agenda,
                what="agenda per outlet",
                selection=selection,
                key="sf_agenda",
                alt="Matrix of the share of each outlet's articles that cover each subject",
            )

            def subject_rows(point: list[str]) -> pd.DataFrame:
                ids = {a for a, o in outlet_of.items() if o == point[0]}
                return evidence_for(ids, analysis="subject", label=point[1])

            drill(state, subject_rows, what="evidence agenda", key="sf_agenda_drill")

with tabs[4]:
    if tabs[4].open:
        cited = group_sources(results.sources, articles, by="outlet")
        if cited.empty:
            st.info("The selected articles quote or cite nobody the analysis recognises.")
        else:
            cited, top_sources = most_quoted(cited, n=15)
            cited = cited.assign(outlet_name=cited["outlet"].map(names))
            state = layout.chart(
                figures.matrix_chart(
                    cited,
                    x="speaker",
                    y="outlet_name",
                    value="count",
                    title=f"Whom each outlet quotes or cites (n = {n} articles; 15 most quoted)",
                    x_title="Quoted or cited",
                    y_title="Outlet",
                    value_title="Quotations",
                    hover=["articles_citing", "n_articles"],
                    customdata=["outlet", "source"],
                    x_order=top_sources,
                    y_order=[o for o in order if o in set(cited["outlet_name"])],
                ),
                cited,
                what="sources per outlet",
                selection=selection,
                key="sf_sources",
                alt="Matrix of how often each outlet quotes each source",
            )

            def source_rows(point: list[str]) -> pd.DataFrame:
                ids = {a for a, o in outlet_of.items() if o == point[0]}
                return evidence_for(ids, analysis="source", label=point[1])

            drill(state, source_rows, what="evidence sources", key="sf_sources_drill")

with tabs[5]:
    if tabs[5].open:
        time_target = st.selectbox(
            "Toward", list(targets), format_func=targets.__getitem__, key="sf_time_target",
            bind="query-params",
        )  # fmt: skip
        over_time = tables.stance_over_time(results.stance, articles, str(time_target))
        if over_time.empty:
            st.info("No dated article takes a stance toward this target.")
        else:
            state = layout.chart(
                figures.values_over_time(
                    over_time,
                    x="published",
                    y="score",
                    series="outlet_name",
                    title=f"Stance toward {targets[str(time_target)]} over time "
                    f"(n = {len(over_time)} dated articles that mention it)",
                    x_title="Publication date",
                    y_title="Stance score (−1 unfavorable … +1 favorable)",
                    colours=page.colours,
                    customdata=["article_id"],
                    hover=["title", "label"],
                ),
                over_time[["published", "outlet_name", "title", "label", "score", "confidence",
                           "article_id"]],
                what=f"stance toward {time_target} over time",
                selection=selection,
                key="sf_time",
                alt="Stance score of each article over time, one line per outlet",
            )  # fmt: skip

            def time_rows(point: list[str]) -> pd.DataFrame:
                return evidence_for({point[0]}, analysis="stance", target=str(time_target))

            drill(state, time_rows, what="evidence stance over time", key="sf_time_drill")
