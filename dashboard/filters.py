"""The shared sidebar: filters that apply on every page and live in the URL, and "export all"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from analysis.corpus.articles import Corpus
from analysis.corpus.selection import Selection
from dashboard import links, tables
from dashboard.data import export_bundle, selected_articles

if TYPE_CHECKING:
    from analysis.pipeline.prepare import PreparedCorpus

__all__ = ["filters_in_words", "render_export", "render_filters", "show_filters_in_force"]


def _in_registry_order(registry: pd.DataFrame, present: pd.Series) -> list[str]:
    found = set(present.dropna().astype(str).unique())
    ordered = [key for key in registry["outlet"] if key in found]
    return ordered + sorted(found - set(ordered))


def _in_url(label: str, options: Sequence[Any], *, key: str, what: str, **more: Any) -> list[Any]:
    """A sidebar multiselect whose choice is kept in the page's URL (:mod:`dashboard.links`)."""
    return links.choices(st.multiselect, label, options, key=key, what=what, **more)


def _year_range(text: str, first: int, last: int) -> tuple[int, int]:
    """``2013-2015``, ``2015`` or ``2013,2015`` (older links) as a range within the corpus's."""
    parts = [int(part) for part in text.replace(",", "-").split("-") if part.strip()]
    if not 1 <= len(parts) <= 2:
        raise ValueError(f"not a year range: {text!r}")
    low, high = min(parts), max(parts)
    return max(first, min(low, last)), min(last, max(high, first))


def render_filters(corpus: Corpus) -> Selection:
    """Draw the sidebar filters and return the selection they describe.

    Each filter is kept in the URL (``f_outlet``, ``f_group``, ``f_meeting``,
    ``f_language`` by key, joined by commas; ``f_years`` as ``2013-2015``),
    so a link reproduces the view and survives a page switch. A filter left
    empty (every article) is left out of the URL.
    """
    articles = corpus.articles
    outlet_names = dict(zip(corpus.outlets["outlet"], corpus.outlets["name"], strict=True))
    meeting_titles = dict(zip(corpus.meetings["meeting"], corpus.meetings["title"], strict=True))
    meeting_labels = tables.meeting_labels(corpus.meetings)
    with st.sidebar:
        st.header("Filters")
        outlets = _in_url(
            "Outlets",
            _in_registry_order(corpus.outlets, articles["outlet"]),
            format_func=lambda key: outlet_names.get(key, key),
            key="f_outlet",
            what="outlet",
            placeholder="All outlets",
        )
        groups = _in_url(
            "Outlet groups",
            sorted(articles["outlet_group"].dropna().unique()),
            help="The analyst's groups from outlets.yaml (see the registry on the Overview page).",
            key="f_group",
            what="outlet group",
            placeholder="All groups",
        )
        meetings = _in_url(
            "Meetings",
            [*corpus.meetings["meeting"], "none"],
            format_func=lambda key: meeting_labels.get(key, key),
            help="'no meeting' selects articles that cover no meeting of the catalogue.",
            key="f_meeting",
            what="meeting",
            placeholder="All meetings",
        )
        if meetings:
            st.caption(
                " · ".join(meeting_titles.get(key, "no meeting") for key in meetings),
            )
        languages = _in_url(
            "Languages",
            sorted(articles["language"].dropna().unique()),
            key="f_language",
            what="language",
            placeholder="All languages",
        )
        years = articles["year"].dropna()
        year_range: tuple[int, int] | None = None
        if len(years) and years.min() < years.max():
            first, last = int(years.min()), int(years.max())
            chosen = links.value(
                st.slider,
                "Years",
                first,
                last,
                (first, last),
                key="f_years",
                what="year range",
                parse=lambda text: _year_range(text, first, last),
                text=lambda span: "" if tuple(span) == (first, last) else f"{span[0]}-{span[1]}",
            )
            if tuple(chosen) != (first, last):
                year_range = (int(chosen[0]), int(chosen[1]))
                st.caption("Undated articles are left out while a year range is set.")
    return Selection(
        outlets=tuple(outlets),
        groups=tuple(groups),
        years=year_range,
        meetings=tuple(meetings),
        languages=tuple(languages),
    )


def filters_in_words(selection: Selection, corpus: Corpus) -> str:
    """The filters in force as a reader knows them: outlet names and meeting labels, not keys."""
    return selection.describe(
        outlet_names=dict(zip(corpus.outlets["outlet"], corpus.outlets["name"], strict=True)),
        meeting_names=tables.meeting_labels(corpus.meetings),
    )


def show_filters_in_force(selection: Selection, corpus: Corpus, *, selected: int) -> None:
    """A caption saying which filters apply and how many articles they keep."""
    st.caption(
        f"Filters in force: {filters_in_words(selection, corpus)} — {selected} of "
        f"{len(corpus.articles)} articles."
    )


def render_export(
    corpus: Corpus, selection: Selection, prepare: Callable[[], PreparedCorpus]
) -> None:
    """The "export all" button: every table and the manifest, as ``narratives analyze`` writes.

    ``prepare`` is called only when the button is clicked, so a page that shows no
    analysis (the Corpus page) never waits for one.
    """
    chosen = selected_articles(corpus.articles, selection)
    outlets = chosen["outlet"].nunique()
    with st.sidebar:
        st.divider()
        st.subheader("Export all")
        reason = ""
        if chosen.empty:
            reason = "No article matches the filters."
        elif outlets < 2:
            reason = "The term contrasts need articles from at least two outlets."
        st.download_button(
            "Every table + manifest (zip)",
            (lambda: export_bundle(prepare(), selection)) if not reason else b"",
            file_name="narratives-analysis.zip",
            mime="application/zip",
            key="f_export_all",
            icon=":material/folder_zip:",
            on_click="ignore",
            disabled=bool(reason),
            help=reason
            or "The same files as `narratives analyze --out DIR` with these filters: "
            "articles, removed boilerplate, term contrasts by outlet, and manifest.json.",
        )
        if reason:
            st.caption(reason)
