"""Building blocks every page uses: tables and charts with their CSV, notes and warnings.

Text that comes from articles or uploads is only ever passed to
``st.dataframe``, ``st.text``, ``st.code`` or, escaped, to
:func:`highlighted_text`; captions built here escape Markdown first, so a
``<script>`` or a ``[link](javascript:...)`` in a title shows as typed.
"""

from __future__ import annotations

import datetime
import html
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.corpus.articles import Corpus
from analysis.corpus.selection import Selection
from analysis.pipeline.safe_csv import to_csv_bytes
from analysis.review.overrides import overrides_warning
from analysis.wording import counted, counted_are
from dashboard import exports, figures, links, tables, vega
from dashboard.colours import outlet_colours
from dashboard.data import (
    CorpusUnavailableError,
    corpus_dir,
    get_corpus,
    get_prepared,
    overrides_problem,
    selected_articles,
    store_notes,
)
from dashboard.filters import filters_in_words, show_filters_in_force
from dashboard.vega import VegaChart

if TYPE_CHECKING:
    from analysis.pipeline.prepare import PreparedCorpus

__all__ = [
    "ANALYSIS_COLOURS",
    "EVIDENCE_COLOUR",
    "NOTHING_SELECTED",
    "NO_ARTICLE_YET",
    "PageContext",
    "caption",
    "chart",
    "concordance",
    "csv_name",
    "date_columns",
    "download_csv",
    "download_figure",
    "escape_markdown",
    "evidence_badge",
    "highlighted_text",
    "page_label",
    "paged_table",
    "selected_points",
    "selected_rows",
    "small_group_warning",
    "start_page",
    "table",
    "term_spans",
]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&\"'])")


