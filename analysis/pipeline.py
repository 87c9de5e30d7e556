"""The analysis as a whole: what the CLI's ``analyze`` and the dashboard both call.

The expensive, selection-independent work (cleaning, term counting and the
per-article labels) is done once for the whole corpus by
:func:`prepare_corpus`. Everything that depends on the analyst's filters
(:func:`term_contrasts`, :func:`selected_tables`, :func:`keyword_table`) then
works on row slices of that result, so a filter change never redoes it.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from dataclasses import asdict, dataclass

import pandas as pd

from analysis.cleaning import clean_articles
from analysis.contrasts import DEFAULT_PRIOR_TOTAL, contrast_one_vs_rest, contrast_pair
from analysis.corpus import Corpus
from analysis.kwic import keyword_in_context
from analysis.selection import Selection, filter_articles
from analysis.terms import TermCounts, count_terms

__all__ = [
    "GROUPING_COLUMNS",
    "AnalysisOptions",
    "PreparedCorpus",
    "analysis_tables",
    "keyword_table",
    "manifest",
    "prepare_corpus",
    "select",
    "term_contrasts",
]

#: Metadata columns an analyst can group articles by.
GROUPING_COLUMNS = ("outlet", "outlet_group", "meeting", "year", "language")


@dataclass(frozen=True)
class AnalysisOptions:
    """Parameters of the term analysis; recorded in every manifest."""

    prior_total: float = DEFAULT_PRIOR_TOTAL
    max_words: int = 3
    min_phrase_count: int = 2

    def __post_init__(self) -> None:
        if self.prior_total <= 0:
            raise ValueError(f"prior_total must be positive, got {self.prior_total}")
        if not 1 <= self.max_words <= 3:
            raise ValueError(f"max_words must be 1, 2 or 3, got {self.max_words}")
        if self.min_phrase_count < 1:
            raise ValueError(f"min_phrase_count must be at least 1, got {self.min_phrase_count}")


@dataclass(frozen=True)
class PreparedCorpus:
    """Whole-corpus work, done once: rows of every table are aligned with ``articles``.

    ``articles`` is the corpus's article table plus ``text_clean``; ``removed``
    lists the boilerplate cleaning took out, with its reasons; ``counts`` holds
    the term counts of ``text_clean``, row *i* for article *i*.
    """

    articles: pd.DataFrame
    removed: pd.DataFrame
    counts: TermCounts
    options: AnalysisOptions
    fingerprint: str


def prepare_corpus(corpus: Corpus, *, options: AnalysisOptions | None = None) -> PreparedCorpus:
    """Clean every article and count its terms.

    Parameters
    ----------
    corpus
        A loaded corpus (see :func:`analysis.corpus.load_corpus`).
    options
        Term-analysis parameters; the defaults when omitted.
    """
    options = options or AnalysisOptions()
    articles = corpus.articles.reset_index(drop=True)
    cleaned, removed = clean_articles(articles)
    articles = articles.assign(text_clean=cleaned["text_clean"].to_numpy())
    languages = sorted({*articles["language"], "en"})
    counts = count_terms(
        articles["text_clean"],
        languages=languages,
        max_words=options.max_words,
        min_phrase_count=options.min_phrase_count,
    )
    return PreparedCorpus(
        articles=articles,
        removed=removed,
        counts=counts,
        options=options,
        fingerprint=corpus.fingerprint,
    )


def select(prepared: PreparedCorpus, selection: Selection) -> tuple[pd.DataFrame, TermCounts]:
    """The selected articles and their rows of the term counts."""
    chosen = filter_articles(prepared.articles, selection)
    rows = chosen.index.to_numpy()
    counts = prepared.counts
    sliced = TermCounts(
        counts=counts.counts[rows],
        terms=counts.terms,
        n_words=counts.n_words,
        doc_tokens=counts.doc_tokens[rows],
    )
    return chosen.reset_index(drop=True), sliced


def term_contrasts(
    prepared: PreparedCorpus,
    selection: Selection,
    *,
    by: str = "outlet",
    compare: tuple[str, str] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Term contrasts of the selected articles grouped by ``by``.

    Each group against the rest, or, with ``compare=(A, B)``, group A against
    group B. Columns as in :data:`analysis.contrasts.CONTRAST_COLUMNS`.

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
        "prior_total": options.prior_total,
        "top": top,
        "max_words": options.max_words,
        "min_phrase_count": options.min_phrase_count,
    }
    if compare is None:
        return contrast_one_vs_rest(articles, by, **common)  # type: ignore[arg-type]
    return contrast_pair(articles, by, compare[0], compare[1], **common)  # type: ignore[arg-type]


def keyword_table(prepared: PreparedCorpus, selection: Selection, term: str) -> pd.DataFrame:
    """Every occurrence of ``term`` in the selected articles' cleaned text, in context."""
    articles, _ = select(prepared, selection)
    return keyword_in_context(articles, term)


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
) -> dict[str, pd.DataFrame]:
    """Every table of the analysis of the selected articles, by file name.

    ``articles`` (the selection with its metadata and inferences), ``removed``
    (boilerplate taken out, with reasons), ``contrasts`` (each group against
    the rest), and on request ``contrast_pair`` and ``kwic``.

    Raises
    ------
    ValueError
        If the selection is empty or the contrast cannot be made (see
        :func:`term_contrasts`).
    """
    articles, _ = select(prepared, selection)
    if articles.empty:
        raise ValueError(f"no article matches the filters ({selection.describe()})")
    tables: dict[str, pd.DataFrame] = {
        "articles": articles[list(ARTICLE_EXPORT_COLUMNS)],
        "removed": prepared.removed[prepared.removed["id"].isin(articles["id"])],
        "contrasts": term_contrasts(prepared, selection, by=by, top=top),
    }
    if compare is not None:
        tables["contrast_pair"] = term_contrasts(
            prepared, selection, by=by, compare=compare, top=top
        )
    if kwic_terms:
        tables["kwic"] = pd.concat(
            [keyword_table(prepared, selection, term).assign(term=term) for term in kwic_terms],
            ignore_index=True,
        )
    return tables


def _software_version() -> str:
    try:
        return importlib.metadata.version("narratives")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def manifest(
    prepared: PreparedCorpus,
    selection: Selection,
    *,
    parameters: dict[str, object],
    tables: dict[str, int],
    now: dt.datetime | None = None,
) -> dict[str, object]:
    """What is needed to reproduce a set of tables: corpus, filters, parameters, version, time."""
    return {
        "software": "narratives",
        "version": _software_version(),
        "created": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "corpus_fingerprint": prepared.fingerprint,
        "corpus_articles": len(prepared.articles),
        "filters": selection.to_dict(),
        "filters_in_words": selection.describe(),
        "options": asdict(prepared.options),
        "parameters": parameters,
        "tables": tables,
    }
