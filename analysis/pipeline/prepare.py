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
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from analysis.corpus.articles import Corpus
from analysis.corpus.selection import Selection, filter_articles
from analysis.corpus.types import Problem
from analysis.labels.agenda import agenda_matrix, omissions, scan_subjects
from analysis.labels.frames import group_frames, scan_frames
from analysis.labels.outcome import stance_and_outcome
from analysis.labels.sources import (
    article_quotations,
    article_sources,
    group_sources,
    source_evidence,
)
from analysis.labels.stance import stance_by_group
from analysis.measures.contrasts import DEFAULT_PRIOR_TOTAL, contrast_one_vs_rest, contrast_pair
from analysis.measures.kwic import keyword_in_context
from analysis.measures.terms import TermCounts, count_terms
from analysis.pipeline.export import to_csv_text
from analysis.pipeline.memory import release_freed_memory
from analysis.review.hand_labels import OVERRIDE_COLUMNS, apply_overrides, load_overrides
from analysis.text.cleaning import clean_articles

__all__ = [
    "CHUNK_ARTICLES",
    "COMPACT_EVIDENCE_COLUMNS",
    "EVIDENCE_COLUMNS",
    "GROUPING_COLUMNS",
    "AnalysisOptions",
    "PreparedCorpus",
    "analysis_tables",
    "csv_parts",
    "evidence_text",
    "keyword_table",
    "manifest",
    "prepare_corpus",
    "select",
    "term_contrasts",
    "terms_text",
]

#: Longest phrase counted, in words.
MAX_PHRASE_WORDS = 3

#: Metadata columns an analyst can group articles by.
GROUPING_COLUMNS = ("outlet", "outlet_group", "meeting", "year", "language")


def terms_text(title: str, body: str) -> str:
    """What term counts and keyword in context read: the headline, a blank line, the body.

    Built when needed rather than stored, so the corpus is not held a third time.
    """
    return f"{title}\n\n{body}"


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


#: Columns of the evidence table that every label can be joined to (on ``article_id``
#: and ``analysis`` + ``target``/``label``).
EVIDENCE_COLUMNS: dict[str, str] = {
    "article_id": "article the sentence is from",
    "analysis": "stance, outcome, frame, subject or source",
    "target": "stance target (russia, us_west, ukraine, assad); empty for other analyses",
    "label": "what the sentence is evidence of: favorable/unfavorable (stance), the outcome "
    "label, the frame, the subject or the source",
    "voice": "whose words carry the cue: 'outlet', or the quoted speaker (stance and outcome)",
    "sentence": "the sentence, from the cleaned text",
    "sentence_start": "offset of the sentence in the cleaned text",
    "sentence_end": "offset just past the sentence",
    "cue_words": "the words that triggered it",
    "marked": "the sentence with the cue words in **bold** (stance and outcome)",
    "weight": "signed weight of the cue (stance: > 0 favorable); 1 for counts",
    "rule": "the rule that fired (stance and outcome)",
}


@dataclass(frozen=True)
class PreparedCorpus:
    """Whole-corpus work, done once: every table is keyed by article id.

    ``articles`` is the corpus's article table plus ``text_clean`` (the cleaned
    body); ``removed`` lists the boilerplate cleaning took out, with its
    reasons; ``counts`` holds the term counts of each article's headline and
    cleaned body (:func:`terms_text`: a headline is the outlet's own framing
    too), row *i* for article *i*. ``stance`` and
    ``outcome`` carry the analyst's overrides (``computed_stance`` and
    ``computed_outcome`` do not); ``evidence`` has :data:`COMPACT_EVIDENCE_COLUMNS`
    (offsets instead of sentences, labels as categories: at tens of thousands
    of articles the sentences would be the largest thing held) and
    :func:`evidence_text` gives any of its rows with their sentences.
    ``quotations`` is :func:`analysis.labels.sources.article_quotations` without its
    ``sentence`` column (the cleaned text from ``sentence_start`` to
    ``sentence_end``).
    """

    articles: pd.DataFrame
    removed: pd.DataFrame
    counts: TermCounts
    options: AnalysisOptions
    fingerprint: str
    computed_stance: pd.DataFrame
    computed_outcome: pd.DataFrame
    stance: pd.DataFrame
    outcome: pd.DataFrame
    frames: pd.DataFrame
    agenda: pd.DataFrame
    quotations: pd.DataFrame
    sources: pd.DataFrame
    evidence: pd.DataFrame
    overrides: pd.DataFrame
    problems: tuple[Problem, ...] = ()

    def with_overrides(self, overrides: pd.DataFrame) -> PreparedCorpus:
        """The same analysis with ``overrides`` applied to stance and outcome (cheap)."""
        return replace(
            self,
            overrides=overrides,
            stance=apply_overrides(self.computed_stance, overrides, task="stance"),
            outcome=apply_overrides(self.computed_outcome, overrides, task="outcome"),
        )


