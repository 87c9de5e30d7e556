"""Narratives dashboard entrypoint: page config, the shared sidebar, then the selected page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import links
from dashboard.data import CorpusUnavailableError, begin_run, get_corpus, get_prepared
from dashboard.filters import render_export, render_filters

#: The tab's icon, served by the dashboard itself: a ``:material/…:`` icon is fetched from
#: Google's font servers by every tab, which an offline analyst's browser cannot reach and
#: an analyst of sensitive coverage may not want told what they open.
ICON = Path(__file__).with_name("icon.svg")

st.set_page_config(page_title="Narratives", page_icon=str(ICON), layout="wide")

#: Each page and the prefix of its choices in the URL (see :mod:`dashboard.links`).
PAGES = [
    (st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
     "ov_"),
    (st.Page("views/attention.py", title="Attention over time", icon=":material/timeline:"),
     "at_"),
    (st.Page("views/search.py", title="Search", icon=":material/search:"), "se_"),
    (st.Page("views/meeting.py", title="Meeting side by side", icon=":material/view_column:"),
     "mt_"),
    (st.Page("views/contrasts.py", title="Term contrasts", icon=":material/bar_chart:"), "tc_"),
    (st.Page("views/stance.py", title="Stance and framing", icon=":material/balance:"), "sf_"),
    (st.Page("views/reader.py", title="Reader", icon=":material/article:"), "rd_"),
    (st.Page("views/corpus.py", title="Corpus", icon=":material/library_books:"), "co_"),
]  # fmt: skip
page = st.navigation([page for page, _ in PAGES])
links.begin_run(next(prefix for known, prefix in PAGES if known.title == page.title))
begin_run()
try:
    corpus = get_corpus()
except CorpusUnavailableError as err:
    st.error(str(err), icon=":material/error:")
    links.stop()
selection = render_filters(corpus)
st.session_state["selection"] = selection
if not corpus.articles.empty:
    render_export(corpus, selection, get_prepared)
page.run()
links.write_url()
