from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.measures.collocates import COLLOCATE_COLUMNS, collocates

ARTICLES = pd.DataFrame(
    {
        "outlet": ["x", "x", "y"],
        "text_clean": [
            "Sanctions hurt Russia. New sanctions hurt trade",
            "Russia trade grows",
            "Nothing about the measures",
        ],
    }
)


def test_collocates_with_counts_and_exact_scores():
    found = collocates(ARTICLES, "sanctions", by="outlet", window=2, min_count=1)
    assert list(found.columns) == list(COLLOCATE_COLUMNS)
    # Words 0-9 of x: node at 0 and 4; windows {1, 2} and {2, 3, 5, 6}: 5 positions.
    # russia and trade (1 in the window, 1 expected) are no attraction; y never uses the term.
    assert found[["group", "collocate", "cooccurrences", "collocate_count"]].values.tolist() == [
        ["x", "hurt", 2, 2],
        ["x", "new", 1, 1],
    ]
    hurt = found.iloc[0]
    assert (hurt["node_count"], hurt["window_words"], hurt["group_words"]) == (2, 5, 10)
    assert hurt["expected"] == 1.0
    # 2 x 2 table: O = 2, 3, 0, 5; E = 1, 4, 1, 4.
    g2 = 2 * (2 * math.log(2) + 3 * math.log(3 / 4) + 5 * math.log(5 / 4))
    assert hurt["log_likelihood"] == pytest.approx(g2, rel=1e-12)
    assert hurt["log_dice"] == 14.0
    assert found.iloc[1]["log_dice"] == pytest.approx(14 + math.log2(2 / 3), rel=1e-12)


def test_min_count_and_stopwords_leave_collocates_out():
    assert collocates(ARTICLES, "sanctions", by="outlet", window=2)["collocate"].tolist() == [
        "hurt"
    ]


def test_a_phrase_node_and_its_own_words_are_not_collocates():
    found = collocates(ARTICLES, "sanctions hurt", by="outlet", window=1, min_count=1)
    assert found["collocate"].tolist() == ["new", "russia", "trade"]
    assert set(found["node_count"]) == {2}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"window": 0}, "window must be at least 1 word, got 0"),
        ({"min_count": 0}, "min_count must be at least 1, got 0"),
        ({"text_column": "body"}, "articles has no 'body' column"),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        collocates(ARTICLES, "sanctions", by="outlet", **options)
