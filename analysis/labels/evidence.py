"""Evidence: the sentences behind every label, in one schema, given their text on demand.

Every analysis (stance, outcome, the learned labels, frames, subjects and
sources) gives its evidence as rows of one table, :data:`EVIDENCE_COLUMNS`,
keyed on ``article_id`` like every other table: offsets into the cleaned text
instead of sentences (at tens of thousands of articles the sentences would be
the largest thing an analysis holds) and labels as categories. The sentences
are cut only where they are shown or written: :func:`evidence_text` gives any
rows with their sentences (:data:`EVIDENCE_TEXT_COLUMNS`, the columns of
``evidence.csv``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

__all__ = [
    "EVIDENCE_COLUMNS",
    "EVIDENCE_TEXT_COLUMNS",
    "HEADLINE",
    "EvidenceRow",
    "article_positions",
    "concat_evidence",
    "evidence_table",
    "evidence_text",
]

#: ``sentence_start`` and ``sentence_end`` of a cue in the headline.
HEADLINE = -1

#: The evidence table of every analysis: what each column holds. Join it to a label
#: on ``article_id`` and ``analysis`` + ``target``/``label``.
EVIDENCE_COLUMNS: dict[str, str] = {
    "article_id": "article the sentence is from",
    "analysis": "stance, outcome, frame, subject or source",
    "target": "stance target (russia, us_west, ukraine, assad); empty for other analyses",
    "label": "what the sentence is evidence of: favorable/unfavorable (stance; neutral for a "
    "sentence the sentence model reads as neutral), the outcome label, the frame, the subject "
    "or the source",
    "voice": "whose words carry the cue: 'outlet', or the quoted speaker (stance and outcome)",
    "sentence_start": "offset of the sentence in the cleaned text (-1: the headline)",
    "sentence_end": "offset just past the sentence (-1: the headline)",
    "mark_start": "offset of the cue in the sentence (-1 when nothing is marked)",
    "mark_end": "offset just past the cue in the sentence (-1 when nothing is marked)",
    "cue_words": "the words that triggered it",
    "weight": "signed weight of the cue (stance: > 0 favorable); 1 for counts",
    "rule": "the rule that fired (stance and outcome)",
}

#: Columns of the evidence with its sentences (:func:`evidence_text`, ``evidence.csv``).
EVIDENCE_TEXT_COLUMNS: dict[str, str] = {
    "article_id": EVIDENCE_COLUMNS["article_id"],
    "analysis": EVIDENCE_COLUMNS["analysis"],
    "target": EVIDENCE_COLUMNS["target"],
    "label": EVIDENCE_COLUMNS["label"],
    "voice": EVIDENCE_COLUMNS["voice"],
    "sentence": "the sentence, from the cleaned text (the headline for a cue in it)",
    "sentence_start": "offset of the sentence in the cleaned text (empty for the headline)",
    "sentence_end": "offset just past the sentence (empty for the headline)",
    "cue_words": EVIDENCE_COLUMNS["cue_words"],
    "marked": "the sentence with the cue words in **bold** (stance and outcome)",
    "weight": EVIDENCE_COLUMNS["weight"],
    "rule": EVIDENCE_COLUMNS["rule"],
}


class EvidenceRow(NamedTuple):
    """One row of the evidence table (:data:`EVIDENCE_COLUMNS`, in that order)."""

    article_id: str
    analysis: str
    label: str
    sentence_start: int
    sentence_end: int
    cue_words: str
    weight: float
    target: str = ""
    voice: str = ""
    mark_start: int = -1
    mark_end: int = -1
    rule: str = ""


_EVIDENCE_CATEGORIES = ("article_id", "analysis", "target", "label", "voice", "cue_words", "rule")
_EVIDENCE_OFFSETS = ("sentence_start", "sentence_end", "mark_start", "mark_end")


def evidence_table(rows: Iterable[EvidenceRow]) -> pd.DataFrame:
    """Evidence rows as an evidence table, rows in the order given.

    Columns :data:`EVIDENCE_COLUMNS` in order: labels as categories, offsets
    as 32-bit integers, the weight a float.
    """
    rows = list(rows)
    by_field = dict(
        zip(
            EvidenceRow._fields,
            zip(*rows, strict=True) if rows else [()] * len(EvidenceRow._fields),
            strict=True,
        )
    )
    columns: dict[str, object] = {}
    for column in EVIDENCE_COLUMNS:
        values = by_field[column]
        if column in _EVIDENCE_CATEGORIES:
            columns[column] = pd.Categorical(np.array(values, dtype=object))
        elif column in _EVIDENCE_OFFSETS:
            columns[column] = np.array(values, dtype=np.int32)
        else:
            columns[column] = np.array(values, dtype=np.float64)
    return pd.DataFrame(columns)


def concat_evidence(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    """Evidence tables as one, in evidence order (article, analysis, sentence with the
    headline last, target, label; rows alike keep their order), categories sorted.

    A chunk without evidence is left out: its empty categories have another
    dtype than the labels of the others, which ``union_categoricals`` refuses.
    """
    chunks = [chunk for chunk in chunks if len(chunk)] or chunks[:1]
    columns: dict[str, object] = {}
    for column in EVIDENCE_COLUMNS:
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


def article_positions(articles: pd.DataFrame, ids: pd.Series) -> np.ndarray:
    """The row of ``articles`` of each of ``ids`` (-1 for an id not among them)."""
    lookup = pd.Index(articles["id"])
    if isinstance(ids.dtype, pd.CategoricalDtype):
        return lookup.get_indexer(ids.cat.categories)[ids.cat.codes.to_numpy()]
    return lookup.get_indexer(ids)


def evidence_text(
    articles: pd.DataFrame, evidence: pd.DataFrame, *, positions: np.ndarray | None = None
) -> pd.DataFrame:
    """Evidence rows with their sentences: columns :data:`EVIDENCE_TEXT_COLUMNS`.

    The one place sentences are cut: where evidence is shown or written.

    Parameters
    ----------
    articles
        Articles with ``id``, ``title`` and ``text_clean``
        (:attr:`analysis.pipeline.prepare.PreparedCorpus.articles`).
    evidence
        Any rows of an evidence table (:data:`EVIDENCE_COLUMNS`, such as
        :attr:`analysis.pipeline.prepare.PreparedCorpus.evidence`), in any order.
    positions
        :func:`article_positions` of the rows' article ids, when the caller has
        them (a table written in parts looks them up once, not for each part).

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
    if positions is None:
        positions = article_positions(articles, ids)
    if len(positions) and positions.min() < 0:
        missing = ids.iloc[int(np.argmin(positions))]
        raise ValueError(f"evidence names article {missing!r}, which is not among the articles")
    texts = articles["text_clean"].to_numpy(dtype=object)
    starts = evidence["sentence_start"].to_numpy()
    # Only the headlines of rows quoting one: not every title of the corpus, for each part.
    in_headline = positions[starts < 0]
    titles = dict(
        zip(in_headline.tolist(), articles["title"].iloc[in_headline].tolist(), strict=True)
    )
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
    return table[list(EVIDENCE_TEXT_COLUMNS)]
