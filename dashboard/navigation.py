"""Moving between pages without losing the filters."""

from __future__ import annotations

import streamlit as st

__all__ = ["open_in_reader"]

READER_PAGE = "views/reader.py"


def open_in_reader(article_id: str) -> None:
    """Switch to the Reader showing ``article_id``, keeping the filters in the URL."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    params.pop("rd_article", None)
    st.session_state["rd_article"] = article_id
    st.switch_page(READER_PAGE, query_params=params)
