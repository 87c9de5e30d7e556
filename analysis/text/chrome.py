"""Page chrome: the line rules that tell bylines, datelines, prompts and notices from prose.

Part of cleaning (:mod:`analysis.text.cleaning`): each rule gives a removed
line its rule name and a reason an analyst can read. Lines are compared with
the article's own metadata (headline, outlet name, authors), with web-chrome
patterns, and with the structure of the page (an end-of-article marker, the
headline line).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.text.normalize import normalize_line

__all__ = [
    "LineContext",
    "Verdict",
    "cut_after_end_marker",
    "cut_before_headline",
    "line_context",
    "line_verdicts",
]

#: Why a line is removed, as ``(rule, reason)``; ``None`` for a line that is kept.
Verdict = tuple[str, str] | None

_KEY_NON_WORD = re.compile(r"[\W_]+")
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||—|-|::|»)\s+")
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


def line_context(
    *, title: str, outlet_name: str, authors: Sequence[str], article_outlet: str
) -> LineContext:
    """What one article's lines are compared with, from its metadata."""
    names = [normalize_line(name) for name in (title, *authors)]
    names += _name_parts(outlet_name, article_outlet)
    return LineContext(
        title=_name_key(normalize_line(title)),
        names=frozenset(_name_key(part) for part in _name_parts(outlet_name, article_outlet)),
        authors=frozenset(_name_key(normalize_line(author)) for author in authors),
        # A line much longer than every name cannot be one of them ("Title | Site" aside).
        max_length=max(map(len, names), default=0) + _SITE_SUFFIX_MAX_LENGTH,
    )


def line_verdicts(lines: list[str], keys: list[str], context: LineContext) -> list[Verdict]:
    """The verdict of the line rules on each line; blank lines are kept.

    ``keys`` are the lines' repeat keys (:func:`analysis.text.boilerplate.repeat_key`):
    a line repeating an earlier line of the article is removed.
    """
    candidates = _anywhere_candidates("\n".join(lines).lower())
    verdicts: list[Verdict] = [None] * len(lines)
    first_seen: dict[str, int] = {}
    for i, line in enumerate(lines):
        if not line:
            continue
        verdicts[i] = _line_verdict(i, lines, keys, context, candidates.get(i, ()), first_seen)
        first_seen.setdefault(keys[i], i)
    return verdicts


@dataclass(frozen=True)
class LineContext:
    """What one article's lines are compared with: loose keys of its metadata."""

    title: str
    names: frozenset[str]
    authors: frozenset[str]
    max_length: int


def _name_key(normalized: str) -> str:
    return _KEY_NON_WORD.sub(" ", normalized.lower()).strip()


def _name_parts(*names: str) -> list[str]:
    parts: list[str] = []
    for name in names:
        normalized = normalize_line(name)
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


def _line_verdict(
    i: int,
    lines: list[str],
    keys: list[str],
    context: LineContext,
    rules: Sequence[_AnywhereRule],
    first_seen: dict[str, int],
) -> Verdict:
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


def _kept_size(lines: list[str], verdicts: list[Verdict], lo: int, hi: int) -> int:
    return sum(len(lines[i]) for i in range(lo, hi) if verdicts[i] is None)


def cut_after_end_marker(lines: list[str], verdicts: list[Verdict]) -> None:
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


def cut_before_headline(lines: list[str], verdicts: list[Verdict]) -> None:
    for i, verdict in enumerate(verdicts):
        if verdict is None or verdict[0] != "headline":
            continue
        if _kept_size(lines, verdicts, 0, i) < _kept_size(lines, verdicts, i + 1, len(lines)):
            reason = f"page chrome before the headline (line {i + 1})"
            for j in range(i):
                if lines[j] and verdicts[j] is None:
                    verdicts[j] = ("before_headline", reason)
        return
