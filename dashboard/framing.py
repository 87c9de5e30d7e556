"""Stance, outcome, frames, agenda and sources as the Meeting and Reader pages show them.

The tables come from the prepared corpus (computed once by the library, with
the analyst's overrides applied); this module only picks the selected
articles' rows and lays them out. When the prepared corpus carries no such
table (an older library), every function says so once instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from analysis.pipeline import PreparedCorpus
from analysis.selection import Selection
from dashboard import layout

__all__ = [
    "LABEL_BADGE_COLOURS",
    "Labels",
    "across_meetings",
    "aligned",
    "article_badges",
    "article_summary",
    "outlet_details",
    "summary_table",
]

#: Streamlit badge colours per stance label: blue and orange stay apart for colour-blind readers.
LABEL_BADGE_COLOURS = {
    "favorable": "blue",
    "unfavorable": "orange",
    "neutral": "gray",
    "not mentioned": "gray",
    "unsupported language": "violet",
}
_TABLES = ("stance", "outcome", "frames", "agenda", "sources", "evidence")


@dataclass(frozen=True)
class Labels:
    """The per-article label tables of the selected articles (None when not computed)."""

    stance: pd.DataFrame | None
    outcome: pd.DataFrame | None
    frames: pd.DataFrame | None
    agenda: pd.DataFrame | None
    sources: pd.DataFrame | None
    evidence: pd.DataFrame | None

    @classmethod
    def of(cls, prepared: PreparedCorpus, articles: pd.DataFrame) -> Labels:
        ids = set(articles["id"])
        picked: dict[str, Any] = {}
        for name in _TABLES:
            frame = getattr(prepared, name, None)
            if isinstance(frame, pd.DataFrame) and "article_id" in frame.columns:
                picked[name] = frame[frame["article_id"].isin(ids)]
            else:
                picked[name] = None
        return cls(**picked)

    def rows(self, name: str, article_id: str) -> pd.DataFrame:
        frame = getattr(self, name)
        if frame is None:
            return pd.DataFrame()
        return frame[frame["article_id"] == article_id]


def _escape(value: object) -> str:
    return layout.escape_markdown(value)


def article_badges(labels: Labels, article_id: str) -> None:
    """One badge per stance target and one for the outcome framing of an article."""
    stance = labels.rows("stance", article_id)
    outcome = labels.rows("outcome", article_id)
    if stance.empty and outcome.empty:
        return
    with st.container(horizontal=True, gap="small"):
        for _, row in stance.iterrows():
            name = row.get("target_name", row["target"])
            mark = " ✎" if row.get("source") == "override" else ""
            st.badge(
                f"{_escape(name)}: {_escape(row['label'])}{mark}",
                color=LABEL_BADGE_COLOURS.get(str(row["label"]), "gray"),  # type: ignore[arg-type]
                help=f"score {row.get('score', float('nan')):.2f}, "
                f"confidence {row.get('confidence', float('nan')):.2f}"
                + (" — corrected by the analyst" if mark else ""),
            )
        for _, row in outcome[outcome["label"] != ""].iterrows():
            st.badge(
                f"Outcome: {_escape(row['label'])}",
                color="violet",
                icon=":material/emoji_events:",
                help=str(row.get("reason", "")) or None,
            )


def article_summary(labels: Labels, article_id: str) -> dict[str, str]:
    """Stance per target and outcome of one article, as columns of a summary table."""
    summary: dict[str, str] = {}
    for _, row in labels.rows("stance", article_id).iterrows():
        summary[f"stance_{row['target']}"] = str(row["label"])
    outcome = labels.rows("outcome", article_id)
    if not outcome.empty:
        summary["outcome"] = str(outcome.iloc[0]["label"]) or "covers no meeting"
    return summary


def outlet_details(
    labels: Labels, articles: pd.DataFrame, *, omitted: pd.DataFrame | None = None
) -> None:
    """Whom the articles quote, which subjects they cover (and omit), and key sentences."""
    ids = set(articles["id"])
    if labels.sources is not None:
        quoted = labels.sources[labels.sources["article_id"].isin(ids)]
        st.markdown("**Quotes or cites**")
        if quoted.empty:
            st.caption("Nobody.")
        else:
            counts = quoted.groupby("speaker")["count"].sum().sort_values(ascending=False)
            st.caption(", ".join(f"{_escape(name)} ({n})" for name, n in counts.items()))
    if labels.agenda is not None:
        agenda = labels.agenda[labels.agenda["article_id"].isin(ids)]
        covered = agenda[agenda["status"] == "ok"]["subject_name"].drop_duplicates()
        st.markdown("**Covers**")
        st.caption(", ".join(map(_escape, covered)) or "none of the tracked subjects")
        if omitted is not None and not omitted.empty:
            st.markdown("**Leaves out** (covered by other outlets on this meeting)")
            st.caption(", ".join(map(_escape, omitted["subject_name"].drop_duplicates())))
    if labels.evidence is not None:
        evidence = labels.evidence[labels.evidence["article_id"].isin(ids)]
        if not evidence.empty:
            st.markdown("**Key sentences**")
            # Stance and outcome sentences say the most about the framing; frame and
            # subject cues only count words.
            strongest = evidence.assign(
                labelled=evidence["analysis"].isin(["stance", "outcome"]),
                strength=evidence["weight"].abs(),
            ).sort_values(["labelled", "strength"], ascending=False, kind="mergesort")
            for _, row in strongest.drop_duplicates("sentence").head(3).iterrows():
                st.caption(f"{_escape(_evidence_kind(row))} — cue: {_escape(row['cue_words'])}")
                st.text(str(row["sentence"]))


def _evidence_kind(row: pd.Series) -> str:
    for column in ("analysis", "task"):
        if column in row.index and row[column]:
            label = row.get("label", row.get("target", ""))
            return f"{row[column]}: {label}"
    return "evidence"


def aligned(
    labels: Labels,
    articles: pd.DataFrame,
    a: str,
    b: str,
    *,
    names: dict[str, str],
    selection: Selection,
) -> None:
    """Stance and agenda of outlets A and B on one meeting, row by row."""
    if labels.stance is None and labels.agenda is None:
        st.caption("Stance and agenda are not computed by this version of the library.")
        return
    ids = {o: set(articles.loc[articles["outlet"] == o, "id"]) for o in (a, b)}
    if labels.stance is not None:
        stance = labels.stance
        rows = []
        for target in dict.fromkeys(stance["target"]):
            row = {"target": target}
            for outlet in (a, b):
                chosen = stance[
                    (stance["target"] == target) & stance["article_id"].isin(ids[outlet])
                ]
                row[names[outlet]] = "; ".join(chosen["label"].astype(str)) or "—"
            rows.append(row)
        st.subheader("Stance, row by row")
        layout.table(
            pd.DataFrame(rows),
            what=f"stance {names[a]} vs {names[b]}",
            selection=selection,
            key="mt_pair_stance",
        )
    if labels.agenda is not None:
        agenda = labels.agenda[labels.agenda["status"] == "ok"]
        subjects = list(dict.fromkeys(agenda["subject_name"]))
        rows = []
        for subject in subjects:
            row = {"subject": subject}
            for outlet in (a, b):
                hit = agenda[
                    (agenda["subject_name"] == subject) & agenda["article_id"].isin(ids[outlet])
                ]
                row[names[outlet]] = "covers" if len(hit) else "—"
            rows.append(row)
        st.subheader("Agenda, row by row")
        layout.table(
            pd.DataFrame(rows, columns=["subject", names[a], names[b]]),
            what=f"agenda {names[a]} vs {names[b]}",
            selection=selection,
            key="mt_pair_agenda",
        )


def summary_table(labels: Labels, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article: metadata, stance per target and outcome framing."""
    table = articles[["outlet", "outlet_name", "id", "title", "published", "authors"]]
    table = table.reset_index(drop=True)
    if labels.stance is not None:
        stance = labels.stance[labels.stance["article_id"].isin(table["id"])]
        wide = stance.pivot(index="article_id", columns="target", values="label")
        wide.columns = [f"stance_{c}" for c in wide.columns]
        table = table.merge(wide, left_on="id", right_index=True, how="left")
    if labels.outcome is not None:
        outcome = labels.outcome.set_index("article_id")["label"]
        table = table.assign(outcome=table["id"].map(outcome).replace("", "covers no meeting"))
    return table


def across_meetings(labels: Labels, per_meeting: pd.DataFrame) -> pd.DataFrame:
    """One row per meeting and article of an outlet, with its outcome and stance labels."""
    shown = per_meeting[["meeting", "published", "outlet_name", "title", "id"]].reset_index(
        drop=True
    )
    extra = [article_summary(labels, str(article_id)) for article_id in shown["id"]]
    return pd.concat([shown, pd.DataFrame(extra, index=shown.index)], axis=1)
