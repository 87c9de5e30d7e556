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


@pytest.mark.parametrize("chunk", [1, 2, 3, 7])
@pytest.mark.parametrize("articles", [1, 3, 5, 7])
def test_any_chunk_size_gives_the_tables_of_one_pass(registry_corpus, chunk, articles):
    for article_id in list(_MIXED)[:articles]:
        _planted(registry_corpus, article_id, *_MIXED[article_id])
    corpus = load_corpus(registry_corpus)
    whole = prepare_corpus(corpus)
    chunked = prepare_corpus(corpus, chunk_articles=chunk)
    assert (whole.evidence["article_id"] == "a1").any()
    for name in _TABLES:
        pd.testing.assert_frame_equal(getattr(chunked, name), getattr(whole, name))