#: Columns of :attr:`PreparedCorpus.evidence`: :data:`EVIDENCE_COLUMNS` without the
#: sentence text, which :func:`evidence_text` takes from the cleaned text when asked.
#: ``sentence_start`` is -1 for a headline; ``mark_start``/``mark_end`` are the cue's
#: offsets in the sentence (-1 when nothing is marked).
COMPACT_EVIDENCE_COLUMNS = (
    "article_id",
    "analysis",
    "target",
    "label",
    "voice",
    "sentence_start",
    "sentence_end",
    "mark_start",
    "mark_end",
    "cue_words",
    "weight",
    "rule",
)
_EVIDENCE_CATEGORIES = ("article_id", "analysis", "target", "label", "voice", "cue_words", "rule")
_EVIDENCE_OFFSETS = ("sentence_start", "sentence_end", "mark_start", "mark_end")
_EVIDENCE_ORDER = ["article_id", "analysis", "sentence_start", "target", "label"]

#: Articles whose per-article analyses (quotations, stance, outcome, frames,
#: agenda, sources) are worked out together; only their intermediate results are
#: held at once.
CHUNK_ARTICLES = 2000


def _compact_evidence(
    stance_evidence: pd.DataFrame, other_evidence: list[pd.DataFrame]
) -> pd.DataFrame:
    """One chunk's evidence rows in evidence order, text left out, labels as categories."""
    task = stance_evidence["task"]
    stance_rows = stance_evidence.assign(
        analysis=task,
        label=np.where(
            task == "stance",
            np.where(stance_evidence["weight"] > 0, "favorable", "unfavorable"),
            stance_evidence["target"],
        ),
        target=np.where(task == "stance", stance_evidence["target"], ""),
    )
    others = [
        frame.assign(target="", voice="", rule="", mark_start=-1, mark_end=-1)
        for frame in other_evidence
    ]
    evidence = pd.concat(
        [frame[list(COMPACT_EVIDENCE_COLUMNS)] for frame in (stance_rows, *others)],
        ignore_index=True,
    )
    evidence = evidence.sort_values(_EVIDENCE_ORDER, kind="stable").reset_index(drop=True)
    columns: dict[str, object] = {}
    for column in COMPACT_EVIDENCE_COLUMNS:
        values = evidence[column]
        if column in _EVIDENCE_CATEGORIES:
            columns[column] = pd.Categorical(values.astype(object).to_numpy())
        elif column in _EVIDENCE_OFFSETS:
            columns[column] = values.astype("Int64").fillna(-1).to_numpy(dtype=np.int32)
        else:
            columns[column] = values.to_numpy(dtype=np.float64)
    return pd.DataFrame(columns)


