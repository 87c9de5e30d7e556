from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.sentiment.char_ngrams import CharNgrams, WordCachedCharTfidf, char_tfidf

TRAIN = [
    "Putin praised the talks in Sochi.",
    "Kerry said the talks were frank; Lavrov agreed.",
    "Путин встретился с Керри в Сочи.",
    "a I ok",
]
TEXTS = [
    "",
    "a",
    "Putin  praised\tthe\n\ntalks",
    "PUTIN Praised THE TALKS talks talks",
    "Путину и Керри — переговоры",
    "words never seen before xyzzy",
    "ok I a ab abc",
]


@pytest.mark.parametrize(("sublinear", "norm"), [(True, "l2"), (False, "l2"), (True, None)])
def test_word_by_word_gives_the_vectorizers_own_matrix(sublinear: bool, norm: str | None):
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=sublinear, norm=norm
    ).fit(TRAIN)
    expected = vectorizer.transform(TEXTS).toarray()
    cached = WordCachedCharTfidf(vectorizer)
    assert np.allclose(cached.transform(TEXTS).toarray(), expected, rtol=0, atol=1e-12)
    # Again, now from the cache of words.
    assert np.allclose(cached.transform(TEXTS[::-1]).toarray(), expected[::-1], atol=1e-12)


def test_a_short_word_is_one_ngram_as_scikit_learn_counts_it():
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit([" a ", "ab"])
    assert sorted(vectorizer.vocabulary_) == [" a ", " ab", " ab ", "ab "]
    cached = WordCachedCharTfidf(vectorizer)
    assert np.allclose(
        cached.transform(["a", "ab"]).toarray(), vectorizer.transform(["a", "ab"]).toarray()
    )


def test_a_full_word_cache_starts_again_and_still_gives_the_same_matrix():
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(TRAIN)
    cached = WordCachedCharTfidf(vectorizer, max_words=2)
    assert np.allclose(
        cached.transform(TEXTS).toarray(), vectorizer.transform(TEXTS).toarray(), atol=1e-12
    )


def test_a_vectorizer_it_cannot_reproduce_is_left_to_scikit_learn():
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 3)).fit(TRAIN)
    with pytest.raises(ValueError, match="char_wb"):
        WordCachedCharTfidf(vectorizer)
    assert np.allclose(
        char_tfidf(vectorizer, TEXTS).toarray(), vectorizer.transform(TEXTS).toarray()
    )


def test_the_row_norm_is_scikit_learns_to_the_bit():
    from scipy import sparse
    from sklearn.preprocessing import normalize

    from analysis.sentiment.char_ngrams import _normalize_rows

    # Values whose squares round differently when added in another order.
    matrix = sparse.csr_matrix(
        np.array([[0.1, 0.0, 0.7, 1e-8], [0.0, 0.0, 0.0, 0.0], [3.0, 4.0, 0.0, 0.0]])
    )
    expected = normalize(matrix, norm="l2")
    _normalize_rows(matrix)
    assert matrix.data.tobytes() == expected.data.tobytes()
    assert matrix.toarray()[2].tolist() == [0.6, 0.8, 0.0, 0.0]


def test_n_grams_kept_as_data_give_the_vectorizers_matrix_to_the_bit():
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    vectorizer.fit(TRAIN)
    kept = CharNgrams((2, 5), dict(vectorizer.vocabulary_), vectorizer.idf_.copy())
    expected = vectorizer.transform(TEXTS)
    expected.sort_indices()
    got = char_tfidf(kept, TEXTS)
    got.sort_indices()
    assert got.indices.tolist() == expected.indices.tolist()
    assert got.data.tobytes() == expected.data.tobytes()


def test_word_n_grams_kept_as_data_are_refused_with_the_reason():
    kept = CharNgrams((1, 2), {"a": 0}, np.ones(1), analyzer="word")
    with pytest.raises(ValueError, match="cannot cut 'word' n-grams without scikit-learn"):
        char_tfidf(kept, ["a"])
