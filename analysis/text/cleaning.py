"""Turn raw article text (as published, with page chrome) into analysable text.

Cleaning never changes the raw text; it returns the analysable text *and* every
piece it removed, with the line numbers, the rule that fired and a reason an
analyst can read and disagree with.

Steps, in order, for one article:

1. **Characters.** Line endings become ``\\n`` (``\\r\\n``, ``\\r``, U+2028 and
   U+2029 each count as one line break, so line numbers match an editor's).
   Sentences glued without a space (``time.The``, ``2014.”Officials``,
   ``worse.“Capitulating``) get the space back; the quote's direction decides
   which side of it the space goes. Then curly and low quotes and guillemets
   become straight ``"`` and ``'``; en and em dashes become ``—``, hyphen and
   minus variants ``-``; ``…`` becomes ``...``; non-breaking and other
   special spaces become a plain space, zero-width characters and soft hyphens
   are dropped, runs of spaces collapse and lines are stripped. Leading bullet
   symbols are dropped.
2. **Line rules**, first match wins: the headline repeated as a line (also as
   ``Headline | Site``), a line that is only the outlet's name, bylines and
   credit lines, a line that is only a date, general web-chrome patterns
   (copyright, licence, funding, cookies, donation, newsletter, subscribe,
   comment form, correction request, ad blocker, share/follow, related and
   next/previous post, disclaimer, read more/click here, teasers cut off with
   ``[...]``), image captions (the same short line twice in a row) and a line
   repeating an earlier line of the same article.
3. **Learned boilerplate** (:func:`learn_boilerplate`): see
   :class:`BoilerplateModel` for when a line that repeats across articles is
   removed and when it is kept.
4. **Structure.** After a strong end-of-article marker (``Related Posts``,
   ``Next Post``, ``Leave a Reply``, ``No comments:``, ``Post a Comment`` ...)
   everything is chrome, and before the headline line everything is chrome —
   each only when the text on the cut side is smaller than the text kept, so
   a marker or headline in an odd place cannot swallow the article.
5. **Repair.** Lines hard-wrapped inside a sentence are joined; header lines
   (headline, subtitle, author, dateline) are not. Each remaining line is a
   paragraph; paragraphs are separated by a blank line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "BoilerplateModel",
    "CleanedText",
    "Removal",
    "clean_articles",
    "clean_text",
    "learn_boilerplate",
    "normalize_characters",
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


@dataclass(frozen=True)
class BoilerplateModel:
    """Lines that repeat across a corpus, counted per outlet.

    Lines are compared after character normalization, ignoring case,
    punctuation at either end and, in lines of up to 200 characters, the value
    of numbers (``Copyright © 2021`` matches ``Copyright © 2024``). Only lines
    found in at least ``min_articles`` articles are kept.

    A repeated line is removed from an article when it looks like chrome:

    * a short or non-sentence line (fewer than 4 words, or no final
      punctuation and fewer than 12 words) — when it sits in the article's
      head or tail region, or repeats in ``min_articles`` articles of the same
      outlet, or appears in at least 3 outlets;
    * a sentence-like line — when it repeats in ``min_articles`` articles of
      the same outlet and sits in the head or tail region, or, in the body,
      when it is in at least 3 articles and ``min_share`` of the outlet's
      articles.

    The head and tail regions are the runs of lines, from the start and from
    the end, that are all chrome already or repeated. So a sentence that two
    outlets both quote is never removed, wherever it sits, and one outlet
    quoting it twice in the body is kept too.
    """

    min_articles: int
    min_share: float
    outlet_sizes: Mapping[str, int]
    articles_with: Mapping[str, int]
    outlets_with: Mapping[str, int]
    outlet_articles_with: Mapping[tuple[str, str], int]

    def _verdict(self, key: str, outlet: str, *, sentence_like: bool, at_edge: bool) -> str:
        articles = self.articles_with.get(key, 0)
        if articles < self.min_articles:
            return ""
        in_outlet = self.outlet_articles_with.get((outlet, key), 0)
        same_outlet = in_outlet >= self.min_articles
        outlets = self.outlets_with.get(key, 0)
        if same_outlet:
            reason = f"repeated in {in_outlet} articles of {outlet}"
        else:
            reason = f"repeated in {articles} articles of {outlets} outlets"
        if not sentence_like:
            return reason if at_edge or same_outlet or outlets >= 3 else ""
        if at_edge:
            return reason if same_outlet else ""
        share = in_outlet / max(self.outlet_sizes.get(outlet, 1), 1)
        widespread = in_outlet >= max(3, self.min_articles) and share >= self.min_share
        return reason if widespread else ""


_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_REPLACEMENTS: dict[str, str] = {
    **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛′‹›", "'"),
    **dict.fromkeys("‒–—―⸺⸻", "—"),
    **dict.fromkeys("‐‑−", "-"),
    "…": "...",
    **dict.fromkeys("\t\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005", " "),
    **dict.fromkeys("\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
}
# A regex over the few special characters is several times faster than
# str.translate on non-ASCII text, and most lines hold only a few of them.
_SPECIAL = re.compile("[" + "".join(_REPLACEMENTS) + "]")
_LOWER = "a-zà-öø-ÿа-яё"
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
# Two lowercase letters or digits before the stop keep "U.S.", "e.g." and
# "St.Petersburg"-style spellings out; a capital after it keeps domains and decimals out.
# Each pattern starts with the character it looks for so the regex engine can
# skip to it; the lookbehind then checks what came before.
_GLUED_CURLY = re.compile(rf"[.!?](?<=[{_LOWER}\d]{{2}}[.!?])[”’»)]*(?=[“‘«(]*[{_UPPER}])")
_GLUED_STRAIGHT = re.compile(rf"\"(?<=[{_LOWER}\d]{{2}}[.!?]\")(?=[{_UPPER}])")
_SPACES = re.compile(r"  +")
_BULLETS = "•·▪●◦►■‣⁃"
_BULLET = re.compile(rf"^[{_BULLETS}]\s*")
_IMAGE_PLACEHOLDER = re.compile(r"^(?:image|photo|picture|img)(?=[A-Z])")
_KEY_NUMBER = re.compile(r"\d+")
_KEY_NON_WORD = re.compile(r"[\W_]+")
_KEY_EDGES = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~—©"
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||—|-|::|»)\s+")
_TERMINAL = re.compile(r"(?:[.!?:;]|\.\.\.)[\"')\]]*$")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_LEADING_PUNCT = re.compile(r"^[\W_]+")


def _rules(*rules: tuple[str, str, str]) -> tuple[re.Pattern[str], dict[str, str]]:
    pattern = "|".join(f"(?P<{name}>{regex})" for name, _, regex in rules)
    return re.compile(pattern, re.IGNORECASE), {name: reason for name, reason, _ in rules}


@dataclass(frozen=True)
class _AnywhereRule:
    name: str
    reason: str
    triggers: tuple[str, ...]
    pattern: re.Pattern[str]


def _anywhere(name: str, reason: str, triggers: str, regex: str) -> _AnywhereRule:
    return _AnywhereRule(name, reason, tuple(triggers.split("|")), re.compile(regex))


# Phrases that are chrome wherever they occur in a line: they do not occur in
# news prose about diplomacy. Patterns run on the lowercased line, and only when
# one of the plain-substring triggers is in it (substring search is far faster
# than a regex scan); every alternative of a pattern must contain a trigger.
_ANYWHERE_RULES = (
    _anywhere(
        "copyright",
        "copyright notice",
        "©|all rights reserved|(c)|copyright",
        r"©|\ball rights reserved\b|\(c\) ?\d{4}|^copyright\b",
    ),
    _anywhere(
        "licence",
        "licence or reprint notice",
        "active hyperlink|written permission|may not be|referencing our materials|creative commons",
        r"\bplease include an active hyperlink|\bwritten permission must be"
        r"|\bmay not be (?:reproduced|republished|reprinted|redistributed)"
        r"|\bwhen referencing our materials|\blicensed under (?:a |the )?creative commons",
    ),
    _anywhere(
        "funding",
        "funding notice",
        "supported by|funded by|sponsored by|made possible by",
        r"^(?:the work of|this (?:publication|project|website|site|article|material)"
        r" (?:is|was|has been))\b.{0,80}\b(?:supported|funded|sponsored|made possible) by\b",
    ),
    _anywhere(
        "cookies",
        "cookie or privacy notice",
        "cookie|privacy",
        r"\b(?:cookie|privacy) (?:policy|policies|settings|notice|preferences)\b"
        r"|\bprivacy and cookie\b|\bwe use cookies\b|\buse of cookies\b"
        r"|\baccept (?:all )?cookies\b",
    ),
    _anywhere(
        "donation",
        "donation appeal",
        "become a|donate|donation|support independent|patreon|support our|support this"
        "|buy me a coffee",
        r"\bbecome a (?:patron|member|supporter)\b|\bdonate (?:now|today|here)\b"
        r"|\bmake a donation\b|\bsupport independent journalism\b|\bpatreon\.com\b"
        r"|\bsupport (?:our|this) (?:work|journalism|reporting|newsroom)\b|\bbuy me a coffee\b",
    ),
    _anywhere(
        "newsletter",
        "newsletter sign-up prompt",
        "newsletter",
        r"\b(?:sign up|subscribe|register) (?:for|to) (?:our|the|my) (?:\w+ )?newsletters?\b",
    ),
    _anywhere(
        "comment_form",
        "comment form",
        "will not be published|required fields|may post a comment|save my name|akismet",
        r"\byour email address will not be published\b|\brequired fields are marked\b"
        r"|\bonly a member of this blog may post a comment\b"
        r"|\bsave my name, email,? and website\b|\bthis site uses akismet\b",
    ),
    _anywhere(
        "correction",
        "correction-request block",
        "ctrl|correction",
        r"\bpress ctrl ?\+ ?enter\b|\bto suggest a correction\b"
        r"|\bleave your suggestions or corrections\b",
    ),
    _anywhere("ad_blocker", "ad-blocker notice", "block", r"\bad[ -]?block(?:er|ers|ing)?\b"),
    _anywhere(
        "disclaimer",
        "site disclaimer",
        "good faith|general information|warrant|liable for any|action you take upon",
        r"\bpublished in good faith\b|\bfor general information purposes?\b"
        r"|\bdoes not make any warrant(?:y|ies)\b|\bnot be liable for any (?:losses|damages)\b"
        r"|\bany action you take upon the information\b",
    ),
    _anywhere("teaser", "teaser of another post, cut off with [...]", "[...]", r"\[\.\.\.\]$"),
)

# Prompts that are chrome only as a short line of their own ("Read more",
# "Subscribe"); in a long line the same words can be prose.
_PROMPT_MAX_WORDS = 12
_PROMPT, _PROMPT_REASONS = _rules(
    ("subscribe", "subscribe prompt", r"subscribe\b|sign up\b|log in\b|register now\b"),
    (
        "comment_form",
        "comment form",
        r"leave a (?:reply|comment)\b|post (?:a )?comment\b|no comments\b|\d+ comments?\b"
        r"|comments?\s*(?:\(\d+\))?\s*:?$|(?:name|e-?mail|website)\s*\*?$",
    ),
    (
        "share",
        "share or follow prompt",
        r"share (?:this|on|via|the article)\b|share:|follow us\b|like us on\b|tweet this\b",
    ),
    (
        "related",
        "related or next/previous post links",
        r"related(?: (?:posts?|articles?|stories|news|content|reading))?\s*:?$"
        r"|related (?:posts?|articles?|stories)\b|(?:read|see) also\b|you (?:may|might) also\b"
        r"|(?:next|previous|prev|older|newer) (?:post|article|story|entry)\b",
    ),
    ("disclaimer", "site disclaimer", r"disclaimers?\b"),
    (
        "read_more",
        "read-more or click-here link",
        r"read more\b|continue reading\b|click here\b|tap here\b",
    ),
    ("about_outlet", "about-the-outlet block", r"about us\s*:?$"),
)

# A strong end-of-article marker: everything after it is chrome.
_END_MARKER = re.compile(
    r"(?:related (?:posts?|articles?|stories)|(?:next|previous) (?:post|article|story)"
    r"|you (?:may|might) also like|leave a (?:reply|comment)|post a comment"
    r"|no comments|\d+ comments?)\s*:?$",
    re.IGNORECASE,
)

_BYLINE = re.compile(
    r"^(?:(?i:(?:edited|translated|written|reported|compiled|adapted|produced|illustrated"
    r"|photographed|reviewed|fact-checked) by|article by|story by|text by|words by|by"
    r"|authors?|editors?|translations?|translators?|sources?|photos?|images?|credits?"
    r"|photo credit|image credit|illustration)\s*:\s*\S"
    r"|By [A-ZÀ-ÖØ-ÞА-ЯЁ][^.!?]*$)",
)
_BYLINE_MAX_WORDS = 15
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATELINE = re.compile(
    r"^(?:(?:published|posted|updated|date)(?: on)?\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?)?$",
    re.IGNORECASE,
)
_CAPTION_MAX_WORDS = 40
_SITE_SUFFIX_MAX_LENGTH = 80
_NUMBER_BLIND_MAX_LENGTH = 200

_CONTINUATION_WORDS = frozenset(
    re.findall(
        r"\S+",
        "a an the of to in on at for with by from and or but nor that than as into onto upon "
        "about over under between against through during without within via whose which who "
        "whom whether if because while although though so its their his her our your my this "
        "these those is are was were be been being has have had not",
    )
)


def normalize_characters(text: str) -> str:
    """Normalize quotes, dashes, spaces and line breaks; keep the line count.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text with glued sentences spaced (``time.The`` → ``time. The``),
        straight quotes, ``—`` for en/em dashes, ``-`` for hyphen variants,
        ``...`` for ``…``, plain single spaces, no zero-width characters or soft
        hyphens, stripped lines and ``\\n`` line breaks. Blank lines are kept,
        so line *n* of the result is line *n* of the input.
    """
    return "\n".join(_normalize_lines(text))


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
    return _learn([_prepare(text).keys for text in texts], outlets, min_articles, min_share)


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
        ``outlet_name`` and ``authors`` (names joined with ``'; '``) are used
        when present. Not modified.

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
    authors = _optional_column(articles, "authors")

    prepared = [_prepare(text) for text in texts]
    model = _learn([article.keys for article in prepared], outlets, 2, 0.5)
    cleaned_texts: list[str] = []
    removed_rows: list[tuple[object, int, int, str, str, str]] = []
    for i, article_id in enumerate(ids):
        result = _clean(
            texts[i],
            prepared[i],
            title=titles[i],
            outlet_name=outlet_names[i],
            authors=[name.strip() for name in authors[i].split(";") if name.strip()],
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
    lines = _normalize_lines(raw)
    inline = []
    for i, line in enumerate(lines):
        placeholder = _IMAGE_PLACEHOLDER.match(line)
        if placeholder:
            lines[i] = line[placeholder.end() :]
            text = line[: placeholder.end()]
            reason = "image placeholder glued to the text"
            inline.append(Removal(i + 1, i + 1, text, "image_placeholder", reason))
    keys = [_repeat_key(line) for line in "\n".join(lines).lower().split("\n")]
    return _Prepared(lines, keys, tuple(inline))


def _learn(
    article_keys: Sequence[Sequence[str]],
    outlets: Sequence[str],
    min_articles: int,
    min_share: float,
) -> BoilerplateModel:
    if min_articles < 2:
        raise ValueError(f"min_articles must be at least 2, got {min_articles}")
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1], got {min_share}")
    articles_with: Counter[str] = Counter()
    outlet_articles_with: Counter[tuple[str, str]] = Counter()
    for keys, outlet in zip(article_keys, outlets, strict=True):
        distinct = set(keys)
        distinct.discard("")
        articles_with.update(distinct)
        outlet_articles_with.update((outlet, key) for key in distinct)
    repeated = {key: n for key, n in articles_with.items() if n >= min_articles}
    per_outlet = {pair: n for pair, n in outlet_articles_with.items() if pair[1] in repeated}
    return BoilerplateModel(
        min_articles=min_articles,
        min_share=min_share,
        outlet_sizes=dict(Counter(outlets)),
        articles_with=repeated,
        outlets_with=dict(Counter(key for _, key in per_outlet)),
        outlet_articles_with=per_outlet,
    )


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
    names = [_normalize_line(name) for name in (title, *authors)]
    names += _name_parts(outlet_name, article_outlet)
    context = _Context(
        title=_name_key(_normalize_line(title)),
        names=frozenset(_name_key(part) for part in _name_parts(outlet_name, article_outlet)),
        authors=frozenset(_name_key(_normalize_line(author)) for author in authors),
        # A line much longer than every name cannot be one of them ("Title | Site" aside).
        max_length=max(map(len, names), default=0) + _SITE_SUFFIX_MAX_LENGTH,
    )
    candidates = _anywhere_candidates("\n".join(lines).lower())
    verdicts: list[tuple[str, str] | None] = [None] * len(lines)
    first_seen: dict[str, int] = {}
    for i, line in enumerate(lines):
        if not line:
            continue
        verdicts[i] = _line_verdict(i, lines, keys, context, candidates.get(i, ()), first_seen)
        first_seen.setdefault(keys[i], i)
    if boilerplate is not None:
        _apply_learned(lines, keys, verdicts, boilerplate, article_outlet)
    _cut_after_end_marker(lines, verdicts)
    _cut_before_headline(lines, verdicts)

    grouped = _group_removals(_unify_line_breaks(raw).split("\n"), verdicts)
    removed = sorted([*article.inline, *grouped], key=_removal_order)
    kept = [line if verdicts[i] is None else "" for i, line in enumerate(lines)]
    return CleanedText("\n\n".join(_paragraphs(kept)), tuple(removed))


@dataclass(frozen=True)
class _Context:
    """What one article's lines are compared with: loose keys of its metadata."""

    title: str
    names: frozenset[str]
    authors: frozenset[str]
    max_length: int


