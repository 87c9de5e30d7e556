"""Term contrasts: planted framing words, the exact formula, flags and errors."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.measures.contrasts import (
    CONTRAST_COLUMNS,
    collapse_nested_terms,
    contrast_one_vs_rest,
    contrast_pair,
)
from analysis.measures.terms import count_terms
from tests.conftest import SHIPPED_CORPUS

FILLER = "kerry putin talks moscow " * 100
OUTLET_A = [
    "Regime change and aggression. " + FILLER,
    "Western aggression, regime change. " + FILLER,
    "Aggression in Sochi. " + FILLER,
    "Regime change again. " + FILLER,
    "Aggression. " + FILLER,
]
OUTLET_B = [
    "Cooperation and partnership. " + FILLER,
    "Partnership, cooperation. " + FILLER,
    "Cooperation first. " + FILLER,
    "Strategic partnership. " + FILLER,
    "Cooperation. " + FILLER,
]
OUTLET_C = ["Talks ended.", "Kerry left Moscow."]


def _articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"x{k}" for k in range(12)],
            "outlet": ["a"] * 5 + ["b"] * 5 + ["c"] * 2,
            "text_clean": OUTLET_A + OUTLET_B + OUTLET_C,
        }
    )


def _top(result: pd.DataFrame, group: str, n: int) -> list[str]:
    return result[result["group"] == group]["term"].head(n).tolist()


def test_planted_framing_words_top_each_outlet():
    result = contrast_one_vs_rest(_articles(), "outlet")
    assert list(result.columns) == list(CONTRAST_COLUMNS)
    assert _top(result, "a", 4) == ["aggression", "change", "regime", "regime change"]
    assert _top(result, "b", 2) == ["cooperation", "partnership"]
    a = result[result["group"] == "a"].set_index("term")
    assert (a.loc[["aggression", "regime change"], "z"] > 0).all()
    assert (a.loc[["cooperation", "partnership"], "z"] < 0).all()


def test_order_is_group_then_z_descending_then_term():
    result = contrast_one_vs_rest(_articles(), "outlet")
    assert result["group"].tolist() == sorted(result["group"])
    for _, rows in result.groupby("group"):
        keys = list(zip((-rows["z"]).tolist(), rows["term"].tolist(), strict=True))
        assert keys == sorted(keys)


def test_terms_of_equal_z_come_in_code_point_order():
    # Each planted word once in one article of a: equal counts, so equal z.
    articles = pd.DataFrame(
        {
            "id": ["x0", "x1", "x2"],
            "outlet": ["a", "b", "b"],
            "text_clean": ["zebra école apple", "kerry", "putin"],
        }
    )
    result = contrast_one_vs_rest(articles, "outlet")
    a = result[result["group"] == "a"]
    assert a["term"].head(3).tolist() == ["apple", "zebra", "école"]
    assert a["z"].head(3).nunique() == 1


def test_a_term_from_one_article_is_flagged():
    result = contrast_one_vs_rest(_articles(), "outlet")
    a = result[result["group"] == "a"].set_index("term")
    assert a.loc["sochi", "single_article"]
    assert a.loc["western", "single_article"]
    assert not a.loc["aggression", "single_article"]
    assert not a.loc["regime change", "single_article"]


def test_small_groups_are_flagged_with_the_reason():
    result = contrast_one_vs_rest(_articles(), "outlet")
    flags = result.groupby("group")[["small_group", "small_reason", "group_articles"]].first()
    assert flags["small_group"].to_dict() == {"a": False, "b": False, "c": True}
    assert flags.loc["c", "small_reason"] == "group: 2 articles < 5, 5 tokens < 2,000"
    assert flags.loc["a", "small_reason"] == ""
    assert flags["group_articles"].to_dict() == {"a": 5, "b": 5, "c": 2}


def test_z_matches_a_hand_computation_of_the_formula():
    articles = pd.DataFrame(
        {
            "outlet": ["a", "a", "b"],
            "text_clean": [
                "kerry putin aggression aggression",
                "kerry putin aggression",
                "kerry putin cooperation",
            ],
        }
    )
    result = contrast_one_vs_rest(articles, "outlet", prior_total=10.0, max_words=1)
    a = result[result["group"] == "a"].set_index("term")
    # Corpus counts: kerry 3, putin 3, aggression 3, cooperation 1 (10 in all),
    # so with α₀ = 10 the prior α_w equals the corpus count. n_a = 7, n_b = 3.
    cases = {"aggression": (3, 0, 3.0), "cooperation": (0, 1, 1.0), "kerry": (2, 1, 3.0)}
    for term, (y_i, y_j, alpha) in cases.items():
        delta = math.log((y_i + alpha) / (7 + 10 - y_i - alpha)) - math.log(
            (y_j + alpha) / (3 + 10 - y_j - alpha)
        )
        z = delta / math.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))
        assert a.loc[term, "log_odds"] == pytest.approx(delta, abs=1e-9)
        assert a.loc[term, "z"] == pytest.approx(z, abs=1e-9)


def test_counts_and_document_frequencies_of_each_side():
    result = contrast_one_vs_rest(_articles(), "outlet")
    row = result[(result["group"] == "a") & (result["term"] == "regime change")].iloc[0]
    assert (row["count_group"], row["count_other"], row["docs_group"], row["docs_other"]) == (
        3,
        0,
        3,
        0,
    )
    assert (row["group_articles"], row["other_articles"]) == (5, 7)
    assert row["tfidf_other"] == 0.0
    assert row["tfidf_diff"] == pytest.approx(row["tfidf_group"])


def test_words_in_every_article_survive():
    result = contrast_one_vs_rest(_articles(), "outlet")
    assert {"kerry", "moscow"} <= set(result[result["group"] == "c"]["term"])


def test_pair_is_antisymmetric():
    articles = _articles()
    ab = contrast_pair(articles, "outlet", "a", "b").set_index("term")
    ba = contrast_pair(articles, "outlet", "b", "a").set_index("term")
    assert set(ab["comparison"]) == {"b"}
    assert sorted(ab.index) == sorted(ba.index)
    ba = ba.loc[ab.index]
    assert ab["z"].tolist() == pytest.approx((-ba["z"]).tolist(), abs=1e-12)
    assert ab["log_odds"].tolist() == pytest.approx((-ba["log_odds"]).tolist(), abs=1e-12)
    assert ab["tfidf_diff"].tolist() == pytest.approx((-ba["tfidf_diff"]).tolist(), abs=1e-12)
    assert ab.index[:4].tolist() == ["aggression", "change", "regime", "regime change"]
    assert "ended" not in ab.index


def test_top_keeps_both_ends_of_each_group():
    full = contrast_one_vs_rest(_articles(), "outlet")
    top = contrast_one_vs_rest(_articles(), "outlet", top=2)
    for group, rows in full.groupby("group"):
        kept = top[top["group"] == group]["term"].tolist()
        assert kept == rows["term"].head(2).tolist() + rows["term"].tail(2).tolist()


def test_precomputed_counts_give_the_same_result():
    articles = _articles()
    counts = count_terms(articles["text_clean"])
    given = contrast_one_vs_rest(articles.drop(columns="text_clean"), "outlet", counts=counts)
    pd.testing.assert_frame_equal(given, contrast_one_vs_rest(articles, "outlet"))


def test_articles_without_a_group_are_left_out():
    articles = _articles()
    extra = pd.DataFrame({"id": ["x99"], "outlet": [None], "text_clean": ["Sanctions. " * 3]})
    result = contrast_one_vs_rest(pd.concat([articles, extra], ignore_index=True), "outlet")
    assert "sanctions" not in set(result["term"])
    pd.testing.assert_frame_equal(result, contrast_one_vs_rest(articles, "outlet"))


def test_articles_are_not_modified():
    articles = _articles()
    before = articles.copy()
    contrast_one_vs_rest(articles, "outlet")
    pd.testing.assert_frame_equal(articles, before)


def test_missing_clean_text_is_an_error_not_a_fallback():
    articles = _articles().rename(columns={"text_clean": "text"})
    with pytest.raises(ValueError, match=r"text_column='text_clean' is not a column of articles"):
        contrast_one_vs_rest(articles, "outlet")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda df: contrast_one_vs_rest(df, "meeting"), r"by='meeting' is not a column"),
        (
            lambda df: contrast_one_vs_rest(df[df["outlet"] == "a"], "outlet"),
            r"by='outlet' must have at least two groups, found \['a'\]",
        ),
        (
            lambda df: contrast_one_vs_rest(df, "outlet", prior_total=0),
            r"prior_total must be positive, got 0",
        ),
        (lambda df: contrast_one_vs_rest(df, "outlet", top=0), r"top must be a positive"),
        (
            lambda df: contrast_pair(df, "outlet", "a", "z"),
            r"other='z' is not a value of 'outlet'",
        ),
        (
            lambda df: contrast_pair(df, "outlet", "a", "a"),
            r"group and other must differ, both are 'a'",
        ),
        (
            lambda df: contrast_one_vs_rest(df, "outlet", counts=count_terms(["kerry"])),
            r"counts has 1 rows but articles has 12",
        ),
    ],
)
def test_argument_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call(_articles())


BOILERPLATE = {"patron", "cookie", "copyright", "comment", "subscribe", "email", "reprint"}


def test_cleaned_seeds_have_no_boilerplate_among_top_terms():
    from analysis.corpus.articles import load_corpus
    from analysis.text.cleaning import clean_articles

    if not SHIPPED_CORPUS.is_dir():
        pytest.skip(f"corpus not found at {SHIPPED_CORPUS}")
    articles = load_corpus(SHIPPED_CORPUS, use_cache=False).articles
    cleaned, _ = clean_articles(articles)
    articles = articles.assign(text_clean=cleaned["text_clean"])
    result = contrast_one_vs_rest(articles, "outlet")
    assert sorted(set(result["group"])) == [
        "euromaidan-press",
        "mcu-times",
        "osw",
        "robinwestenra-blog",
    ]
    for _, rows in result.groupby("group"):
        words = {word for term in rows["term"].head(20) for word in term.split()}
        assert words & BOILERPLATE == set()


def test_group_sums_are_counts_documents_and_scikit_learns_tfidf_summed_by_group():
    import numpy as np
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfTransformer

    import analysis.measures.contrasts as contrasts

    rng = np.random.default_rng(7)
    dense = rng.integers(0, 4, size=(23, 17)) * (rng.random((23, 17)) < 0.4)
    dense[5] = 0  # an article with no terms has no weights
    matrix = sp.csr_matrix(dense.astype(np.int32))
    member = rng.integers(0, 3, size=23)
    expected = TfidfTransformer().fit_transform(matrix.astype(np.float64)).toarray()
    original = contrasts._ROWS, contrasts._ENTRIES
    try:
        # Several blocks of rows and slices of entries, the last ones short.
        contrasts._ROWS, contrasts._ENTRIES = 4, 10
        counts, docs, tfidf = contrasts._group_sums(matrix, member, 3)
    finally:
        contrasts._ROWS, contrasts._ENTRIES = original
    for group in range(3):
        rows = member == group
        assert tfidf.toarray()[group] == pytest.approx(expected[rows].sum(axis=0), abs=1e-12)
        assert docs.toarray()[group].tolist() == (dense[rows] > 0).sum(axis=0).tolist()
        assert counts.toarray()[group].tolist() == dense[rows].sum(axis=0).tolist()
    # One pattern: a group has a count for a term exactly when it has articles and weights.
    assert np.shares_memory(docs.indices, counts.indices)
    assert np.shares_memory(tfidf.indices, counts.indices)
    assert (docs.data > 0).all()
    assert (tfidf.data > 0).all()


def test_a_term_from_one_article_of_the_other_side_is_flagged_too():
    result = contrast_pair(_articles(), "outlet", "a", "b").set_index("term")
    assert result.loc["strategic", "single_article_other"]
    assert not result.loc["strategic", "single_article"]
    assert result.loc["sochi", "single_article"]
    assert not result.loc["sochi", "single_article_other"]
    assert not result.loc["cooperation", "single_article_other"]


def test_the_pair_prior_ignores_articles_of_a_third_group():
    third = pd.DataFrame(
        {
            "id": ["y1", "y2"],
            "outlet": ["d", "d"],
            # Shares words and a phrase with A (once each), and brings words of its own.
            "text_clean": ["Regime change in Sochi, cooperation. " * 3, "Western sanctions."],
        }
    )
    before = contrast_pair(_articles(), "outlet", "a", "b", prior="pair")
    after = contrast_pair(pd.concat([_articles(), third]), "outlet", "a", "b", prior="pair")
    columns = ["term", "count_group", "count_other", "log_odds", "z"]
    pd.testing.assert_frame_equal(
        after[columns].reset_index(drop=True), before[columns].reset_index(drop=True)
    )
    # The selection's prior does move with the third outlet: the option matters.
    moved = contrast_pair(pd.concat([_articles(), third]), "outlet", "a", "b")
    unmoved = contrast_pair(_articles(), "outlet", "a", "b")
    assert not moved.set_index("term")["z"].equals(unmoved.set_index("term")["z"])


def test_the_pair_prior_is_built_from_the_two_groups_alone():
    articles = _articles()
    counts = count_terms(articles["text_clean"], max_words=1)
    result = contrast_pair(
        articles, "outlet", "a", "b", counts=counts, prior="pair", prior_total=100.0
    ).set_index("term")
    pair = articles["outlet"].isin(["a", "b"]).to_numpy()
    a = articles["outlet"].eq("a").to_numpy()
    column = list(counts.terms).index("aggression")
    y = counts.counts.toarray()
    y_a, y_b = y[a].sum(axis=0), y[pair & ~a].sum(axis=0)
    alpha = 100.0 * (y_a + y_b) / (y_a + y_b).sum()
    n_a, n_b = y_a.sum(), y_b.sum()
    w = column
    delta = math.log((y_a[w] + alpha[w]) / (n_a + 100.0 - y_a[w] - alpha[w])) - math.log(
        (y_b[w] + alpha[w]) / (n_b + 100.0 - y_b[w] - alpha[w])
    )
    assert result.loc["aggression", "log_odds"] == pytest.approx(delta, rel=1e-12)


def test_an_unknown_prior_is_refused():
    with pytest.raises(ValueError, match=r"prior must be one of \('selection', 'pair'\), got 'x'"):
        contrast_pair(_articles(), "outlet", "a", "b", prior="x")


def test_nested_phrases_are_collapsed_into_the_longest_when_never_used_apart():
    frame = pd.DataFrame(
        {
            "group": ["a"] * 6,
            "comparison": ["b"] * 6,
            "term": [
                "anti-missile defence system",
                "anti-missile defence",
                "anti-missile",
                "defence system",
                "defence",
                "missile shield",
            ],
            "count_group": [4, 4, 4, 4, 6, 2],
            "count_other": [0, 0, 0, 0, 1, 0],
            "z": [3.1, 3.0, 2.9, 2.8, 1.5, 1.0],
        }
    )
    collapsed = collapse_nested_terms(frame)
    assert collapsed["term"].tolist() == [
        "anti-missile defence system",
        "defence",
        "missile shield",
    ]
    assert frame["term"].tolist()[1] == "anti-missile defence"  # the input is not modified
    with pytest.raises(ValueError, match=r"contrasts is missing column\(s\) count_other"):
        collapse_nested_terms(frame.drop(columns="count_other"))
