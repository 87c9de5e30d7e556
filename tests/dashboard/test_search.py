"""The Search page on a small planted corpus: exact hits, counts and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dashboard.conftest import downloaded_rows, texts, write_article

PLANTED = {
    "cnn-2015-05-12-talks-in-geneve": (
        "cnn",
        "Talks in Genève",
        "Kerry flew from Genève to Sochi. The Minsk agreements were discussed.\n\n"
        "Переговоры в Женеве: Путин и Керри.\n",
        "2015-05-12",
    ),
    "the-duran-2015-05-20-sanctions-failed": (
        "the-duran",
        "Sanctions failed",
        "The sanctions failed, and the Minsk agreements are the only way; GENEVE was a detour.\n",
        "2015-05-20",
    ),
}


@pytest.fixture
def planted(corpus_copy: Path) -> Path:
    """The shipped corpus (5 articles) plus a CNN and a Duran article with planted words."""
    for article_id, (outlet, title, text, published) in PLANTED.items():
        write_article(corpus_copy, article_id, outlet, title, text, published=published)
    return corpus_copy


def test_an_accent_insensitive_search_lists_every_hit_in_context(open_page, downloads, planted):
    app = open_page("search", corpus=planted, se_query="geneve")
    assert not app.exception
    assert [m.value for m in app.metric] == ["3", "2 of 7", "2"]
    rows = downloaded_rows(app, downloads, "se_hits_csv")
    assert [(r["outlet_name"], r["match"], r["left"], r["right"]) for r in rows] == [
        (
            "CNN",
            "Genève",
            "Talks in",
            "Kerry flew from Genève to Sochi. The Minsk agreements were discussed.",
        ),
        (
            "CNN",
            "Genève",
            "Talks in Genève Kerry flew from",
            "to Sochi. The Minsk agreements were discussed. Переговоры в Женеве: Путин и",
        ),
        (
            "The Duran",
            "GENEVE",
            "failed The sanctions failed, and the Minsk agreements are the only way;",
            "was a detour.",
        ),
    ]


def test_hits_per_outlet_give_the_sample_sizes(open_page, downloads, planted):
    app = open_page("search", corpus=planted, se_query='"minsk agreements" AND NOT failed')
    assert not app.exception
    per_outlet = downloaded_rows(app, downloads, "se_outlets_csv")
    assert [
        (r["outlet_name"], r["hits"], r["articles_with_hits"], r["articles"]) for r in per_outlet
    ] == [
        ("Euromaidan Press", "0", "0", "2"),
        ("robinwestenra.blogspot.com (repost blog)", "0", "0", "1"),
        ("The Duran", "0", "0", "1"),
        ("MCU Times", "0", "0", "1"),
        ("CNN", "1", "1", "1"),
        ("OSW – Centre for Eastern Studies", "0", "0", "1"),
    ]
    over_time = downloaded_rows(app, downloads, "se_time_csv")
    assert [(r["period_start"], r["series"], r["hits"]) for r in over_time] == [
        ("2015-05-11", "CNN", "1")
    ]


def test_a_cyrillic_search_finds_the_inflected_form_as_written(open_page, downloads, planted):
    app = open_page("search", corpus=planted, se_query="путин OR керри")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "se_hits_csv")
    assert [(r["id"], r["match"]) for r in rows] == [
        ("cnn-2015-05-12-talks-in-geneve", "Путин"),
        ("cnn-2015-05-12-talks-in-geneve", "Керри"),
    ]


def test_a_malformed_query_is_explained(open_page, planted):
    app = open_page("search", corpus=planted, se_query="kerry AND")
    assert not app.exception
    assert texts(app, "warning") == [
        "This query cannot be read: query \\'kerry AND\\'\\: it ends where a word or phrase "
        "is expected"
    ]


def test_no_query_and_no_hit(open_page, planted):
    assert texts(open_page("search", corpus=planted), "info") == ["Type a query above."]
    app = open_page("search", corpus=planted, se_query="zebra")
    assert texts(app, "info") == ["No selected article matches zebra."]
    assert app.text_input(key="se_query").value == "zebra"


def test_a_click_on_an_outlets_bar_lists_that_outlets_hits(open_page, downloads, planted):
    app = open_page("search", corpus=planted, se_query="geneve", se_outlets="the-duran")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "se_hits_csv")
    assert [(r["outlet_name"], r["match"]) for r in rows] == [("The Duran", "GENEVE")]
    assert (
        "The 1 hit of the bars you clicked, of 3; double-click the chart to list them all again."
        in texts(app, "caption")
    )


def test_a_click_on_a_weeks_bar_lists_the_hits_of_that_outlet_and_week(
    open_page, downloads, planted
):
    # CNN's bar of the week of Monday 11 May 2015, named as the chart names it.
    app = open_page("search", corpus=planted, se_query="geneve", se_time="CNN|2015-05-11")
    assert not app.exception
    rows = downloaded_rows(app, downloads, "se_hits_csv")
    assert [(r["outlet_name"], r["match"]) for r in rows] == [("CNN", "Genève"), ("CNN", "Genève")]
    # The Duran's week (from 18 May) lists nothing of CNN's.
    app = open_page("search", corpus=planted, se_query="geneve", se_time="The Duran|2015-05-11")
    assert downloaded_rows(app, downloads, "se_hits_csv") == []
