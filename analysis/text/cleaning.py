"""Turn raw article text (as published, with page chrome) into analysable text.

Cleaning never changes the raw text; it returns the analysable text *and* every
piece it removed, with the line numbers, the rule that fired and a reason an
analyst can read and disagree with.

Steps, in order, for one article:

1. **Characters** (:mod:`analysis.text.normalize`). Line endings become
   ``\\n`` (``\\r\\n``, ``\\r``, U+2028 and U+2029 each count as one line
   break, so line numbers match an editor's). Sentences glued without a space
   (``time.The``, ``2014.”Officials``, ``worse.“Capitulating``) get the space
   back; the quote's direction decides which side of it the space goes. Then
   curly and low quotes and guillemets become straight ``"`` and ``'``; en and
   em dashes become ``—``, hyphen and minus variants ``-``; ``…`` becomes
   ``...``; non-breaking and other special spaces become a plain space,
   zero-width characters and soft hyphens are dropped, runs of spaces collapse
   and lines are stripped. Leading bullet symbols are dropped.
2. **Line rules** (:mod:`analysis.text.chrome`), first match wins: the
   headline repeated as a line (also as ``Headline | Site``), a line that is
   only the outlet's name, bylines and credit lines, a line that is only a
   date, general web-chrome patterns (copyright, licence, funding, cookies,
   donation, newsletter, subscribe, comment form, correction request, ad
   blocker, share/follow, related and next/previous post, disclaimer, read
   more/click here, teasers cut off with ``[...]``), image captions (the same
   short line twice in a row) and a line repeating an earlier line of the same
   article.
3. **Learned boilerplate** (:func:`learn_boilerplate`): see
   :class:`analysis.text.boilerplate.BoilerplateModel` for when a line that
   repeats across articles is removed and when it is kept.
4. **Structure** (:mod:`analysis.text.chrome`). After a strong end-of-article
   marker (``Related Posts``, ``Next Post``, ``Leave a Reply``, ``No
   comments:``, ``Post a Comment`` ...) everything is chrome, and before the
   headline line everything is chrome — each only when the text on the cut
   side is smaller than the text kept, so a marker or headline in an odd place
   cannot swallow the article.
5. **Repair** (here). Lines hard-wrapped inside a sentence are joined; header
   lines (headline, subtitle, author, dateline) are not. Each remaining line
   is a paragraph; paragraphs are separated by a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.corpus.types import list_items
from analysis.text.boilerplate import (
    BoilerplateModel,
    apply_learned,
    count_repeated_lines,
    repeat_key,
)
from analysis.text.chrome import (
    Verdict,
    cut_after_end_marker,
    cut_before_headline,
    line_context,
    line_verdicts,
)
from analysis.text.normalize import normalize_lines, unify_line_breaks

__all__ = [
    "CleanedText",
    "Removal",
    "clean_articles",
    "clean_text",
    "learn_boilerplate",
]


@dataclass(frozen=True)
class Removal:
    """One piece of raw text that cleaning removed.

    ``line_start`` and ``line_end`` are 1-based, inclusive line numbers in the
    raw text; ``text`` is the raw text of those lines (or the removed part of a
    line); ``rule`` is a stable rule name and ``reason`` says why in words.
    """

    line_start: int
    line_end: int
    text: str
    rule: str
    reason: str


@dataclass(frozen=True)
class CleanedText:
    """Analysable text (paragraphs separated by a blank line) and what was removed."""

    text: str
    removed: tuple[Removal, ...]


_IMAGE_PLACEHOLDER = re.compile(r"^(?:image|photo|picture|img)(?=[A-Z])")
_TERMINAL = re.compile(r"(?:[.!?:;]|\.\.\.)[\"')\]]*$")

_CONTINUATION_WORDS = frozenset(
    re.findall(
        r"\S+",
        "a an the of to in on at for with by from and or but nor that than as into onto upon "
        "about over under between against through during without within via whose which who "
        "whom whether if because while although though so its their his her our your my this "
        "these those is are was were be been being has have had not",
    )
)


def learn_boilerplate(
    texts: Sequence[str],
    outlets: Sequence[str],
    *,
    min_articles: int = 2,
    min_share: float = 0.5,
) -> BoilerplateModel:
    """Count the lines that repeat across articles and outlets.

    Parameters
    ----------
    texts : sequence of str
        Raw article texts.
    outlets : sequence of str
        The outlet of each text, in the same order.
    min_articles : int, default 2
        A line must appear in at least this many articles to count as
        repeated; in as many articles of one outlet to count as that outlet's.
    min_share : float, default 0.5
        Share of an outlet's articles a sentence-like line in the body must
        appear in to be removed (see :class:`BoilerplateModel`).

    Returns
    -------
    BoilerplateModel
        Counts of repeated lines, for :func:`clean_text`.

    Raises
    ------
    ValueError
        If the sequences differ in length, ``min_articles`` is below 2 or
        ``min_share`` is not in (0, 1].
    """
    if len(texts) != len(outlets):
        raise ValueError(f"got {len(texts)} texts but {len(outlets)} outlets; pass one per text")
    return count_repeated_lines(
        [_prepare(text).keys for text in texts], outlets, min_articles, min_share
    )


def clean_text(
    raw: str,
    *,
    title: str = "",
    outlet_name: str = "",
    authors: Sequence[str] = (),
    boilerplate: BoilerplateModel | None = None,
    article_outlet: str = "",
) -> CleanedText:
    """Clean one article.

    Parameters
    ----------
    raw : str
        The text as published, with page chrome.
    title : str, optional
        The headline; lines repeating it are removed (it is metadata, kept
        elsewhere).
    outlet_name : str, optional
        The outlet's display name; a line that is only this name (or one part
        of it, e.g. ``OSW`` of ``OSW – Centre for Eastern Studies``) is removed.
    authors : sequence of str, optional
        Author names; a line that is only one of them is removed as a byline.
    boilerplate : BoilerplateModel, optional
        Repeated lines learned from the corpus with :func:`learn_boilerplate`.
    article_outlet : str, optional
        The outlet key this article belongs to in ``boilerplate``; it also
        counts as an outlet name (``euromaidan-press`` matches
        ``Euromaidan Press``).

    Returns
    -------
    CleanedText
        The analysable text and the removed pieces, in line order.

    Raises
    ------
    ValueError
        If ``raw`` is not a string.
    """
    if not isinstance(raw, str):
        raise ValueError(f"raw must be a str, not {type(raw).__name__}")
    return _clean(
        raw,
        _prepare(raw),
        title=title,
        outlet_name=outlet_name,
        authors=authors,
        boilerplate=boilerplate,
        article_outlet=article_outlet,
    )


def clean_articles(articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean every article, learning boilerplate across the whole frame.

    Parameters
    ----------
    articles : pandas.DataFrame
        Needs columns ``id``, ``outlet`` and ``text`` (raw). ``title``,
        ``outlet_name`` and ``authors`` (a tuple of names, as the articles
        table holds them) are used when present. Not modified.

    Returns
    -------
    cleaned : pandas.DataFrame
        Columns ``id`` and ``text_clean``, same index and row order as
        ``articles``.
    removed : pandas.DataFrame
        One row per removed piece, columns ``id``, ``line_start``,
        ``line_end`` (1-based, inclusive, in the raw text), ``rule``,
        ``reason`` and ``text`` (the raw text removed).

    Raises
    ------
    ValueError
        If a required column is missing or a text is not a string.
    """
    missing = [column for column in ("id", "outlet", "text") if column not in articles.columns]
    if missing:
        raise ValueError(f"articles is missing column(s) {', '.join(missing)}")
    ids = articles["id"].tolist()
    texts = articles["text"].tolist()
    for article_id, text in zip(ids, texts, strict=True):
        if not isinstance(text, str):
            raise ValueError(f"article {article_id!r}: text is {type(text).__name__}, not str")
    outlets = [_text_or_empty(value) for value in articles["outlet"].tolist()]
    titles = _optional_column(articles, "title")
    outlet_names = _optional_column(articles, "outlet_name")
    authors = articles["authors"].tolist() if "authors" in articles.columns else [()] * len(ids)

    prepared = [_prepare(text) for text in texts]
    model = count_repeated_lines([article.keys for article in prepared], outlets, 2, 0.5)
    cleaned_texts: list[str] = []
    removed_rows: list[tuple[object, int, int, str, str, str]] = []
    for i, article_id in enumerate(ids):
        result = _clean(
            texts[i],
            prepared[i],
            title=titles[i],
            outlet_name=outlet_names[i],
            authors=[name.strip() for name in list_items(authors[i]) if name.strip()],
            boilerplate=model,
            article_outlet=outlets[i],
        )
        # An article cleaning left as it was keeps its text, rather than a copy of it.
        cleaned_texts.append(texts[i] if result.text == texts[i] else result.text)
        removed_rows.extend(
            (article_id, r.line_start, r.line_end, r.rule, r.reason, r.text) for r in result.removed
        )
    cleaned = pd.DataFrame(
        {"id": ids, "text_clean": pd.Series(cleaned_texts, dtype=object, index=articles.index)},
        index=articles.index,
    )
    removed = pd.DataFrame(
        removed_rows, columns=["id", "line_start", "line_end", "rule", "reason", "text"]
    )
    return cleaned, removed.astype({"line_start": "int64", "line_end": "int64"})


