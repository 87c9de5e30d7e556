from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.sentiment.features import (
    FeatureRows,
    FeatureVocabulary,
    split_pair,
    view_features,
    view_rows,
)

SPLITS = [
    (["the", "senat", "prais"], ["smith"], ["today", "."]),
    ([], ["putin", "vladimir"], ["said", "no", "said"]),
    (["a"], ["x"], []),
]


@pytest.mark.parametrize("view", ["sent", "lr", "win", "mention"])
def test_view_rows_are_each_pairs_features_one_after_another(view):
    rows = view_rows(view, SPLITS, window=2)
    expected = [view_features(view, *split, window=2) for split in SPLITS]
    assert rows.lengths.tolist() == [len(features) for features in expected]
    assert list(zip(rows.names, rows.weights.tolist(), strict=True)) == [
        feature for features in expected for feature in features
    ]


def test_sentence_view_is_unigrams_then_bigrams_around_the_placeholder():
    rows = view_rows("sent", [(["kerry", "met"], ["putin"], ["."])], window=3)
    assert rows.names == [
        "kerry",
        "met",
        "tgt",
        ".",
        "kerry met",
        "met tgt",
        "tgt .",
    ]
    assert rows.weights.tolist() == [1.0] * 7


def test_an_unknown_view_is_refused():
    with pytest.raises(ValueError, match="unknown view 'words'"):
        view_rows("words", SPLITS, window=2)


def test_a_features_weights_in_one_document_add_up_before_the_sublinear_tf():
    vocabulary = FeatureVocabulary(["a", "b", "c"], np.array([1.0, 2.0, 3.0]))
    rows = FeatureRows(
        names=["a", "a", "zzz", "b", "c", "c", "c", "zzz"],
        weights=np.array([0.5, 0.25, 9.0, 1.0, 1.0, 1.0, 1.0, 4.0]),
        lengths=np.array([3, 0, 1, 4]),
    )
    matrix = vocabulary.transform_rows(rows).toarray()
    # Document 0: a weighs 0.75 (under 1: kept); the unknown feature is left out.
    # Document 1 has no features, document 2 only b; document 3 has c three times.
    c = (1 + math.log(3.0)) * 3.0
    assert matrix.tolist() == [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    assert vocabulary.transform_rows(
        FeatureRows(["a", "c", "c", "c"], np.ones(4), np.array([4]))
    ).toarray() == pytest.approx(np.array([[1.0, 0.0, c]]) / math.hypot(1.0, c))


def test_transform_of_pairs_and_of_rows_is_the_same_matrix():
    vocabulary = FeatureVocabulary.fit(
        [view_features("win", *split, window=2) for split in SPLITS], min_df=1
    )
    documents = [view_features("win", *split, window=2) for split in reversed(SPLITS)]
    by_pairs = vocabulary.transform(documents)
    by_rows = vocabulary.transform_rows(view_rows("win", SPLITS[::-1], window=2))
    assert (by_pairs != by_rows).nnz == 0
    assert by_rows.shape == (3, len(vocabulary.terms))


def test_an_empty_vocabulary_gives_rows_with_no_columns():
    matrix = FeatureVocabulary([], np.zeros(0)).transform_rows(
        FeatureRows(["a"], np.ones(1), np.array([1, 0]))
    )
    assert matrix.shape == (2, 0)


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("Kerry MET Putin's aide.", ["kerry", "met", "putin's", "aide", "."]),
        ("Ещё ВСТРЕЧА в Сочи.", ["еще", "встреча", "в", "сочи", "."]),
        ("İstanbul talks", ["i̇stanbul", "talks"]),
    ],
)
def test_words_are_lower_cased_tokens_whatever_the_script(sentence, words):
    left, mention, right = split_pair(
        sentence + " X",
        len(sentence) + 1,
        len(sentence) + 2,
        language="en",
        stem=False,
        negation=False,
    )
    assert (left, mention, right) == (words, ["x"], [])


def test_a_sentence_without_a_negator_is_left_unmarked_and_one_with_nt_is_marked():
    plain = split_pair("Kerry met Lavrov today.", 10, 16, language="en", stem=False, negation=True)
    assert plain == (["kerry", "met"], ["lavrov"], ["today", "."])
    marked = split_pair(
        "They won't meet Lavrov soon.", 16, 22, language="en", stem=False, negation=True
    )
    assert marked == (["they", "won't", "NOT_meet"], ["lavrov"], ["NOT_soon", "."])
