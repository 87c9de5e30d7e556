"""Evidence: the sentences behind every label, held compactly and given their text on demand.

At tens of thousands of articles the evidence sentences would be the largest
thing an analysis holds, so the whole-corpus evidence table keeps offsets into
the cleaned text instead of sentences, and labels as categories
(:data:`COMPACT_EVIDENCE_COLUMNS`); :func:`evidence_text` gives any of its rows
with their sentences (:data:`EVIDENCE_COLUMNS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

__all__ = [
    "COMPACT_EVIDENCE_COLUMNS",
    "EVIDENCE_COLUMNS",
    "compact_evidence",
    "concat_evidence",
    "evidence_text",
]

#: Columns of the evidence table that every label can be joined to (on ``article_id``
#: and ``analysis`` + ``target``/``label``).
EVIDENCE_COLUMNS: dict[str, str] = {
    "article_id": "article the sentence is from",
    "analysis": "stance, outcome, frame, subject or source",
    "target": "stance target (russia, us_west, ukraine, assad); empty for other analyses",
    "label": "what the sentence is evidence of: favorable/unfavorable (stance; neutral for a "
    "sentence the sentence model reads as neutral), the outcome label, the frame, the subject "
    "or the source",
    "voice": "whose words carry the cue: 'outlet', or the quoted speaker (stance and outcome)",
    "sentence": "the sentence, from the cleaned text",
    "sentence_start": "offset of the sentence in the cleaned text",
    "sentence_end": "offset just past the sentence",
    "cue_words": "the words that triggered it",
    "marked": "the sentence with the cue words in **bold** (stance and outcome)",
    "weight": "signed weight of the cue (stance: > 0 favorable); 1 for counts",
    "rule": "the rule that fired (stance and outcome)",
}


#: Columns of the compact evidence (``PreparedCorpus.evidence``): :data:`EVIDENCE_COLUMNS`
#: without the sentence text, which :func:`evidence_text` takes from the cleaned text when asked.
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


def compact_evidence(
    stance_evidence: pd.DataFrame, other_evidence: list[pd.DataFrame]
) -> pd.DataFrame:
    """One chunk's evidence rows in evidence order, text left out, labels as categories."""
    task = stance_evidence["task"]
    by_weight = np.where(stance_evidence["weight"] > 0, "favorable", "unfavorable")
    if "direction" in stance_evidence.columns:
        direction = stance_evidence["direction"].fillna("").astype(str).to_numpy()
        by_weight = np.where(direction != "", direction, by_weight)
    stance_rows = stance_evidence.assign(
        analysis=task,
        label=np.where(task == "stance", by_weight, stance_evidence["target"]),
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


def concat_evidence(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    """The chunks' evidence as one table, in evidence order, categories sorted.

    A chunk without evidence is left out: its empty categories have another
    dtype than the labels of the others, which ``union_categoricals`` refuses.
    """
    chunks = [chunk for chunk in chunks if len(chunk)] or chunks[:1]
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
        Articles with ``id``, ``title`` and ``text_clean``
        (:attr:`analysis.pipeline.prepare.PreparedCorpus.articles`).
    evidence
        Any rows of the compact evidence
        (:attr:`analysis.pipeline.prepare.PreparedCorpus.evidence`), in any order.

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
