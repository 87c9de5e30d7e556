from __future__ import annotations

from pathlib import Path

import pytest

from analysis.corpus.articles import load_corpus
from analysis.pipeline.prepare import prepare_corpus
from dashboard import tables
from dashboard.results import KEY_SENTENCES, SelectionResults, key_sentences
from tests.dashboard.conftest import downloaded_rows, texts, vega_chart
from tests.scale_corpus import write_scale_corpus

SOCHI = "Kerry meets Putin in Sochi (Ukraine, Minsk, Syria, Iran) — 2015-05-12"


def test_default_load_shows_the_first_meeting(open_page):
    app = open_page("meeting")
    assert not app.exception
    assert app.selectbox(key="mt_meeting").value == "2013-05-moscow"
    assert any("Only OSW" in message for message in texts(app, "info"))
    assert any("against the rest of the selected corpus" in c for c in texts(app, "caption"))


def test_meeting_is_seeded_from_the_url_and_outlets_stand_side_by_side(open_page, sochi_corpus):
    app = open_page("meeting", corpus=sochi_corpus, mt_meeting=SOCHI)
    assert not app.exception
    assert app.selectbox(key="mt_meeting").value == "2015-05-sochi"
    headers = [h.value for h in app.subheader]
    assert headers[:4] == ["Coverage spread", "Outlets at a glance", "Blind spots", "Side by side"]
    # Three outlets: a column each, without picking.
    assert app.radio(key="mt_columns").value == "Outlets"
    assert headers[4:7] == ["Euromaidan Press", "The Duran", "CNN"]
    assert any(
        "against the other outlets' articles on this meeting" in c for c in texts(app, "caption")
    )


def test_side_by_side_download_has_one_row_per_article(open_page, sochi_corpus, downloads):
    app = open_page("meeting", corpus=sochi_corpus, mt_meeting=SOCHI)
    rows = downloaded_rows(app, downloads, "mt_summary_csv")
    assert sorted(row["outlet_name"] for row in rows) == ["CNN", "Euromaidan Press", "The Duran"]
    assert {row["stance_russia"] for row in rows} <= {
        "favorable",
        "unfavorable",
        "neutral",
        "uncertain",
        "not mentioned",
    }
    assert all(row["distinctive_terms"] for row in rows)


def test_a_against_b_contrasts_two_outlets(open_page, sochi_corpus, downloads):
    app = open_page(
        "meeting", corpus=sochi_corpus, mt_meeting=SOCHI, mt_view="A against B",
        mt_a="CNN", mt_b="The Duran",
    )  # fmt: skip
    assert not app.exception
    rows = downloaded_rows(app, downloads, "mt_pair_terms_csv")
    assert {row["group"] for row in rows} == {"cnn"}
    assert {row["comparison"] for row in rows} == {"the-duran"}


def test_a_against_b_needs_two_outlets(open_page):
    app = open_page("meeting", mt_view="A against B")
    assert not app.exception
    assert any("needs two outlets" in message for message in texts(app, "info"))


def test_across_meetings_lists_an_outlets_meetings(open_page, downloads):
    app = open_page("meeting", mt_view="Across meetings", mt_who="Outlet: Euromaidan Press")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "mt_across_csv")
    assert [row["meeting"] for row in rows] == ["2015-05-sochi", "2015-12-moscow"]


def test_an_outlets_timeline_has_its_csv_images_and_lists_a_clicked_article(open_page, downloads):
    later = "euromaidan-press-2015-12-19-putin-got-what-he-really-wanted-from-kerry-meeting"
    app = open_page(
        "meeting",
        mt_view="Across meetings",
        mt_who="Outlet: Euromaidan Press",
        mt_who_timeline=f"{later}|Euromaidan Press",
    )
    assert not app.exception
    spec, _ = vega_chart(app)
    assert spec["title"]["text"].startswith("Its articles against the meetings (n = 2 dated")
    drawn = downloaded_rows(app, downloads, "mt_who_timeline_csv")
    # Newest first, as every article list.
    assert [(row["outlet_name"], row["published"]) for row in drawn] == [
        ("Euromaidan Press", "2015-12-19"),
        ("Euromaidan Press", "2015-05-12"),
    ]
    labels = [button.proto.label for button in app.get("download_button")]
    assert {"PNG", "SVG"} <= set(labels)
    behind = downloaded_rows(app, downloads, "mt_who_drill_csv")
    assert [row["id"] for row in behind] == [later]


