"""Character normalisation: quotes, dashes, spaces and line breaks made uniform, line by line.

The first step of cleaning (:mod:`analysis.text.cleaning`); it never changes
the number of lines, so line *n* of the result is line *n* of the input.
"""

from __future__ import annotations

import re

__all__ = ["normalize_characters", "normalize_line", "normalize_lines", "unify_line_breaks"]

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_REPLACEMENTS: dict[str, str] = {
    **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛′‹›", "'"),
    **dict.fromkeys("‒–—―⸺⸻", "—"),
    **dict.fromkeys("‐‑−", "-"),
    "…": "...",
    **dict.fromkeys("\t\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005", " "),
    **dict.fromkeys("\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " "),
}
# Zero-width characters and soft hyphens go first, so that the glued-sentence
# patterns see "time.The" in "time.\u200bThe" on the first pass, not the second.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
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
_BULLET = re.compile(rf"^(?:[{_BULLETS}]\s*)+")


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
    return "\n".join(normalize_lines(text))


def normalize_lines(text: str) -> list[str]:
    # One pass per pattern over the whole text: per-line calls cost more in
    # call overhead than in matching. No pattern crosses a line break.
    text = _INVISIBLE.sub("", unify_line_breaks(text))
    text = _GLUED_CURLY.sub(_space_after, text)
    text = _SPECIAL.sub(_replace_special, text)
    if '"' in text:
        text = _GLUED_STRAIGHT.sub(_space_straight_quote, text)
    lines = _SPACES.sub(" ", text).split("\n")
    stripped = [line.strip() for line in lines]
    return [_BULLET.sub("", line) if line[:1] in _BULLETS else line for line in stripped]


def unify_line_breaks(text: str) -> str:
    # Substring checks first: most texts have only "\n" and skip the regex.
    if any(char in text for char in "\r\u2028\u2029\x85"):
        return _LINE_BREAKS.sub("\n", text)
    return text


def normalize_line(line: str) -> str:
    return " ".join(normalize_lines(line))


def _space_after(match: re.Match[str]) -> str:
    return match.group() + " "


def _replace_special(match: re.Match[str]) -> str:
    return _REPLACEMENTS[match.group()]


def _space_straight_quote(match: re.Match[str]) -> str:
    # An odd number of quotes before this one on its line means it closes a quotation.
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    closing = match.string.count('"', line_start, match.start()) % 2 == 1
    return '" ' if closing else ' "'
