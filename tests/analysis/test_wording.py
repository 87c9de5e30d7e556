"""Counts in captions and messages agree with their nouns and verbs."""

from __future__ import annotations

from analysis.wording import counted, counted_are


def test_counts_agree_with_their_noun_and_verb():
    assert counted(1, "article") == "1 article"
    assert counted(12_000, "article") == "12,000 articles"
    assert counted_are(1, "undated article") == "1 undated article is"
    assert counted_are(0, "undated article") == "0 undated articles are"
    assert counted_are(1, "hit", " in undated articles") == "1 hit in undated articles is"
    assert counted_are(3, "hit", " in undated articles") == "3 hits in undated articles are"