def _concat_evidence(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    """The chunks' evidence as one table, in evidence order, categories sorted."""
    columns: dict[str, object] = {}
    for column in COMPACT_EVIDENCE_COLUMNS:
        parts = [chunk[column] for chunk in chunks]
        if column in _EVIDENCE_CATEGORIES:
            columns[column] = union_categoricals(parts, sort_categories=True)
        else:
            columns[column] = np.concatenate([part.to_numpy() for part in parts])
    evidence = pd.DataFrame(columns)
    # Sorted categories order the codes as their strings do; a headline (-1)
    # sorts last, as a missing offset does. Chunks of articles in id order are
    # already in order.
    start = evidence["sentence_start"].to_numpy()
    order = np.lexsort(
        (
            evidence["label"].cat.codes,
            evidence["target"].cat.codes,
            np.where(start < 0, np.iinfo(np.int32).max, start),
            evidence["analysis"].cat.codes,
            evidence["article_id"].cat.codes,
        )
    )
    if np.any(order[1:] < order[:-1]):
        evidence = evidence.iloc[order].reset_index(drop=True)
    return evidence


def evidence_text(articles: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """Evidence rows with their sentences: columns :data:`EVIDENCE_COLUMNS`.

    Parameters
    ----------
    articles
        Articles with ``id``, ``title`` and ``text_clean`` (``PreparedCorpus.articles``).
    evidence
        Any rows of :attr:`PreparedCorpus.evidence`, in any order.

    Returns
    -------
    pandas.DataFrame
        The rows in the same order; ``sentence`` is cut from the cleaned text
        (it is the headline for a cue in the headline, whose offsets are then
        empty) and ``marked`` is it with the cue in ``**bold**``.

    Raises
    ------
    ValueError
        If a row names an article that is not in ``articles``.
    """
    ids = evidence["article_id"]
    lookup = pd.Index(articles["id"])
    if isinstance(ids.dtype, pd.CategoricalDtype):
        positions = lookup.get_indexer(ids.cat.categories)[ids.cat.codes.to_numpy()]
    else:
        positions = lookup.get_indexer(ids)
    if len(positions) and positions.min() < 0:
        missing = ids.iloc[int(np.argmin(positions))]
        raise ValueError(f"evidence names article {missing!r}, which is not among the articles")
    texts = articles["text_clean"].to_numpy(dtype=object)
    titles = articles["title"].to_numpy(dtype=object)
    starts = evidence["sentence_start"].to_numpy()
    sentences: list[str] = []
    marked: list[str] = []
    for position, start, end, lo, hi in zip(
        positions.tolist(),
        starts.tolist(),
        evidence["sentence_end"].tolist(),
        evidence["mark_start"].tolist(),
        evidence["mark_end"].tolist(),
        strict=True,
    ):
        sentence = titles[position] if start < 0 else texts[position][start:end]
        sentences.append(sentence)
        marked.append("" if lo < 0 else f"{sentence[:lo]}**{sentence[lo:hi]}**{sentence[hi:]}")
    headline = starts < 0
    table = evidence.assign(
        sentence=sentences,
        marked=marked,
        sentence_start=evidence["sentence_start"].astype("Int64"),
        sentence_end=evidence["sentence_end"].astype("Int64"),
    )
    table.loc[headline, ["sentence_start", "sentence_end"]] = pd.NA
    return table[list(EVIDENCE_COLUMNS)]


def _per_article(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Quotations, stance, outcome, frames, agenda, sources and evidence of some articles."""
    cleaned = articles[["id", "text_clean"]]
    quotations = article_quotations(articles, cleaned)
    stance, outcome, stance_evidence = stance_and_outcome(articles, cleaned, quotes=quotations)
    frames, frame_evidence = scan_frames(articles, cleaned)
    agenda, subject_evidence = scan_subjects(articles, cleaned)
    return {
        # Its sentence is the cleaned text between sentence_start and sentence_end.
        "quotations": quotations.drop(columns="sentence"),
        "stance": stance,
        "outcome": outcome,
        "frames": frames,
        "agenda": agenda,
        "sources": article_sources(quotations),
        "evidence": _compact_evidence(
            stance_evidence, [frame_evidence, subject_evidence, source_evidence(quotations)]
        ),
    }


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Chunks of one table as one; with no rows at all, the first chunk's columns and types."""
    full = [part for part in parts if not part.empty]
    if not full:
        return parts[0].iloc[0:0].reset_index(drop=True)
    return pd.concat(full, ignore_index=True) if len(full) > 1 else full[0]


def prepare_corpus(
    corpus: Corpus,
    *,
    options: AnalysisOptions | None = None,
    chunk_articles: int = CHUNK_ARTICLES,
) -> PreparedCorpus:
    """Clean every article and count its terms.

    Parameters
    ----------
    corpus
        A loaded corpus (see :func:`analysis.corpus.articles.load_corpus`).
    options
        Term-analysis parameters; the defaults when omitted.
    chunk_articles
        How many articles the per-article analyses work on at once; the
        result does not depend on it, only the memory held does.
    """
    if chunk_articles < 1:
        raise ValueError(f"chunk_articles must be at least 1, got {chunk_articles}")
    options = options or AnalysisOptions()
    articles = corpus.articles.reset_index(drop=True)
    cleaned, removed = clean_articles(articles)
    articles = articles.assign(text_clean=cleaned["text_clean"])
    del cleaned
    release_freed_memory()
    languages = sorted({*articles["language"], "en"})
    # Phrases are always counted up to the longest length; a shorter
    # ``max_words`` only hides columns (see :func:`select`), so changing it never
    # counts again.
    counts = count_terms(
        (
            terms_text(title, body)
            for title, body in zip(articles["title"], articles["text_clean"], strict=True)
        ),
        languages=languages,
        max_words=MAX_PHRASE_WORDS,
        min_phrase_count=options.min_phrase_count,
    )
    # Every per-article analysis reads one article at a time: in chunks, only one
    # chunk's scans and intermediate rows are held (the corpus can be large).
    chunks: dict[str, list[pd.DataFrame]] = {}
    release_freed_memory()
    for first in range(0, max(len(articles), 1), chunk_articles):
        for name, table in _per_article(articles.iloc[first : first + chunk_articles]).items():
            chunks.setdefault(name, []).append(table)
        release_freed_memory()
    evidence = _concat_evidence(chunks.pop("evidence"))
    tables = {name: _concat(parts) for name, parts in chunks.items()}
    problems: list[Problem] = []
    try:
        overrides = load_overrides(corpus.root)
    except ValueError as err:
        problems.append(Problem("overrides.csv", "(file)", f"{err}; no override is applied"))
        overrides = pd.DataFrame({c: pd.Series(dtype=str) for c in OVERRIDE_COLUMNS})
    prepared = PreparedCorpus(
        articles=articles,
        removed=removed,
        counts=counts,
        options=options,
        fingerprint=corpus.fingerprint,
        computed_stance=tables["stance"],
        computed_outcome=tables["outcome"],
        stance=tables["stance"],
        outcome=tables["outcome"],
        frames=tables["frames"],
        agenda=tables["agenda"],
        quotations=tables["quotations"],
        sources=tables["sources"],
        evidence=evidence,
        overrides=overrides,
        problems=tuple(problems),
    )
    return prepared.with_overrides(overrides)


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
) -> pd.DataFrame:
    """Term contrasts of the selected articles grouped by ``by``.

    Each group against the rest, or, with ``compare=(A, B)``, group A against
    group B. Columns as in :data:`analysis.measures.contrasts.CONTRAST_COLUMNS`.

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
    return contrast_pair(articles, by, compare[0], compare[1], **common)  # type: ignore[arg-type]


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
    evidence_sentences: bool = True,
) -> dict[str, pd.DataFrame]:
    """Every table of the analysis of the selected articles, by file name.

    ``articles`` (the selection with its metadata and inferences), ``removed``
    (boilerplate taken out, with reasons), ``contrasts`` (each group of ``by``
    against the rest), ``stance`` (article × target, overrides applied) and
    ``stance_by_group``, ``outcome`` (outcome framing of articles about a
    meeting), ``frames`` and ``frames_by_group``, ``agenda``,
    ``agenda_matrix`` (group × subject) and ``omissions`` (subjects others
    covered on the same meeting), ``sources`` and ``sources_by_group``, and
    ``evidence`` (every sentence behind a label; join on ``article_id``). On
    request ``contrast_pair`` and ``kwic``.

    With ``evidence_sentences=False`` the evidence rows keep the compact form
    of :attr:`PreparedCorpus.evidence` (no sentence text); :func:`csv_parts`
    writes them with their sentences, part by part, so a whole large corpus's
    evidence is never held as text at once.

    Raises
    ------
    ValueError
        If the selection is empty or the contrast cannot be made (see
        :func:`term_contrasts`).
    """
    articles, _ = select(prepared, selection)
    if articles.empty:
        raise ValueError(f"no article matches the filters ({selection.describe()})")
    ids = articles["id"]

    def rows(frame: pd.DataFrame, column: str = "article_id") -> pd.DataFrame:
        return frame[frame[column].isin(ids)].reset_index(drop=True)

    stance = rows(prepared.stance)
    frames = rows(prepared.frames)
    agenda = rows(prepared.agenda)
    sources = rows(prepared.sources)
    tables: dict[str, pd.DataFrame] = {
        "articles": articles[list(ARTICLE_EXPORT_COLUMNS)],
        "removed": rows(prepared.removed, "id"),
        "contrasts": term_contrasts(prepared, selection, by=by, top=top),
        "stance": stance,
        "stance_by_group": stance_by_group(stance, articles, by=by),
        "outcome": rows(prepared.outcome),
        "frames": frames,
        "frames_by_group": group_frames(frames, articles, by=by),
        "agenda": agenda,
        "agenda_matrix": agenda_matrix(agenda, articles, by=by),
        "omissions": omissions(agenda, articles, by=by),
        "sources": sources,
        "sources_by_group": group_sources(sources, articles, by=by),
        "evidence": (
            evidence_text(prepared.articles, rows(prepared.evidence))
            if evidence_sentences
            else rows(prepared.evidence)
        ),
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


#: Evidence rows given their sentences and written at once by :func:`csv_parts`.
CSV_PART_ROWS = 50_000


def csv_parts(
    prepared: PreparedCorpus, table: pd.DataFrame, *, rows_per_part: int = CSV_PART_ROWS
) -> Iterator[str]:
    """The formula-safe CSV text of an analysis table, in parts to write one after another.

    Compact evidence rows (see :func:`analysis_tables`) get their sentences
    ``rows_per_part`` rows at a time; the text is the same as the CSV of the
    whole table with its sentences.
    """
    if list(table.columns) == list(COMPACT_EVIDENCE_COLUMNS):
        for first in range(0, max(len(table), 1), rows_per_part):
            part = evidence_text(prepared.articles, table.iloc[first : first + rows_per_part])
            yield to_csv_text(part, header=first == 0)
    else:
        yield to_csv_text(table)


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
