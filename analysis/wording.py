"""How the project writes counts in messages, captions and chart titles."""

from __future__ import annotations

__all__ = ["counted", "counted_are"]


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural unless one: "1 article", "3 articles", "0 outlets"."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def counted_are(count: int, noun: str, rest: str = "") -> str:
    """:func:`counted` with ``rest`` after the noun and the verb to agree: "1 undated article
    is", "3 undated articles are", "1 hit in undated articles is"."""
    return f"{counted(count, noun)}{rest} {'is' if count == 1 else 'are'}"
