"""Agenda: which subjects each article covers, and what an outlet leaves out.

Subjects (Syria, Assad, Ukraine, Minsk agreements, sanctions, ISIS ...) and
their aliases live in ``analysis/data/subjects.yaml`` (ours, editable,
documented in ``docs/lexicons.md``): ``Daesh``, ``ISIL`` and ``Islamic
State`` all count as ISIS. An article covers a subject when it mentions one of
its aliases at least once.

* :func:`scan_subjects` — one row per article and subject covered, with the
  number of mentions and the first sentence that mentions it.
* :func:`agenda_matrix` — per group (outlet by default): the share of the
  group's articles covering each subject, with the number of articles.
* :func:`omissions` — per meeting (or any ``within`` column): the subjects
  other groups covered and this group did not.

Aliases are English: an article in another language gets one row with status
``unsupported language`` and is left out of the matrix and the omissions
(its coverage is unknown, not empty).
"""

from __future__ import annotations

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
    "ARTICLE_SUBJECT_COLUMNS",
    "DEFAULT_SUBJECTS_FILE",
    "agenda_matrix",
    "load_subjects",
    "omissions",
    "scan_subjects",
]

DEFAULT_SUBJECTS_FILE = DATA_DIR / "subjects.yaml"
#: Columns of :func:`scan_subjects`.
ARTICLE_SUBJECT_COLUMNS = (
    "article_id",
    "status",
    "subject",
    "subject_name",
    "mentions",
    "cue_words",
    "sentence",
    "sentence_start",
    "sentence_end",
)
STATUS_OK = "ok"
STATUS_NONE = "no subject"
STATUS_UNSUPPORTED = "unsupported language"


def load_subjects(path: Path | str | None = None) -> CueLexicon:
    """Read the subjects file (default: the shipped ``analysis/data/subjects.yaml``).

    Raises
    ------
    ValueError
        As :func:`analysis.labels.cues.load_cue_lexicon`.
    """
    return load_cue_lexicon(path if path is not None else DEFAULT_SUBJECTS_FILE, section="subjects")


