"""The frame around every page: a missing corpus, a corpus of one article, the export bundle."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from analysis.cli import main as cli
from analysis.corpus.articles import load_corpus
from analysis.corpus.selection import Selection
from analysis.pipeline.prepare import prepare_corpus
from dashboard.data import export_bundle
from dashboard.layout import NO_ARTICLE_YET, NOTHING_SELECTED
from tests.conftest import SHIPPED_CORPUS
from tests.dashboard.conftest import texts

PAGES = ["overview", "meeting", "contrasts", "stance", "reader", "corpus"]


@pytest.mark.parametrize(
    ("page", "filters"),
    [
        ("contrasts", {"f_outlet": "OSW – Centre for Eastern Studies", "f_meeting": "none"}),
        ("meeting", {"f_outlet": "MCU Times", "f_group": "think tank"}),
        ("reader", {"f_outlet": "MCU Times", "f_meeting": "2015-05-sochi"}),
        ("stance", {"f_outlet": "MCU Times", "f_meeting": "2015-05-sochi"}),
    ],
)
def test_a_filter_that_selects_nothing_says_so(open_page, page, filters):
    app = open_page(page, **filters)
    assert not app.exception
    assert texts(app, "info") == [NOTHING_SELECTED]


@pytest.mark.parametrize("page", PAGES)
def test_a_missing_corpus_folder_is_explained(open_page, tmp_path, page):
    app = open_page(page, corpus=tmp_path / "nowhere")
    assert not app.exception
    assert any("does not exist" in e for e in texts(app, "error"))


@pytest.fixture
def one_article(registry_corpus: Path) -> Path:
    root = registry_corpus
    osw = "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis.md"
    shutil.copy(SHIPPED_CORPUS / "articles" / osw, root / "articles" / osw)
    return root


@pytest.mark.parametrize("page", PAGES)
def test_every_page_copes_with_a_corpus_of_one_article(open_page, one_article, page):
    app = open_page(page, corpus=one_article)
    assert not app.exception
    assert "Filters in force: all articles — 1 of 1 articles." in texts(app, "caption")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_copes_with_an_empty_corpus(open_page, one_article, page):
    for path in (one_article / "articles").iterdir():
        path.unlink()
    app = open_page(page, corpus=one_article)
    assert not app.exception
    assert "Filters in force: all articles — 0 of 0 articles." in texts(app, "caption")
    if page == "corpus":
        assert texts(app, "success") == ["The corpus has no articles to validate yet."]
    else:
        assert texts(app, "info") == [NO_ARTICLE_YET]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_keeps_the_filters_of_the_url(open_page, page):
    app = open_page(page, f_group="Ukrainian")
    assert not app.exception
    assert app.multiselect(key="f_group").value == ["Ukrainian"]
    assert "Filters in force: groups: Ukrainian — 2 of 5 articles." in texts(app, "caption")


def test_export_all_matches_narratives_analyze(tmp_path):
    out = tmp_path / "cli"
    assert (
        cli(["analyze", "--corpus", str(SHIPPED_CORPUS), "--out", str(out), "--year", "2015-2016"])
        == 0
    )
    prepared = prepare_corpus(load_corpus(SHIPPED_CORPUS))
    bundle = zipfile.ZipFile(io.BytesIO(export_bundle(prepared, Selection(years=(2015, 2016)))))
    assert sorted(bundle.namelist()) == sorted(p.name for p in out.iterdir())
    for name in bundle.namelist():
        if name == "manifest.json":
            ours = json.loads(bundle.read(name))
            theirs = json.loads((out / name).read_text(encoding="utf-8"))
            ours.pop("created"), theirs.pop("created")
            assert ours == theirs
        else:
            assert bundle.read(name) == (out / name).read_bytes(), name


def test_export_all_is_offered_in_the_sidebar(open_page):
    app = open_page("overview")
    button = next(b for b in app.get("download_button") if b.proto.id.endswith("-f_export_all"))
    assert not button.proto.disabled
    app = open_page("overview", f_outlet="MCU Times")
    button = next(b for b in app.get("download_button") if b.proto.id.endswith("-f_export_all"))
    assert button.proto.disabled


def test_streamlit_reads_the_dashboards_own_config_which_skips_the_collection_after_each_run():
    """Streamlit's full garbage collection after every run held the server for 0.1-0.6 s
    with 10,000 articles loaded (docs/speed.md); the dashboard's config turns it off
    wherever `streamlit run dashboard/app.py` is started from."""
    import tomllib

    from streamlit import file_util

    app = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
    config = Path(file_util.get_main_script_streamlit_file_path(str(app), "config.toml"))
    assert config == app.parent / ".streamlit" / "config.toml"
    assert tomllib.loads(config.read_text(encoding="utf-8"))["runner"] == {"postScriptGC": False}
