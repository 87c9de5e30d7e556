"""Term contrasts: which words and phrases set one group of articles apart from another."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from analysis.measures.contrast_schema import MIN_GROUP_ARTICLES
from analysis.measures.contrasts import collapse_nested_terms
from analysis.measures.kwic import sort_by_context
from analysis.pipeline.prepare import AnalysisOptions
from analysis.wording import counted
from dashboard import colours, data, figures, layout, links, tables

GROUPINGS = {
    "outlet": "Outlet",
    "outlet_group": "Outlet group",
    "meeting": "Meeting (first one covered)",
    "year": "Year",
    "language": "Language",
}
MODES = ("One against the rest", "A against B")
PRIORS = (100.0, 300.0, 1000.0, 3000.0, 10000.0)
PRIOR_SOURCES = {
    "selection": "All selected articles",
    "pair": "A's and B's articles only",
}
KWIC_ORDERS = {"date": "Date", "left": "Left context", "right": "Right context"}
#: Words on each side of a term counted for its collocates.
COLLOCATE_WINDOW = 5
#: Terms kept per group and direction for the charts; enough for the scatter, bounded at 10k.
KEPT_TERMS = 250

page = layout.start_page(
    "Term contrasts",
    "Words and phrases one group of articles uses far more than another, ranked by a "
    "log-odds z-score with an informative prior (|z| > 1.96: unlikely to be chance). "
    "Click a bar or point to read the term in context.",
)
selection, articles = page.selection, page.articles
names = dict(zip(page.corpus.outlets["outlet"], page.corpus.outlets["name"], strict=True))

controls = st.columns([1, 1, 2])
by = links.choice(
    controls[0].selectbox,
    "Group articles by",
    list(GROUPINGS),
    format_func=GROUPINGS.__getitem__,
    key="tc_by",
    what="grouping",
)
assert by is not None
mode = links.choice(controls[1].radio, "Compare", MODES, key="tc_mode", what="comparison")
values = sorted(articles[by].dropna().astype(str).unique())


def in_options(value: float, options: Sequence[float]) -> float:
    """``value`` if it is one of ``options`` (a value from a link)."""
    if value not in options:
        raise ValueError(f"{value} is not one of the choices")
    return value


def label(value: str) -> str:
    return names.get(value, value) if by == "outlet" else value


if len(values) < 2:
    st.info(
        f"Term contrasts need at least two groups; the filters leave "
        f"{len(values)} ({', '.join(map(label, values)) or 'none'}) when grouping by "
        f"{GROUPINGS[by].lower()}. Widen the filters or group by something else.",
        icon=":material/info:",
    )
    links.stop()

with controls[2]:
    if mode == MODES[0]:
        group = links.choice(
            st.selectbox, "Group", values, format_func=label, key="tc_group", what="group"
        )
        other = None
    else:
        pair = st.columns(2)
        group = links.choice(
            pair[0].selectbox, "A", values, format_func=label, key="tc_a", what="group"
        )
        others = [v for v in values if v != group]
        other = links.choice(
            pair[1].selectbox, "B", others, format_func=label, key="tc_b", what="group"
        )
assert group is not None

with st.expander("Phrase length, prior and number of terms"):
    settings = st.columns(4)
    max_words = links.value(
        settings[0].select_slider,
        "Longest phrase (words)",
        [1, 2, 3],
        value=3,
        key="tc_words",
        what="longest phrase",
        parse=lambda text: in_options(int(text), [1, 2, 3]),
    )
    prior = links.value(
        settings[1].select_slider,
        "Prior strength α₀ (pseudo-tokens)",
        PRIORS,
        value=1000.0,
        format_func=lambda v: f"{v:,.0f}",
        help="Larger: rare terms need more evidence to rank high. 1,000 is about one article.",
        key="tc_prior",
        what="prior strength",
        parse=lambda text: in_options(float(text.replace(",", "")), PRIORS),
        text=lambda v: f"{v:.0f}",
    )
    top = links.value(
        settings[2].slider,
        "Terms per side",
        5,
        40,
        15,
        key="tc_top",
        what="number of terms",
        parse=lambda text: in_options(int(text), range(5, 41)),
    )
    prior_from = "selection"
    if other is not None:
        prior_from = str(
            links.choice(
                settings[3].radio, "Prior's term frequencies from", list(PRIOR_SOURCES),
                format_func=PRIOR_SOURCES.__getitem__, key="tc_prior_from", what="prior",
                help="A's and B's only: articles of other groups change nothing in this "
                "comparison. All selected: every comparison shares one prior.",
            )
        )  # fmt: skip

prepared = data.get_prepared(AnalysisOptions(prior_total=float(prior), max_words=int(max_words)))
compare = (group, other) if other is not None else None
try:
    frame = data.contrasts(
        prepared, selection, by=by, compare=compare, top=KEPT_TERMS, prior=prior_from
    )
except ValueError as err:
    st.info(f"These articles cannot be contrasted: {err}", icon=":material/info:")
    links.stop()
# "anti-missile" and "anti-missile defence" are not listed again beside "anti-missile
# defence system" when they never occur outside it.
shown = collapse_nested_terms(tables.group_rows(frame, group))
if shown.empty:
    st.info(
        f"{label(group)} has no term to contrast (its articles have no words left after cleaning).",
        icon=":material/info:",
    )
    links.stop()

first = shown.iloc[0]
group_label = label(group)
other_label = "the rest" if other is None else label(other)
n_group, n_other = int(first["group_articles"]), int(first["other_articles"])
colour = page.colours.get(group, colours.OKABE_ITO[0]) if by == "outlet" else colours.OKABE_ITO[0]
if first["small_reason"]:
    st.warning(
        f"Small sample ({layout.escape_markdown(first['small_reason'])}; the minimum is "
        f"{MIN_GROUP_ARTICLES} articles). A term may top the list because of one article's "
        "topic; terms marked '1 article' come from a single article.",
        icon=":material/warning:",
    )

prior_articles = n_group + n_other if prior_from == "pair" else len(articles)
st.caption(
    f"Prior: α₀ = {float(prior):,.0f} pseudo-tokens spread over the terms as often as they "
    f"occur in {PRIOR_SOURCES[prior_from].lower()} ({prior_articles} articles). "
    f"{layout.escape_markdown(figures.ONE_ARTICLE.strip(' ·'))}: all of a term's occurrences "
    "on its side come from one article (hollow points in the scatter)."
)
significant = int((shown["z"].abs() > figures.Z_THRESHOLD).sum())
if significant == 0:
    st.info(
        f"No term reaches |z| > {figures.Z_THRESHOLD} (p < 0.05): no word or phrase sets "
        f"{layout.escape_markdown(group_label)} apart from {layout.escape_markdown(other_label)} "
        "beyond what chance would give. The terms below are the closest, not real differences.",
        icon=":material/info:",
    )
else:
    st.caption(
        f"{significant} of the {len(shown)} terms kept reach |z| > {figures.Z_THRESHOLD} "
        "(p < 0.05, dotted lines)."
    )

bars = tables.term_bars(shown, group, n=int(top))
sizes = f"n = {counted(n_group, 'article')} of {group_label} vs {n_other} of {other_label}"
# Both charts colour and name the two sides alike.
sides = {"colour": colour, "group_label": group_label, "other_label": other_label}
# One chart above the other: side by side, long outlet names would cut their titles.
bar_state = layout.chart(
    figures.term_bars(
        bars,
        title=f"What sets {group_label} apart from {other_label}<br><sup>{sizes}</sup>",
        **sides,
    ),
    bars,
    what=f"top terms {group_label} vs {other_label}",
    selection=selection,
    key="tc_bars",
    link_fields=1,
    alt=f"Diverging bars of the terms most typical of {group_label} and of {other_label}",
)
search = (
    links.value(
        st.text_input,
        "Find a term",
        key="tc_search",
        what="term",
        parse=str,
        placeholder="e.g. sanctions",
    )
    .strip()
    .lower()
)
scatter_state = layout.chart(
    figures.term_scatter(
        shown,
        title=f"How often against how distinctive<br><sup>{sizes}</sup>",
        **sides,
        highlight=search,
    ),
    shown,
    what=f"term frequency and z {group_label} vs {other_label}",
    selection=selection,
    key="tc_scatter",
    link_fields=1,
    alt="Scatter of each term's occurrences against its z-score",
)
if search and search not in set(shown["term"]):
    st.caption(
        f"'{layout.escape_markdown(search)}' is not among the {len(shown)} terms kept for "
        f"this comparison (the {KEPT_TERMS} most distinctive on each side); its keyword in "
        "context is still listed below."
    )

st.subheader("Characteristic terms")
map_state = layout.chart(
    figures.characteristic_terms(
        shown,
        title=f"How often each term is used in {group_label} and in {other_label}"
        f"<br><sup>{sizes}; terms of largest |z| named where there is room</sup>",
        group_label=group_label,
        other_label=other_label,
    ),
    shown,
    what=f"characteristic terms {group_label} vs {other_label}",
    selection=selection,
    key="tc_map",
    link_fields=1,
    alt=f"Scatter of each term's frequency in {group_label} against {other_label}, coloured by z",
)
st.caption(
    f"Below the dotted diagonal: used more by {layout.escape_markdown(group_label)}; above it: "
    f"by {layout.escape_markdown(other_label)}. Points on a dashed line are never used by that "
    "side. Click a point to read the term in context."
)

clicked = [
    row[0]
    for row in layout.selected_points(bar_state)
    + layout.selected_points(scatter_state)
    + layout.selected_points(map_state)
]
term = clicked[-1] if clicked else search
# With A against B, only A's and B's articles are listed (not the rest of the selection).
compared = (group, other) if other is not None else ()
st.subheader("Keyword in context")
if not term:
    st.caption("Click a bar or a point, or type a term above, to see it in the articles.")
else:
    kwic: pd.DataFrame | None
    try:
        kwic = data.keyword_in_context(prepared, selection, term=term)
    except ValueError as err:
        st.info(str(err), icon=":material/info:")
        kwic = None
    if kwic is not None and compared:
        in_pair = set(articles.loc[articles[by].astype(str).isin(compared), "id"])
        kwic = kwic[kwic["id"].isin(in_pair)].reset_index(drop=True)
    if kwic is not None and kwic.empty:
        st.info(f"'{layout.escape_markdown(term)}' does not occur in the compared articles.")
    elif kwic is not None:
        kwic = tables.named_occurrences(kwic, names)
        per_outlet = tables.occurrences_per_outlet(kwic)
        st.caption(
            f"'{layout.escape_markdown(term)}': {len(kwic)} occurrences in "
            f"{kwic['id'].nunique()} articles — "
            + ", ".join(f"{layout.escape_markdown(k)} {v}" for k, v in per_outlet.items())
        )
        order = links.choice(
            st.radio, "Sort by", list(KWIC_ORDERS), format_func=KWIC_ORDERS.__getitem__,
            key="tc_sort", what="order", horizontal=True,
            help="Left or right context: by the word nearest the term, then the next one out.",
        )  # fmt: skip
        if order in ("left", "right"):
            kwic = sort_by_context(kwic, side=order)
        lines = tables.concordance_lines(kwic)
        layout.concordance(
            lines,
            what=f"keyword in context {term}",
            selection=selection,
            key="tc_kwic",
            about=["outlet_name", "title", "published"],
        )

        st.subheader("Collocates")
        found = data.collocates(prepared, selection, term=term, by=by, groups=compared)
        found = found.assign(group=found["group"].map(label))
        st.caption(
            f"Words within {COLLOCATE_WINDOW} words of '{layout.escape_markdown(term)}' in each "
            f"{GROUPINGS[by].lower()}, ranked by log-likelihood (G²; above 3.84, p < 0.05; "
            "above 10.83, p < 0.001), with log Dice (at most 14; comparable across groups of "
            "different sizes) and the counts behind both. Stopwords are left out; a collocate "
            "must occur twice near the term."
        )
        if found.empty:
            st.info(
                f"No word occurs twice near '{layout.escape_markdown(term)}' more often than "
                "chance would have it.",
                icon=":material/info:",
            )
        else:
            layout.table(
                found.groupby("group", sort=False).head(15).reset_index(drop=True),
                what=f"collocates {term}",
                selection=selection,
                key="tc_collocates",
                column_config={
                    "group": GROUPINGS[by],
                    "log_likelihood": st.column_config.NumberColumn(
                        "log-likelihood", format="%.2f"
                    ),
                    "log_dice": st.column_config.NumberColumn("log Dice", format="%.2f"),
                    "expected": st.column_config.NumberColumn("expected", format="%.2f"),
                },
            )

with st.expander("All contrast columns for this comparison"):
    st.caption(
        "z: log-odds z-score; count and docs: occurrences and articles on each side; "
        "tfidf_diff: the same contrast by TF-IDF, without uncertainty; one article only: all "
        "the term's occurrences on that side come from one article; small_reason: why a "
        "side is too small to trust."
    )
    layout.table(
        shown,
        what=f"term contrasts {group_label} vs {other_label}",
        selection=selection,
        key="tc_all",
        column_config={
            "single_article": f"one article only ({group_label})",
            "single_article_other": f"one article only ({other_label})",
        },
    )
