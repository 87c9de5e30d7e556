from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.corpus.articles import load_corpus
from analysis.corpus.selection import Selection
from analysis.measures.contrast_schema import CONTRAST_COLUMNS
from analysis.measures.contrasts import contrast_one_vs_rest
from analysis.pipeline.prepare import AnalysisOptions, prepare_corpus, terms_text
from analysis.pipeline.tables import analysis_tables, select, term_contrasts
from tests.conftest import SHIPPED_CORPUS


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


def test_one_outlet_selected_gives_an_empty_contrasts_table_and_every_other_table():
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    tables = analysis_tables(prepared, Selection(outlets=("osw",)), by="outlet")
    assert tables["contrasts"].empty
    assert list(tables["contrasts"].columns) == list(CONTRAST_COLUMNS)
    assert tables["articles"]["outlet"].tolist() == ["osw"]
    assert set(tables["stance"]["article_id"]) == set(tables["articles"]["id"])


def test_a_compared_group_missing_from_the_selection_is_named_before_anything_is_counted():
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    with pytest.raises(
        ValueError, match=r"^group='tass' is not a value of 'outlet'; values: \['osw'\]$"
    ):
        analysis_tables(prepared, Selection(outlets=("osw",)), by="outlet", compare=("tass", "osw"))
