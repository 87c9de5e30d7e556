"""Learned boilerplate: lines that repeat across a corpus, and when such a line is chrome.

Part of cleaning (:mod:`analysis.text.cleaning`), which learns a
:class:`BoilerplateModel` from the whole corpus before cleaning any article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from analysis.text.chrome import Verdict

__all__ = ["BoilerplateModel", "apply_learned", "repeat_key"]

_KEY_NUMBER = re.compile(r"\d+")
_KEY_EDGES = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~—©"
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_NUMBER_BLIND_MAX_LENGTH = 200


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


def repeat_key(lowered: str) -> str:
    # Case, numbers and punctuation at the ends of a line are ignored when
    # comparing lines across articles, so "© 2021" footers match "© 2024" ones.
    # Numbers are only blinded in short lines, where footers live: the regex
    # scan is the slowest step on long paragraphs.
    if len(lowered) <= _NUMBER_BLIND_MAX_LENGTH:
        lowered = _KEY_NUMBER.sub("0", lowered)
    return lowered.strip(_KEY_EDGES)


def _is_sentence_like(line: str) -> bool:
    words = line.count(" ") + 1
    return words >= 12 or (words >= 4 and _SENTENCE_END.search(line) is not None)


def apply_learned(
    lines: list[str],
    keys: list[str],
    verdicts: list[Verdict],
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
