"""The shared sidebar: filters that apply on every page and live in the URL."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.corpus import Corpus
from analysis.selection import Selection

__all__ = ["render_filters", "show_filters_in_force"]


def _labels(frame: pd.DataFrame, key: str, label: str) -> dict[str, str]:
    return dict(zip(frame[key], frame[label], strict=True))


def render_filters(corpus: Corpus) -> Selection:
    """Draw the sidebar filters and return the selection they describe.

    Each filter is bound to a URL query parameter (``f_outlet``, ``f_group``,
    ``f_meeting``, ``f_language``, ``f_years``) holding the labels shown, so a
    link reproduces the view and survives a page switch.
    """
    articles = corpus.articles
    outlet_names = _labels(corpus.outlets, "outlet", "name")
    with st.sidebar:
        st.header("Filters")
        outlets = st.multiselect(
            "Outlets",
            sorted(articles["outlet"].unique()),
            format_func=lambda key: outlet_names.get(key, key),
            key="f_outlet",
            bind="query-params",
            placeholder="All outlets",
        )
        groups = st.multiselect(
            "Outlet groups",
            sorted(articles["outlet_group"].unique()),
            key="f_group",
            bind="query-params",
            placeholder="All groups",
        )
        meetings = st.multiselect(
            "Meetings",
            [*corpus.meetings["meeting"], "none"],
            help="'none' selects articles that cover no meeting of the catalogue.",
            key="f_meeting",
            bind="query-params",
            placeholder="All meetings",
        )
        languages = st.multiselect(
            "Languages",
            sorted(articles["language"].unique()),
            key="f_language",
            bind="query-params",
            placeholder="All languages",
        )
        years = articles["year"].dropna()
        year_range: tuple[int, int] | None = None
        if len(years) and years.min() < years.max():
            first, last = int(years.min()), int(years.max())
            chosen = st.slider(
                "Years", first, last, (first, last), key="f_years", bind="query-params"
            )
            if tuple(chosen) != (first, last):
                year_range = (int(chosen[0]), int(chosen[1]))
    return Selection(
        outlets=tuple(outlets),
        groups=tuple(groups),
        years=year_range,
        meetings=tuple(meetings),
        languages=tuple(languages),
    )


def show_filters_in_force(selection: Selection, *, selected: int, total: int) -> None:
    """A caption saying which filters apply and how many articles they keep."""
    st.caption(f"Filters in force: {selection.describe()} — {selected} of {total} articles.")
