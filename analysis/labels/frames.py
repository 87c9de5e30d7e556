"""Frames: how much of an article's framing vocabulary belongs to each policy frame.

A dictionary approach to the Policy Frames Codebook (Card et al. 2015; see
``../shared/METHODS.md``): every frame has seed cue words and phrases in
``analysis/data/frames.yaml`` (ours, editable, documented in
``docs/lexicons.md``). For one article, ``count`` is the number of cue
occurrences of a frame and ``share`` that count over all frame cue
occurrences of the article, so an article's shares add up to 1. Cues are
English: an article in another language gets one row with status
``unsupported language`` and no frame, never a guess; an English article
without any cue gets one row with status ``no frame cues``.

For a group of articles (:func:`group_frames`), ``share`` is the mean of the
articles' shares (each article weighs the same, however long), ``count`` the
raw total, and ``n_articles`` the number of articles whose frames were
measured.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import DATA_DIR
from analysis.labels.cues import (
    CueHit,
    CueLexicon,
    check_group_inputs,
    load_cue_lexicon,
    scan_cues,
)
from analysis.labels.document import ArticleDocument, documents_for

__all__ = [
    "ARTICLE_FRAME_COLUMNS",
    "DEFAULT_FRAMES_FILE",
    "group_frames",
    "load_frames",
    "scan_frames",
]

DEFAULT_FRAMES_FILE = DATA_DIR / "frames.yaml"
#: Columns of :func:`scan_frames`.
ARTICLE_FRAME_COLUMNS = (
    "article_id",
    "status",
    "frame",
    "frame_name",
    "count",
    "share",
    "total_cues",
    "cue_words",
)
STATUS_OK = "ok"
STATUS_NO_CUES = "no frame cues"
STATUS_UNSUPPORTED = "unsupported language"


def load_frames(path: Path | str | None = None) -> CueLexicon:
    """Read the frames file (default: the shipped ``analysis/data/frames.yaml``).

    Raises
    ------
    ValueError
        As :func:`analysis.labels.cues.load_cue_lexicon`.
    """
    return load_cue_lexicon(path if path is not None else DEFAULT_FRAMES_FILE, section="frames")


def _cue_words(hits: list[CueHit]) -> str:
    counts = Counter(hit.cue for hit in hits)
    return "; ".join(
        f"{cue} ×{n}" if n > 1 else cue
        for cue, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    )


def scan_frames(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    *,
    lexicon: CueLexicon | None = None,
    documents: Sequence[ArticleDocument] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Frame counts and shares of every article and the sentences that triggered them.

    One scan of each text. ``documents`` are the articles' documents
    (:func:`analysis.labels.document.article_documents`), built from
    ``articles`` and ``cleaned`` when omitted (see
    :func:`analysis.labels.document.documents_for` for the errors);
    ``lexicon`` (frames and cues) is the shipped ``frames.yaml`` by default.

    Returns
    -------
    frames : pandas.DataFrame
        Columns :data:`ARTICLE_FRAME_COLUMNS`: ``article_id``; ``status``
        (``ok``, ``no frame cues`` or ``unsupported language``); ``frame``
        (id) and ``frame_name``; ``count`` of the frame's cue occurrences;
        ``share`` = count / ``total_cues`` (the article's frame cue
        occurrences); ``cue_words``, the cues found, most frequent first
        (``sanctions ×3; economy``). One row per article and frame found,
        frames by decreasing count; one row with an empty frame and NaN share
        for an article with another status. Articles in input order.
    evidence : pandas.DataFrame
        Columns :data:`analysis.labels.evidence.EVIDENCE_COLUMNS`: ``analysis`` is
        ``frame``, ``label`` the frame id, the sentence's offsets in the
        cleaned text, ``cue_words`` the cues found in it
        (``; ``-separated, first occurrence order) and ``weight`` their number
        of occurrences. One row per article, frame and sentence, in text order.
    """
    lexicon = lexicon if lexicon is not None else load_frames()

    def frame_rows(
        document: ArticleDocument, hits: list[CueHit], by_frame: dict[str, list[CueHit]]
    ) -> list[tuple[object, ...]]:
        return [
            (
                document.article_id,
                STATUS_OK,
                frame,
                lexicon.labels[frame].name,
                len(by_frame[frame]),
                len(by_frame[frame]) / len(hits),
                len(hits),
                _cue_words(by_frame[frame]),
            )
            for frame in sorted(by_frame, key=lambda f: (-len(by_frame[f]), f))
        ]

    return scan_cues(
        documents_for(articles, cleaned, documents),
        lexicon,
        analysis="frame",
        columns=ARTICLE_FRAME_COLUMNS,
        dtypes={"count": "int64", "share": "float64", "total_cues": "int64"},
        unsupported=(STATUS_UNSUPPORTED, "", "", 0, float("nan"), 0, ""),
        no_cues=(STATUS_NO_CUES, "", "", 0, float("nan"), 0, ""),
        label_rows=frame_rows,
    )


def group_frames(
    frames: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet"
) -> pd.DataFrame:
    """Frame shares per group of articles (outlet, outlet group, meeting, year ...).

    Parameters
    ----------
    frames : pandas.DataFrame
        The frames table, first of what :func:`scan_frames` returns.
    articles : pandas.DataFrame
        ``id`` and the ``by`` column. Not modified.
    by : str, default "outlet"
        The column to group by.

    Returns
    -------
    pandas.DataFrame
        Columns ``<by>``, ``frame``, ``frame_name``, ``share`` (mean over the
        group's measured articles of the article's share; 0 for an article
        without the frame), ``count`` (cue occurrences), ``articles_with_frame``,
        ``n_articles`` (articles with status ``ok``), ``n_no_cues`` and
        ``n_unsupported`` (articles of the group left out, by reason). Sorted
        by group, then decreasing share. A group with no measured article has
        one row with an empty frame.

    Raises
    ------
    ValueError
        If ``by`` is not a column of ``articles`` or ``frames`` lacks a column.
    """
    check_group_inputs(frames, articles, by, ARTICLE_FRAME_COLUMNS, "frames")
    groups = articles[["id", by]].rename(columns={"id": "article_id"})
    merged = frames.merge(groups, on="article_id", how="inner")
    rows = []
    for group, part in merged.groupby(by, sort=True, dropna=False):
        statuses = part.drop_duplicates("article_id")["status"]
        n_ok = int((statuses == STATUS_OK).sum())
        n_no = int((statuses == STATUS_NO_CUES).sum())
        n_un = int((statuses == STATUS_UNSUPPORTED).sum())
        measured = part[part["status"] == STATUS_OK]
        if measured.empty:
            rows.append((group, "", "", float("nan"), 0, 0, n_ok, n_no, n_un))
            continue
        summary = measured.groupby(["frame", "frame_name"], sort=False).agg(
            share=("share", "sum"), count=("count", "sum"), articles=("article_id", "nunique")
        )
        for frame, name, share, count, n_with in zip(
            summary.index.get_level_values(0),
            summary.index.get_level_values(1),
            summary["share"],
            summary["count"],
            summary["articles"],
            strict=True,
        ):
            rows.append(
                (group, frame, name, float(share) / n_ok, int(count), int(n_with), n_ok, n_no, n_un)
            )
    columns = [
        by,
        "frame",
        "frame_name",
        "share",
        "count",
        "articles_with_frame",
        "n_articles",
        "n_no_cues",
        "n_unsupported",
    ]
    result = pd.DataFrame(rows, columns=columns)
    return result.sort_values(
        [by, "share", "frame"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)
