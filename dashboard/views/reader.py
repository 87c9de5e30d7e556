"""Reader: one article — metadata and inferences, its cleaned text, and what cleaning removed."""

from __future__ import annotations

import streamlit as st

from analysis.corpus.types import list_text
from dashboard import colours, corrections, data, layout, links, tables, widgets
from dashboard.results import SelectionResults

#: The analyses whose evidence the Reader shows until the reader picks others.
FIRST_SHOWN = ("stance", "outcome")

page = layout.start_page(
    "Reader",
    "One article: its metadata and what was inferred, the cleaned text with the sentences behind "
    "its labels and your search terms highlighted, and the boilerplate cleaning took out.",
)
prepared, selection, articles = page.prepared, page.selection, page.articles
labels_by_id = tables.article_labels(articles)


def not_shown(article: str) -> str:
    """Why the article a link names is not shown."""
    if article in set(page.corpus.articles["id"].astype(str)):
        return (
            f"The link's article '{article}' is left out by the filters in force; "
            "widen them in the sidebar to read it."
        )
    return f"The link's article '{article}' is not in the corpus (removed or renamed?)."


article_id = links.choice(
    st.selectbox,
    "Article",
    list(labels_by_id),
    format_func=labels_by_id.__getitem__,
    key="rd_article",
    what="article",
    missing=not_shown,
    none_when_missing=True,
    placeholder="Pick an article",
)
if article_id is None:
    st.info("Pick an article above.", icon=":material/info:")
    links.stop()
article = articles[articles["id"] == article_id].iloc[0]
texts = data.article_row(prepared.articles, article_id)
results = SelectionResults.of(prepared, articles[articles["id"] == article_id])

st.subheader(layout.escape_markdown(article["title"]), anchor=False)
when = tables.date_text(article["published"])
st.caption(
    f"{layout.escape_markdown(article['outlet_name'])} "
    f"({layout.escape_markdown(article['outlet_group'])})"
    f" · {when} · {layout.escape_markdown(list_text(article['authors']) or 'no byline')}"
)
widgets.article_badges(results, article_id)

metadata = tables.article_metadata(article_id, article, when=when)
with st.expander("Metadata and inferences", expanded=False):
    layout.table(metadata, what=f"metadata {article_id}", selection=selection, key="rd_metadata")

terms_text = links.value(
    st.text_input,
    "Highlight terms (comma-separated)",
    key="rd_terms",
    what="terms",
    parse=str,
    placeholder="e.g. sanctions, regime change",
)
terms = [t.strip() for t in (terms_text or "").split(",") if t.strip()]
text = str(texts["text_clean"])
evidence = results.rows("evidence", article_id)
names = {
    "target": tables.target_names(results.stance),
    "frame": dict(zip(results.frames["frame"], results.frames["frame_name"], strict=True)),
    "source": dict(zip(results.sources["source"], results.sources["speaker"], strict=True)),
    "subject": dict(zip(results.agenda["subject"], results.agenda["subject_name"], strict=True)),
}
evidence = evidence.assign(
    shows=tables.evidence_kinds(evidence, names), kind=tables.evidence_keys(evidence)
)
label_colours = {**colours.STANCE_COLOURS, **colours.OUTCOME_COLOURS}
kind_colours = {
    kind: label_colours.get(
        str(label), layout.ANALYSIS_COLOURS.get(str(analysis), layout.EVIDENCE_COLOUR)
    )
    for kind, label, analysis in zip(
        evidence["shows"], evidence["label"], evidence["analysis"], strict=True
    )
}
# The URL holds each label's key (stance:russia:unfavorable); the widget shows its name.
kinds = dict(zip(evidence["kind"], evidence["shows"], strict=True))
first_shown = [
    kind
    for kind, analysis in zip(evidence["kind"], evidence["analysis"], strict=True)
    if analysis in FIRST_SHOWN
]


def evidence_picker(label: str, options: list[str], **more: object) -> list[str]:
    """A multiselect that starts on the stance and outcome evidence (when the URL names none)."""
    start = None if "rd_show" in st.session_state else list(dict.fromkeys(first_shown))
    return st.multiselect(label, options, default=start, **more)  # type: ignore[call-overload]


shown_kinds: list[str] = []
if kinds:
    shown_kinds = links.choices(
        evidence_picker,
        "Show the sentences behind",
        list(kinds),
        format_func=kinds.__getitem__,
        key="rd_show",
        what="evidence",
        placeholder="Pick labels to see the sentences behind them",
        help="Each sentence is tinted in its label's colour and followed by the labels it "
        "drives; the cue words that set the label are in bold.",
    )
shown = evidence[evidence["kind"].isin(shown_kinds)].drop(columns="kind")
spans, markers = tables.evidence_marks(text, shown)
spans = layout.term_spans(text, terms) + spans
st.markdown("**Cleaned text**")
st.caption(
    "Shown as plain text: nothing in it is run or rendered. "
    + (
        "Tinted and underlined: a sentence behind a label, followed by the labels it drives; "
        "bold: the cue words. "
        if not shown.empty
        else ""
    )
    + ("Yellow: your terms." if terms else "")
)
if text.strip():
    layout.highlighted_text(text, spans, colours=kind_colours, markers=markers)
else:
    st.info("Cleaning left no text in this article; see what was removed below.")

if not shown.empty:
    st.markdown("**Evidence behind the labels shown**")
    listed = shown[["shows", *(c for c in shown.columns if c not in ("article_id", "shows"))]]
    # A frame has no target and a subject no voice: an empty cell, not "None" (which is
    # how the table draws an empty category).
    text_columns = listed.select_dtypes(include=["object", "str", "category"]).columns
    listed = listed.assign(
        **{c: listed[c].astype(object).fillna("").astype(str) for c in text_columns}
    )
    layout.table(
        listed,
        what=f"evidence {article_id}",
        selection=selection,
        key="rd_evidence",
        column_config={
            "shows": "label it drives",
            "cue_words": "cue words",
            "sentence_start": "starts at",
            "sentence_end": "ends at",
        },
    )

removed = prepared.removed[prepared.removed["id"] == article_id]
st.markdown(f"**Removed by cleaning** ({len(removed)} passages)")
if removed.empty:
    st.caption("Nothing was removed.")
else:
    layout.table(
        removed[["line_start", "line_end", "rule", "reason", "text"]],
        what=f"removed boilerplate {article_id}",
        selection=selection,
        key="rd_removed",
    )
with st.expander("Text as published (raw)"):
    st.text(str(texts["text"]))

corrections.correction_form(article_id, results)