def _normalize_lines(text: str) -> list[str]:
    # One pass per pattern over the whole text: per-line calls cost more in
    # call overhead than in matching. No pattern crosses a line break.
    text = _unify_line_breaks(text)
    text = _GLUED_CURLY.sub(_space_after, text)
    text = _SPECIAL.sub(_replace_special, text)
    if '"' in text:
        text = _GLUED_STRAIGHT.sub(_space_straight_quote, text)
    lines = _SPACES.sub(" ", text).split("\n")
    stripped = [line.strip() for line in lines]
    return [_BULLET.sub("", line) if line[:1] in _BULLETS else line for line in stripped]


def _unify_line_breaks(text: str) -> str:
    # Substring checks first: most texts have only "\n" and skip the regex.
    if any(char in text for char in "\r\u2028\u2029\x85"):
        return _LINE_BREAKS.sub("\n", text)
    return text


def _normalize_line(line: str) -> str:
    return " ".join(_normalize_lines(line))


def _space_after(match: re.Match[str]) -> str:
    return match.group() + " "


def _replace_special(match: re.Match[str]) -> str:
    return _REPLACEMENTS[match.group()]


def _space_straight_quote(match: re.Match[str]) -> str:
    # An odd number of quotes before this one on its line means it closes a quotation.
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    closing = match.string.count('"', line_start, match.start()) % 2 == 1
    return '" ' if closing else ' "'