def test_no_meeting_in_the_selection_says_so(open_page):
    app = open_page("meeting", f_meeting="none")
    assert not app.exception
    assert any("None of the selected articles covers a meeting" in m for m in texts(app, "info"))


def test_key_sentences_are_each_outlets_best_distinct_evidence(sochi_corpus):
    prepared = prepare_corpus(load_corpus(sochi_corpus))
    articles = tables.meeting_articles(prepared.articles, "2015-05-sochi")
    results = SelectionResults.of(prepared, articles)
    found = key_sentences(results, articles)
    assert set(found) == set(articles["outlet"])
    for outlet, ids in articles.groupby("outlet")["id"]:
        evidence = results.with_text(results.rows_for("evidence", ids, text=False))
        ranked = evidence.assign(
            labelled=evidence["analysis"].isin(["stance", "outcome"]),
            strength=evidence["weight"].abs(),
            position=range(len(evidence)),
        ).sort_values(["labelled", "strength", "position"], ascending=[False, False, True])
        expected = ranked["sentence"].drop_duplicates().head(KEY_SENTENCES)
        assert list(found[outlet]["sentence"]) == list(expected), outlet


SCALE_SOCHI = "2015-05-sochi"
UKRAINIAN = ["Kyiv Daily", "Lviv Courier", "Odesa Herald", "Kharkiv Times"]
PRO_KREMLIN = ["Moscow Wire", "Volga Review", "Neva Post", "Ural Voice"]
UNASSIGNED = ["Tidewater Gazette", "Prairie Ledger", "Harbour News"]


