from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis.corpus.article_file import format_article
from analysis.corpus.articles import load_corpus
from analysis.corpus.selection import Selection
from analysis.corpus.types import Article, PublishedDate
from analysis.measures.contrasts import contrast_one_vs_rest
from analysis.pipeline.export import to_csv_text
from analysis.pipeline.prepare import (
    COMPACT_EVIDENCE_COLUMNS,
    EVIDENCE_COLUMNS,
    AnalysisOptions,
    analysis_tables,
    csv_parts,
    evidence_text,
    prepare_corpus,
    select,
    term_contrasts,
    terms_text,
)
from tests.conftest import SHIPPED_CORPUS

_TABLES = ("stance", "outcome", "frames", "agenda", "quotations", "sources", "evidence")


def test_a_shorter_phrase_length_gives_the_numbers_of_counting_again():
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    words_only = replace(prepared, options=AnalysisOptions(max_words=1))
    viewed = term_contrasts(words_only, Selection(), by="outlet")
    articles = prepared.articles.assign(
        text_terms=[
            terms_text(t, b)
            for t, b in zip(
                prepared.articles["title"], prepared.articles["text_clean"], strict=True
            )
        ]
    )
    counted = contrast_one_vs_rest(articles, "outlet", text_column="text_terms", max_words=1)
    assert set(viewed["n_words"]) == {1}
    pd.testing.assert_frame_equal(viewed, counted)


def test_select_keeps_rows_and_their_counts_together():
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    articles, counts = select(prepared, Selection(outlets=("osw",)))
    assert articles["outlet"].tolist() == ["osw"]
    assert counts.counts.shape == (1, len(counts.terms))
    assert int(counts.counts.sum()) > 0


def test_the_headline_counts_with_the_body():
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    osw = term_contrasts(prepared, Selection(), by="outlet").query("group == 'osw'")
    intransigent = osw.set_index("term").loc["intransigent"]
    assert intransigent["count_group"] == 2


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


def test_evidence_text_cuts_sentences_and_marks_the_cue(registry_corpus):
    _planted(registry_corpus, "a-first", "Putin conceded", "Talks ended. Then Kerry failed badly.")
    prepared = prepare_corpus(load_corpus(registry_corpus))
    assert list(prepared.evidence.columns) == list(COMPACT_EVIDENCE_COLUMNS)
    assert "sentence" not in prepared.evidence.columns
    stance = evidence_text(prepared.articles, prepared.evidence).query("analysis == 'stance'")
    assert list(stance.columns) == list(EVIDENCE_COLUMNS)
    body = stance[stance["sentence_start"].notna()].iloc[0]
    assert body["sentence"] == "Then Kerry failed badly."
    assert (body["sentence_start"], body["sentence_end"]) == (13, 37)
    assert body["marked"] == "Then Kerry **failed** badly."
    headline = stance[stance["sentence_start"].isna()].iloc[0]
    assert headline["sentence"] == "Putin conceded"
    assert headline["marked"] == "Putin **conceded**"
    assert pd.isna(headline["sentence_end"])


def test_evidence_written_in_parts_is_the_csv_of_the_whole_table():
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    whole = analysis_tables(prepared, Selection())["evidence"]
    compact = analysis_tables(prepared, Selection(), evidence_sentences=False)["evidence"]
    assert len(compact) == len(whole) > 7
    parts = list(csv_parts(prepared, compact, rows_per_part=7))
    assert len(parts) == -(-len(compact) // 7)
    assert "".join(parts) == to_csv_text(whole)
    assert "".join(csv_parts(prepared, compact.iloc[0:0])) == to_csv_text(whole.iloc[0:0])