def _repeat_key(lowered: str) -> str:
    # Case, numbers and punctuation at the ends of a line are ignored when
    # comparing lines across articles, so "© 2021" footers match "© 2024" ones.
    # Numbers are only blinded in short lines, where footers live: the regex
    # scan is the slowest step on long paragraphs.
    if len(lowered) <= _NUMBER_BLIND_MAX_LENGTH:
        lowered = _KEY_NUMBER.sub("0", lowered)
    return lowered.strip(_KEY_EDGES)


def _name_key(normalized: str) -> str:
    return _KEY_NON_WORD.sub(" ", normalized.lower()).strip()


def _name_parts(*names: str) -> list[str]:
    parts: list[str] = []
    for name in names:
        normalized = _normalize_line(name)
        parts.append(normalized)
        parts.extend(part for part in _TITLE_SEPARATOR.split(normalized) if len(part) >= 3)
    return [part for part in parts if part]


def _anywhere_candidates(text: str) -> dict[int, list[_AnywhereRule]]:
    """Lines of the lowercased ``text`` holding a trigger of each anywhere-rule, in rule order."""
    # Searching the whole text once per trigger keeps Python-level work
    # proportional to the (rare) hits instead of to the number of lines.
    candidates: dict[int, list[_AnywhereRule]] = {}
    for rule in _ANYWHERE_RULES:
        hit_lines: set[int] = set()
        for trigger in rule.triggers:
            position = text.find(trigger)
            while position >= 0:
                hit_lines.add(text.count("\n", 0, position))
                position = text.find(trigger, position + 1)
        for i in hit_lines:
            candidates.setdefault(i, []).append(rule)
    return candidates