def _columns(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The headings of the side-by-side columns (after the page's four sections)."""
    return [h.value for h in app.main.subheader][4:]


@pytest.fixture
def scale_corpus(tmp_path: Path) -> Path:
    """Eleven outlets in three groups on the Sochi meeting (tests/scale_corpus.py)."""
    return write_scale_corpus(tmp_path / "corpus")


def test_coverage_spread_counts_each_groups_articles_and_outlets(
    open_page, scale_corpus, downloads
):
    app = open_page("meeting", corpus=scale_corpus, mt_meeting=SCALE_SOCHI)
    assert not app.exception
    rows = downloaded_rows(app, downloads, "mt_spread_csv")
    assert [(r["group"], r["articles"], r["share (%)"], r["outlets"]) for r in rows] == [
        ("Ukrainian", "5", "38.5", "4"),
        ("pro-Kremlin", "5", "38.5", "4"),
        ("unassigned", "3", "23.1", "3"),
    ]
    assert rows[2]["outlet names"] == ", ".join(UNASSIGNED)
    # Three articles is a small sample; five is not.
    assert any("unassigned (3)" in w and "Ukrainian" not in w for w in texts(app, "warning"))
    stance = downloaded_rows(app, downloads, "mt_group_stance_csv")
    assert {r["group"] for r in stance} == {"Ukrainian", "pro-Kremlin", "unassigned"}
    per_group = {}
    for row in stance:
        per_group[row["group"]] = per_group.get(row["group"], 0) + int(row["articles"])
    assert per_group == {"Ukrainian": 5, "pro-Kremlin": 5, "unassigned": 3}
    outcome = downloaded_rows(app, downloads, "mt_group_outcome_csv")
    assert sum(int(r["articles"]) for r in outcome) == 13


def test_a_clicked_group_lists_its_articles(open_page, scale_corpus, downloads):
    app = open_page("meeting", corpus=scale_corpus, mt_meeting=SCALE_SOCHI, mt_spread="unassigned")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "mt_spread_drill_csv")
    assert sorted(r["outlet_name"] for r in rows) == sorted(UNASSIGNED)


def test_a_clicked_stance_bar_lists_the_groups_articles_with_that_label(
    open_page, scale_corpus, downloads
):
    app = open_page(
        "meeting", corpus=scale_corpus, mt_meeting=SCALE_SOCHI, mt_target="russia",
        mt_group_stance="pro-Kremlin|neutral",
    )  # fmt: skip
    assert not app.exception
    stance = downloaded_rows(app, downloads, "mt_group_stance_csv")
    neutral = [r for r in stance if (r["group"], r["label"]) == ("pro-Kremlin", "neutral")]
    rows = downloaded_rows(app, downloads, "mt_spread_drill_csv")
    assert len(rows) == int(neutral[0]["articles"]) > 0
    assert {r["outlet_group"] for r in rows} == {"pro-Kremlin"}


def test_outlets_at_a_glance_has_a_row_per_outlet_in_registry_order(
    open_page, scale_corpus, downloads
):
    app = open_page("meeting", corpus=scale_corpus, mt_meeting=SCALE_SOCHI, mt_glance="kyiv-daily")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "mt_glance_csv")
    assert [r["outlet"] for r in rows] == UKRAINIAN + PRO_KREMLIN + UNASSIGNED
    assert [r["group"] for r in rows] == ["Ukrainian"] * 4 + ["pro-Kremlin"] * 4 + [
        "unassigned"
    ] * 3
    assert [r["articles"] for r in rows] == ["2", "1", "1", "1", "2", "1", "1", "1", "1", "1", "1"]
    assert list(rows[0]) == [
        "outlet", "group", "articles", "stance toward Russia", "stance toward US and the West",
        "stance toward Ukraine", "stance toward Assad and the Syrian government",
        "outcome framing", "distinctive terms", "quotes most",
    ]  # fmt: skip
    # Its second article's "a deal ... the only plan on the table" reads as progress.
    assert rows[0]["outcome framing"] == "1 cooperation or progress, 1 neutral report"
    assert any("11 of 11 outlets have fewer than 5 articles" in w for w in texts(app, "warning"))
    assert rows[4]["outcome framing"] == "2 neutral report"
    assert all(row["distinctive terms"] for row in rows)
    # The link's row lists that outlet's articles.
    drill = downloaded_rows(app, downloads, "mt_glance_drill_csv")
    assert [r["title"] for r in drill] == [
        "Kyiv Daily on Sochi, part 2",
        "Kyiv Daily on Sochi, part 1",
    ]


def test_blind_spots_name_what_each_group_left_out(open_page, scale_corpus, downloads):
    app = open_page(
        "meeting", corpus=scale_corpus, mt_meeting=SCALE_SOCHI, mt_blind="crimea|pro-Kremlin"
    )
    assert not app.exception
    rows = downloaded_rows(app, downloads, "mt_blind_csv")
    assert [tuple(r.values()) for r in rows] == [
        ("the whole meeting", "think tank", "0", "Ukrainian; pro-Kremlin; unassigned", "13"),
        ("Iran", "Ukrainian", "5", "unassigned", "3"),
        ("Sanctions", "Ukrainian", "5", "pro-Kremlin", "5"),
        ("Syria", "Ukrainian", "5", "pro-Kremlin; unassigned", "8"),
        ("Crimea", "pro-Kremlin", "5", "Ukrainian", "5"),
        ("Iran", "pro-Kremlin", "5", "unassigned", "3"),
        ("Minsk agreements", "pro-Kremlin", "5", "Ukrainian", "5"),
        ("Crimea", "unassigned", "3", "Ukrainian", "5"),
        ("Minsk agreements", "unassigned", "3", "Ukrainian", "5"),
        ("Sanctions", "unassigned", "3", "pro-Kremlin", "5"),
        ("Ukraine", "unassigned", "3", "Ukrainian; pro-Kremlin", "10"),
    ]
    # The linked row (Crimea, left out by pro-Kremlin) lists the Ukrainian articles naming it.
    drill = downloaded_rows(app, downloads, "mt_blind_drill_csv")
    assert sorted(r["outlet_name"] for r in drill) == sorted([*UKRAINIAN, "Kyiv Daily"])


