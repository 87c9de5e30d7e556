"""Hand-written articles and label tables shared by the dashboard's table tests."""

from __future__ import annotations

import pandas as pd

ARTICLES = pd.DataFrame(
    {
        "id": ["a1", "a2", "b1"],
        "outlet": ["a", "a", "b"],
        "outlet_name": ["Outlet A", "Outlet A", "Outlet B"],
        "outlet_group": ["g", "g", "h"],
        "title": ["First", "Second", "Third"],
        "published": pd.to_datetime(["2015-05-12", None, "2015-05-13"]),
        "date_precision": ["day", "", "day"],
        "authors": [("Ann",), (), ("Bob",)],
        "meetings": [("2015-05-sochi",), (), ("2015-05-sochi", "2015-12-moscow")],
        "language": ["en", "en", "en"],
        "url": ["", "", ""],
    }
)
#: Six dated articles: Outlet A three times in the week of Monday 11 May 2015 (twice on
#: the 12th) and once in June; Outlet B on the 13th and in December.
CROWDED = pd.DataFrame(
    {
        "id": ["a1", "a2", "a3", "a4", "b1", "b2"],
        "outlet_name": ["Outlet A"] * 4 + ["Outlet B"] * 2,
        "published": pd.to_datetime(
            ["2015-05-12", "2015-05-12", "2015-05-17", "2015-06-02", "2015-05-13", "2015-12-01"]
        ),
    }
)
STANCE = pd.DataFrame(
    {
        "article_id": ["a1", "a1", "b1", "b1"],
        "target": ["russia", "usa", "russia", "usa"],
        "target_name": ["Russia", "USA", "Russia", "USA"],
        "label": ["unfavorable", "neutral", "favorable", "not mentioned"],
        "score": [-0.5, 0.0, 0.75, None],
    }
)
OUTCOME = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "label": ["stalemate", "", "russia"]})
EVIDENCE = pd.DataFrame(
    {
        "article_id": ["a1", "a1", "a1", "b1", "b1"],
        "analysis": ["frame", "stance", "stance", "subject", "outcome"],
        "label": ["security", "unfavorable", "unfavorable", "Syria", "russia"],
        "target": ["", "russia", "russia", "", ""],
        "voice": ["outlet"] * 5,
        "sentence": ["S1", "S2", "S2", "S3", "S4"],
        "cue_words": ["army", "failed", "failed", "Syria", "won"],
        "weight": [3.0, 1.0, 2.0, 1.0, 0.5],
    }
)
