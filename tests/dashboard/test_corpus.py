from __future__ import annotations

from pathlib import Path

from tests.dashboard.conftest import download_button, downloaded_rows, texts

NEW_ARTICLE = (
    b"Kerry and Lavrov meet again in Sochi\n\n"
    b"Secretary of State John Kerry met Vladimir Putin in Sochi on 12 May 2015 to discuss "
    b"Ukraine, the Minsk agreements and Syria. The talks at the Bocharov Ruchey residence lasted "
    b"four hours, and both sides called them frank.\n"
)


def _upload(app, *files: tuple[str, bytes]) -> None:
    """Upload plain-text files as CNN articles (a text file does not name its outlet)."""
    app.selectbox(key="co_outlet").set_value("cnn")
    uploader = app.file_uploader(key="co_upload")
    uploader.set_value([(name, content, "text/plain") for name, content in files])
    app.run()


def _articles(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "articles").iterdir())


def test_default_load_validates_the_corpus(open_page, downloads):
    app = open_page("corpus")
    assert not app.exception
    assert texts(app, "success") == ["All 5 articles pass validation."]
    assert "Filters in force: all articles — 5 of 5 articles." in texts(app, "caption")
    assert download_button(app, "co_whole").proto.label == "Download whole corpus (5 rows, CSV)"


def test_filters_from_the_url_do_not_hide_the_whole_corpus(open_page, downloads):
    app = open_page("corpus", f_outlet="MCU Times", f_meeting="2015-05-sochi")
    assert not app.exception
    assert "— 0 of 5 articles." in texts(app, "caption")[1]
    assert download_button(app, "co_whole").proto.label == "Download whole corpus (5 rows, CSV)"


def test_a_broken_file_is_reported_not_crashed(open_page, corpus_copy, downloads):
    (corpus_copy / "articles" / "broken.md").write_bytes(b"---\nid: broken\n---\n\xff\xfe")
    app = open_page("corpus", corpus=corpus_copy)
    assert not app.exception
    assert any("left out of every analysis" in e for e in texts(app, "error"))
    problems = downloaded_rows(app, downloads, "co_problems_report_csv")
    assert {row["file"] for row in problems} == {"articles/broken.md"}


def test_preview_writes_nothing_and_import_adds_the_article(open_page, corpus_copy, downloads):
    before = _articles(corpus_copy)
    app = open_page("corpus", corpus=corpus_copy)
    _upload(app, ("sochi.txt", NEW_ARTICLE))
    app.button(key="co_preview").click()
    app.run()
    assert not app.exception
    assert any("Would add 1 articles. Nothing was written yet." in s for s in texts(app, "success"))
    preview = downloaded_rows(app, downloads, "co_added_csv")
    assert [row["outlet"] for row in preview] == ["cnn"]
    assert preview[0]["meetings"] == "2015-05-sochi"
    inferred = downloaded_rows(app, downloads, "co_inferred_csv")
    assert "meetings" in {row["field"] for row in inferred}
    assert _articles(corpus_copy) == before

    app.button(key="co_import").click()
    app.run()
    assert not app.exception
    assert any("Added 1 articles" in s for s in texts(app, "success"))
    assert len(_articles(corpus_copy)) == len(before) + 1
    assert texts(app, "success")[-1] == "All 6 articles pass validation."


def test_a_bad_upload_adds_nothing_and_says_why(open_page, corpus_copy):
    before = _articles(corpus_copy)
    app = open_page("corpus", corpus=corpus_copy)
    _upload(app, ("good.txt", NEW_ARTICLE), ("rows.csv", b"title,text\nNo text at all,\n"))
    app.button(key="co_import").click()
    app.run()
    assert not app.exception
    assert any("problems" in e for e in texts(app, "error"))
    assert len(_articles(corpus_copy)) == len(before) + 1  # the good file, not the bad one


def test_an_upload_name_never_becomes_a_path(open_page, corpus_copy, tmp_path):
    app = open_page("corpus", corpus=corpus_copy)
    _upload(app, ("../../../escape.txt", NEW_ARTICLE))
    app.button(key="co_import").click()
    app.run()
    assert not app.exception
    assert not list(tmp_path.rglob("escape*"))
    assert any(name.startswith("cnn-") for name in _articles(corpus_copy))


def test_uploading_the_same_article_twice_is_a_duplicate(open_page, corpus_copy, downloads):
    app = open_page("corpus", corpus=corpus_copy)
    _upload(app, ("a.txt", NEW_ARTICLE))
    app.button(key="co_import").click()
    app.run()
    app.button(key="co_preview").click()
    app.run()
    assert not app.exception
    duplicates = downloaded_rows(app, downloads, "co_duplicates_csv")
    assert [(row["kind"], row["added as"]) for row in duplicates] == [("exact", "skipped")]


def test_the_corpus_page_prepares_no_analysis(open_page, corpus_copy, monkeypatch, downloads):
    calls: list[str] = []

    def prepare(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("prepare_corpus")
        raise AssertionError("the Corpus page must not prepare the corpus")

    monkeypatch.setattr("dashboard.data.prepare_corpus", prepare)
    app = open_page("corpus", corpus=corpus_copy)
    assert not app.exception
    assert texts(app, "error") == []
    assert texts(app, "success") == ["All 5 articles pass validation."]
    assert calls == []
    assert download_button(app, "f_export_all").proto.label == "Every table + manifest (zip)"
