"""The pure helpers of the page building blocks: file names, escaping, spans, clicks."""

from __future__ import annotations

from analysis.corpus.selection import Selection
from dashboard import layout, vega


def test_csv_name_says_what_and_which_filters():
    assert layout.csv_name("Top terms CNN vs rest", Selection()) == (
        "narratives_top-terms-cnn-vs-rest_all-articles.csv"
    )
    selection = Selection(outlets=("cnn", "osw"), meetings=("2015-05-sochi",), years=(2015, 2016))
    assert layout.csv_name("articles", selection) == (
        "narratives_articles_outlet-cnn-osw-meeting-2015-05-sochi-years-2015-2016.csv"
    )


def test_escape_markdown_escapes_links_and_markup():
    assert layout.escape_markdown("[a](javascript:b)\n<b>") == (r"\[a\]\(javascript\:b\) \<b\>")


def test_term_spans_find_whole_words_case_insensitively():
    text = "Sanctions and sanctions-free talks; no sanctionsless Minsk  agreements."
    assert layout.term_spans(text, ["sanctions", "minsk agreements", " "]) == [
        (0, 9, "term"),
        (14, 23, "term"),
        (53, 70, "term"),
    ]


def test_selected_points_and_rows_read_the_widget_state():
    state = {
        "selection": {"points": [{"customdata": ["cnn", "2015"]}, {"x": 1}, {"customdata": 7}]}
    }
    assert layout.selected_points(state) == [["cnn", "2015"], [7]]
    assert layout.selected_points(None) == []
    assert layout.selected_rows({"selection": {"rows": [2]}}) == [2]
    assert layout.selected_rows({}) == []


def test_a_vega_lite_click_reads_as_the_chart_fields_in_order():
    state = {"selection": {"pick": [{"f1": "2015", "f0": "cnn"}, {"f0": "half a point"}]}}
    # A point without every field (a click on a meeting line) is not a cell.
    assert vega.picked(state, ("f0", "f1")) == [["cnn", "2015"]]
    assert vega.picked({"selection": {"pick": {}}}, ("f0",)) == []
    assert vega.picked(None, ("f0",)) == []


def test_a_plotly_click_gives_back_the_texts_the_figure_escaped_for_its_hover():
    # What Streamlit reports for a click on a bar of the group "Think tanks & NGOs".
    state = {"selection": {"points": [{"customdata": ["Think tanks &amp; NGOs", "against", 3]}]}}
    assert layout.plotly_points(state) == [["Think tanks & NGOs", "against", 3]]
    assert layout.plotly_points({"selection": {"points": []}}) == []