@dataclass(frozen=True)
class _Prepared:
    """One article's normalized lines and repeat keys (kept for the whole corpus, so lean)."""

    lines: list[str]
    keys: list[str]
    inline: tuple[Removal, ...]


def _prepare(raw: str) -> _Prepared:
    lines = normalize_lines(raw)
    inline = []
    for i, line in enumerate(lines):
        placeholder = _IMAGE_PLACEHOLDER.match(line)
        if placeholder:
            lines[i] = line[placeholder.end() :]
            text = line[: placeholder.end()]
            reason = "image placeholder glued to the text"
            inline.append(Removal(i + 1, i + 1, text, "image_placeholder", reason))
    keys = [repeat_key(line) for line in "\n".join(lines).lower().split("\n")]
    return _Prepared(lines, keys, tuple(inline))


def _clean(
    raw: str,
    article: _Prepared,
    *,
    title: str,
    outlet_name: str,
    authors: Sequence[str],
    boilerplate: BoilerplateModel | None,
    article_outlet: str,
) -> CleanedText:
    lines, keys = article.lines, article.keys
    context = line_context(
        title=title, outlet_name=outlet_name, authors=authors, article_outlet=article_outlet
    )
    verdicts = line_verdicts(lines, keys, context)
    if boilerplate is not None:
        apply_learned(lines, keys, verdicts, boilerplate, article_outlet)
    cut_after_end_marker(lines, verdicts)
    cut_before_headline(lines, verdicts)

    grouped = _group_removals(unify_line_breaks(raw).split("\n"), verdicts)
    removed = sorted([*article.inline, *grouped], key=_removal_order)
    kept = [line if verdicts[i] is None else "" for i, line in enumerate(lines)]
    return CleanedText("\n\n".join(_paragraphs(kept)), tuple(removed))


