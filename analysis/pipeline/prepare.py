"""Preparing a corpus: the whole-corpus work that every analysis of it starts from.

The expensive, selection-independent work (cleaning, term counting and the
per-article labels) is done once for the whole corpus by
:func:`prepare_corpus`. Everything that depends on the analyst's filters
(:mod:`analysis.pipeline.tables`) then works on row slices of that result, so a
filter change never redoes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.corpus.articles import Corpus
from analysis.corpus.types import Problem
from analysis.labels.agenda import scan_subjects
from analysis.labels.document import article_documents
from analysis.labels.evidence import concat_evidence
from analysis.labels.frames import scan_frames
from analysis.labels.learned import learned_stance_and_outcome
from analysis.labels.sources import article_quotations, article_sources, source_evidence
from analysis.measures.terms import TermCounts, count_terms
from analysis.pipeline.memory import release_freed_memory
from analysis.pipeline.options import AnalysisOptions
from analysis.pipeline.store import ResultsStore, article_keys
from analysis.pipeline.workers import (
    default_scheduler,
    default_workers,
    map_in_order,
    map_on_cluster,
)
from analysis.review.overrides import apply_overrides, read_overrides
from analysis.text.cleaning import clean_articles

__all__ = [
    "CHUNK_ARTICLES",
    "MAX_PHRASE_WORDS",
    "AnalysisOptions",
    "PreparedCorpus",
    "prepare_corpus",
    "terms_text",
]

#: Longest phrase counted, in words.
MAX_PHRASE_WORDS = 3


def terms_text(title: str, body: str) -> str:
    """What term counts and keyword in context read: the headline, a blank line, the body.

    Built when needed rather than stored, so the corpus is not held a third time.
    """
    return f"{title}\n\n{body}"


@dataclass(frozen=True)
class PreparedCorpus:
    """Whole-corpus work, done once: every table is keyed by article id.

    ``articles`` is the corpus's article table plus ``text_clean`` (the cleaned
    body); ``removed`` lists the boilerplate cleaning took out, with its
    reasons; ``counts`` holds the term counts of each article's headline and
    cleaned body (:func:`terms_text`: a headline is the outlet's own framing
    too), row *i* for article *i*. ``stance`` and
    ``outcome`` carry the analyst's overrides (``computed_stance`` and
    ``computed_outcome`` do not); ``overrides_problem`` says why none is applied
    when ``overrides.csv`` is broken; ``evidence`` is every analysis's
    evidence in one table, :data:`analysis.labels.evidence.EVIDENCE_COLUMNS`
    (offsets instead of sentences, labels as categories: at tens of thousands
    of articles the sentences would be the largest thing held);
    :func:`analysis.labels.evidence.evidence_text` gives any of its rows with their sentences.
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
    overrides_problem: Problem | None = None

    def with_overrides(
        self, overrides: pd.DataFrame, problem: Problem | None = None
    ) -> PreparedCorpus:
        """The same analysis with ``overrides`` applied to stance and outcome (cheap).

        ``problem`` is what :func:`analysis.review.overrides.read_overrides`
        found wrong with the file (``overrides`` is then empty).
        """
        return replace(
            self,
            overrides=overrides,
            overrides_problem=problem,
            stance=apply_overrides(self.computed_stance, overrides, task="stance"),
            outcome=apply_overrides(self.computed_outcome, overrides, task="outcome"),
        )


#: Articles whose per-article analyses (quotations, stance, outcome, frames,
#: agenda, sources) are worked out together; only their intermediate results are
#: held at once.
CHUNK_ARTICLES = 500

#: On several processes, how many chunks each process gets (when the corpus is
#: large enough), and the fewest articles in a chunk of the default size.
_CHUNKS_PER_WORKER = 4
_MIN_PARALLEL_CHUNK = 250


