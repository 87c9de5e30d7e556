"""The article document: what every per-article analysis reads, built once per article.

Stance, outcome framing, the learned labels, frames, the agenda and the
sources all read the same things of an article: its sentences, its quotations
with their speakers, and where it names a target. :func:`build_document` works
them out once; each analysis then reads the :class:`ArticleDocument` instead
of splitting the text or matching the targets again.

* Sentences: :func:`analysis.text.sentences.split_sentences` of the cleaned text.
* Quotations: :func:`analysis.labels.quotes.find_quotations` (direct and
  reported speech with their speakers), in English articles only
  (:data:`QUOTATION_LANGUAGE`): the speech verbs are English.
* Target mentions: per sentence, with ``he``/``his``/``him`` resolved to the
  person named last (:meth:`analysis.labels.targets.TargetMatcher.mentions_by_sentence`),
  in the article's language (inflected names such as ``Путина`` elsewhere);
  the headline's likewise, as one sentence.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.labels.quotes import Quotation, find_quotations
from analysis.labels.speakers import SpeakerLexicon, load_speakers
from analysis.labels.targets import Mention, TargetMatcher, default_matcher
from analysis.text.sentences import Sentence, split_sentences

__all__ = [
    "QUOTATION_LANGUAGE",
    "ArticleDocument",
    "article_documents",
    "article_texts",
    "build_document",
    "documents_for",
]

#: Quotations are found in articles of this language only.
QUOTATION_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class ArticleDocument:
    """One article as the per-article analyses read it.

    ``text`` is the cleaned body and ``title`` the headline (``""`` when
    none). ``sentences`` are the body's, with offsets into ``text``, and
    ``sentence_starts`` their start offsets. ``quotations`` are in text order
    (empty outside :data:`QUOTATION_LANGUAGE`). ``mentions`` holds each
    sentence's target mentions (``mentions[i]`` for ``sentences[i]``), pronouns
    resolved; ``title_mentions`` the headline's, offsets into ``title``.
    """

    article_id: str
    language: str
    title: str
    text: str
    sentences: tuple[Sentence, ...]
    sentence_starts: tuple[int, ...]
    quotations: tuple[Quotation, ...]
    mentions: tuple[tuple[Mention, ...], ...]
    title_mentions: tuple[Mention, ...]

    def sentence_at(self, position: int) -> Sentence:
        """The sentence holding ``position`` (the one before it when it falls between two).

        Raises
        ------
        ValueError
            If the text has no sentence.
        """
        if not self.sentences:
            raise ValueError(f"article {self.article_id!r} has no sentence")
        index = max(0, bisect.bisect_right(self.sentence_starts, position) - 1)
        return self.sentences[index]

    @property
    def bounds(self) -> list[tuple[int, int]]:
        """The sentences' ``(start, end)`` offsets."""
        return [(s.start, s.end) for s in self.sentences]

    @property
    def quote_spans(self) -> list[tuple[int, int, str]]:
        """``(start, end, speaker)`` of every quotation (speaker ``""`` when unattributed)."""
        return [(q.start, q.end, q.speaker) for q in self.quotations]


def build_document(
    article_id: str,
    language: str,
    title: str,
    text: str,
    *,
    matcher: TargetMatcher | None = None,
    speakers: SpeakerLexicon | None = None,
    quotations: Sequence[Quotation] | None = None,
) -> ArticleDocument:
    """Split, quote and match one article, once.

    Parameters
    ----------
    article_id, language, title, text
        The article: its id, ISO 639-1 language, headline and cleaned body.
    matcher : TargetMatcher, optional
        The targets; the shipped ``targets.yaml`` by default.
    speakers : SpeakerLexicon, optional
        Speakers and aliases for the quotations; the shipped file by default.
    quotations : sequence of Quotation, optional
        The article's quotations when they are known already (they are then
        not looked for).

    Returns
    -------
    ArticleDocument

    Raises
    ------
    ValueError
        If ``title`` or ``text`` is not a string.
    """
    if not isinstance(title, str):
        raise ValueError(f"title must be a str, not {type(title).__name__}")
    matcher = matcher if matcher is not None else default_matcher()
    sentences = tuple(split_sentences(text))
    if quotations is None:
        quotations = (
            find_quotations(
                text,
                speakers=speakers if speakers is not None else load_speakers(),
                sentences=sentences,
            )
            if language == QUOTATION_LANGUAGE
            else ()
        )
    bounds = [(s.start, s.end) for s in sentences]
    mentions = matcher.mentions_by_sentence(text, bounds, language)
    title_mentions = (
        matcher.mentions_by_sentence(title, [(0, len(title))], language)[0] if title else []
    )
    return ArticleDocument(
        article_id=article_id,
        language=language,
        title=title,
        text=text,
        sentences=sentences,
        sentence_starts=tuple(s.start for s in sentences),
        quotations=tuple(quotations),
        mentions=tuple(tuple(found) for found in mentions),
        title_mentions=tuple(title_mentions),
    )


