"""Correcting a label from the Reader: written to the corpus's overrides file by the library."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.review.hand_labels import OUTCOME_LABELS, OUTCOME_TARGET, RATED_STANCE_LABELS
from analysis.review.overrides import read_overrides, save_override
from dashboard import layout
from dashboard.data import corpus_dir, target_names
from dashboard.results import SelectionResults

__all__ = ["correction_form"]


def _current(results: SelectionResults, article_id: str, target: str) -> str:
    if target == OUTCOME_TARGET:
        rows = results.rows("outcome", article_id)
    else:
        rows = results.rows("stance", article_id)
        rows = rows[rows["target"] == target] if not rows.empty else rows
    return str(rows.iloc[0]["label"]) if not rows.empty else "not computed"


def correction_form(article_id: str, results: SelectionResults) -> None:
    """A form that saves one override (article, target or outcome, label, who, why)."""
    st.subheader("Correct a label", anchor=False)
    st.caption(
        "Your correction is written to overrides.csv in the corpus folder. It wins over the "
        "computed label on every page and in every export, and counts as a label in the "
        "evaluation."
    )
    targets = target_names()
    choices = {**targets, OUTCOME_TARGET: "Outcome of the meeting"}
    with st.container(border=True):
        columns = st.columns(2)
        target = columns[0].selectbox(
            "What", list(choices), format_func=choices.__getitem__, key="rd_fix_target"
        )
        options = OUTCOME_LABELS if target == OUTCOME_TARGET else RATED_STANCE_LABELS
        label = columns[1].selectbox("Correct label", list(options), key="rd_fix_label")
        st.caption(f"Now: '{layout.escape_markdown(_current(results, article_id, str(target)))}'.")
        who = columns[0].text_input("Your name", key="rd_fix_who")
        note = columns[1].text_input("Why (optional)", key="rd_fix_note")
        submitted = st.button("Save the correction", icon=":material/save:", key="rd_fix_save")
    if submitted:
        assert target is not None
        assert label is not None
        before = _current(results, article_id, target)
        try:
            save_override(
                corpus_dir(),
                article_id=article_id,
                target=target,
                label=label,
                who=who or "",
                note=note or "",
            )
        except ValueError as err:
            st.error(f"Not saved: {layout.escape_markdown(err)}", icon=":material/error:")
        else:
            st.success(
                f"Saved: {layout.escape_markdown(choices[target])} is now "
                f"'{layout.escape_markdown(label)}' (was '{layout.escape_markdown(before)}'). "
                "Every page now uses it.",
                icon=":material/check:",
            )
    overrides, problem = read_overrides(corpus_dir())
    if problem is not None:
        # The page's banner says what is wrong (layout.start_page).
        return
    mine = overrides[overrides["article_id"] == article_id]
    if not mine.empty:
        st.markdown("**Corrections of this article**")
        st.dataframe(
            pd.DataFrame(mine).drop(columns=["article_id"]), hide_index=True, key="rd_overrides"
        )