def _per_article(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Quotations, stance, outcome, frames, agenda, sources and evidence of some articles.

    Each article's document (sentences, quotations, target mentions) is built
    once, here, and every analysis reads it.
    """
    cleaned = articles[["id", "text_clean"]]
    documents = article_documents(articles, cleaned)
    quotations = article_quotations(articles, cleaned, documents=documents)
    stance, outcome, stance_evidence = learned_stance_and_outcome(
        articles, cleaned, documents=documents
    )
    frames, frame_evidence = scan_frames(articles, cleaned, documents=documents)
    agenda, subject_evidence = scan_subjects(articles, cleaned, documents=documents)
    return {
        # Its sentence is the cleaned text between sentence_start and sentence_end.
        "quotations": quotations.drop(columns="sentence"),
        "stance": stance,
        "outcome": outcome,
        "frames": frames,
        "agenda": agenda,
        "sources": article_sources(quotations),
        "evidence": concat_evidence(
            [stance_evidence, frame_evidence, subject_evidence, source_evidence(quotations)]
        ),
    }


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Chunks of one table as one; with no rows at all, the first chunk's columns and types."""
    full = [part for part in parts if not part.empty]
    if not full:
        return parts[0].iloc[0:0].reset_index(drop=True)
    return pd.concat(full, ignore_index=True) if len(full) > 1 else full[0]


def _per_article_tables(
    articles: pd.DataFrame,
    chunk_articles: int,
    workers: int,
    scheduler: str | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The evidence and the other per-article tables of all articles, worked out in chunks.

    Every per-article analysis reads one article at a time: in chunks, only
    one chunk's scans and intermediate rows are held at once by each process.
    With a ``scheduler``, each chunk is a task on that Dask cluster, and
    ``meanwhile`` (if given) is called once here while the cluster works (see
    :func:`analysis.pipeline.workers.map_on_cluster`); without a scheduler it
    is not called.
    """
    if workers > 1 and scheduler is None:
        # Each process gets a few chunks, so the last ones leave no core idle
        # for long; but no chunk is so small that starting a process costs more
        # than it saves (a small corpus is worked on here, in one chunk).
        per_chunk = -(-len(articles) // (workers * _CHUNKS_PER_WORKER))
        chunk_articles = min(chunk_articles, max(_MIN_PARALLEL_CHUNK, per_chunk))
    # The per-article analyses read the cleaned text: the raw text stays here.
    needed = articles.drop(columns="text", errors="ignore")
    parts = [
        needed.iloc[first : first + chunk_articles]
        for first in range(0, max(len(articles), 1), chunk_articles)
    ]
    chunks: dict[str, list[pd.DataFrame]] = {}
    release_freed_memory()
    results = (
        map_in_order(_per_article, parts, workers=workers)
        if scheduler is None
        else map_on_cluster(_per_article, parts, scheduler=scheduler, meanwhile=meanwhile)
    )
    for tables in results:
        for name, table in tables.items():
            chunks.setdefault(name, []).append(table)
        release_freed_memory()
    evidence = concat_evidence(chunks.pop("evidence"))
    return evidence, {name: _concat(parts) for name, parts in chunks.items()}


#: The per-article tables, as the results store keeps them.
_STORED_TABLES = ("quotations", "stance", "outcome", "frames", "agenda", "sources", "evidence")


def _in_article_order(table: pd.DataFrame, ids: pd.Index) -> pd.DataFrame:
    """Rows ordered by their article's place in the corpus; rows of one article keep their order."""
    if table.empty:
        return table.reset_index(drop=True)
    order = np.argsort(ids.get_indexer(pd.Index(table["article_id"])), kind="stable")
    if np.any(order[1:] < order[:-1]):
        return table.iloc[order].reset_index(drop=True)
    return table.reset_index(drop=True)


def _stored_per_article_tables(
    articles: pd.DataFrame,
    store: ResultsStore,
    chunk_articles: int,
    workers: int,
    scheduler: str | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """:func:`_per_article_tables`, working out only the articles the store does not hold.

    The tables equal those of a full run: stored and new rows are put back in
    the corpus's article order (evidence in evidence order).
    """
    needed = articles.drop(columns="text", errors="ignore")
    ids = needed["id"].tolist()
    keys = article_keys(needed)
    stored, found = store.load(ids, keys, _STORED_TABLES)
    # Reading Parquet leaves Arrow's pool holding freed blocks.
    release_freed_memory()
    missing = np.flatnonzero(~found)
    evidence, tables = _per_article_tables(
        needed.iloc[missing], chunk_articles, workers, scheduler, meanwhile
    )
    store.save(
        [ids[i] for i in missing],
        [keys[i] for i in missing],
        {**tables, "evidence": evidence},
        live_keys=set(keys),
    )
    if not stored["evidence"]:
        return evidence, tables
    # One table at a time, its stored parts let go once it is whole: the stored
    # rows of the whole corpus are never held twice over.
    evidence = concat_evidence([evidence, *stored.pop("evidence")])
    order = pd.Index(ids)
    for name in list(tables):
        tables[name] = _in_article_order(_concat([tables[name], *stored.pop(name)]), order)
    store.compact(ids, keys, {**tables, "evidence": evidence})
    return evidence, tables


def _without_texts(prepared: PreparedCorpus) -> PreparedCorpus:
    """``prepared`` as the store keeps it: without the texts as published, which the
    corpus holds (at 10,000 articles a quarter of the whole, 77 MB, written on every run)."""
    return replace(prepared, articles=prepared.articles.drop(columns="text", errors="ignore"))


def _with_texts(kept: PreparedCorpus, corpus: Corpus) -> PreparedCorpus | None:
    """A prepared corpus read back from the store, its texts as published taken from ``corpus``.

    The snapshot is kept under the corpus's fingerprint, so its articles are the
    corpus's, in the same order; ``None`` (prepare again) if they are not. The
    column goes back where preparing puts it, and is the corpus's own (strings,
    or left in the parse cache's mapped file when the corpus was loaded so), as
    preparing would leave it.
    """
    ids = corpus.articles["id"]
    if (
        len(kept.articles) != len(ids)
        or not (kept.articles["id"].to_numpy() == ids.to_numpy()).all()
    ):
        return None
    if "text" in kept.articles.columns or "text" not in corpus.articles.columns:
        return kept
    articles = kept.articles.copy(deep=False)
    articles.insert(
        list(corpus.articles.columns).index("text"),
        "text",
        corpus.articles["text"].reset_index(drop=True),
    )
    return replace(kept, articles=articles)


def prepare_corpus(
    corpus: Corpus,
    *,
    options: AnalysisOptions | None = None,
    chunk_articles: int = CHUNK_ARTICLES,
    workers: int | None = None,
    store: ResultsStore | None = None,
    scheduler: str | None = None,
) -> PreparedCorpus:
    """Clean every article and count its terms.

    Parameters
    ----------
    corpus
        A loaded corpus (see :func:`analysis.corpus.articles.load_corpus`).
    options
        Term-analysis parameters; the defaults when omitted.
    chunk_articles
        The most articles the per-article analyses work on at once; the
        result does not depend on it, only the memory held does.
    workers
        How many processes the per-article analyses run on; by default
        :func:`analysis.pipeline.workers.default_workers` (every core, or
        ``NARRATIVES_WORKERS``). The result does not depend on it.
    store
        Where per-article results are kept between runs
        (:class:`analysis.pipeline.store.ResultsStore`): only articles it does
        not hold are analysed, and the new results are added to it. The
        result does not depend on it.
    scheduler
        The address of a Dask distributed scheduler (``tcp://HOST:PORT``) to
        run the per-article analyses on, instead of this machine's processes;
        by default ``NARRATIVES_SCHEDULER``, else none. Cleaning, term counts
        and the store stay here. The result does not depend on it.

    Raises
    ------
    analysis.pipeline.workers.WorkerLostError
        If a worker process dies (killed, or out of memory), or a cluster's
        workers keep dying on a task.
    analysis.pipeline.workers.SchedulerUnavailableError
        If the Dask scheduler cannot be reached.
    """
    if chunk_articles < 1:
        raise ValueError(f"chunk_articles must be at least 1, got {chunk_articles}")
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    scheduler = scheduler or default_scheduler()
    options = options or AnalysisOptions()
    snapshot_key = ""
    if store is not None and corpus.fingerprint:
        # The same files, options and analysis version: the whole result, read back.
        # Not keyed by where the folder is: a store shared by machines (``--store URL``)
        # is read back from another machine's copy of the corpus.
        snapshot_key = store.snapshot_key(corpus.fingerprint, repr(options))
        kept = store.load_snapshot(snapshot_key)
        release_freed_memory()
        restored = _with_texts(kept, corpus) if isinstance(kept, PreparedCorpus) else None
        if restored is not None:
            return restored.with_overrides(*read_overrides(corpus.root))
    articles = corpus.articles.reset_index(drop=True)
    # With a store, only what changed since the last cleaning is cleaned again.
    cleaned, removed = clean_articles(
        articles,
        reuse=None if store is None else store.load_cleaning(),
        keep=None if store is None else store.save_cleaning,
    )
    articles = articles.assign(text_clean=cleaned["text_clean"])
    del cleaned
    release_freed_memory()
    counted: list[TermCounts] = []

    def count() -> None:
        # Phrases are always counted up to the longest length; a shorter
        # ``max_words`` only hides columns (see :func:`analysis.pipeline.tables.select`),
        # so changing it never counts again.
        # With a store, texts counted last time are not tokenized again.
        counted.append(
            count_terms(
                (
                    terms_text(title, body)
                    for title, body in zip(articles["title"], articles["text_clean"], strict=True)
                ),
                languages=sorted({*articles["language"], "en"}),
                max_words=MAX_PHRASE_WORDS,
                min_phrase_count=options.min_phrase_count,
                reuse=None if store is None else store.load_tokens(),
                keep=None if store is None else store.save_tokens,
                workers=workers,
            )
        )
        release_freed_memory()

    # On a cluster the terms are counted here while the cluster works on the
    # per-article analyses, which do not depend on them. On this machine they are
    # counted once the worker processes are gone: counting beside them took about
    # 8% off the time at 10,000 articles but raised the peak at 50,000 from
    # 1.81 to 2.10 GiB (the count's own peak on top of the workers' memory).
    on_cluster = count if scheduler is not None else None
    if store is None:
        evidence, tables = _per_article_tables(
            articles, chunk_articles, workers, scheduler, meanwhile=on_cluster
        )
    else:
        evidence, tables = _stored_per_article_tables(
            articles, store, chunk_articles, workers, scheduler, meanwhile=on_cluster
        )
    release_freed_memory()
    if not counted:
        count()
    counts = counted[0]
    overrides, problem = read_overrides(corpus.root)
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
    )
    prepared = prepared.with_overrides(overrides, problem)
    if store is not None and snapshot_key:
        store.save_snapshot(snapshot_key, _without_texts(prepared))
        # Pickling leaves freed buffers behind, which would add to the next stage's peak.
        release_freed_memory()
    return prepared