def article_documents(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    *,
    matcher: TargetMatcher | None = None,
    speakers: SpeakerLexicon | None = None,
    quotes: pd.DataFrame | None = None,
) -> list[ArticleDocument]:
    """The document of every article, in ``articles`` order.

    Parameters
    ----------
    articles : pandas.DataFrame
        Needs ``id`` and ``language``; ``title`` is the headline when present.
        Not modified.
    cleaned : pandas.DataFrame
        ``id`` and ``text_clean`` (see :func:`analysis.text.cleaning.clean_articles`).
    matcher, speakers
        As for :func:`build_document`.
    quotes : pandas.DataFrame, optional
        Quotations found already: ``article_id``, ``start``, ``end`` and
        ``speaker`` (empty when unknown), optionally ``kind``, ``speaker_id``
        and ``cue``. They replace the ones :func:`build_document` would find,
        in every language.

    Raises
    ------
    ValueError
        If a column is missing or an article has no cleaned text.
    """
    titles = (
        [t if isinstance(t, str) else "" for t in articles["title"]]
        if "title" in articles.columns
        else [""] * len(articles)
    )
    texts = article_texts(articles, cleaned)
    given = _quotations(quotes, {article_id: text for article_id, _, text in texts})
    matcher = matcher if matcher is not None else default_matcher()
    return [
        build_document(
            article_id,
            language,
            title,
            text,
            matcher=matcher,
            speakers=speakers,
            quotations=given.get(article_id, ()) if given is not None else None,
        )
        for (article_id, language, text), title in zip(texts, titles, strict=True)
    ]


def _quotations(
    quotes: pd.DataFrame | None, texts: dict[str, str]
) -> dict[str, list[Quotation]] | None:
    """A quotations frame as each article's :class:`Quotation` list."""
    if quotes is None:
        return None
    missing = [c for c in ("article_id", "start", "end", "speaker") if c not in quotes.columns]
    if missing:
        raise ValueError(f"quotes is missing column(s) {', '.join(missing)}")
    empty = pd.Series([""] * len(quotes), index=quotes.index)
    found: dict[str, list[Quotation]] = {}
    for article_id, start, end, speaker, kind, speaker_id, cue in zip(
        quotes["article_id"],
        quotes["start"],
        quotes["end"],
        quotes["speaker"],
        quotes["kind"] if "kind" in quotes.columns else empty,
        quotes["speaker_id"] if "speaker_id" in quotes.columns else empty,
        quotes["cue"] if "cue" in quotes.columns else empty,
        strict=True,
    ):
        key = str(article_id)
        text = texts.get(key, "")
        found.setdefault(key, []).append(
            Quotation(
                int(start),
                int(end),
                text[int(start) : int(end)],
                str(kind) if isinstance(kind, str) and kind else "direct",
                speaker if isinstance(speaker, str) else "",
                speaker_id if isinstance(speaker_id, str) else "",
                cue if isinstance(cue, str) else "",
            )
        )
    return found


def article_texts(articles: pd.DataFrame, cleaned: pd.DataFrame) -> list[tuple[str, str, str]]:
    """``(article id, language, cleaned text)`` for every article, in ``articles`` order.

    Raises
    ------
    ValueError
        If a column is missing (``articles``: ``id``, ``language``;
        ``cleaned``: ``id``, ``text_clean``) or an article has no cleaned text.
    """
    for frame, name, columns in (
        (articles, "articles", ("id", "language")),
        (cleaned, "cleaned", ("id", "text_clean")),
    ):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} is missing column(s) {', '.join(missing)}")
    by_id = dict(zip(cleaned["id"], cleaned["text_clean"], strict=True))
    unknown = [str(i) for i in articles["id"] if i not in by_id]
    if unknown:
        raise ValueError(f"cleaned has no text for article(s) {', '.join(unknown[:5])}")
    return [
        (str(i), str(language), text if isinstance(text, str) else "")
        for i, language in zip(articles["id"], articles["language"], strict=True)
        for text in (by_id[i],)
    ]


def documents_for(
    articles: pd.DataFrame,
    cleaned: pd.DataFrame,
    documents: Sequence[ArticleDocument] | None,
    *,
    matcher: TargetMatcher | None = None,
    speakers: SpeakerLexicon | None = None,
    quotes: pd.DataFrame | None = None,
) -> Sequence[ArticleDocument]:
    """``documents`` when given (they must be those of ``articles``, in order), else
    :func:`article_documents` of the articles, built with the other arguments.

    Raises
    ------
    ValueError
        As :func:`article_documents`, or if ``documents`` are of other articles.
    """
    if documents is None:
        return article_documents(
            articles, cleaned, matcher=matcher, speakers=speakers, quotes=quotes
        )
    ids = [str(i) for i in articles["id"]]
    if [d.article_id for d in documents] != ids:
        raise ValueError(
            f"documents are of {len(documents)} article(s) that are not the "
            f"{len(ids)} article(s) given, in order"
        )
    return documents