def scan_subjects(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    *,
    lexicon: CueLexicon | None = None,
    documents: Sequence[ArticleDocument] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The subjects each article covers and every sentence mentioning one, in one scan of each text.

    ``documents`` are the articles' documents
    (:func:`analysis.labels.document.article_documents`), built from
    ``articles`` and ``cleaned`` when omitted (see
    :func:`analysis.labels.document.documents_for` for the errors);
    ``lexicon`` (subjects and aliases) is the shipped ``subjects.yaml`` by
    default.

    Returns
    -------
    subjects : pandas.DataFrame
        Columns :data:`ARTICLE_SUBJECT_COLUMNS`: ``article_id``; ``status``
        (``ok``, ``no subject`` or ``unsupported language``); ``subject`` (id)
        and ``subject_name``; ``mentions``, the number of alias occurrences;
        ``cue_words``, the aliases found (lower case, first occurrence order);
        and the first sentence mentioning it with its offsets in the cleaned
        text. One row per article and subject, in order of first mention; one
        row with an empty subject (offsets -1) for an article with another
        status.
    evidence : pandas.DataFrame
        Columns :data:`analysis.labels.evidence.EVIDENCE_COLUMNS` with ``analysis ==
        "subject"``, ``label`` the subject id and ``weight`` the number of
        mentions in the sentence. One row per article, subject and sentence.
    """
    lexicon = lexicon if lexicon is not None else load_subjects()

    def subject_rows(
        document: ArticleDocument, hits: list[CueHit], by_subject: dict[str, list[CueHit]]
    ) -> list[tuple[object, ...]]:
        rows: list[tuple[object, ...]] = []
        for subject, subject_hits in by_subject.items():
            first = document.sentence_at(subject_hits[0].start)
            rows.append(
                (
                    document.article_id,
                    STATUS_OK,
                    subject,
                    lexicon.labels[subject].name,
                    len(subject_hits),
                    "; ".join(dict.fromkeys(hit.cue for hit in subject_hits)),
                    first.text,
                    first.start,
                    first.end,
                )
            )
        return rows

    return scan_cues(
        documents_for(articles, cleaned, documents),
        lexicon,
        analysis="subject",
        columns=ARTICLE_SUBJECT_COLUMNS,
        dtypes={"mentions": "int64", "sentence_start": "int64", "sentence_end": "int64"},
        unsupported=(STATUS_UNSUPPORTED, "", "", 0, "", "", -1, -1),
        no_cues=(STATUS_NONE, "", "", 0, "", "", -1, -1),
        label_rows=subject_rows,
    )


def _coverage(agenda: pd.DataFrame, articles: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Measured articles with their group columns, and the subjects each covers."""
    frame = articles[["id", *columns]].rename(columns={"id": "article_id"})
    status = agenda.drop_duplicates("article_id")[["article_id", "status"]]
    measured = frame.merge(status, on="article_id", how="inner")
    return measured[measured["status"] != STATUS_UNSUPPORTED]


def agenda_matrix(
    agenda: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str = "outlet",
    wide: bool = False,
    lexicon: CueLexicon | None = None,
) -> pd.DataFrame:
    """Share of each group's articles that cover each subject.

    Parameters
    ----------
    agenda : pandas.DataFrame
        The subjects table, first of what :func:`scan_subjects` returns.
    articles : pandas.DataFrame
        ``id`` and the ``by`` column. Not modified.
    by : str, default "outlet"
        The column to group by.
    wide : bool, default False
        Return the matrix itself: one row per group, ``n_articles`` then one
        column of shares per subject (0 where no article covers it), subjects
        in the order of the subjects file.
    lexicon : CueLexicon, optional
        The subjects the agenda was computed with (their order and names);
        the shipped ``subjects.yaml`` by default.

    Returns
    -------
    pandas.DataFrame
        Long form (default): columns ``<by>``, ``subject``, ``subject_name``,
        ``articles_covering``, ``n_articles`` (the group's articles in a
        supported language) and ``share`` = articles_covering / n_articles.
        One row per group and subject of the subjects file, so a subject no
        article of the group covers shows as share 0. Groups with no measured
        article are left out.

    Raises
    ------
    ValueError
        If ``by`` is not a column of ``articles`` or ``agenda`` lacks a column.
    """
    check_group_inputs(agenda, articles, by, ARTICLE_SUBJECT_COLUMNS, "agenda")
    measured = _coverage(agenda, articles, [by])
    subjects = _subject_order(agenda, lexicon if lexicon is not None else load_subjects())
    sizes = measured.groupby(by, sort=True)["article_id"].nunique()
    covered = agenda[agenda["status"] == STATUS_OK].merge(
        measured[["article_id", by]], on="article_id", how="inner"
    )
    counts = covered.groupby([by, "subject"])["article_id"].nunique()
    rows = []
    for group, n_articles in sizes.items():
        for subject, name in subjects:
            n = int(counts.get((group, subject), 0))
            rows.append((group, subject, name, n, int(n_articles), n / int(n_articles)))
    long = pd.DataFrame(
        rows, columns=[by, "subject", "subject_name", "articles_covering", "n_articles", "share"]
    )
    if not wide:
        return long
    matrix = long.pivot(index=by, columns="subject", values="share")[[s for s, _ in subjects]]
    matrix.insert(0, "n_articles", sizes.astype("int64"))
    matrix.columns.name = None
    return matrix.reset_index()


def _subject_order(agenda: pd.DataFrame, lexicon: CueLexicon) -> list[tuple[str, str]]:
    order = [(label.id, label.name) for label in lexicon.labels.values()]
    known = {subject for subject, _ in order}
    found = agenda[agenda["status"] == STATUS_OK][["subject", "subject_name"]].drop_duplicates()
    extra = sorted(
        (str(s), str(n))
        for s, n in zip(found["subject"], found["subject_name"], strict=True)
        if s not in known
    )
    return order + extra


def omissions(
    agenda: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    by: str = "outlet",
    within: str = "meeting",
    exclude: tuple[str, ...] = ("none", ""),
) -> pd.DataFrame:
    """Subjects that other groups covered on the same event and this group did not.

    Parameters
    ----------
    agenda : pandas.DataFrame
        As for :func:`agenda_matrix`.
    articles : pandas.DataFrame
        ``id`` with the ``by`` and ``within`` columns. Not modified.
    by : str, default "outlet"
        Whose omissions: outlet, outlet group ...
    within : str, default "meeting"
        What is compared like with like: articles are compared only with
        articles of the same value of this column (the same meeting).
    exclude : tuple of str, default ("none", "")
        Values of ``within`` that are not one event (articles covering no
        meeting) and are left out; missing values are left out too.

    Returns
    -------
    pandas.DataFrame
        Columns ``<within>``, ``<by>``, ``subject``, ``subject_name``,
        ``n_articles`` (this group's articles on the event), ``covered_by``
        (the other groups that covered the subject, ``; ``-separated) and
        ``articles_covering`` (their articles that did). One row per event,
        group and omitted subject, sorted by those. Articles in an unsupported
        language count on neither side. An event covered by one group only has
        no omissions.

    Raises
    ------
    ValueError
        If ``by`` equals ``within``, a column is missing from ``articles`` or
        ``agenda`` lacks a column.
    """
    if by == within:
        raise ValueError(f"by and within must differ, both are {by!r}")
    check_group_inputs(agenda, articles, by, ARTICLE_SUBJECT_COLUMNS, "agenda")
    check_group_inputs(agenda, articles, within, ARTICLE_SUBJECT_COLUMNS, "agenda")
    measured = _coverage(agenda, articles, [by, within])
    measured = measured[measured[within].notna() & ~measured[within].astype(str).isin(exclude)]
    covered = agenda[agenda["status"] == STATUS_OK][["article_id", "subject", "subject_name"]]
    covered = covered.merge(measured[["article_id", by, within]], on="article_id", how="inner")
    names = dict(zip(covered["subject"], covered["subject_name"], strict=True))
    rows = []
    for event, part in measured.groupby(within, sort=True):
        groups = part.groupby(by, sort=True)["article_id"].nunique()
        event_cover = covered[covered[within] == event]
        # Per subject: the groups that covered it on this event, named, and their articles.
        # A group omitted the subject when it is not among them.
        subjects = [
            (
                subject,
                set(subject_rows[by].tolist()),
                "; ".join(sorted(map(str, subject_rows[by].unique()))),
                int(subject_rows["article_id"].nunique()),
            )
            for subject, subject_rows in event_cover.groupby("subject")
        ]
        for group, n_articles in groups.items():
            for subject, covering, covered_by, articles_covering in subjects:
                if group not in covering:
                    rows.append(
                        (
                            event,
                            group,
                            subject,
                            names[str(subject)],
                            int(n_articles),
                            covered_by,
                            articles_covering,
                        )
                    )
    columns = [within, by, "subject", "subject_name", "n_articles", "covered_by"]
    result = pd.DataFrame(rows, columns=[*columns, "articles_covering"])
    return result.sort_values([within, by, "subject"], kind="stable").reset_index(drop=True)