def _is_sentence_like(line: str) -> bool:
    words = line.count(" ") + 1
    return words >= 12 or (words >= 4 and _SENTENCE_END.search(line) is not None)


def _line_verdict(
    i: int,
    lines: list[str],
    keys: list[str],
    context: _Context,
    rules: Sequence[_AnywhereRule],
    first_seen: dict[str, int],
) -> tuple[str, str] | None:
    line, key = lines[i], keys[i]
    words = line.count(" ") + 1
    if len(line) <= context.max_length:
        name_key = _name_key(line)
        head = _name_key(_TITLE_SEPARATOR.split(line, maxsplit=1)[0])
        if context.title and context.title in (name_key, head):
            return "headline", "line repeats the headline"
        if name_key in context.names:
            return "outlet_name", "line is only the outlet's name"
        if name_key in context.authors:
            return "byline", "byline or credit line"
    if words <= _BYLINE_MAX_WORDS and _BYLINE.match(line):
        return "byline", "byline or credit line"
    if _DATELINE.match(line):
        return "dateline", "line is only a date"
    for rule in rules:
        if rule.pattern.search(line.lower()):
            return rule.name, rule.reason
    if words <= _PROMPT_MAX_WORDS:
        prompt = _PROMPT.match(_LEADING_PUNCT.sub("", line))
        if prompt and prompt.lastgroup:
            return prompt.lastgroup, _PROMPT_REASONS[prompt.lastgroup]
    if not key:
        return None
    neighbours = (lines[i - 1] if i > 0 else "", lines[i + 1] if i + 1 < len(lines) else "")
    if words <= _CAPTION_MAX_WORDS and line in neighbours:
        return "caption", "image caption (the same line twice in a row)"
    if key in first_seen:
        return "duplicate", f"repeats line {first_seen[key] + 1} of this article"
    return None


