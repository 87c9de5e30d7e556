"""Stance and framing: where each outlet stands on each actor, who it says won, what it covers."""

from __future__ import annotations

import streamlit as st

from dashboard import framing, layout

page = layout.start_page(
    "Stance and framing",
    "Per outlet: stance toward each actor, who it says came out ahead, its frames, the subjects "
    "it covers and leaves out, and whom it quotes. Click any bar or cell for the evidence.",
)
labels = framing.Labels.of(page.prepared, page.articles)
if labels.stance is None:
    st.info(
        "Stance and framing labels are not computed by this version of the analysis library.",
        icon=":material/info:",
    )
    st.stop()
