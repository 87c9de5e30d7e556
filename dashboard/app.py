"""Narratives dashboard entrypoint: page config, the shared sidebar, then the selected page."""

from __future__ import annotations

import streamlit as st

from dashboard.data import CorpusUnavailableError, get_corpus, get_prepared
from dashboard.filters import render_export, render_filters

st.set_page_config(page_title="Narratives", page_icon=":material/compare:", layout="wide")

pages = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/meeting.py", title="Meeting side by side", icon=":material/view_column:"),
    st.Page("views/contrasts.py", title="Term contrasts", icon=":material/bar_chart:"),
    st.Page("views/stance.py", title="Stance and framing", icon=":material/balance:"),
    st.Page("views/reader.py", title="Reader", icon=":material/article:"),
    st.Page("views/corpus.py", title="Corpus", icon=":material/library_books:"),
]
page = st.navigation(pages)
try:
    corpus = get_corpus()
except CorpusUnavailableError as err:
    st.error(str(err), icon=":material/error:")
    st.stop()
selection = render_filters(corpus)
st.session_state["selection"] = selection
if not corpus.articles.empty:
    render_export(corpus, selection, get_prepared)
page.run()
