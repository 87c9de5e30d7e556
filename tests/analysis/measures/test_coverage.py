from __future__ import annotations

import pandas as pd
import pytest

from analysis.labels.agenda import ARTICLE_SUBJECT_COLUMNS
from analysis.measures.coverage import blind_spots, coverage_spread

#: Three groups on two meetings. m1: Ukrainian 3 articles (2 outlets), pro-Kremlin 2, Western 0;
#: m2: Western 1 and Ukrainian 1 (u3 covers both meetings); n1 covers no meeting.
ARTICLES = pd.DataFrame(
    {
        "id": ["u1", "u2", "u3", "k1", "k2", "w1", "w2", "n1"],
        "outlet": ["kyiv-post", "kyiv-post", "ep", "tass", "rt", "cnn", "cnn", "rt"],
        "outlet_group": [
            "Ukrainian", "Ukrainian", "Ukrainian", "pro-Kremlin", "pro-Kremlin",
            "Western", "Western", "pro-Kremlin",
        ],
        "language": ["en", "en", "en", "en", "ru", "en", "en", "en"],
        "meetings": [("m1",), ("m1",), ("m1", "m2"), ("m1",), ("m1",), ("m2",), (), ()],
    }
)  # fmt: skip


def _agenda(covered: dict[str, list[str]], unsupported: tuple[str, ...] = ()) -> pd.DataFrame:
    rows = []
    for article_id in ARTICLES["id"]:
        if article_id in unsupported:
            rows.append((article_id, "unsupported language", "", "", 0, "", "", -1, -1))
        elif covered.get(article_id):
            for subject in covered[article_id]:
                rows.append((article_id, "ok", subject, subject.title(), 1, subject, "", 0, 5))
        else:
            rows.append((article_id, "no subject", "", "", 0, "", "", -1, -1))
    return pd.DataFrame(rows, columns=list(ARTICLE_SUBJECT_COLUMNS))


AGENDA = _agenda(
    {"u1": ["ukraine", "syria"], "u2": ["ukraine"], "u3": ["syria"], "k1": ["syria"],
     "w1": ["iran"], "w2": ["iran"]},
    unsupported=("k2",),
)  # fmt: skip


def test_spread_counts_articles_and_outlets_per_group_in_the_given_order():
    on_m1 = ARTICLES[ARTICLES["meetings"].map(lambda m: "m1" in m)]
    spread = coverage_spread(on_m1, order=["Western", "pro-Kremlin", "Ukrainian"])
    assert spread.to_dict("list") == {
        "outlet_group": ["pro-Kremlin", "Ukrainian"],
        "articles": [2, 3],
        "outlets": [2, 2],
        "share": [0.4, 0.6],
    }
    assert list(coverage_spread(ARTICLES)["outlet_group"]) == [
        "Ukrainian",
        "Western",
        "pro-Kremlin",
    ]
    assert list(coverage_spread(ARTICLES, order=["Western"])["outlet_group"]) == [
        "Western", "Ukrainian", "pro-Kremlin",
    ]  # fmt: skip
    assert coverage_spread(ARTICLES.iloc[0:0]).empty


def test_blind_spots_are_meetings_a_group_skipped_and_subjects_it_left_out():
    found = blind_spots(ARTICLES, AGENDA)
    assert list(found.columns) == [
        "meeting", "kind", "subject", "subject_name", "outlet_group", "n_articles",
        "covered_by", "articles_covering",
    ]  # fmt: skip
    assert found.values.tolist() == [
        # Western ran nothing on m1, which five articles of two groups covered.
        ["m1", "meeting", "", "", "Western", 0, "Ukrainian; pro-Kremlin", 5],
        # pro-Kremlin's one English article on m1 (k2 is in Russian) names Syria, not Ukraine.
        ["m1", "subject", "ukraine", "Ukraine", "pro-Kremlin", 1, "Ukrainian", 2],
        ["m2", "meeting", "", "", "pro-Kremlin", 0, "Ukrainian; Western", 2],
        ["m2", "subject", "iran", "Iran", "Ukrainian", 1, "Western", 1],
        ["m2", "subject", "syria", "Syria", "Western", 1, "Ukrainian", 1],
    ]


def test_blind_spots_by_outlet_and_for_chosen_meetings():
    found = blind_spots(ARTICLES, AGENDA, by="outlet", meetings=["m2"])
    assert found[["kind", "subject", "outlet", "n_articles", "covered_by"]].values.tolist() == [
        ["meeting", "", "kyiv-post", 0, "cnn; ep"],
        ["meeting", "", "rt", 0, "cnn; ep"],
        ["meeting", "", "tass", 0, "cnn; ep"],
        ["subject", "syria", "cnn", 1, "ep"],
        ["subject", "iran", "ep", 1, "cnn"],
    ]


def test_one_group_has_no_blind_spot_and_bad_inputs_are_named():
    alone = ARTICLES[ARTICLES["outlet_group"] == "Ukrainian"]
    assert blind_spots(alone, AGENDA).empty
    assert list(blind_spots(alone, AGENDA).columns)[4] == "outlet_group"
    with pytest.raises(ValueError, match=r"articles is missing column\(s\) meetings"):
        blind_spots(ARTICLES.drop(columns="meetings"), AGENDA)
    with pytest.raises(ValueError, match="by must name a group column, not 'meeting'"):
        blind_spots(ARTICLES, AGENDA, by="meeting")
    with pytest.raises(ValueError, match=r"articles is missing column\(s\) outlet_group"):
        coverage_spread(ARTICLES.drop(columns="outlet_group"))
