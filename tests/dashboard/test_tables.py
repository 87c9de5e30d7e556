"""What the pages show, as pure functions: hand-written tables in, exact tables out."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import tables
from tests.dashboard.samples import ARTICLES, CROWDED, STANCE


def test_articles_behind_cells_and_points():
    behind = tables.articles_behind(ARTICLES, cells={("b", "2015-12-moscow")}, ids={"a2"})
    assert behind["id"].tolist() == ["b1", "a2"]
    assert tables.articles_behind(ARTICLES, cells={("a", "none")}, ids=set())["id"].tolist() == [
        "a2"
    ]


@pytest.mark.parametrize(
    ("max_points", "period", "points"),
    [
        # Few enough articles: one point each.
        (6, None, None),
        # Days: A 12 May (2), 17 May, 2 June; B 13 May, 1 Dec = 5 points.
        (5, "day", [("Outlet A", "2015-05-12", 2), ("Outlet A", "2015-05-17", 1),
                    ("Outlet A", "2015-06-02", 1), ("Outlet B", "2015-05-13", 1),
                    ("Outlet B", "2015-12-01", 1)]),
        # Weeks from Monday: A 11 May (3), 1 June; B 11 May, 30 Nov = 4 points.
        (4, "week", [("Outlet A", "2015-05-11", 3), ("Outlet A", "2015-06-01", 1),
                     ("Outlet B", "2015-05-11", 1), ("Outlet B", "2015-11-30", 1)]),
        # Months give 4 points too; fewer allowed still ends at months.
        (2, "month", [("Outlet A", "2015-05-01", 3), ("Outlet A", "2015-06-01", 1),
                      ("Outlet B", "2015-05-01", 1), ("Outlet B", "2015-12-01", 1)]),
    ],
)  # fmt: skip
def test_a_crowded_timeline_counts_each_outlets_articles_per_period(max_points, period, points):
    drawn, found = tables.timeline_points(CROWDED, max_points=max_points)
    assert found == period
    if period is None:
        assert drawn is CROWDED
        return
    rows = sorted(
        zip(
            drawn["outlet_name"],
            drawn["start"].dt.strftime("%Y-%m-%d"),
            drawn["articles"],
            strict=True,
        )
    )
    assert rows == points
    assert sorted(drawn["key"]) == sorted(f"{period}:{start}" for _, start, _ in points)


def test_articles_behind_a_period_point_are_that_outlets_articles_of_that_period():
    behind = tables.articles_behind(
        CROWDED.assign(
            outlet=CROWDED["outlet_name"].str[-1].str.lower(),
            outlet_group="g",
            title=CROWDED["id"],
            date_precision="day",
            authors=[()] * 6,
            meetings=[()] * 6,
            language="en",
            url="",
        ),
        cells=set(),
        ids=set(),
        periods={("week:2015-05-11", "Outlet A"), ("month:2015-12-01", "Outlet B")},
    )
    # Newest first; B's May article is in that week but not that outlet's point.
    assert behind["id"].tolist() == ["b2", "a3", "a1", "a2"]
    # A key of an unknown period names nothing.
    assert tables.articles_behind(
        ARTICLES, cells=set(), ids=set(), periods={("year:2015-01-01", "Outlet A")}
    ).empty


def test_terms_per_meeting_joins_the_positive_terms():
    contrasts = pd.DataFrame(
        {
            "group": ["m1", "m1", "m1", "m2", "m2"],
            "term": ["sanctions", "minsk", "syria", "iran", "war"],
            "z": [3.0, 2.0, 1.0, 2.5, -1.0],
        }
    )
    assert tables.terms_per_meeting(contrasts, n=2).to_dict("records") == [
        {"meeting": "m1", "distinctive_terms": "sanctions; minsk"},
        {"meeting": "m2", "distinctive_terms": "iran"},
    ]


def test_article_metadata_lists_every_field():
    article = ARTICLES.iloc[1].copy()
    article["notes"], article["inferred"], article["path"] = "", "", "articles/a2.md"
    metadata = tables.article_metadata("a2", article, when="undated")
    assert dict(zip(metadata["field"], metadata["value"], strict=True)) == {
        "id": "a2",
        "outlet": "Outlet A",
        "group": "g",
        "published": "undated",
        "date known to": "",
        "authors": "no byline",
        "language": "en",
        "meetings": "none",
        "url": "",
        "notes": "",
        "inferred on import": "nothing (all given in the file)",
        "file": "articles/a2.md",
    }


def test_evidence_marks_each_sentence_its_labels_and_its_cue_words():
    text = "Kerry failed in Sochi. Talks were Frank. Putin won."
    evidence = pd.DataFrame(
        {
            "analysis": ["stance", "outcome", "frame", "stance"],
            "label": ["unfavorable", "Russia gained", "security", "favorable"],
            "target": ["usa", "", "", "russia"],
            "sentence_start": pd.array([0, 0, None, 41], dtype="Int64"),
            "sentence_end": pd.array([22, 22, None, 51], dtype="Int64"),
            "cue_words": ["failed", "failed; in sochi", "army", "won"],
        }
    )
    names = {"target": {"usa": "USA"}, "frame": {"security": "Security and defense"}}
    evidence = evidence.assign(shows=tables.evidence_kinds(evidence, names))
    assert evidence["shows"].tolist() == [
        "Stance toward USA: unfavorable",
        "Outcome: Russia gained",
        "Frame: Security and defense",
        "Stance toward russia: favorable",
    ]
    assert tables.evidence_keys(evidence) == [
        "stance:usa:unfavorable",
        "outcome:Russia gained",
        "frame:security",
        "stance:russia:favorable",
    ]
    spans, markers = tables.evidence_marks(text, evidence)
    assert spans == [
        (0, 22, "evidence:Stance toward USA: unfavorable"),
        (6, 12, "cue"),
        (0, 22, "evidence:Outcome: Russia gained"),
        (6, 12, "cue"),
        (13, 21, "cue"),
        (41, 51, "evidence:Stance toward russia: favorable"),
        (47, 50, "cue"),
    ]
    assert markers == {
        22: ["Stance toward USA: unfavorable", "Outcome: Russia gained"],
        51: ["Stance toward russia: favorable"],
    }


def test_in_percent_and_stance_shares_name_the_outlets():
    frames = pd.DataFrame({"outlet": ["a", "b"], "share": [0.254, 0.5]})
    shown = tables.in_percent(frames, {"a": "Outlet A", "b": "Outlet B"})
    assert shown[["outlet_name", "percent"]].to_dict("records") == [
        {"outlet_name": "Outlet A", "percent": 25.0},
        {"outlet_name": "Outlet B", "percent": 50.0},
    ]
    groups = pd.DataFrame(
        {"group": ["a", "b", "a"], "target": ["russia", "russia", "usa"],
         "share": [0.25, float("nan"), 1.0]}
    )  # fmt: skip
    shares = tables.stance_shares(groups, "russia", {"a": "Outlet A", "b": "Outlet B"})
    assert shares[["outlet_name", "share_text"]].to_dict("records") == [
        {"outlet_name": "Outlet A", "share_text": "25%"},
        {"outlet_name": "Outlet B", "share_text": "—"},
    ]


def test_stance_over_time_keeps_scored_dated_rows_toward_one_target():
    names = {"2015-05-sochi": "Sochi, May 2015"}
    over_time = tables.stance_over_time(STANCE, ARTICLES, "russia", meeting_names=names)
    assert over_time[["article_id", "outlet_name", "score", "meeting_name"]].to_dict("records") == [
        {
            "article_id": "a1",
            "outlet_name": "Outlet A",
            "score": -0.5,
            "meeting_name": "Sochi, May 2015",
        },
        {
            "article_id": "b1",
            "outlet_name": "Outlet B",
            "score": 0.75,
            "meeting_name": "Sochi, May 2015",
        },
    ]
    usa = tables.stance_over_time(STANCE, ARTICLES, "usa", meeting_names=names)
    assert usa["article_id"].tolist() == ["a1"]


@pytest.mark.parametrize(("positive", "expected"), [(True, ["b", "a"]), (False, ["d"])])
def test_top_terms_ranks_one_groups_terms_by_z(positive, expected):
    contrasts = pd.DataFrame(
        {"group": ["x", "x", "x", "y"], "term": ["a", "b", "d", "c"], "z": [1.0, 2.0, -3.0, 5.0]}
    )
    assert tables.top_terms(contrasts, "x", n=2, positive=positive)["term"].tolist() == expected


def test_in_order_keeps_the_present_values_in_the_given_order():
    assert tables.in_order(["b", "a", "c"], ["c", "b", "x"]) == ["b", "c"]


def test_target_names_in_order_of_first_appearance():
    assert tables.target_names(STANCE) == {"russia": "Russia", "usa": "USA"}


def test_outlet_and_labelled_articles():
    outlet_of = {"a1": "a", "a2": "a", "b1": "b"}
    assert tables.outlet_articles(outlet_of, "a") == {"a1", "a2"}
    assert tables.labelled_articles(STANCE, outlet_of, "a", target="russia") == {"a1"}
    assert tables.labelled_articles(STANCE, outlet_of, "b", label="unfavorable") == set()
    assert tables.labelled_articles(STANCE, outlet_of, "b", label="favorable") == {"b1"}


def test_insufficient_outlets_and_articles_per_outlet():
    groups = pd.DataFrame(
        {"outlet_name": ["A", "A", "B", "C"], "status": ["small", "small", "ok", "small"]}
    )
    assert tables.insufficient_outlets(groups) == ["A", "C"]
    counts = pd.DataFrame({"outlet": ["a", "b", "a"], "articles": [2, 1, 3]})
    assert tables.articles_per_outlet(counts, {"a": "Outlet A", "b": "Outlet B"}) == {
        "Outlet A": 5,
        "Outlet B": 1,
    }


def test_term_bars_are_the_highest_then_the_lowest_z():
    contrasts = pd.DataFrame(
        {
            "group": ["x", "x", "x", "x", "y"],
            "term": list("abcde"),
            "z": [3.0, -1.0, 2.0, -4.0, 9.0],
        }
    )
    assert tables.term_bars(contrasts, "x", n=1)["term"].tolist() == ["a", "d"]
    assert tables.group_rows(contrasts, "y").to_dict("records") == [
        {"group": "y", "term": "e", "z": 9.0}
    ]


def test_occurrences_are_named_and_counted_per_outlet():
    kwic = pd.DataFrame({"outlet": ["a", "b", "b", "zz"]})
    named = tables.named_occurrences(kwic, {"a": "Outlet A", "b": "Outlet B"})
    assert named["outlet_name"].tolist() == ["Outlet A", "Outlet B", "Outlet B", "zz"]
    assert tables.occurrences_per_outlet(named) == {"Outlet B": 2, "Outlet A": 1, "zz": 1}


def _meeting_contrast() -> pd.DataFrame:
    return pd.DataFrame({"group": ["m1", "m2"], "term": ["kerry", "syria"], "z": [2.0, 1.0]})


def _cannot_contrast() -> pd.DataFrame:
    raise ValueError("one group only")


def test_meeting_terms_compare_outlets_or_fall_back_to_other_meetings():
    outlets = pd.DataFrame({"group": ["a"], "term": ["sanctions"], "z": [1.5]})
    frame, against = tables.meeting_terms(
        ["a", "b"], "m1", between_outlets=lambda: outlets, between_meetings=_cannot_contrast
    )
    assert frame is outlets
    assert against == "against the other outlets' articles on this meeting"
    frame, against = tables.meeting_terms(
        ["a"], "m1", between_outlets=_cannot_contrast, between_meetings=_meeting_contrast
    )
    assert frame.to_dict("records") == [{"group": "a", "term": "kerry", "z": 2.0}]
    assert against == (
        "against the rest of the selected corpus, because no other outlet covered this meeting"
    )
    frame, against = tables.meeting_terms(
        ["a"], "m1", between_outlets=_cannot_contrast, between_meetings=_cannot_contrast
    )
    assert frame.empty
    assert "z" in frame.columns
    assert against == "no comparison: the selection holds nothing but this meeting"


def test_terms_by_outlet_joins_each_outlets_top_terms():
    terms = pd.DataFrame(
        {"group": ["a", "a", "a", "b"], "term": ["x", "y", "w", "z"], "z": [1.0, 3.0, -1.0, -2.0]}
    )
    assert tables.terms_by_outlet(terms, ["a", "b"], n=5) == {"a": "y; x", "b": ""}
    assert tables.terms_by_outlet(terms.iloc[0:0], ["a"], n=5) == {"a": ""}


def test_date_text_writes_the_day_or_undated():
    assert tables.date_text(pd.Timestamp("2015-05-12 10:30")) == "2015-05-12"
    assert tables.date_text(pd.NaT) == "undated"


def test_agenda_cells_keep_mentioned_subjects_most_mentioned_first_with_counts():
    agenda = pd.DataFrame(
        {
            "outlet": ["a", "a", "a", "b", "b", "b"],
            "subject": ["syria", "isis", "iran", "syria", "isis", "iran"],
            "subject_name": ["Syria", "ISIS", "Iran", "Syria", "ISIS", "Iran"],
            "articles_covering": [1, 2, 0, 0, 3, 0],
            "n_articles": [2, 2, 2, 4, 4, 4],
            "share": [0.5, 1.0, 0.0, 0.0, 0.75, 0.0],
        }
    )
    cells, silent = tables.agenda_cells(agenda, {"a": "Outlet A", "b": "Outlet Bee Bee Bee Bee"})
    assert silent == ["Iran"]
    assert cells[["subject_name", "outlet_name", "cell", "percent"]].values.tolist() == [
        ["ISIS", "Outlet A", "2/2", 100.0],
        ["ISIS", "Outlet Bee Bee Bee Bee", "3/4", 75.0],
        ["Syria", "Outlet A", "1/2", 50.0],
        ["Syria", "Outlet Bee Bee Bee Bee", "0/4", 0.0],
    ]
    assert cells["outlet_label"].tolist()[:2] == [
        "Outlet A (n = 2)",
        "Outlet Bee Bee Bee Bee (n = 4)",
    ]
    assert cells["subject_label"].tolist()[0] == "ISIS"


def test_year_span_writes_one_year_once():
    day = pd.Timestamp
    assert tables.year_span(day("2015-05-12"), day("2015-12-19")) == "2015"
    assert tables.year_span(day("2013-05-07"), day("2016-07-15")) == "2013–2016"
    assert tables.year_span(pd.NaT, pd.NaT) == "undated"


def test_matrix_labels_name_the_outlets_with_their_articles_and_wrap_long_rows():
    cells = pd.DataFrame(
        {
            "outlet": ["a", "b"],
            "n_articles": [3, 1],
            "speaker": ["Kremlin spokesman Dmitry Peskov of Russia", "TASS"],
        }
    )
    labelled = tables.matrix_labels(cells, {"a": "Outlet A"}, category="speaker")
    assert labelled[["outlet_name", "outlet_label", "category_label"]].values.tolist() == [
        ["Outlet A", "Outlet A (n = 3)", "Kremlin spokesman Dmitry<br>Peskov of Russia"],
        ["b", "b (n = 1)", "TASS"],
    ]


def test_a_blind_spot_leads_to_the_articles_that_covered_it():
    on_meeting = pd.DataFrame(
        {"id": ["u1", "u2", "k1", "n1"], "outlet_group": ["Ukr", "Ukr", "Kr", "unassigned"]}
    )
    agenda = pd.DataFrame(
        {
            "article_id": ["u1", "u2", "k1", "n1"],
            "status": ["ok", "no subject", "ok", "ok"],
            "subject": ["crimea", "", "crimea", "crimea"],
        }
    )
    subject = pd.Series({"kind": "subject", "subject": "crimea", "covered_by": "Kr; Ukr"})
    assert tables.blind_spot_articles(on_meeting, agenda, subject) == {"u1", "k1"}
    meeting = pd.Series({"kind": "meeting", "subject": "", "covered_by": "Kr; Ukr; unassigned"})
    assert tables.blind_spot_articles(on_meeting, agenda, meeting) == {"u1", "u2", "k1", "n1"}
    listed = tables.blind_spot_rows(
        pd.DataFrame(
            {
                "meeting": ["m1", "m1"],
                "kind": ["meeting", "subject"],
                "subject": ["", "crimea"],
                "subject_name": ["", "Crimea"],
                "outlet_group": ["think tank", "unassigned"],
                "n_articles": [0, 1],
                "covered_by": ["Kr; Ukr", "Kr; Ukr"],
                "articles_covering": [3, 2],
            }
        )
    )
    assert listed.values.tolist() == [
        ["the whole meeting", "think tank", 0, "Kr; Ukr", 3],
        ["Crimea", "unassigned", 1, "Kr; Ukr", 2],
    ]


def test_timeline_picks_tell_articles_from_periods():
    ids, periods = tables.timeline_picks(
        [["a1", "Outlet A"], ["week:2015-05-11", "Outlet B"], ["b1"]]
    )
    # A link from before the outlet was kept names the article id alone.
    assert ids == {"a1", "b1"}
    assert periods == {("week:2015-05-11", "Outlet B")}


# Cells as the table holds them (tuples), as a hand-made frame may (a list, a string),
# and none; each distinct cell is split once, every row gets its own.
_CELLS = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d", "e", "f"],
        "meetings": [("m1", "m2"), (), ["m2"], "m3", None, ("m1", "m2")],
        "authors": [("X", "Y"), (), ["Z"], "W", None, ("X", "Y")],
    }
)


def test_meetings_covered_counts_an_article_on_no_meeting_as_none():
    assert tables.meetings_covered(_CELLS) == {"m1", "m2", "m3", "none"}
    assert tables.meetings_covered(_CELLS.iloc[[0, 5]]) == {"m1", "m2"}


def test_list_texts_joins_each_cell():
    texts = tables.list_texts(_CELLS["authors"])
    assert texts.tolist() == ["X; Y", "", "Z", "W", "", "X; Y"]
    assert str(texts.dtype) == "str"
    tuples_only = _CELLS.iloc[[0, 1, 5]]["authors"]
    assert tables.list_texts(tuples_only).tolist() == ["X; Y", "", "X; Y"]
    assert tables.list_texts(tuples_only).index.tolist() == [0, 1, 5]


def test_coverage_keeps_a_meeting_the_chosen_outlet_left_out_as_zero():
    outlets = pd.DataFrame({"outlet": ["a", "b"], "name": ["Outlet A", "Outlet B"]})
    meetings = pd.DataFrame(
        {
            "meeting": ["m1", "m2", "m3"],
            "title": ["First", "Second", "Third"],
            "place": ["Moscow, Russia", "Sochi", "Paris"],
            "start": ["2013-05-07", "2015-05-12", "2015-12-15"],
        }
    )
    everyone = pd.DataFrame(
        {"outlet": ["a", "a", "b"], "meetings": [("m1",), ("m1",), ("m1", "m2")]}
    )
    chosen = everyone[everyone["outlet"] == "a"]
    alone = tables.coverage_cells(chosen, outlets, meetings)
    assert alone[["outlet_name", "meeting", "articles"]].values.tolist() == [["Outlet A", "m1", 2]]
    # Outlet B covered m2 under the same filters: Outlet A's omission of it shows as 0.
    # No article covers m3, so it gets no column.
    compared = tables.coverage_cells(chosen, outlets, meetings, compared=everyone)
    assert compared[["outlet_name", "meeting", "meeting_label", "articles"]].values.tolist() == [
        ["Outlet A", "m1", "Moscow, May 2013", 2],
        ["Outlet A", "m2", "Sochi, May 2015", 0],
    ]


def test_the_articles_of_a_bar_are_those_its_series_and_period_count():
    articles = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "e"],
            "outlet": ["tass", "tass", "rt", "tass", "tass"],
            "outlet_group": ["Russian state"] * 4 + [""],
            "published": pd.to_datetime(
                ["2015-05-11", "2015-05-17", "2015-05-12", "2015-05-18", None]
            ),
        }
    )
    names = {"tass": "TASS", "rt": "RT"}
    week = articles[
        tables.in_period_bars(
            articles, by="outlet", period="week", bars={("TASS", "2015-05-11")}, names=names
        )
    ]
    # Monday 11 and Sunday 17 May; not Monday 18, RT's article, or the undated one.
    assert list(week["id"]) == ["a", "b"]
    month = articles[
        tables.in_period_bars(
            articles, by="outlet_group", period="month", bars={("Russian state", "2015-05-01")},
            names=names,
        )
    ]  # fmt: skip
    assert list(month["id"]) == ["a", "b", "c", "d"]