def escape_markdown(text: object) -> str:
    """``text`` with every Markdown and HTML special character escaped, for ``st.markdown``."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def csv_name(what: str, selection: Selection) -> str:
    """A file name that says what the table is and which filters made it."""
    filters = [
        ("outlet", selection.outlets),
        ("group", selection.groups),
        ("meeting", selection.meetings),
        ("language", selection.languages),
    ]
    parts = [f"{name}-{'-'.join(values)}" for name, values in filters if values]
    if selection.years:
        parts.append(f"years-{selection.years[0]}-{selection.years[1]}")
    described = _slug("_".join(parts)) if parts else "all-articles"
    return f"narratives_{_slug(what)}_{described[:120]}.csv"


def download_csv(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    *,
    what: str,
    selection: Selection,
    key: str,
    rows: int | None = None,
) -> None:
    """A button that downloads ``frame`` as formula-safe CSV, named after what it is.

    The label is short ("Download CSV (12 rows)", "(1 row)") so a narrow page never cuts
    it; what the table is goes into its tooltip and the file name.

    The CSV is written only when the button is clicked: written on every
    rerun, even small tables took about a tenth of the Overview's rerun.
    ``frame`` may also be a function that builds the table: it is then called
    only on a click, and ``rows`` is its number of rows.
    """
    data: Callable[[], bytes]
    if callable(frame):
        if rows is None:
            raise TypeError("a table built on a click needs its number of rows")
        build = frame
        data = lambda: to_csv_bytes(build())  # noqa: E731
    else:
        rows = len(frame)
        table = frame
        data = lambda: to_csv_bytes(table)  # noqa: E731
    name = csv_name(what, selection)
    st.download_button(
        f"Download CSV ({counted(rows, 'row')})",
        data,
        file_name=name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
        help=f"{what[:1].upper()}{what[1:]}: {counted(rows, 'row')} as {name}",
    )


def table(
    frame: pd.DataFrame,
    *,
    what: str,
    selection: Selection,
    key: str,
    column_config: Mapping[str, Any] | None = None,
    select_rows: bool = False,
    height: int | None = None,
) -> Any:
    """``frame`` as a table with a CSV download of exactly those rows and columns.

    With ``select_rows`` a click on a row selects it; the returned state's
    ``selection.rows`` holds its position.
    """
    options: dict[str, Any] = {
        "hide_index": True,
        "column_config": {**date_columns(frame), **(column_config or {})},
        "key": key,
    }
    if height:
        options["height"] = height
    if select_rows:
        options.update(on_select="rerun", selection_mode="single-row")
    state = st.dataframe(frame, **options)
    download_csv(frame, what=what, selection=selection, key=f"{key}_csv")
    return state


#: The most rows a long list shows at once (see :func:`paged_table`).
PAGE_ROWS = 500


def page_label(start: int, total: int, rows: int) -> str:
    """How a page of ``rows`` rows from row ``start`` is named in its select box and the URL.

    "501–1,000 of 10,000"; a page of one row, "10,001 of 10,001".
    """
    last = min(start + rows, total)
    shown = f"{start + 1:,}" if last == start + 1 else f"{start + 1:,}–{last:,}"
    return f"{shown} of {total:,}"


def paged_table(
    frame: pd.DataFrame,
    *,
    what: str,
    selection: Selection,
    key: str,
    rows: int | None = None,
    **options: Any,
) -> tuple[pd.DataFrame, Any]:
    """:func:`table` of at most ``rows`` rows of ``frame`` at a time, the page picked above it.

    A list of tens of thousands of rows is slow to send and draw, and no one
    reads it whole: the page shown is in the URL (``KEY_page``), the CSV under
    the table holds exactly the rows shown, and a second button gives every
    row of ``frame`` (written only when clicked). Returns the rows shown and
    the table's state; a selected row's position is within the rows shown.
    ``rows`` is :data:`PAGE_ROWS` unless given.
    """
    rows = PAGE_ROWS if rows is None else rows
    if len(frame) <= rows:
        return frame, table(frame, what=what, selection=selection, key=key, **options)
    total = len(frame)
    start = links.choice(
        st.selectbox,
        f"{what[:1].upper()}{what[1:]} shown",
        list(range(0, total, rows)),
        key=f"{key}_page",
        what="page of the list",
        format_func=lambda first: page_label(first, total, rows),
    )
    start = start or 0
    shown = frame.iloc[start : start + rows].reset_index(drop=True)
    last = min(start + rows, total)
    state = table(shown, what=f"{what}, rows {start + 1}-{last} of {total}",
                  selection=selection, key=key, **options)  # fmt: skip
    download_csv(frame, what=f"{what}, all {total}", selection=selection, key=f"{key}_all_csv")
    return shown, state


_CELL = "padding:2px 6px;border-bottom:1px solid rgba(128,128,128,0.25);vertical-align:top"
# A flex row aligned to its end overflows, and is clipped, on its start side: the left
# context keeps the words next to the keyword and loses the far ones.
# The far ends fade out, so a word the column cuts reads as going on, not as a typo.
_LEFT = (
    "display:flex;justify-content:flex-end;overflow:hidden;white-space:nowrap;"
    "mask-image:linear-gradient(to right,transparent,#000 2.5em)"
)
_RIGHT = (
    "overflow:hidden;white-space:nowrap;mask-image:linear-gradient(to left,transparent,#000 2.5em)"
)


def concordance(
    kwic: pd.DataFrame,
    *,
    what: str,
    selection: Selection,
    key: str,
    about: Sequence[str],
    height: int = 460,
) -> None:
    """Keyword-in-context lines with the keyword in a middle column, and their CSV.

    ``kwic`` has ``left``, ``match`` and ``right``; the ``about`` columns (the
    outlet, the headline, the date) are written one under the other in the
    first column, the first in bold. Everything is escaped. The left context
    is right-aligned and clipped on its far side, so the words next to the
    keyword always show; the CSV holds exactly ``kwic``.
    """
    rows = []
    for values in kwic.to_dict("records"):
        lines = [html.escape(str(values[column])) for column in about]
        info = "<br>".join(
            [f"<b>{lines[0]}</b>", *(f'<small style="opacity:0.8">{x}</small>' for x in lines[1:])]
        )
        rows.append(
            f'<tr><td style="{_CELL}">{info}</td>'
            f'<td style="{_CELL};max-width:0"><div style="{_LEFT}">'
            f"<span>{html.escape(str(values['left']))}</span></div></td>"
            f'<td style="{_CELL};text-align:center;white-space:nowrap;font-weight:700">'
            f"{html.escape(str(values['match']))}</td>"
            f'<td style="{_CELL};max-width:0"><div style="{_RIGHT}">'
            f"{html.escape(str(values['right']))}</div></td></tr>"
        )
    head = (
        f'<th style="{_CELL};text-align:left;width:24%">article</th>'
        f'<th style="{_CELL};text-align:right;width:30%">left</th>'
        f'<th style="{_CELL};text-align:center;width:16%">keyword</th>'
        f'<th style="{_CELL};text-align:left;width:30%">right</th>'
    )
    st.html(
        f'<div data-testid="narratives-kwic" style="max-height:{height}px;overflow:auto;'
        'border:1px solid rgba(128,128,128,0.35);border-radius:0.5rem">'
        '<table style="width:100%;border-collapse:collapse;table-layout:fixed;font-size:0.9rem;'
        'line-height:1.35">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    download_csv(kwic, what=what, selection=selection, key=f"{key}_csv")


def date_columns(frame: pd.DataFrame) -> dict[str, Any]:
    """A ``YYYY-MM-DD`` column setting for each date column of ``frame`` (not ``00:00:00``)."""
    return {
        str(column): st.column_config.DateColumn(str(column), format="YYYY-MM-DD")
        for column in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[column])
    }


def chart(
    figure: go.Figure | VegaChart,
    data: pd.DataFrame,
    *,
    what: str,
    selection: Selection,
    key: str,
    alt: str,
    link_fields: int = 2,
) -> dict[str, Any]:
    """A Plotly or Vega-Lite chart that reports clicks, with a CSV of the numbers drawn in it.

    The clicked points are kept in the URL (their first ``link_fields`` values
    of ``customdata``, or of a Vega-Lite chart's ``fields``), so a link opens
    the same drill-down; the returned state holds them as ``selection.points``
    whether they come from a click or the link.
    """
    if isinstance(figure, VegaChart):
        drawn = st.vega_lite_chart(
            spec=figure.for_streamlit(),
            key=key,
            on_select="rerun",
            selection_mode=[vega.PICK],
            alt=alt,
            width="stretch",
        )
        clicks = vega.picked(drawn, figure.fields)
    else:
        state = st.plotly_chart(
            figure,
            key=key,
            on_select="rerun",
            selection_mode="points",
            alt=alt,
            config={"displaylogo": False},
        )
        clicks = plotly_points(state)
    with st.container(horizontal=True, gap="small"):
        download_csv(data, what=what, selection=selection, key=f"{key}_csv")
        download_figure(figure, what=what, selection=selection, key=key)
    points = links.clicked(key, clicks, fields=link_fields)
    return {"selection": {"points": [{"customdata": point} for point in points]}}


def timeline(
    articles: pd.DataFrame,
    meetings: pd.DataFrame,
    *,
    catalogue: pd.DataFrame,
    colours: Mapping[str, str],
    title: str,
    what: str,
    selection: Selection,
    key: str,
    alt: str,
) -> tuple[set[str], set[tuple[str, str]]]:
    """The timeline of ``articles`` against ``meetings`` (:func:`figures.articles_timeline`),
    as :func:`chart` draws it, then a caption counting the undated articles left off it.

    ``title`` is followed by the count of dated articles; the CSV holds what is
    drawn: the dated articles (``what``), or on a crowded timeline each point's
    outlet, period and count (``what`` per outlet and period). Meetings are
    numbered as in the ``catalogue``. Returns the ids and the periods of the
    clicked points (:func:`dashboard.tables.timeline_picks`).
    """
    dated = articles[articles["published"].notna()]
    points, period = tables.timeline_points(dated)
    state = chart(
        figures.articles_timeline(
            articles,
            meetings,
            labels=tables.meeting_labels(catalogue),
            colours=colours,
            title=f"{title} (n = {counted(len(dated), 'dated article')})",
            drawn=(points, period),
        ),
        points[["outlet_name", "start", "articles"]] if period else tables.article_list(dated),
        what=f"{what} per outlet and {period}" if period else what,
        selection=selection,
        key=key,
        link_fields=2,
        alt=alt,
    )
    undated = len(articles) - len(dated)
    if undated:
        st.caption(f"{counted_are(undated, 'undated article')} not on the timeline.")
    return tables.timeline_picks(selected_points(state))


def caption(selection: Selection) -> str:
    """What a published chart says under it: filters, sample, corpus version, date, maker."""
    corpus = get_corpus()
    selected = len(selected_articles(corpus.articles, selection))
    return (
        f"Filters: {filters_in_words(selection, corpus)} · "
        f"n = {selected:,} of {len(corpus.articles):,} articles\n"
        f"Corpus {corpus.fingerprint[:12]} · {datetime.date.today():%Y-%m-%d} · "
        "made with Narratives"
    )


def download_figure(
    figure: go.Figure | VegaChart, *, what: str, selection: Selection, key: str
) -> None:
    """Buttons that download ``figure`` as PNG and SVG, with :func:`caption` written under it.

    The captioned copy is made, and the file drawn, only when its button is
    clicked (:mod:`dashboard.exports`): making the copy on every rerun cost
    30-50 ms a chart (Plotly validates the whole layout again).
    """
    text = caption(selection)
    name = csv_name(what, selection).removesuffix(".csv")

    def drawn(file_format: str) -> Callable[[], bytes]:
        return lambda: exports.figure_bytes(figures.with_caption(figure, text), file_format)

    for file_format, mime in exports.FORMATS.items():
        st.download_button(
            file_format.upper(),
            drawn(file_format),
            file_name=f"{name}.{file_format}",
            mime=mime,
            key=f"{key}_{file_format}",
            icon=":material/image:",
            on_click="ignore",
            help=f"The chart as {file_format.upper()}, with the filters, sample size, corpus "
            "version and date written under it.",
        )


def selected_points(state: Any) -> list[list[Any]]:
    """The ``customdata`` of every point selected in a chart (empty when none)."""
    try:
        points = state["selection"]["points"]
    except (KeyError, TypeError):
        return []
    chosen = []
    for point in points:
        data = point.get("customdata")
        if data is None:
            continue
        chosen.append(list(data) if isinstance(data, list | tuple) else [data])
    return chosen


def plotly_points(state: Any) -> list[list[Any]]:
    """:func:`selected_points` of a Plotly chart, its texts as the data names them.

    The figures escape the markup characters of texts they put in ``customdata``
    (``&`` as ``&amp;``, so a hover shows them as written), and a click gives
    back the escaped text: a group named "Think tanks & NGOs" came back as
    "Think tanks &amp; NGOs" and matched no article.
    """
    return [
        [html.unescape(value) if isinstance(value, str) else value for value in point]
        for point in selected_points(state)
    ]


def selected_rows(state: Any) -> list[int]:
    """Row positions selected in a table (empty when none)."""
    try:
        return list(state["selection"]["rows"])
    except (KeyError, TypeError):
        return []


def small_group_warning(sizes: Mapping[str, int], *, minimum: int, what: str = "articles") -> None:
    """Warn about every group with fewer than ``minimum`` articles; say nothing otherwise."""
    small = {name: n for name, n in sizes.items() if n < minimum}
    if not small:
        return
    listed = ", ".join(f"{escape_markdown(name)} ({n})" for name, n in sorted(small.items()))
    st.warning(
        f"Small samples — fewer than {minimum} {what}: {listed}. "
        "Differences for these may reflect one article's topic rather than the outlet's habits.",
        icon=":material/warning:",
    )


_TERM_STYLE = "background:#F0E442;color:#000;padding:0 2px;border-radius:2px"
_CUE_STYLE = "font-weight:700;text-decoration:underline;text-decoration-thickness:2px"
#: The underline of an evidence sentence whose label has no colour of its own.
EVIDENCE_COLOUR = "#0072B2"
#: Evidence of the analyses whose labels have no colour of their own (Paul Tol's muted
#: scheme: none of them is an outlet's or a stance or outcome label's).
ANALYSIS_COLOURS = {"frame": "#117733", "subject": "#44AA99", "source": "#882255"}


def _text_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (``#RRGGBB``)."""
    red, green, blue = (int(colour.lstrip("#")[k : k + 2], 16) for k in (0, 2, 4))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#FFFFFF"


def _evidence_style(colour: str) -> str:
    # A translucent tint keeps the theme's own text colour readable on light and dark pages.
    return (
        f"background:{colour}33;color:inherit;border-bottom:3px solid {colour};padding-bottom:1px"
    )


def evidence_badge(kind: str, colour: str) -> str:
    """A small label written after an evidence sentence: what it drives, in its colour."""
    return (
        f'<span data-kind="{html.escape(kind, quote=True)}" style="background:{colour};'
        f"color:{_text_on(colour)};border-radius:3px;padding:0 4px;margin:0 2px;"
        f'font-size:0.72em;white-space:nowrap;vertical-align:super">{html.escape(kind)}</span>'
    )


def highlighted_text(
    text: str,
    spans: Iterable[tuple[int, int, str]],
    *,
    colours: Mapping[str, str] | None = None,
    markers: Mapping[int, Sequence[str]] | None = None,
    height: int = 520,
) -> None:
    """The text with ``(start, end, kind)`` spans marked, everything in it escaped.

    ``kind`` is ``"term"`` (a searched word, marked yellow), ``"cue"`` (a cue
    word, bold and underlined) or ``"evidence:<label>"`` (a sentence behind a
    label, tinted and underlined in ``colours[<label>]``); a term inside a
    sentence is marked as a term. ``markers`` maps an offset to the labels
    written there as badges (after the sentence that drives them).
    """
    colours = dict(colours or {})
    markers = dict(markers or {})
    spans = list(spans)
    boundaries = {0, len(text), *(m for m in markers if 0 <= m <= len(text))}
    for start, end, _ in spans:
        boundaries.update((max(0, start), min(len(text), end)))
    points = sorted(boundaries)
    pieces: list[str] = []
    for left, right in itertools.pairwise(points):
        covering = [kind for start, end, kind in spans if start <= left and right <= end]
        chunk = html.escape(text[left:right])
        if "term" in covering:
            chunk = f'<mark style="{_TERM_STYLE}">{chunk}</mark>'
        else:
            if "cue" in covering:
                chunk = f'<b style="{_CUE_STYLE}">{chunk}</b>'
            sentence = next((k for k in covering if k.startswith("evidence")), None)
            if sentence is not None:
                colour = colours.get(sentence.partition(":")[2], EVIDENCE_COLOUR)
                chunk = f'<mark style="{_evidence_style(colour)}">{chunk}</mark>'
        pieces.append(chunk)
        pieces.extend(
            evidence_badge(kind, colours.get(kind, EVIDENCE_COLOUR))
            for kind in markers.get(right, ())
        )
    body = "".join(pieces)
    st.html(
        f'<div data-testid="narratives-reader-text" style="white-space:pre-wrap;'
        f"max-height:{height}px;overflow-y:auto;font-family:inherit;line-height:1.7;"
        f'padding:0.5rem 0.75rem;border:1px solid rgba(128,128,128,0.35);border-radius:0.5rem">'
        f"{body}</div>"
    )


def term_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int, str]]:
    """Case-insensitive whole-word occurrences of each term, as highlight spans."""
    spans: list[tuple[int, int, str]] = []
    for term in terms:
        words = term.strip()
        if not words:
            continue
        pattern = re.compile(
            r"(?<!\w)" + r"\s+".join(map(re.escape, words.split())) + r"(?!\w)", re.I
        )
        spans.extend((m.start(), m.end(), "term") for m in pattern.finditer(text))
    return spans