def _group_removals(raw_lines: list[str], verdicts: list[Verdict]) -> list[Removal]:
    groups: list[list[int]] = []
    for i, verdict in enumerate(verdicts):
        if verdict is None:
            continue
        if (
            groups
            and verdicts[groups[-1][0]] == verdict
            and _only_blank_between(raw_lines, groups[-1][1], i)
        ):
            groups[-1][1] = i
        else:
            groups.append([i, i])
    removals = []
    for start, end in groups:
        rule, reason = verdicts[start] or ("", "")
        text = "\n".join(raw_lines[start : end + 1])
        removals.append(Removal(start + 1, end + 1, text, rule, reason))
    return removals


def _only_blank_between(raw_lines: list[str], lo: int, hi: int) -> bool:
    return all(not raw_lines[j].strip() for j in range(lo + 1, hi))


def _removal_order(removal: Removal) -> tuple[int, int]:
    return removal.line_start, removal.line_end


def _paragraphs(kept: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in kept:
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and not _continues(current[-1], line, in_run=len(current) > 1):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _continues(previous: str, line: str, *, in_run: bool) -> bool:
    """Whether ``line`` continues a sentence hard-wrapped at the end of ``previous``."""
    if _TERMINAL.search(previous):
        return False
    if line[0].islower():
        return True
    if previous.rsplit(" ", 1)[-1].lower() in _CONTINUATION_WORDS:
        return True
    # Inside a paragraph already known to be hard-wrapped, a capital at the
    # start of a line is a name ("Moscow\nKerry"), not a new header line.
    return in_run


def _optional_column(articles: pd.DataFrame, column: str) -> list[str]:
    if column not in articles.columns:
        return [""] * len(articles)
    return [_text_or_empty(value) for value in articles[column].tolist()]


def _text_or_empty(value: object) -> str:
    return value if isinstance(value, str) else ""
