"""The Attention over time page: articles per period and outlet or group, with sample sizes."""

from __future__ import annotations

from tests.dashboard.conftest import downloaded_rows, texts


def test_articles_per_week_and_outlet_with_their_sample_sizes(open_page, downloads, sochi_corpus):
    app = open_page("attention", corpus=sochi_corpus)
    assert not app.exception
    rows = downloaded_rows(app, downloads, "at_chart_csv")
    assert [(r["period_start"], r["series"], r["articles"]) for r in rows] == [
        ("2013-05-13", "OSW – Centre for Eastern Studies", "1"),
        ("2015-05-11", "CNN", "1"),
        ("2015-05-11", "Euromaidan Press", "1"),
        ("2015-05-11", "The Duran", "1"),
        ("2015-12-14", "Euromaidan Press", "1"),
        ("2016-07-11", "robinwestenra.blogspot.com (repost blog)", "1"),
        # Dated to its month only (2022-01-01), a Saturday: the week of Monday 27 December.
        ("2021-12-27", "MCU Times", "1"),
    ]
    assert (
        "Sample sizes: OSW – Centre for Eastern Studies \\(n \\= 1\\) · CNN \\(n \\= 1\\) · "
        "Euromaidan Press \\(n \\= 2\\) · The Duran \\(n \\= 1\\) · "
        "robinwestenra\\.blogspot\\.com \\(repost blog\\) \\(n \\= 1\\) · MCU Times \\(n \\= 1\\)."
    ) in texts(app, "caption")


def test_per_month_and_group_from_the_url(open_page, downloads, sochi_corpus):
    app = open_page(
        "attention", corpus=sochi_corpus, at_by="outlet_group", at_period="month",
        f_years="2015-2015",
    )  # fmt: skip
    assert not app.exception
    assert app.radio(key="at_by").value == "outlet_group"
    rows = downloaded_rows(app, downloads, "at_chart_csv")
    assert [(r["period_start"], r["outlet_group"], r["articles"]) for r in rows] == [
        ("2015-05-01", "Ukrainian", "1"),
        ("2015-05-01", "Western mainstream", "1"),
        ("2015-05-01", "pro-Kremlin", "1"),
        ("2015-12-01", "Ukrainian", "1"),
    ]


def test_a_bar_lists_the_articles_behind_it(open_page, sochi_corpus):
    # Euromaidan Press's bar of the week of Monday 11 May 2015 (its article of 12 May), as a
    # click names it: the outlet by its name, as the chart and its legend do.
    app = open_page("attention", corpus=sochi_corpus, at_chart="Euromaidan Press|2015-05-11")
    assert not app.exception
    assert "**Articles behind your selection** (1)" in texts(app, "markdown")
    (behind,) = app.dataframe
    assert list(behind.value["title"]) == ["Why is Putin meeting with Kerry?"]


def test_a_groups_bar_of_a_month_lists_that_groups_articles_of_the_month(open_page, sochi_corpus):
    app = open_page(
        "attention", corpus=sochi_corpus, at_by="outlet_group", at_period="month",
        at_chart="pro-Kremlin|2015-05-01",
    )  # fmt: skip
    assert not app.exception
    (behind,) = app.dataframe
    assert list(behind.value["title"]) == ["Washington blinks in Sochi"]


def test_without_a_click_no_articles_are_listed(open_page, sochi_corpus):
    app = open_page("attention", corpus=sochi_corpus)
    assert not app.exception
    assert not [t for t in texts(app, "markdown") if "Articles behind your selection" in t]
    assert not app.dataframe