def _apply_learned(
    lines: list[str],
    keys: list[str],
    verdicts: list[tuple[str, str] | None],
    model: BoilerplateModel,
    outlet: str,
) -> None:
    filled = [i for i, line in enumerate(lines) if line]
    at_edge = set()
    for order in (filled, filled[::-1]):
        for i in order:
            if verdicts[i] is None and model.articles_with.get(keys[i], 0) < model.min_articles:
                break
            at_edge.add(i)
    for i in filled:
        if verdicts[i] is not None:
            continue
        reason = model._verdict(
            keys[i], outlet, sentence_like=_is_sentence_like(lines[i]), at_edge=i in at_edge
        )
        if reason:
            verdicts[i] = ("repeated", reason)


def _kept_size(lines: list[str], verdicts: list[tuple[str, str] | None], lo: int, hi: int) -> int:
    return sum(len(lines[i]) for i in range(lo, hi) if verdicts[i] is None)


def _cut_after_end_marker(lines: list[str], verdicts: list[tuple[str, str] | None]) -> None:
    for i, line in enumerate(lines):
        if not line or not _END_MARKER.match(_LEADING_PUNCT.sub("", line)):
            continue
        if _kept_size(lines, verdicts, 0, i) <= _kept_size(lines, verdicts, i + 1, len(lines)):
            continue
        reason = f"after the end-of-article marker {line!r} (line {i + 1})"
        for j in range(i + 1, len(lines)):
            if lines[j] and verdicts[j] is None:
                verdicts[j] = ("end_of_article", reason)
        return


def _cut_before_headline(lines: list[str], verdicts: list[tuple[str, str] | None]) -> None:
    for i, verdict in enumerate(verdicts):
        if verdict is None or verdict[0] != "headline":
            continue
        if _kept_size(lines, verdicts, 0, i) < _kept_size(lines, verdicts, i + 1, len(lines)):
            reason = f"page chrome before the headline (line {i + 1})"
            for j in range(i):
                if lines[j] and verdicts[j] is None:
                    verdicts[j] = ("before_headline", reason)
        return


def _group_removals(raw_lines: list[str], verdicts: list[tuple[str, str] | None]) -> list[Removal]:
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
