"""The tables of an analysis of the selected articles, sliced from a prepared corpus.

Everything here depends on the analyst's filters (a :class:`Selection`) and
works on row slices of :class:`analysis.pipeline.prepare.PreparedCorpus`, so a
filter change never redoes the whole-corpus work.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.corpus.selection import Selection, filter_articles
from analysis.labels.agenda import agenda_matrix, omissions
from analysis.labels.frames import group_frames
from analysis.labels.sources import group_sources
from analysis.labels.stance import stance_by_group
from analysis.measures import coverage
from analysis.measures.collocates import collocates
from analysis.measures.contrast_schema import CONTRAST_COLUMNS
from analysis.measures.contrasts import contrast_one_vs_rest, contrast_pair
from analysis.measures.kwic import keyword_in_context
from analysis.measures.search import search_articles
from analysis.measures.terms import TermCounts
from analysis.pipeline.options import GROUPING_COLUMNS
from analysis.pipeline.prepare import PreparedCorpus, terms_text

__all__ = [
    "ARTICLE_EXPORT_COLUMNS",
    "GROUPING_COLUMNS",
    "analysis_tables",
    "collocate_table",
    "keyword_table",
    "search_table",
    "select",
    "term_contrasts",
]


def select(prepared: PreparedCorpus, selection: Selection) -> tuple[pd.DataFrame, TermCounts]:
    """The selected articles and their rows of the term counts.

    Only terms of at most ``prepared.options.max_words`` words are kept.
    """
    chosen = filter_articles(prepared.articles, selection)
    rows = chosen.index.to_numpy()
    counts = prepared.counts
    columns = np.flatnonzero(counts.n_words <= prepared.options.max_words)
    every_row = len(rows) == counts.counts.shape[0] and bool(np.all(rows == np.arange(len(rows))))
    # All articles selected: the counts themselves, not a copy of them.
    matrix = counts.counts if every_row else counts.counts[rows]
    if len(columns) < len(counts.terms):
        matrix = matrix[:, columns]
    sliced = TermCounts(
        counts=matrix,
        terms=counts.terms[columns],
        n_words=counts.n_words[columns],
        doc_tokens=counts.doc_tokens if every_row else counts.doc_tokens[rows],
    )
    return chosen.reset_index(drop=True), sliced


def term_contrasts(
    prepared: PreparedCorpus,
    selection: Selection,
    *,
    by: str = "outlet",
    compare: tuple[str, str] | None = None,
    top: int | None = None,
    prior: str = "selection",
) -> pd.DataFrame:
    """Term contrasts of the selected articles grouped by ``by``.

    Each group against the rest, or, with ``compare=(A, B)``, group A against
    group B, with the prior from all selected articles or, with
    ``prior="pair"``, from A's and B's alone (one against the rest takes the
    whole selection either way). Columns as in
    :data:`analysis.measures.contrasts.CONTRAST_COLUMNS`.

    Raises
    ------
    ValueError
        If ``by`` is not a grouping column, the selection holds fewer than two
        groups, or a compared group is not among them.
    """
    if by not in GROUPING_COLUMNS:
        raise ValueError(f"by={by!r} is not a grouping column; use one of {GROUPING_COLUMNS}")
    articles, counts = select(prepared, selection)
    options = prepared.options
    common = {
        "counts": counts,
        # The counts are given; the column only names what they were made from.
        "text_column": "text_clean",
        "prior_total": options.prior_total,
        "top": top,
        "max_words": options.max_words,
        "min_phrase_count": options.min_phrase_count,
    }
    if compare is None:
        return contrast_one_vs_rest(articles, by, **common)  # type: ignore[arg-type]
    return contrast_pair(
        articles,
        by,
        compare[0],
        compare[1],
        prior=prior,
        **common,  # type: ignore[arg-type]
    )


def keyword_table(prepared: PreparedCorpus, selection: Selection, term: str) -> pd.DataFrame:
    """Every occurrence of ``term`` in the selected articles' headline and cleaned text.

    Offsets refer to :func:`terms_text` (headline, blank line, cleaned body):
    the text the term counts come from, so every counted occurrence is listed.
    """
    articles, _ = select(prepared, selection)
    texts = [
        terms_text(t, b) for t, b in zip(articles["title"], articles["text_clean"], strict=True)
    ]
    return keyword_in_context(articles.assign(text_terms=texts), term, text_column="text_terms")


def _with_terms_text(articles: pd.DataFrame) -> pd.DataFrame:
    texts = [
        terms_text(t, b) for t, b in zip(articles["title"], articles["text_clean"], strict=True)
    ]
    return articles.assign(text_terms=texts)


def search_table(prepared: PreparedCorpus, selection: Selection, query: str) -> pd.DataFrame:
    """Every hit of ``query`` in the selected articles' headline and cleaned text.

    Columns as in :data:`analysis.measures.search.SEARCH_COLUMNS`; offsets refer
    to :func:`terms_text`, as :func:`keyword_table`'s do.

    Raises
    ------
    ValueError
        If the query cannot be parsed.
    """
    articles, _ = select(prepared, selection)
    return search_articles(_with_terms_text(articles), query, text_column="text_terms")


def collocate_table(
    prepared: PreparedCorpus,
    selection: Selection,
    term: str,
    *,
    by: str = "outlet",
    groups: tuple[str, ...] = (),
    window: int = 5,
) -> pd.DataFrame:
    """The collocates of ``term`` in each group of ``by`` (only ``groups``, when given).

    Columns as in :data:`analysis.measures.collocates.COLLOCATE_COLUMNS`,
    counted on the headline and cleaned text (:func:`terms_text`).

    Raises
    ------
    ValueError
        If ``by`` is not a grouping column or ``term`` has no word.
    """
    if by not in GROUPING_COLUMNS:
        raise ValueError(f"by={by!r} is not a grouping column; use one of {GROUPING_COLUMNS}")
    articles, _ = select(prepared, selection)
    if groups:
        articles = articles[articles[by].astype(str).isin(groups)]
    return collocates(
        _with_terms_text(articles), term, by=by, text_column="text_terms", window=window
    )


#: Columns of ``omissions`` when the articles are grouped by meeting (it is then empty).
_OMISSION_COLUMNS = (
    "meeting", "subject", "subject_name", "n_articles", "covered_by", "articles_covering",
)  # fmt: skip

#: Columns of the articles table written by ``analyze`` (the text itself stays in the corpus).
ARTICLE_EXPORT_COLUMNS = (
    "id",
    "title",
    "outlet",
    "outlet_name",
    "outlet_group",
    "authors",
    "published",
    "date_precision",
    "year",
    "url",
    "language",
    "meetings",
    "notes",
    "inferred",
    "path",
)


def analysis_tables(
    prepared: PreparedCorpus,
    selection: Selection,
    *,
    by: str = "outlet",
    compare: tuple[str, str] | None = None,
    kwic_terms: tuple[str, ...] = (),
    top: int | None = None,
    prior: str = "selection",
    blind_spots: bool = False,
) -> dict[str, pd.DataFrame]:
    """Every table of the analysis of the selected articles, by file name.

    ``articles`` (the selection with its metadata and inferences), ``removed``
    (boilerplate taken out, with reasons), ``contrasts`` (each group of ``by``
    against the rest), ``stance`` (article × target, overrides applied) and
    ``stance_by_group``, ``outcome`` (outcome framing of articles about a
    meeting), ``frames`` and ``frames_by_group``, ``agenda``,
    ``agenda_matrix`` (group × subject) and ``omissions`` (subjects others
    covered on the same meeting), ``sources`` and ``sources_by_group``, and
    ``evidence`` (every sentence behind a label, as offsets:
    :data:`analysis.labels.evidence.EVIDENCE_COLUMNS`; join on ``article_id``). On
    request ``contrast_pair`` (its prior from the whole selection, or with
    ``prior="pair"`` from A's and B's articles alone), ``kwic`` and
    ``blind_spots`` (the meetings and subjects each group of ``by`` left out
    while others covered them, :func:`analysis.measures.coverage.blind_spots`).
    ``contrasts`` is empty when the selection holds one group of ``by`` only.

    The evidence rows hold no sentence text:
    :func:`analysis.labels.evidence.evidence_text` gives rows their sentences,
    and :func:`analysis.pipeline.export.csv_parts` writes them with their
    sentences part by part, so a whole large corpus's evidence is never held
    as text at once.

    Raises
    ------
    ValueError
        If the selection is empty, the requested ``compare`` contrast cannot
        be made (see :func:`term_contrasts`), or blind spots are asked for
        by meeting.
    """
    articles, _ = select(prepared, selection)
    if articles.empty:
        raise ValueError(f"no article matches the filters ({selection.describe()})")
    ids = articles["id"]
    everything = len(articles) == len(prepared.articles)

    def rows(frame: pd.DataFrame, column: str = "article_id") -> pd.DataFrame:
        if everything and frame.index.equals(pd.RangeIndex(len(frame))):
            # Every article: the rows as they are (a new frame on the same
            # columns), not a filtered copy of each table, which at 50,000
            # articles means millions of evidence rows.
            return frame.copy(deep=False)
        return frame[frame[column].isin(ids)].reset_index(drop=True)

    stance = rows(prepared.stance)
    frames = rows(prepared.frames)
    agenda = rows(prepared.agenda)
    sources = rows(prepared.sources)
    tables: dict[str, pd.DataFrame] = {
        "articles": articles[list(ARTICLE_EXPORT_COLUMNS)],
        "removed": rows(prepared.removed, "id"),
        "contrasts": (
            term_contrasts(prepared, selection, by=by, top=top)
            if articles[by].nunique() > 1
            # One group has nothing to be contrasted with: an empty table, not an error.
            else pd.DataFrame(columns=list(CONTRAST_COLUMNS))
        ),
        "stance": stance,
        "stance_by_group": stance_by_group(stance, articles, by=by),
        "outcome": rows(prepared.outcome),
        "frames": frames,
        "frames_by_group": group_frames(frames, articles, by=by),
        "agenda": agenda,
        "agenda_matrix": agenda_matrix(agenda, articles, by=by),
        "omissions": (
            omissions(agenda, articles, by=by)
            if by != "meeting"
            # Grouped by meeting, no group shares a meeting with another: nothing is omitted.
            else pd.DataFrame(columns=[*_OMISSION_COLUMNS])
        ),
        "sources": sources,
        "sources_by_group": group_sources(sources, articles, by=by),
        "evidence": rows(prepared.evidence),
    }
    if compare is not None:
        tables["contrast_pair"] = term_contrasts(
            prepared, selection, by=by, compare=compare, top=top, prior=prior
        )
    if blind_spots:
        tables["blind_spots"] = coverage.blind_spots(articles, agenda, by=by)
    if kwic_terms:
        tables["kwic"] = pd.concat(
            [keyword_table(prepared, selection, term).assign(term=term) for term in kwic_terms],
            ignore_index=True,
        )
    return tables
