"""Corpus page: what is in the corpus, its validation report, and each article's text."""

from __future__ import annotations

import streamlit as st

from analysis.export import to_csv_bytes
from analysis.selection import filter_articles
from dashboard.data import get_corpus
from dashboard.filters import show_filters_in_force

corpus = get_corpus()
selection = st.session_state["selection"]
st.title("Corpus")
articles = filter_articles(corpus.articles, selection)
show_filters_in_force(selection, selected=len(articles), total=len(corpus.articles))

errors = corpus.errors
if corpus.problems:
    label = f"Validation: {len(errors)} errors, {len(corpus.problems) - len(errors)} warnings"
    with st.expander(label, expanded=bool(errors)):
        if errors:
            st.error("Files with errors are left out of every analysis until they are fixed.")
        st.dataframe(
            [
                {
                    "severity": p.severity,
                    "file": p.file,
                    "line": p.line,
                    "field": p.field,
                    "problem": p.message,
                }
                for p in corpus.problems
            ],
            hide_index=True,
        )
else:
    st.success(f"All {len(corpus.articles)} articles pass validation.", icon=":material/check:")

st.subheader("Articles")
if articles.empty:
    st.info("No article matches the filters. Widen them in the sidebar.")
else:
    shown = articles[
        [
            "id",
            "title",
            "outlet_name",
            "outlet_group",
            "published",
            "date_precision",
            "authors",
            "meetings",
            "language",
            "url",
            "notes",
        ]
    ]
    st.dataframe(
        shown,
        hide_index=True,
        column_config={
            "outlet_name": "outlet",
            "outlet_group": "group",
            "published": st.column_config.DateColumn("published", format="YYYY-MM-DD"),
            "date_precision": "date known to",
            "url": st.column_config.LinkColumn("url"),
        },
        key="corpus_articles",
    )
    st.download_button(
        f"Download these {len(shown)} articles (CSV)",
        to_csv_bytes(articles.drop(columns=["text"])),
        file_name="narratives-articles.csv",
        mime="text/csv",
        key="corpus_download_articles",
    )

    st.subheader("Read an article")
    titles = dict(zip(articles["id"], articles["title"], strict=True))
    chosen = st.selectbox(
        "Article", list(titles), format_func=lambda key: titles[key], key="corpus_article"
    )
    row = articles.set_index("id").loc[chosen]
    st.markdown(
        f"**{row['outlet_name']}** · {row['published']:%Y-%m-%d} · {row['authors'] or 'no byline'}"
        if row["date_precision"] != "unknown"
        else f"**{row['outlet_name']}** · undated"
    )
    st.caption("Text as published, shown as plain text (nothing in it is run or rendered).")
    st.text(row["text"])

st.subheader("Outlet registry")
st.dataframe(corpus.outlets, hide_index=True, key="corpus_outlets")
st.download_button(
    "Download the outlet registry (CSV)",
    to_csv_bytes(corpus.outlets),
    file_name="narratives-outlets.csv",
    mime="text/csv",
    key="corpus_download_outlets",
)
st.subheader("Meetings")
st.dataframe(corpus.meetings, hide_index=True, key="corpus_meetings")
