"""Sources: who is quoted or cited, per article and per group of articles.

Built on :mod:`analysis.labels.quotes`: every direct quotation and reported speech
of an article with its speaker. A source is a speaker id from
``analysis/data/speakers.yaml`` (``peskov``, ``tass``, ``nato-officials``),
or the slug of a name the file does not list (``pasi-eronen``), or the
words as written for a group with an affiliation (``kremlin sources``). A
pronoun left unresolved (``he``, ``они``) or a group without a name or an
affiliation (``supporters``, ``both Western and Russian sources``) is no
source one could name: it is counted under :data:`UNNAMED`.

* :func:`article_quotations` — one row per quotation (the table the stance
  analysis takes to keep quoted speech apart from the outlet's voice).
* :func:`article_sources` — per article, source and kind: how often, with the
  sentences.
* :func:`group_sources` — per outlet (or any group column): how many of the
  group's articles cite each source, and how often.
* :func:`source_evidence` — the evidence table
  (:data:`analysis.labels.evidence.EVIDENCE_COLUMNS`, as every analysis's).

Speech verbs and attribution rules are English; articles in another language
get no quotations and are counted as ``n_unsupported`` in
:func:`group_sources`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.labels.attribution import load_attribution_words
from analysis.labels.cues import check_group_inputs
from analysis.labels.document import (
    QUOTATION_LANGUAGE,
    ArticleDocument,
    documents_for,
)
from analysis.labels.evidence import EvidenceRow, evidence_table
from analysis.labels.speakers import SpeakerLexicon, load_speakers

__all__ = [
    "QUOTATION_COLUMNS",
    "SOURCE_COLUMNS",
    "SUPPORTED_LANGUAGE",
    "UNATTRIBUTED",
    "UNNAMED",
    "article_quotations",
    "article_sources",
    "group_sources",
    "is_unnamed",
    "source_evidence",
]

#: Quotations are found in articles of this language only.
SUPPORTED_LANGUAGE = QUOTATION_LANGUAGE
#: The ``source`` of a quotation whose speaker was not found.
UNATTRIBUTED = "(unattributed)"
#: The ``source`` of a quotation whose speaker is a pronoun or a group with neither a name
#: nor an affiliation.
UNNAMED = "(unnamed)"
#: How :data:`UNNAMED` is shown.
UNNAMED_NAME = "unnamed source"
#: Pronouns that stand for a speaker, beyond those the attribution words resolve.
_PRONOUNS = frozenset(
    {"i", "it", "we", "you", "он", "она", "оно", "они", "мы", "він", "вона", "воно", "вони"}
)
#: Nouns naming a group that is no source one could look up, beyond the attribution heads.
_GROUP_NOUNS = frozenset(
    {
        "commentators", "critics", "insiders", "opponents", "proponents", "residents", "sides",
        "skeptics", "sceptics", "supporters", "witnesses", "источники", "эксперты",
        "наблюдатели", "аналитики", "чиновники",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_][\w.'’-]*")
#: Columns of :func:`article_quotations`.
QUOTATION_COLUMNS = (
    "article_id",
    "start",
    "end",
    "kind",
    "speaker",
    "speaker_id",
    "source",
    "cue",
    "text",
    "sentence",
    "sentence_start",
    "sentence_end",
)
#: Columns of :func:`article_sources`.
SOURCE_COLUMNS = (
    "article_id",
    "source",
    "speaker_id",
    "speaker",
    "kind",
    "count",
    "speaker_as_written",
    "evidence",
)


def article_quotations(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    *,
    speakers: SpeakerLexicon | None = None,
    documents: Sequence[ArticleDocument] | None = None,
) -> pd.DataFrame:
    """Every quotation of every article, with its speaker.

    A speaker that names nobody (:func:`is_unnamed`) gets ``speaker_id`` ``""``.

    Parameters
    ----------
    articles : pandas.DataFrame
        Needs ``id`` and ``language``. Not modified.
    cleaned : pandas.DataFrame
        ``id`` and ``text_clean`` (see :func:`analysis.text.cleaning.clean_articles`).
    speakers : SpeakerLexicon, optional
        Speakers and aliases; the shipped ``speakers.yaml`` by default.
    documents : sequence of ArticleDocument, optional
        The articles' documents (:func:`analysis.labels.document.article_documents`,
        built here with ``speakers`` when omitted), whose quotations are listed.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`QUOTATION_COLUMNS`: the quotation's offsets in the
        cleaned text, ``kind`` (``direct`` or ``reported``), ``speaker`` as
        written, ``speaker_id`` (``""`` when unknown), ``source`` (the id; else
        :data:`UNNAMED` for a pronoun or a group without a name or affiliation,
        see :func:`is_unnamed`; else the speaker in lower case; else
        :data:`UNATTRIBUTED`), ``cue`` (the attribution words), the quoted
        ``text`` and the sentence where the quotation starts with its
        offsets. Articles in input order, quotations in text order; none
        for articles not in :data:`SUPPORTED_LANGUAGE`.

    Raises
    ------
    ValueError
        If a column is missing, an article has no cleaned text or
        ``documents`` are not those of ``articles``.
    """
    lexicon = speakers if speakers is not None else load_speakers()
    rows = []
    for document in documents_for(articles, cleaned, documents, speakers=lexicon):
        if document.language != SUPPORTED_LANGUAGE:
            continue
        for quotation in document.quotations:
            sentence = document.sentence_at(quotation.start)
            source = _source(quotation.speaker_id, quotation.speaker, lexicon)
            rows.append(
                (
                    document.article_id,
                    quotation.start,
                    quotation.end,
                    quotation.kind,
                    quotation.speaker,
                    "" if source == UNNAMED else quotation.speaker_id,
                    source,
                    quotation.cue,
                    quotation.text,
                    sentence.text,
                    sentence.start,
                    sentence.end,
                )
            )
    return pd.DataFrame(rows, columns=list(QUOTATION_COLUMNS)).astype(
        {"start": "int64", "end": "int64", "sentence_start": "int64", "sentence_end": "int64"}
    )


def _vague_words() -> frozenset[str]:
    words = load_attribution_words()
    return frozenset(
        {
            *words.determiners,
            *words.adjectives,
            *words.heads,
            *words.person_pronouns,
            *words.group_pronouns,
            *_PRONOUNS,
            *_GROUP_NOUNS,
        }
    )


def is_unnamed(speaker: str) -> bool:
    """Whether ``speaker`` (as written) names nobody one could look up.

    It does when every word is a pronoun, a determiner, a descriptive
    adjective (``senior``, ``Western``, ``Russian``) or a noun for a kind of
    speaker (``officials``, ``sources``, ``supporters``), as in ``he``,
    ``они``, ``Supporters`` or ``Both Western and Russian sources``. A name
    or an affiliation (``Kremlin sources``, ``Pasi Eronen``) makes it named.
    An empty speaker is unattributed, not unnamed.
    """
    words = [word.lower().rstrip(".") for word in _WORD.findall(speaker)]
    vague = _vague_words()
    return bool(words) and all(word in vague or f"{word}." in vague for word in words)


def _source(speaker_id: str, speaker: str, lexicon: SpeakerLexicon) -> str:
    # An id the speakers file does not list is the slug of the words as written, and
    # "Supporters" opening a sentence looks like a name.
    if speaker_id in lexicon.speakers:
        return speaker_id
    if is_unnamed(speaker):
        return UNNAMED
    if speaker_id:
        return speaker_id
    return " ".join(speaker.lower().split()) or UNATTRIBUTED


def _check_quotations(quotations: pd.DataFrame, columns: Sequence[str] = QUOTATION_COLUMNS) -> None:
    missing = [c for c in columns if c not in quotations.columns]
    if missing:
        raise ValueError(
            f"quotations is missing column(s) {', '.join(missing)}; "
            "pass the table returned by article_quotations"
        )


def _display_name(source: str, forms: list[str], lexicon: SpeakerLexicon) -> str:
    known = lexicon.speakers.get(source)
    if known is not None:
        return known.name
    if source == UNNAMED:
        return UNNAMED_NAME
    named = [form for form in forms if form]
    return max(named, key=len) if named else UNATTRIBUTED


def article_sources(
    quotations: pd.DataFrame,
    *,
    include_unattributed: bool = False,
    speakers: SpeakerLexicon | None = None,
) -> pd.DataFrame:
    """Who each article quotes or cites, and how.

    Parameters
    ----------
    quotations : pandas.DataFrame
        As returned by :func:`article_quotations`. Not modified.
    include_unattributed : bool, default False
        Keep quotations whose speaker was not found, as source
        :data:`UNATTRIBUTED`.
    speakers : SpeakerLexicon, optional
        For the display names of known speakers; the shipped file by default.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SOURCE_COLUMNS`: one row per article, source and kind
        (``direct``/``reported``) with ``count`` quotations; ``speaker`` is
        the speakers file's name for a known id, else the longest form as
        written; ``speaker_as_written`` lists the forms (``; ``); ``evidence``
        the sentences, `` | ``-separated, in text order. Sorted by article
        (input order), then decreasing count, source and kind.

    Raises
    ------
    ValueError
        If ``quotations`` lacks a column.
    """
    _check_quotations(quotations)
    lexicon = speakers if speakers is not None else load_speakers()
    table = quotations
    if not include_unattributed:
        table = table[table["source"] != UNATTRIBUTED]
    order = {article_id: i for i, article_id in enumerate(dict.fromkeys(quotations["article_id"]))}
    rows = []
    for (article_id, source, kind), part in table.groupby(
        ["article_id", "source", "kind"], sort=False
    ):
        forms = list(dict.fromkeys(part["speaker"]))
        rows.append(
            (
                article_id,
                source,
                str(part["speaker_id"].iloc[0]),
                _display_name(str(source), forms, lexicon),
                str(kind),
                len(part),
                "; ".join(form for form in forms if form),
                " | ".join(dict.fromkeys(part["sentence"])),
            )
        )
    result = pd.DataFrame(rows, columns=list(SOURCE_COLUMNS)).astype({"count": "int64"})
    result["_order"] = result["article_id"].map(order)
    result["_negative"] = -result["count"]
    return (
        result.sort_values(["_order", "_negative", "source", "kind"], kind="stable")
        .drop(columns=["_order", "_negative"])
        .reset_index(drop=True)
    )


def group_sources(
    sources: pd.DataFrame, articles: pd.DataFrame, *, by: str = "outlet"
) -> pd.DataFrame:
    """How many articles of each group cite each source, and how often.

    Parameters
    ----------
    sources : pandas.DataFrame
        As returned by :func:`article_sources`.
    articles : pandas.DataFrame
        ``id``, ``language`` and the ``by`` column: every article of the
        groups, so articles quoting nobody count in ``n_articles``. Not
        modified.
    by : str, default "outlet"
        The column to group by.

    Returns
    -------
    pandas.DataFrame
        Columns ``<by>``, ``source``, ``speaker_id``, ``speaker``, ``kind``,
        ``count`` (quotations), ``articles_citing``, ``n_articles`` (the
        group's articles in :data:`SUPPORTED_LANGUAGE`), ``share_of_articles``
        = articles_citing / n_articles, and ``n_unsupported`` (the group's
        articles in other languages, not analysed). One row per group, source
        and kind, sorted by group, then decreasing articles_citing and count.
        A group whose articles cite nobody has no row.

    Raises
    ------
    ValueError
        If ``by`` or ``language`` is not a column of ``articles`` or
        ``sources`` lacks a column.
    """
    check_group_inputs(sources, articles, by, SOURCE_COLUMNS, "sources")
    if "language" not in articles.columns:
        raise ValueError("articles is missing column(s) language")
    groups = articles[["id", by, "language"]].rename(columns={"id": "article_id"})
    supported = groups["language"] == SUPPORTED_LANGUAGE
    n_articles = groups[supported].groupby(by)["article_id"].nunique()
    n_unsupported = groups[~supported].groupby(by)["article_id"].nunique()
    merged = sources.merge(groups[["article_id", by]], on="article_id", how="inner")
    summary = (
        merged.groupby([by, "source", "kind"], sort=True)
        .agg(
            speaker_id=("speaker_id", "first"),
            speaker=("speaker", "first"),
            count=("count", "sum"),
            articles_citing=("article_id", "nunique"),
        )
        .reset_index()
    )
    summary["n_articles"] = summary[by].map(n_articles).fillna(0).astype("int64")
    summary["share_of_articles"] = summary["articles_citing"] / summary["n_articles"]
    summary["n_unsupported"] = summary[by].map(n_unsupported).fillna(0).astype("int64")
    columns = [by, "source", "speaker_id", "speaker", "kind", "count", "articles_citing"]
    summary = summary[[*columns, "n_articles", "share_of_articles", "n_unsupported"]]
    return summary.sort_values(
        [by, "articles_citing", "count", "source", "kind"],
        ascending=[True, False, False, True, True],
        kind="stable",
    ).reset_index(drop=True)


def source_evidence(quotations: pd.DataFrame) -> pd.DataFrame:
    """The sentences where each source speaks.

    Parameters
    ----------
    quotations : pandas.DataFrame
        As returned by :func:`article_quotations` (its ``sentence`` may be left
        out). Not modified.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`analysis.labels.evidence.EVIDENCE_COLUMNS` with
        ``analysis == "source"``, ``label`` the source, the offsets of the
        sentence where the quotation starts, ``cue_words`` the attribution
        (``said Pasi Eronen``, or ``(unattributed)``) and ``weight`` 1. One row
        per quotation, in the order of ``quotations``.

    Raises
    ------
    ValueError
        If ``quotations`` lacks a column.
    """
    _check_quotations(quotations, [c for c in QUOTATION_COLUMNS if c != "sentence"])
    return evidence_table(
        EvidenceRow(
            article_id=str(article_id),
            analysis="source",
            label=str(source),
            sentence_start=int(start),
            sentence_end=int(end),
            cue_words=cue or UNATTRIBUTED,
            weight=1.0,
        )
        for article_id, source, start, end, cue in zip(
            quotations["article_id"],
            quotations["source"],
            quotations["sentence_start"],
            quotations["sentence_end"],
            quotations["cue"],
            strict=True,
        )
    )
