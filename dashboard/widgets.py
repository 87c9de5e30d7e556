"""Widgets that show the selected articles' labels: badges, an outlet's details, two outlets
side by side, and the evidence behind a click. Pages call them; the tables come from
:mod:`dashboard.tables`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis.corpus.selection import Selection
from analysis.labels.summaries import agenda_side_by_side, speaker_counts, stance_side_by_side
from dashboard import layout, tables
from dashboard.colours import LABEL_BADGE_COLOURS
from dashboard.navigation import open_in_reader
from dashboard.results import BadgeRows, SelectionResults, badge_rows, key_sentences

__all__ = ["article_badges", "article_drill", "evidence_drill", "outlet_details", "side_by_side"]


def _escape(value: object) -> str:
    return layout.escape_markdown(value)


def article_badges(
    results: SelectionResults, article_id: str, *, rows: BadgeRows | None = None
) -> None:
    """One badge per stance target and one for the outcome framing of an article.

    ``rows`` are the article's rows when the caller took them for several
    articles at once (:func:`dashboard.results.badge_rows`).
    """
    stance, outcome = rows if rows is not None else badge_rows(results, [article_id])[article_id]
    if not stance and not outcome:
        return
    with st.container(horizontal=True, gap="small"):
        for row in stance:
            name = row.get("target_name", row["target"])
            mark = " ✎" if row.get("source") == "override" else ""
            st.badge(
                f"{_escape(name)}: {_escape(row['label'])}{mark}",
                color=LABEL_BADGE_COLOURS.get(str(row["label"]), "gray"),  # type: ignore[arg-type]
                help=f"score {row.get('score', float('nan')):.2f}, "
                f"confidence {row.get('confidence', float('nan')):.2f}"
                + (" — corrected by the analyst" if mark else ""),
            )
        for row in outcome:
            if row["label"] == "":
                continue
            st.badge(
                f"Outcome: {_escape(row['label'])}",
                color=LABEL_BADGE_COLOURS.get(str(row["label"]), "gray"),  # type: ignore[arg-type]
                icon=":material/emoji_events:",
                help=str(row.get("reason", "")) or None,
            )


def outlet_details(
    results: SelectionResults,
    articles: pd.DataFrame,
    *,
    omitted: pd.DataFrame | None = None,
    sentences: pd.DataFrame | None = None,
    others: str = "outlets",
) -> None:
    """Whom the articles quote, which subjects they cover (and omit), and key sentences.

    ``sentences`` are these articles' key sentences when the caller took them
    for several outlets at once (:func:`dashboard.results.key_sentences`);
    ``others`` says whom the ``omitted`` subjects were covered by.
    """
    ids = list(articles["id"])
    quoted = results.rows_for("sources", ids)
    st.markdown("**Quotes or cites**")
    if quoted.empty:
        st.caption("Nobody.")
    else:
        counts = speaker_counts(quoted)
        st.caption(", ".join(f"{_escape(name)} ({n})" for name, n in counts.items()))
    agenda = results.rows_for("agenda", ids)
    covered = agenda[agenda["status"] == "ok"]["subject_name"].drop_duplicates()
    st.markdown("**Covers**")
    st.caption(", ".join(map(_escape, covered)) or "none of the tracked subjects")
    if omitted is not None and not omitted.empty:
        st.markdown(f"**Leaves out** (covered by other {others} on this meeting)")
        st.caption(", ".join(map(_escape, omitted["subject_name"].drop_duplicates())))
    if sentences is None:
        sentences = key_sentences(results, articles.assign(_all=""), by="_all").get("")
    if sentences is not None and not sentences.empty:
        st.markdown("**Key sentences**")
        for _, row in sentences.iterrows():
            st.caption(f"{_escape(_evidence_kind(row))} — cue: {_escape(row['cue_words'])}")
            st.text(str(row["sentence"]))


def _evidence_kind(row: pd.Series) -> str:
    for column in ("analysis", "task"):
        if column in row.index and row[column]:
            label = row.get("label", row.get("target", ""))
            return f"{row[column]}: {label}"
    return "evidence"


def side_by_side(
    results: SelectionResults,
    articles: pd.DataFrame,
    a: str,
    b: str,
    *,
    names: dict[str, str],
    selection: Selection,
) -> None:
    """Stance and agenda of outlets A and B on one meeting, row by row."""
    groups = {names[o]: set(articles.loc[articles["outlet"] == o, "id"]) for o in (a, b)}
    for topic, rows in (
        ("stance", stance_side_by_side(results.stance, groups)),
        ("agenda", agenda_side_by_side(results.agenda, groups)),
    ):
        st.subheader(f"{topic.capitalize()}, row by row")
        layout.table(
            rows,
            what=f"{topic} {names[a]} vs {names[b]}",
            selection=selection,
            key=f"mt_pair_{topic}",
        )


def article_drill(articles: pd.DataFrame, *, what: str, selection: Selection, key: str) -> None:
    """The list of some articles, a row of which opens in the Reader."""
    st.markdown(f"**Articles behind your selection** ({len(articles)})")
    listed = tables.article_list(articles)
    state = layout.table(
        listed,
        what=what,
        selection=selection,
        key=key,
        select_rows=True,
        column_config={"outlet_name": "outlet", "outlet_group": "group"},
    )
    rows = layout.selected_rows(state)
    if rows:
        chosen = listed.iloc[rows[0]]
        if st.button("Open in the Reader", key=f"{key}_open", icon=":material/article:"):
            open_in_reader(str(chosen["id"]))
    else:
        st.caption("Select a row to open the article in the Reader.")


def evidence_drill(
    state: object,
    build: Callable[[list[str]], pd.DataFrame],
    *,
    what: str,
    key: str,
    selection: Selection,
) -> None:
    """Below a chart: the evidence behind the clicked bars or cells (``build`` takes a point)."""
    points = layout.selected_points(state)
    if not points:
        st.caption("Click a bar, cell or point to see the sentences behind it.")
        return
    frames = [build(point) for point in points]
    shown = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    st.markdown(f"**Evidence behind your selection** ({len(shown)} sentences)")
    if shown.empty:
        st.caption("No sentence: the label comes from the absence of cues.")
    else:
        layout.table(shown, what=what, selection=selection, key=key)
