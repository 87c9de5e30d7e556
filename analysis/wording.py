"""How the project writes counts in messages, captions and chart titles."""

from __future__ import annotations

__all__ = ["counted"]


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural unless one: "1 article", "3 articles", "0 outlets"."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"
