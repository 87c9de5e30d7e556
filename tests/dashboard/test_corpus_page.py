from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, SHIPPED_CORPUS

APP = str(REPO / "dashboard" / "app.py")


def _articles_table(app: AppTest) -> pd.DataFrame:
    """The article list: the first table with a title column."""
    for table in app.dataframe:
        if "title" in table.value.columns:
            return table.value
    raise AssertionError("no article table on the page")


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("NARRATIVES_CORPUS", str(SHIPPED_CORPUS))
    return AppTest.from_file(APP, default_timeout=60)


def test_corpus_page_lists_every_article(app: AppTest):
    app.run()
    assert not app.exception
    articles = _articles_table(app)
    assert len(articles) == 5
    assert "Filters in force: all articles — 5 of 5 articles." in app.caption[0].value
    assert app.success[0].value == "All 5 articles pass validation."


def test_filters_are_seeded_from_the_url(app: AppTest):
    app.query_params["f_outlet"] = "Euromaidan Press"
    app.run()
    assert not app.exception
    articles = _articles_table(app)
    assert sorted(articles["outlet_name"]) == ["Euromaidan Press", "Euromaidan Press"]
    assert app.multiselect(key="f_outlet").value == ["euromaidan-press"]


def test_a_filter_that_selects_nothing_says_so(app: AppTest):
    app.run()
    app.multiselect(key="f_outlet").set_value(["osw"])
    app.multiselect(key="f_meeting").set_value(["2015-05-sochi"])
    app.run()
    assert not app.exception
    assert app.info[0].value == "No article matches the filters. Widen them in the sidebar."


def test_download_offers_the_rows_shown(app: AppTest):
    app.query_params["f_meeting"] = "none"
    app.run()
    assert not app.exception
    assert len(_articles_table(app)) == 1
    button = app.get("download_button")[0]
    assert "these 1 articles" in button.proto.label


def test_article_text_is_shown_as_plain_text(app: AppTest):
    app.run()
    app.selectbox(key="corpus_article").select(
        "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"
    )
    app.run()
    assert not app.exception
    assert "Kerry did not succeed in the main aim of his visit" in app.text[0].value


def test_a_broken_file_is_reported_not_crashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, root)
    (root / "articles" / "broken.md").write_bytes(b"---\nid: broken\n---\n\xff\xfe")
    monkeypatch.setenv("NARRATIVES_CORPUS", str(root))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert "left out of every analysis" in app.error[0].value
    assert len(_articles_table(app)) == 5
