from __future__ import annotations

from pathlib import Path

import yaml

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
    assert download_button(app, "co_whole").proto.label == "Download CSV (5 rows)"


def test_filters_from_the_url_do_not_hide_the_whole_corpus(open_page, downloads):
    app = open_page("corpus", f_outlet="MCU Times", f_meeting="2015-05-sochi")
    assert not app.exception
    assert "— 0 of 5 articles." in texts(app, "caption")[1]
    assert download_button(app, "co_whole").proto.label == "Download CSV (5 rows)"


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
    assert any("Would add 1 article. Nothing was written yet." in s for s in texts(app, "success"))
    preview = downloaded_rows(app, downloads, "co_added_csv")
    assert [row["outlet"] for row in preview] == ["cnn"]
    assert preview[0]["meetings"] == "2015-05-sochi"
    inferred = downloaded_rows(app, downloads, "co_inferred_csv")
    assert "meetings" in {row["field"] for row in inferred}
    assert _articles(corpus_copy) == before

    app.button(key="co_import").click()
    app.run()
    assert not app.exception
    assert any("Added 1 article." in s for s in texts(app, "success"))
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

    monkeypatch.setattr("analysis.pipeline.prepare.prepare_corpus", prepare)
    app = open_page("corpus", corpus=corpus_copy)
    assert not app.exception
    assert texts(app, "error") == []
    assert texts(app, "success") == ["All 5 articles pass validation."]
    assert calls == []
    assert download_button(app, "f_export_all").proto.label == "Every table + manifest (zip)"


def _outlets(root: Path) -> dict:
    return yaml.safe_load((root / "outlets.yaml").read_text(encoding="utf-8"))


def test_an_outlet_is_added_from_the_page_and_the_registry_keeps_its_comments(
    open_page, corpus_copy
):
    shipped = (corpus_copy / "outlets.yaml").read_text(encoding="utf-8")
    app = open_page("corpus", corpus=corpus_copy)
    assert app.selectbox(key="co_outlet_choice").value == ""
    app.text_input(key="co_outlet_key_").input("ria-novosti")
    app.text_input(key="co_outlet_name_").input("RIA Novosti")
    app.text_input(key="co_outlet_group_").input("Russian state")
    app.text_input(key="co_outlet_reason_").input("State-owned news agency.")
    app.text_input(key="co_outlet_source_").input("Its own imprint.")
    app.selectbox(key="co_outlet_kind_").set_value("state media")
    app.text_input(key="co_outlet_domains_").input("ria.ru; www.RIA.ru")
    app.text_input(key="co_outlet_language_").input("ru")
    app.button(key="co_outlet_save").click()
    app.run()
    assert not app.exception
    assert texts(app, "success")[0] == "Added RIA Novosti (ria-novosti) in the group Russian state."
    written = (corpus_copy / "outlets.yaml").read_text(encoding="utf-8")
    assert written.startswith(shipped.rstrip("\n") + "\n\nria-novosti:\n")
    assert _outlets(corpus_copy)["ria-novosti"] == {
        "name": "RIA Novosti",
        "country": "",
        "kind": "state media",
        "domains": ["ria.ru"],
        "language": "ru",
        "group": "Russian state",
        "group_reason": "State-owned news agency.",
        "group_source": "Its own imprint.",
    }
    assert "RIA Novosti" in app.selectbox(key="co_outlet_choice").options[1:][-1]


def test_an_outlets_group_is_changed_from_the_page(open_page, corpus_copy):
    app = open_page("corpus", corpus=corpus_copy)
    app.selectbox(key="co_outlet_choice").set_value("mcu-times")
    app.run()
    assert app.text_input(key="co_outlet_name_mcu-times").value == "MCU Times"
    app.text_input(key="co_outlet_group_mcu-times").input("aggregator")
    app.text_input(key="co_outlet_reason_mcu-times").input("Rewords other outlets' stories.")
    app.button(key="co_outlet_save").click()
    app.run()
    assert not app.exception
    assert texts(app, "success")[0] == "Saved MCU Times (mcu-times) in the group aggregator."
    entry = _outlets(corpus_copy)["mcu-times"]
    assert (entry["group"], entry["group_reason"], entry["kind"]) == (
        "aggregator",
        "Rewords other outlets' stories.",
        "content farm",
    )
    assert "# Outlet registry." in (corpus_copy / "outlets.yaml").read_text(encoding="utf-8")


def test_a_bad_outlet_value_is_named_and_nothing_is_written(open_page, corpus_copy):
    before = (corpus_copy / "outlets.yaml").read_bytes()
    app = open_page("corpus", corpus=corpus_copy)
    app.text_input(key="co_outlet_key_").input("ria-novosti")
    app.text_input(key="co_outlet_name_").input("RIA Novosti")
    app.text_input(key="co_outlet_domains_").input("cnn.com")
    app.button(key="co_outlet_save").click()
    app.run()
    assert not app.exception
    # The message is Markdown with its punctuation escaped; read as text it is:
    assert [e.replace("\\", "") for e in texts(app, "error")] == [
        "Not saved: domains: cnn.com is already a domain of the outlet cnn. "
        "outlets.yaml is unchanged."
    ]
    assert (corpus_copy / "outlets.yaml").read_bytes() == before


def test_an_import_lists_the_outlets_it_adds(open_page, corpus_copy, downloads):
    rows = b'title,media_name,url,text\n,Kommersant,https://www.kommersant.ru/doc/1,"' + (
        NEW_ARTICLE.replace(b"\n", b" ") + b'"\n'
    )
    app = open_page("corpus", corpus=corpus_copy)
    app.file_uploader(key="co_upload").set_value([("rows.csv", rows, "text/csv")])
    app.run()
    app.button(key="co_preview").click()
    app.run()
    assert not app.exception
    new = downloaded_rows(app, downloads, "co_new_outlets_csv")
    assert [(r["outlet"], r["domains"], r["group"]) for r in new] == [
        ("kommersant", "kommersant.ru", "unassigned")
    ]
    assert "kommersant" not in _outlets(corpus_copy)
    app.button(key="co_import").click()
    app.run()
    assert not app.exception
    assert _outlets(corpus_copy)["kommersant"]["group"] == "unassigned"
    # Outlets an import added come first in the form, to be placed in a group.
    assert app.selectbox(key="co_outlet_choice").options[1] == "Kommersant (kommersant)"