@dataclass(frozen=True)
class PageContext:
    """What every page starts from: the corpus, its prepared analysis and the selected articles.

    ``articles`` holds the selected articles' metadata without their texts
    (:data:`dashboard.data.TEXT_COLUMNS`); :func:`dashboard.data.article_row`
    gives one article's texts.
    """

    corpus: Corpus
    analysis: PreparedCorpus | None
    selection: Selection
    articles: pd.DataFrame
    colours: dict[str, str]

    @property
    def prepared(self) -> PreparedCorpus:
        """The prepared corpus; only pages started with ``needs="analysis"`` may ask for it."""
        if self.analysis is None:
            raise RuntimeError("this page was started without the analysis")
        return self.analysis


#: What a page needs of the analysis (see :func:`start_page`).
Needs = Literal["analysis", "articles", "corpus"]


def start_page(title: str, intro: str, *, needs: Needs = "analysis") -> PageContext:
    """Title, one line on what the page shows, and the filters in force.

    ``needs`` is what the page draws from:

    * ``"analysis"``: the prepared corpus (cleaned texts, term counts, labels);
    * ``"articles"``: only the selected articles' metadata. Such a page shows
      without waiting for the analysis, which the app starts on a server thread
      a few seconds after the page is drawn
      (:func:`dashboard.data.prepare_in_background`), so the next page finds
      it ready;
    * ``"corpus"``: the corpus itself, even one with no valid article.

    A broken overrides file is reported at the top of every page (its
    corrections are then applied nowhere); so is what the results store said
    while the analysis was prepared (one that could not be written, or was set
    aside), as a warning, on the pages that show the analysis.

    Stops the page with a helpful message when the corpus cannot be loaded or,
    for pages that need articles, when the corpus has no valid article or the
    filters select none.
    """
    st.title(title)
    st.caption(intro)
    try:
        corpus = get_corpus()
    except CorpusUnavailableError as err:
        st.error(str(err), icon=":material/error:")
        links.stop()
    problem = overrides_problem()
    if problem is not None:
        st.error(escape_markdown(overrides_warning(problem, corpus_dir())), icon=":material/error:")
    selection: Selection = st.session_state.get("selection", Selection())
    articles = selected_articles(corpus.articles, selection)
    show_filters_in_force(selection, corpus, selected=len(articles))
    links.show_notes()
    colours = outlet_colours(corpus.outlets)
    if needs == "corpus":
        return PageContext(corpus, None, selection, articles, colours)
    if corpus.articles.empty:
        st.info(NO_ARTICLE_YET, icon=":material/info:")
        links.stop()
    prepared = None
    if needs == "analysis":
        try:
            # Shown while this page prepares the analysis or waits for the server
            # thread an earlier page started to finish it (shown only after half a
            # second, so never when it is ready).
            with st.spinner(preparing_note(len(corpus.articles)), show_time=True):
                prepared = get_prepared()
        except CorpusUnavailableError as err:
            st.error(str(err), icon=":material/error:")
            links.stop()
        for note in store_notes():
            st.warning(
                escape_markdown(f"{note}. The analysis shown is complete; {STORE_NOTE_HINT}"),
                icon=":material/warning:",
            )
    if articles.empty:
        st.info(NOTHING_SELECTED, icon=":material/filter_alt_off:")
        links.stop()
    if prepared is not None:
        articles = selected_articles(prepared.articles, selection)
    return PageContext(corpus, prepared, selection, articles, colours)


def preparing_note(articles: int) -> str:
    """What a page says while the whole corpus's analysis is being prepared."""
    return (
        f"Preparing the analysis of {articles:,} articles (cleaning, counting terms, labels "
        "and their evidence). It is done once per version of the corpus and kept, so a "
        "restart reads it back."
    )


STORE_NOTE_HINT = (
    "the results store only saves time on the next start (it is a cache, safe to delete)."
)
NOTHING_SELECTED = "No article matches the filters. Widen them in the sidebar."
NO_ARTICLE_YET = (
    "The corpus has no valid article yet. Add articles on the Corpus page, or fix the "
    "files its validation report lists."
)