def test_eleven_outlets_stand_side_by_side_as_groups_or_as_picked_outlets(
    open_page, scale_corpus, downloads
):
    app = open_page("meeting", corpus=scale_corpus, mt_meeting=SCALE_SOCHI)
    assert not app.exception
    assert app.radio(key="mt_columns").value == "Groups"
    assert _columns(app) == ["Group: Ukrainian", "Group: pro-Kremlin", "Group: unassigned"]
    assert any("against the other groups' articles" in c for c in texts(app, "caption"))
    assert len(downloaded_rows(app, downloads, "mt_summary_csv")) == 13

    app = open_page(
        "meeting", corpus=scale_corpus, mt_meeting=SCALE_SOCHI, mt_columns="Outlets",
        mt_outlets="harbour-news,Kyiv Daily",
    )  # fmt: skip
    assert not app.exception
    assert _columns(app) == ["Harbour News", "Kyiv Daily"]
    assert app.query_params["mt_outlets"] == "harbour-news,kyiv-daily"
    assert app.query_params["mt_columns"] == "Outlets"
    rows = downloaded_rows(app, downloads, "mt_summary_csv")
    assert sorted(r["outlet_name"] for r in rows) == ["Harbour News", "Kyiv Daily", "Kyiv Daily"]
    assert {r["outlet_group"] for r in rows} == {"Ukrainian", "unassigned"}

    app = open_page(
        "meeting", corpus=scale_corpus, mt_meeting=SCALE_SOCHI, mt_columns="Groups",
        mt_groups="unassigned,pro-Kremlin",
    )  # fmt: skip
    assert _columns(app) == ["Group: unassigned", "Group: pro-Kremlin"]


def test_one_picked_outlet_is_still_set_against_the_other_outlets_on_the_meeting(
    open_page, scale_corpus
):
    app = open_page(
        "meeting", corpus=scale_corpus, mt_meeting=SCALE_SOCHI, mt_columns="Outlets",
        mt_outlets="harbour-news",
    )  # fmt: skip
    assert not app.exception
    assert _columns(app) == ["Harbour News"]
    assert not any(message.startswith("Only") for message in texts(app, "info"))
    assert any("against the other outlets' articles" in c for c in texts(app, "caption"))


def test_outlets_without_picks_are_the_six_with_the_most_articles(open_page, scale_corpus):
    app = open_page("meeting", corpus=scale_corpus, mt_meeting=SCALE_SOCHI, mt_columns="Outlets")
    assert not app.exception
    # Kyiv Daily and Moscow Wire ran two; then the first outlets in registry order.
    assert _columns(app) == [
        "Kyiv Daily", "Lviv Courier", "Odesa Herald", "Kharkiv Times", "Moscow Wire",
        "Volga Review",
    ]  # fmt: skip
    assert any(
        "11 outlets covered this meeting: the 6 with the most" in c for c in texts(app, "caption")
    )


def test_across_meetings_lists_the_meetings_a_group_ran_nothing_on(
    open_page, scale_corpus, downloads
):
    app = open_page(
        "meeting", corpus=scale_corpus, mt_view="Across meetings", mt_who="group:unassigned"
    )
    assert not app.exception
    assert downloaded_rows(app, downloads, "mt_ignored_csv") == [
        {
            "meeting": "Kerry meets Putin in Moscow (Syria political process, Assad)",
            "start": "2015-12-15",
            "covered by": "think tank",
            "their articles": "1",
        }
    ]
    app = open_page(
        "meeting", corpus=scale_corpus, mt_view="Across meetings", mt_who="outlet:kyiv-daily"
    )
    rows = downloaded_rows(app, downloads, "mt_ignored_csv")
    assert [(r["meeting"][:30], r["covered by"]) for r in rows] == [
        ("Kerry meets Putin in Moscow (S", "Baltic Institute")
    ]
