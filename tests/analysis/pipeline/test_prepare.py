from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.corpus.article_file import format_article
from analysis.corpus.articles import load_corpus
from analysis.corpus.types import Article, PublishedDate
from analysis.labels.evidence import evidence_text
from analysis.pipeline.prepare import prepare_corpus

_TABLES = ("stance", "outcome", "frames", "agenda", "quotations", "sources", "evidence")


def _planted(root, article_id: str, title: str, text: str) -> None:
    article = Article(
        id=article_id,
        title=title,
        outlet="euromaidan-press",
        text=text,
        language="en",
        published=PublishedDate.parse("2015-05-12"),
    )
    (root / "articles" / f"{article_id}.md").write_text(format_article(article), encoding="utf-8")


def test_working_in_chunks_gives_the_same_tables(registry_corpus):
    _planted(registry_corpus, "b-second", "Putin conceded", "Kerry met Lavrov. The West conceded.")
    _planted(registry_corpus, "a-first", "Talks", 'Peskov said: "Putin won." Obama failed.')
    corpus = load_corpus(registry_corpus)
    whole = prepare_corpus(corpus)
    one_by_one = prepare_corpus(corpus, chunk_articles=1)
    for name in _TABLES:
        pd.testing.assert_frame_equal(getattr(one_by_one, name), getattr(whole, name))


def test_evidence_is_in_article_order_whatever_the_input_order(registry_corpus):
    _planted(registry_corpus, "a-first", "Putin conceded", "Kerry failed. Obama failed.")
    _planted(registry_corpus, "b-second", "Talks", "Putin won. The West conceded to Putin.")
    corpus = load_corpus(registry_corpus)
    reversed_corpus = replace(corpus, articles=corpus.articles.iloc[::-1].reset_index(drop=True))
    prepared = prepare_corpus(reversed_corpus, chunk_articles=1)
    evidence = evidence_text(prepared.articles, prepared.evidence)
    assert evidence["article_id"].tolist() == sorted(evidence["article_id"])
    expected = prepare_corpus(corpus)
    pd.testing.assert_frame_equal(evidence, evidence_text(expected.articles, expected.evidence))


# Articles sort by id; the last ones carry no evidence at all, so with most chunk
# sizes the last chunk has none (no stance, no quotation, no frame, no subject).
_MIXED = {
    "a1": ("Putin conceded", "John Kerry met Vladimir Putin in Moscow. Putin won."),
    "a2": ("Talks", 'Peskov said: "Talks were rather constructive." Obama failed.'),
    "a3": ("Sochi", "Kerry and Putin discussed Syria and Ukraine in Sochi."),
    "a4": ("Weather", "The weather was mild."),
    "a5": ("Garden", "Tulips grew in the garden."),
    "a6": ("Cats", "A cat slept on the sofa."),
    "a7": ("Rain", "It rained all day."),
}


def _mixed_corpus(size: int) -> list[tuple[str, str, str]]:
    """``size`` articles cycling through :data:`_MIXED`; for five or more the last four are
    plain (no label, target, quotation, frame or subject), so the last chunk often is too."""
    kinds = list(_MIXED.values())
    plain, telling = kinds[3:], kinds[:3]
    tail = [plain[k % len(plain)] for k in range(4)] if size >= 5 else []
    head = [(kinds if size >= 5 else telling)[k % (7 if size >= 5 else 3)] for k in range(size)]
    chosen = head[: size - len(tail)] + tail
    return [(f"m{k:02d}", title, f"{text} Item {k}.") for k, (title, text) in enumerate(chosen)]


# Ten articles end in seven plain ones: for every chunk size from 2 to 7 some chunk has no
# evidence (for 2 to 4 also one in the middle); thirteen leaves each a part-filled last chunk.
@pytest.mark.parametrize("size", [1, 2, 4, 6, 9, 10, 13])
def test_chunk_sizes_one_to_seven_give_the_tables_of_one_pass(registry_corpus, size):
    for article_id, title, text in _mixed_corpus(size):
        _planted(registry_corpus, article_id, title, text)
    corpus = load_corpus(registry_corpus)
    whole = prepare_corpus(corpus)
    assert len(whole.articles) == size
    assert (whole.evidence["article_id"] == "m00").any()
    for chunk in range(1, 8):
        chunked = prepare_corpus(corpus, chunk_articles=chunk)
        for name in _TABLES:
            pd.testing.assert_frame_equal(getattr(chunked, name), getattr(whole, name))
