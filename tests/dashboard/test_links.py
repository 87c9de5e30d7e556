"""Links that keep their meaning: the Reader buttons with filters set, every choice in the URL by
key, one parameter per choice, and a link naming what the corpus does not hold."""

from __future__ import annotations

from tests.dashboard.conftest import texts

OSW = "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"
EP_MOSCOW = "euromaidan-press-2015-12-19-putin-got-what-he-really-wanted-from-kerry-meeting"


def test_read_on_the_meeting_page_with_filters_opens_the_reader_at_that_article(open_page):
    app = open_page(
        "meeting", f_group="Ukrainian", f_years=["2015", "2015"], mt_meeting="2015-12-moscow"
    )
    assert not app.exception
    app.button(key=f"mt_open_{EP_MOSCOW}").click().run()
    assert not app.exception
    assert app.title[0].value == "Reader"
    assert app.selectbox(key="rd_article").value == EP_MOSCOW
    assert app.subheader[0].value == "Putin got what he really wanted from Kerry meeting"
    shown = app.query_params.pop("rd_show")
    assert app.query_params == {
        "f_group": "Ukrainian",
        "f_years": "2015-2015",
        "rd_article": EP_MOSCOW,
    }
    # The evidence the Reader shows is a choice too, in the URL by key.
    assert all(key.startswith(("stance:", "outcome:")) for key in shown.split(","))
    assert "Filters in force: groups: Ukrainian; year: 2015 — 2 of 5 articles." in texts(
        app, "caption"
    )


def test_the_reader_opens_the_article_a_link_names_by_its_id(open_page):
    app = open_page("reader", rd_article=OSW)
    assert not app.exception
    assert app.selectbox(key="rd_article").value == OSW
    assert app.subheader[0].value == "Moscow intransigent towards Washington on the Syria crisis"
    assert app.query_params["rd_article"] == OSW
    assert set(app.query_params) == {"rd_article", "rd_show"}


def test_a_link_to_an_article_not_in_the_corpus_says_so_and_shows_none(open_page):
    app = open_page("reader", rd_article="cnn-2031-01-01-gone")
    assert not app.exception
    assert texts(app, "warning") == [
        "The link's article 'cnn-2031-01-01-gone' is not in the corpus (removed or renamed?)."
    ]
    assert app.selectbox(key="rd_article").value is None
    assert texts(app, "info") == ["Pick an article above."]
    assert [h.value for h in app.subheader] == ["Export all"]  # the sidebar's, no article


def test_a_link_to_an_article_the_filters_leave_out_says_so(open_page):
    app = open_page("reader", rd_article=OSW, f_group="Ukrainian")
    assert not app.exception
    assert texts(app, "warning") == [
        f"The link's article '{OSW}' is left out by the filters in force; widen them in the "
        "sidebar to read it."
    ]
    assert app.selectbox(key="rd_article").value is None


def test_defaults_are_written_into_the_url_by_key(open_page):
    app = open_page("meeting", mt_view="A against B", mt_meeting="2015-05-sochi")
    assert not app.exception
    # Only Euromaidan Press covers Sochi in the shipped corpus: A against B needs two.
    assert app.query_params == {"mt_meeting": "2015-05-sochi", "mt_view": "A against B"}
    app = open_page("contrasts")
    assert app.query_params == {
        "tc_by": "outlet",
        "tc_mode": "One against the rest",
        "tc_group": "euromaidan-press",
        "tc_words": "3",
        "tc_prior": "1000",
        "tc_top": "15",
    }


def test_filters_go_into_the_url_once_each_by_key(open_page):
    app = open_page(
        "overview",
        f_outlet=["Euromaidan Press", "osw", "Euromaidan Press"],
        f_years=["2015", "2015"],
    )
    assert not app.exception
    assert app.multiselect(key="f_outlet").value == ["euromaidan-press", "osw"]
    assert app.query_params == {"f_outlet": "euromaidan-press,osw", "f_years": "2015-2015"}
    assert (
        "Filters in force: outlets: Euromaidan Press, OSW – Centre for Eastern Studies; "
        "year: 2015 — 2 of 5 articles." in texts(app, "caption")
    )


def test_a_link_to_an_outlet_or_meeting_not_in_the_corpus_says_so(open_page):
    app = open_page("meeting", f_outlet="osw,bbc", mt_meeting="2031-01-nowhere")
    assert not app.exception
    assert texts(app, "warning")[:2] == [
        "The link's outlet filter names 'bbc', not in the corpus; left out of the filter.",
        "The link names the meeting '2031-01-nowhere', which is not in the corpus (or not among "
        "the selected articles); the page shows another one instead.",
    ]
    assert app.selectbox(key="mt_meeting").value == "2013-05-moscow"
    assert app.query_params == {
        "f_outlet": "osw",
        "mt_meeting": "2013-05-moscow",
        "mt_view": "Side by side",
        "mt_target": "russia",
        "mt_columns": "Outlets",
    }


def test_the_clicked_term_of_a_link_opens_its_keyword_in_context(open_page):
    app = open_page("contrasts", tc_bars="sanctions")
    assert not app.exception
    kwic = [c for c in texts(app, "caption") if c.startswith("'sanctions': ")]
    assert len(kwic) == 1
    assert app.query_params["tc_bars"] == "sanctions"


def test_a_drill_down_of_a_link_lists_its_articles(open_page):
    app = open_page("overview", ov_coverage="osw|2013-05-moscow")
    assert not app.exception
    assert [h.value for h in app.subheader].count("Articles behind your selection") == 1
    drill = app.dataframe[0].value  # the first table on the page
    assert drill["id"].tolist() == [OSW]
    assert app.query_params == {"ov_coverage": "osw|2013-05-moscow"}
