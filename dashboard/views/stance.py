"""Stance and framing: where each outlet stands on each actor, who it says won, what it covers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from analysis.labels.agenda import agenda_matrix
from analysis.labels.frames import group_frames
from analysis.labels.sources import group_sources
from analysis.labels.stance import GROUP_LABELS, MIN_GROUP_ARTICLES, stance_by_group
from analysis.labels.summaries import most_quoted, outcome_counts
from analysis.review.hand_labels import OUTCOME_LABELS
from analysis.wording import counted
from dashboard import colours, figures, layout, links, tables
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
order = [names[k] for k in tables.in_order(corpus.outlets["outlet"], articles["outlet"])]
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


def outlet_matrix(
    cells: pd.DataFrame,
    *,
    category: str,
    category_title: str,
    analysis: str,
    topic: str,
    key: str,
    alt: str,
    category_order: list[str] | None = None,
    **figure: Any,
) -> None:
    """A matrix of the ``category`` values (rows) against the outlets (columns, with their
    number of articles), with the evidence of a click.

    Rows hold the long list (frames, sources) with their names written across;
    a clicked cell lists the ``analysis`` evidence of its outlet's articles with its label.
    """
    drawn = tables.matrix_labels(cells, names, category=category)
    wrapped = dict(zip(drawn[category], drawn["category_label"], strict=True))
    rows_order = list(dict.fromkeys(category_order or drawn[category]))
    state = layout.chart(
        figures.matrix_chart(
            drawn,
            x="outlet_label",
            y="category_label",
            x_title="Outlet (its articles)",
            y_title=category_title,
            x_order=[
                label
                for name in tables.in_order(order, drawn["outlet_name"])
                for label in dict.fromkeys(drawn.loc[drawn["outlet_name"] == name, "outlet_label"])
            ],
            y_order=[wrapped[c] for c in rows_order if c in wrapped],
            **figure,
        ),
        cells,
        what=f"{topic} per outlet",
        selection=selection,
        key=key,
        alt=alt,
    )

    def rows(point: list[str]) -> pd.DataFrame:
        ids = tables.outlet_articles(outlet_of, point[0])
        return evidence_for(ids, analysis=analysis, label=point[1])

    drill(state, rows, what=f"evidence {topic}", key=f"{key}_drill")
    layout.small_group_warning(
        dict(zip(drawn["outlet_name"], drawn["n_articles"].astype(int), strict=False)),
        minimum=MIN_GROUP_ARTICLES,
    )


# Only the open tab is computed: each one groups every selected article.
tabs = links.tab(
    ["Stance", "Outcome framing", "Frames", "Agenda", "Sources", "Stance over time"],
    key="sf_tab",
)

targets = tables.target_names(results.stance)
with tabs[0]:
    if tabs[0].open:
        target = str(
            links.choice(
                st.selectbox, "Toward", list(targets), format_func=targets.__getitem__,
                key="sf_target", what="stance target",
            )
        )  # fmt: skip
        groups = tables.stance_shares(
            stance_by_group(results.stance, articles, by="outlet"), target, names
        )
        small = tables.insufficient_outlets(groups)
        if len(small):
            st.warning(
                f"Insufficient evidence (fewer than {MIN_GROUP_ARTICLES} rated articles): "
                f"{layout.escape_markdown(', '.join(small))}. Their counts are shown; shares and "
                "intervals are not.",
                icon=":material/warning:",
            )
        state = layout.chart(
            figures.stance_bars(
                groups,
                title=f"Stance toward {targets[target]} per outlet (n = {counted(n, 'article')})",
                category_title="Outlet",
                label_order=GROUP_LABELS,
                category_order=order,
            ),
            groups,
            what=f"stance toward {target} per outlet",
            selection=selection,
            key="sf_stance",
            alt=f"Stacked bars of the stance toward {targets[target]} of each outlet's articles",
        )

        def stance_rows(point: list[str]) -> pd.DataFrame:
            ids = tables.labelled_articles(
                results.stance, outlet_of, point[0], target=target, label=point[1]
            )
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
            counts = counts.assign(outlet_name=counts["outlet"].map(names))
            state = layout.chart(
                figures.share_bars(
                    counts,
                    category="outlet_name",
                    label="label",
                    value="articles",
                    title="Who came out ahead, per outlet "
                    f"(n = {counted(len(outcome), 'article')} about a "
                    "meeting)",
                    category_title="Outlet",
                    value_title="Articles",
                    label_order=OUTCOME_LABELS,
                    colours=colours.OUTCOME_COLOURS,
                    legend_title="Outcome framing",
                    customdata=["outlet", "label"],
                    category_order=tables.in_order(order, counts["outlet_name"]),
                ),
                counts,
                what="outcome framing per outlet",
                selection=selection,
                key="sf_outcome",
                alt="Stacked bars of the outcome framing of each outlet's articles",
            )
            layout.small_group_warning(
                tables.articles_per_outlet(counts, names),
                minimum=MIN_GROUP_ARTICLES,
            )

            def outcome_rows(point: list[str]) -> pd.DataFrame:
                ids = tables.labelled_articles(outcome, outlet_of, point[0], label=point[1])
                return evidence_for(ids, analysis="outcome")

            drill(state, outcome_rows, what="evidence outcome framing", key="sf_outcome_drill")

with tabs[2]:
    if tabs[2].open:
        frames = group_frames(results.frames, articles, by="outlet")
        if frames.empty:
            st.info("No frame cue in the selected articles (or none in a supported language).")
        else:
            outlet_matrix(
                tables.in_percent(frames, names),
                analysis="frame",
                topic="frames",
                key="sf_frames",
                alt="Matrix of the share of each frame in each outlet's framing vocabulary",
                category="frame_name",
                category_title="Frame (Policy Frames Codebook)",
                value="percent",
                title="Share of each outlet's framing vocabulary per frame "
                f"(n = {counted(n, 'article')})",
                value_title="% of frame cues",
                hover={
                    "count": "Frame cues",
                    "articles_with_frame": "Articles with the frame",
                    "n_articles": "Articles with frame cues",
                },
                customdata=["outlet", "frame"],
            )

with tabs[3]:
    if tabs[3].open:
        agenda = agenda_matrix(results.agenda, articles, by="outlet")
        if agenda.empty:
            st.info("No article in a supported language: the agenda cannot be measured.")
        else:
            cells, silent = tables.agenda_cells(agenda, names)
            measured = int(agenda.groupby("outlet")["n_articles"].first().sum())
            if cells.empty:
                st.info("None of the selected articles mentions a subject of the list.")
            else:
                state = layout.chart(
                    figures.matrix_chart(
                        cells,
                        x="outlet_label",
                        y="subject_label",
                        value="percent",
                        title="Which subjects each outlet mentions "
                        f"(n = {counted(measured, 'article')} "
                        "in English)",
                        x_title="Outlet (its articles)",
                        y_title="Subject (most mentioned first)",
                        value_title="% of its articles",
                        text=("cell", "Its articles mentioning it"),
                        hover={"percent": "% of its articles"},
                        customdata=["outlet", "subject"],
                        x_order=list(dict.fromkeys(cells["outlet_label"])),
                        y_order=list(dict.fromkeys(cells["subject_label"])),
                        side=34,
                    ),
                    cells[["outlet_name", "subject_name", "articles_covering", "n_articles",
                           "percent"]],
                    what="agenda per outlet",
                    selection=selection,
                    key="sf_agenda",
                    alt="Matrix of the share of each outlet's articles that mention each subject",
                )  # fmt: skip

                def agenda_rows(point: list[str]) -> pd.DataFrame:
                    ids = tables.outlet_articles(outlet_of, point[0])
                    return evidence_for(ids, analysis="subject", label=point[1])

                drill(state, agenda_rows, what="evidence agenda", key="sf_agenda_drill")
                st.caption(
                    "Each cell: the outlet's articles that mention the subject, of its articles "
                    "in English; hollow: none of them mentions it. "
                    + (
                        "Mentioned by no selected article: "
                        + layout.escape_markdown(", ".join(silent))
                        + "."
                        if silent
                        else ""
                    )
                )
                layout.small_group_warning(
                    dict(zip(cells["outlet_name"], cells["n_articles"], strict=True)),
                    minimum=MIN_GROUP_ARTICLES,
                )

with tabs[4]:
    if tabs[4].open:
        cited = group_sources(results.sources, articles, by="outlet")
        if cited.empty:
            st.info("The selected articles quote or cite nobody the analysis recognises.")
        else:
            cited, top_sources = most_quoted(cited, n=15)
            outlet_matrix(
                cited.assign(outlet_name=cited["outlet"].map(names)),
                analysis="source",
                topic="sources",
                key="sf_sources",
                alt="Matrix of how often each outlet quotes each source",
                category="speaker",
                category_title="Quoted or cited (most quoted first)",
                value="count",
                title="Whom each outlet quotes or cites "
                f"(n = {counted(n, 'article')}; 15 most quoted)",
                value_title="Quotations",
                hover={"articles_citing": "Articles quoting", "n_articles": "Articles"},
                customdata=["outlet", "source"],
                category_order=top_sources,
            )

with tabs[5]:
    if tabs[5].open:
        time_target = links.choice(
            st.selectbox, "Toward", list(targets), format_func=targets.__getitem__,
            key="sf_time_target", what="stance target",
        )  # fmt: skip
        meeting_names = tables.meeting_labels(corpus.meetings)
        over_time = tables.stance_over_time(
            results.stance, articles, str(time_target), meeting_names=meeting_names
        )
        if over_time.empty:
            st.info("No dated article takes a stance toward this target.")
        else:
            state = layout.chart(
                figures.values_over_time(
                    over_time,
                    x="published",
                    y="score",
                    series="outlet_name",
                    segment="meeting",
                    title=f"Stance toward {targets[str(time_target)]} over time "
                    f"(n = {len(over_time):,} dated articles that mention it)",
                    x_title="Publication date",
                    y_title="Stance score",
                    y_range=(-1.0, 1.0),
                    y_ticks={-1.0: "−1 unfavorable", -0.5: "−0.5", 0.0: "0 neutral",
                             0.5: "+0.5", 1.0: "+1 favorable"},
                    colours=page.colours,
                    customdata=["article_id"],
                    hover={"title": "Headline", "meeting_name": "Meeting", "label": "Stance"},
                ),
                over_time[["published", "outlet_name", "meeting_name", "title", "label", "score",
                           "confidence", "article_id"]],
                what=f"stance toward {time_target} over time",
                selection=selection,
                key="sf_time",
                link_fields=1,
                alt="Stance score of each article over time, one series per outlet; lines join "
                "an outlet's articles on the same meeting only",
            )  # fmt: skip
            st.caption(
                "One point per article. A line joins an outlet's articles about the same "
                "meeting only; articles about different meetings are not one trend."
            )
            layout.small_group_warning(
                {str(k): int(v) for k, v in over_time["outlet_name"].value_counts().items()},
                minimum=MIN_GROUP_ARTICLES,
            )

            def time_rows(point: list[str]) -> pd.DataFrame:
                return evidence_for({point[0]}, analysis="stance", target=str(time_target))

            drill(state, time_rows, what="evidence stance over time", key="sf_time_drill")
