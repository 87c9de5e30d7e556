"""Narratives dashboard entrypoint: page config, the shared sidebar, then the selected page."""

from __future__ import annotations

import streamlit as st

from dashboard.data import get_corpus
from dashboard.filters import render_filters

st.set_page_config(page_title="Narratives", page_icon=":material/compare:", layout="wide")

pages = [
    st.Page("views/corpus.py", title="Corpus", icon=":material/library_books:", default=True),
]
page = st.navigation(pages)
st.session_state["selection"] = render_filters(get_corpus())
page.run()
