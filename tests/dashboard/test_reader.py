from __future__ import annotations

import html
import re

import pandas as pd

from analysis.review.overrides import load_overrides
from dashboard import colours, layout
from tests.dashboard.conftest import downloaded_rows, texts, write_article

OSW = "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"
OSW_LABEL = (
    "Moscow intransigent towards Washington on the Syria crisis — "
    "OSW – Centre for Eastern Studies, 2013-05-15"
)
HOSTILE = (
    "Kerry met Putin. <script>window.__pwned=1</script> Then "
    '<img src=x onerror="window.__pwned=2"> and [click](javascript:alert(1)) '
    '<a href="javascript:alert(2)">link</a>.\n'
)


def _reader_html(app) -> str:
    return next(h.proto.body for h in app.get("html"))


def test_default_load_shows_an_article_as_text(open_page):
    app = open_page("reader")
    assert not app.exception
    assert app.subheader[0].value == "Why is Putin meeting with Kerry?"
    assert any("Vitaliy Portnikov" in caption for caption in texts(app, "caption"))
    assert "negotiated during the meeting in Sochi" in _reader_html(app)
    assert "Copyright © 2024" in app.text[0].value  # the raw text, as plain text


def test_article_and_terms_are_seeded_from_the_url(open_page):
    app = open_page("reader", rd_article=OSW_LABEL, rd_terms="Kerry")
    assert not app.exception
    assert app.selectbox(key="rd_article").value == OSW
    body = _reader_html(app)
    assert "Kerry did not succeed in the main aim of his visit" in re.sub(r"<[^>]+>", "", body)
    assert ">Kerry</mark>" in body


def test_markup_in_an_article_is_shown_as_text(open_page, corpus_copy):
    write_article(
        corpus_copy,
        "cnn-2015-05-12-hostile",
        "cnn",
        "<script>x()</script> [a](javascript:b)",
        HOSTILE,
    )
    app = open_page("reader", corpus=corpus_copy, f_outlet="CNN")
    assert not app.exception
    body = _reader_html(app)
    assert "<script" not in body
    assert "<img" not in body
    assert "<a " not in body
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in body
    assert "javascript:alert(1)" in body  # as text
    heading = app.subheader[0].value
    assert "<script>" not in heading.replace("\\<", "")


def test_removed_boilerplate_download_matches_the_library(open_page, downloads):
    app = open_page("reader", rd_article=OSW_LABEL)
    rows = downloaded_rows(app, downloads, "rd_removed_csv")
    assert rows
    assert {row["reason"] for row in rows}


def test_a_label_correction_is_saved_and_shown(open_page, corpus_copy):
    app = open_page("reader", corpus=corpus_copy, rd_article=OSW_LABEL)
    app.selectbox(key="rd_fix_target").select("russia")
    app.run()
    app.selectbox(key="rd_fix_label").select("favorable")
    app.text_input(key="rd_fix_who").input("Tester")
    app.text_input(key="rd_fix_note").input("sarcasm")
    app.button(key="rd_fix_save").click()
    app.run()
    assert not app.exception
    assert any("is now 'favorable'" in s for s in texts(app, "success"))
    overrides = load_overrides(corpus_copy)
    assert overrides[["article_id", "target", "label", "who", "note"]].values.tolist() == [
        [OSW, "russia", "favorable", "Tester", "sarcasm"]
    ]
    app.run()
    shown = next(t.value for t in app.dataframe if "who" in t.value.columns)
    assert isinstance(shown, pd.DataFrame)
    assert shown["label"].tolist() == ["favorable"]


def test_a_correction_without_a_name_is_refused(open_page, corpus_copy):
    app = open_page("reader", corpus=corpus_copy)
    app.button(key="rd_fix_save").click()
    app.run()
    assert not app.exception
    assert any("Not saved" in e for e in texts(app, "error"))
    assert load_overrides(corpus_copy).empty


def test_each_evidence_sentence_shows_the_labels_it_drives_in_their_colours(open_page):
    app = open_page("reader", rd_article=OSW_LABEL)
    assert not app.exception
    picker = app.multiselect(key="rd_show")
    # Stance and outcome evidence first; frames, subjects and sources on request.
    assert picker.value
    assert all(k.startswith(("stance:", "outcome:")) for k in picker.value)
    shown = [picker.format_func(k) for k in picker.value]
    assert all(k.startswith(("Stance toward", "Outcome:")) for k in shown)
    assert "Frame: Security & defense" in picker.options
    body = _reader_html(app)
    badges = {html.unescape(k) for k in re.findall(r'data-kind="([^"]+)"', body)}
    assert badges == set(shown)
    # The sentence behind "Russia gained" is tinted in its label's colour, its cue in bold.
    brown = colours.OUTCOME_COLOURS["Russia gained"]
    assert f"border-bottom:3px solid {brown}" in body
    assert re.search(r"<b style=\"[^\"]*\">stand its ground</b>", body)


def test_the_evidence_shown_is_a_choice_in_the_url(open_page, downloads):
    app = open_page(
        "reader", rd_article=OSW_LABEL, rd_show="frame:security-defense,outcome:Russia gained"
    )
    assert not app.exception
    assert app.multiselect(key="rd_show").value == [
        "frame:security-defense",
        "outcome:Russia gained",
    ]
    assert app.query_params["rd_show"] == "frame:security-defense,outcome:Russia gained"
    body = _reader_html(app)
    assert {html.unescape(k) for k in re.findall(r'data-kind="([^"]+)"', body)} == {
        "Frame: Security & defense",
        "Outcome: Russia gained",
    }
    rows = downloaded_rows(app, downloads, "rd_evidence_csv")
    assert {row["shows"] for row in rows} == {"Frame: Security & defense", "Outcome: Russia gained"}
    assert f"border-bottom:3px solid {layout.ANALYSIS_COLOURS['frame']}" in body


def test_the_evidence_table_leaves_a_frames_target_empty(open_page):
    app = open_page("reader", rd_article=OSW_LABEL, rd_show="frame:security-defense")
    assert not app.exception
    table = next(t.value for t in app.dataframe if "shows" in t.value.columns)
    assert set(table["target"]) == {""}
    # The grid draws an empty value of a category column as "None": plain text instead.
    for column in ("target", "voice", "label", "cue_words"):
        assert not isinstance(table[column].dtype, pd.CategoricalDtype), column


def test_another_article_keeps_the_labels_it_has_and_lets_the_others_go(open_page):
    app = open_page(
        "reader", rd_article=OSW_LABEL, rd_show="frame:security-defense,frame:cultural-identity"
    )
    assert not app.exception
    assert len(app.multiselect(key="rd_show").value) == 2
    app.selectbox(key="rd_article").select(
        "euromaidan-press-2015-05-12-why-is-putin-meeting-with-kerry"
    )
    app.run()
    assert not app.exception
    picker = app.multiselect(key="rd_show")
    # Euromaidan Press's article has security framing too (kept), no cultural identity.
    assert "Frame: Security & defense" in picker.options
    assert [picker.format_func(key) for key in picker.value] == ["Frame: Security & defense"]
