from __future__ import annotations

from pathlib import Path

import pytest

import analysis.ingest.importer
from analysis.corpus.article_file import parse_article
from analysis.corpus.articles import load_corpus
from analysis.corpus.types import Inference
from analysis.ingest.importer import import_articles
from analysis.ingest.records import ImportMetadata
from analysis.ingest.report import counted, render_report
from tests.analysis.ingest.test_duplicates import ORIGINAL, REWORDED

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"

CSV_HEADER = "stories_id,publish_date,title,url,language,media_name,media_url,text\n"
CSV_ROWS = [
    "1,2015-05-12,Kerry in Sochi,https://euromaidanpress.com/2015/05/12/a/,en,Euromaidan Press,,"
    '"Kerry met Putin in Sochi."\n',
    "2,15 May 2015,Sochi talks end,https://euromaidanpress.com/2015/05/15/b/,en,Euromaidan Press,,"
    '"Kerry and Putin ended their talks."\n',
    "3,2013-05-15,Moscow analysis,https://www.osw.waw.pl/en/c,en,OSW,,"
    '"Kerry saw Putin in Moscow."\n',
]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _article(root: Path, article_id: str):
    path = root / "articles" / f"{article_id}.md"
    return parse_article(path.read_bytes(), path=path.name)


def _ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "articles").glob("*.md"))


def test_saved_page_gives_article_text_and_published_date_not_footer_year(registry_corpus):
    report = import_articles([FIXTURES / "cnn-kerry-putin.html"], registry_corpus)
    article_id = "cnn-2015-12-16-kerry-and-putin-agree-to-push-syria-talks-forward"
    assert [a.id for a in report.added] == [article_id]
    article = _article(registry_corpus, article_id)
    assert article.text.startswith(
        "Kerry and Putin agree to push Syria talks forward\nMoscow (CNN)"
    )
    assert article.text.endswith("according to Kremlin spokesman Dmitry Peskov.\n")
    for chrome in (
        "©",
        "Home",
        "newsletter",
        "analytics",
        "font-family",
        "Privacy",
        "querySelector",
    ):
        assert chrome not in article.text
    assert str(article.published) == "2015-12-16"
    assert (
        article.url
        == "https://edition.cnn.com/2015/12/16/politics/kerry-putin-syria-talks/index.html"
    )
    assert article.authors == ("Elise Labott",)
    assert article.outlet == "cnn"
    assert article.meetings == ("2015-12-moscow",)
    assert [i.field for i in article.inferred] == ["published", "outlet", "language", "meetings"]
    assert article.inferred[0] == Inference(
        "published",
        "2015-12-16",
        "meta article:published_time '2015-12-16T08:30:00+03:00' in the page",
    )
    assert load_corpus(registry_corpus).problems == []


def test_media_cloud_csv_maps_columns_and_keeps_the_others_as_extra(registry_corpus):
    report = import_articles([FIXTURES / "mediacloud.csv"], registry_corpus)
    assert [(a.id, a.source, a.meetings) for a in report.added] == [
        (
            "euromaidan-press-2015-05-12-why-is-putin-meeting-with-kerry",
            "mediacloud.csv:2",
            ("2015-05-sochi",),
        ),
        (
            "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis",
            "mediacloud.csv:5",
            ("2013-05-moscow",),
        ),
        ("the-duran-2016-07-15-putin-kerry-talks-fail", "mediacloud.csv:6", ("2016-07-moscow",)),
    ]
    article = _article(registry_corpus, "the-duran-2016-07-15-putin-kerry-talks-fail")
    assert article.extra == {"stories_id": "1536804213"}
    assert article.language == "en"
    assert article.inferred[0] == Inference(
        "outlet", "the-duran", "'The Duran' is the outlet the-duran in outlets.yaml"
    )
    first = _article(registry_corpus, "euromaidan-press-2015-05-12-why-is-putin-meeting-with-kerry")
    assert first.text.count("\n") == 2
    assert load_corpus(registry_corpus).problems == []


def test_jsonl_with_russian_text_and_a_geneva_story(registry_corpus):
    report = import_articles([FIXTURES / "stories.jsonl"], registry_corpus)
    russian, geneva = report.added
    assert (russian.source, russian.outlet, russian.language, russian.meetings) == (
        "stories.jsonl:1",
        "euromaidan-press",
        "ru",
        ("2015-05-sochi",),
    )
    assert russian.published == "2015-05-13"
    assert (geneva.source, geneva.outlet, geneva.published, geneva.meetings) == (
        "stories.jsonl:3",
        "cnn",
        "2013-09-14",
        (),
    )
    stored = _article(registry_corpus, russian.id)
    assert stored.authors == ("Ольга Иванова",)
    assert stored.extra == {"section": "Politics"}
    assert load_corpus(registry_corpus).problems == []


def test_text_file_takes_its_title_from_the_first_line_and_caller_metadata(registry_corpus):
    report = import_articles(
        [FIXTURES / "sochi-talks.txt"],
        registry_corpus,
        metadata=ImportMetadata(outlet="Euromaidan Press", published="12 May 2015"),
    )
    (added,) = report.added
    assert added.id == "euromaidan-press-2015-05-12-kerry-s-sochi-trip-breaks-the-ice"
    assert added.title == "Kerry's Sochi trip breaks the ice"
    assert added.meetings == ("2015-05-sochi",)
    assert [i.field for i in added.inferred] == ["title", "language", "meetings"]


def test_caller_metadata_wins_over_inference(registry_corpus):
    report = import_articles(
        [FIXTURES / "sochi-talks.txt"],
        registry_corpus,
        metadata=ImportMetadata(
            outlet="osw", title="Sochi", language="en", meetings=(), authors=("A. N.",)
        ),
    )
    (added,) = report.added
    assert (added.title, added.language, added.meetings, added.inferred) == ("Sochi", "en", (), ())
    assert _article(registry_corpus, added.id).authors == ("A. N.",)


def test_markdown_with_our_header_is_read_as_an_article_file(registry_corpus):
    report = import_articles([FIXTURES / "osw-analysis.md"], registry_corpus)
    (added,) = report.added
    assert (added.id, added.outlet, added.meetings, added.inferred) == (
        "osw-2013-05-15-moscow-intransigent",
        "osw",
        ("2013-05-moscow",),
        (),
    )
    assert _article(registry_corpus, added.id).notes == "Imported from another corpus."


def test_plain_markdown_takes_its_title_from_the_heading(registry_corpus):
    report = import_articles(
        [FIXTURES / "duran-notes.md"], registry_corpus, metadata=ImportMetadata(outlet="the-duran")
    )
    (added,) = report.added
    assert added.title == "Deadlock in Moscow"
    # Undated, but "military coordination" is a cue of the July 2016 talks alone.
    assert added.meetings == ("2016-07-moscow",)
    assert added.inferred[-1].value == "2016-07-moscow"


def test_exact_duplicates_are_skipped_with_the_id_of_the_original(registry_corpus):
    import_articles([FIXTURES / "mediacloud.csv"], registry_corpus)
    before = _snapshot(registry_corpus)
    upload = ("again.csv", (FIXTURES / "mediacloud.csv").read_bytes().replace(b"\n", b"\r\n"))
    report = import_articles([upload], registry_corpus)
    assert report.added == []
    assert [(d.source, d.kind, d.of_id, d.added_as) for d in report.duplicates] == [
        ("again.csv:2", "exact", "euromaidan-press-2015-05-12-why-is-putin-meeting-with-kerry", ""),
        (
            "again.csv:5",
            "exact",
            "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis",
            "",
        ),
        ("again.csv:6", "exact", "the-duran-2016-07-15-putin-kerry-talks-fail", ""),
    ]
    assert _snapshot(registry_corpus) == before


def test_exact_duplicate_within_one_import_is_skipped(registry_corpus):
    text = b"Kerry in Sochi\n\nKerry met Putin in Sochi on Tuesday.\n"
    report = import_articles(
        [("a.txt", text), ("b.txt", text.upper())],
        registry_corpus,
        metadata=ImportMetadata(outlet="osw"),
    )
    assert [a.id for a in report.added] == ["osw-undated-kerry-in-sochi"]
    assert [(d.source, d.of_id) for d in report.duplicates] == [
        ("b.txt", "osw-undated-kerry-in-sochi")
    ]


def test_near_duplicate_is_added_and_linked_or_skipped_on_request(registry_corpus):
    metadata = ImportMetadata(outlet="cnn", published="2022-01")
    import_articles([("cnn.txt", ORIGINAL.encode())], registry_corpus, metadata=metadata)
    original_id = "cnn-2022-01-us-secretary-of-state-antony-blinken-has-said-there-are-two"
    farm = ImportMetadata(outlet="mcu-times", published="2022-01")

    skipped = import_articles(
        [("mcu.txt", REWORDED.encode())], registry_corpus, metadata=farm, near_duplicates="skip"
    )
    assert skipped.added == []
    assert [(d.kind, d.of_id, d.similarity, d.added_as) for d in skipped.duplicates] == [
        ("near", original_id, 0.71, "")
    ]

    added = import_articles([("mcu.txt", REWORDED.encode())], registry_corpus, metadata=farm)
    (article,) = added.added
    assert (article.near_duplicate_of, article.similarity) == (original_id, 0.71)
    assert _article(registry_corpus, article.id).extra == {
        "near_duplicate_of": original_id,
        "near_duplicate_similarity": 0.71,
    }
    assert load_corpus(registry_corpus).problems == []


def test_bad_row_in_the_middle_keeps_the_whole_file_out(registry_corpus):
    bad = CSV_ROWS[1].replace("15 May 2015", "yesterday")
    upload = ("rows.csv", (CSV_HEADER + CSV_ROWS[0] + bad + CSV_ROWS[2]).encode())
    report = import_articles([upload], registry_corpus)
    assert report.added == []
    assert [str(p) for p in report.problems] == [
        "rows.csv:3: published: 'yesterday' is not a date this import understands; "
        "write it as YYYY-MM-DD (or YYYY-MM, YYYY when only the month or year is known)"
    ]
    assert _ids(registry_corpus) == []


def test_skip_bad_rows_lets_the_good_rows_in_and_lists_the_bad_one(registry_corpus):
    bad = (
        CSV_ROWS[1]
        .replace("Euromaidan Press", "RIA Novosti")
        .replace("https://euromaidanpress.com", "https://ria.ru")
    )
    upload = ("rows.csv", (CSV_HEADER + CSV_ROWS[0] + bad + CSV_ROWS[2]).encode())
    report = import_articles([upload], registry_corpus, skip_bad_rows=True, new_outlets=False)
    assert [a.source for a in report.added] == ["rows.csv:2", "rows.csv:4"]
    assert [(s.source, s.title) for s in report.skipped] == [("rows.csv:3", "Sochi talks end")]
    assert report.skipped[0].reason.startswith("outlet: 'RIA Novosti' is not in outlets.yaml")
    assert _ids(registry_corpus) == [
        "euromaidan-press-2015-05-12-kerry-in-sochi",
        "osw-2013-05-15-moscow-analysis",
    ]
    assert load_corpus(registry_corpus).problems == []


def test_bytes_that_are_not_utf8_are_named_by_line(registry_corpus):
    upload = (
        "rows.csv",
        (CSV_HEADER + CSV_ROWS[0]).encode()
        + CSV_ROWS[1].encode("cp1252").replace(b"end", b"\xe9")
        + CSV_ROWS[2].encode(),
    )
    report = import_articles([upload], registry_corpus)
    assert report.added == []
    assert len(report.problems) == 1
    assert str(report.problems[0]).startswith("rows.csv:3: (encoding): byte 0xe9 at offset")
    assert str(report.problems[0]).endswith("is not UTF-8; re-save the file as UTF-8")


def test_a_bad_file_does_not_stop_the_good_ones(registry_corpus):
    report = import_articles(
        [("notes.docx", b"PK"), FIXTURES / "cnn-kerry-putin.html"], registry_corpus
    )
    assert len(report.added) == 1
    assert [str(p) for p in report.problems] == [
        "notes.docx: (format): .docx is not a format the import reads; "
        "use one of .txt, .md, .markdown, .html, .htm, .csv, .jsonl, .ndjson"
    ]


def test_interrupted_write_leaves_the_corpus_byte_identical(registry_corpus, monkeypatch):
    import_articles([FIXTURES / "osw-analysis.md"], registry_corpus)
    before = _snapshot(registry_corpus)
    real_publish = analysis.ingest.importer._publish
    calls = []

    def publish_then_fail(staged: Path, target: Path) -> None:
        calls.append(target.name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_publish(staged, target)

    monkeypatch.setattr(analysis.ingest.importer, "_publish", publish_then_fail)
    with pytest.raises(KeyboardInterrupt):
        import_articles([FIXTURES / "mediacloud.csv", FIXTURES / "stories.jsonl"], registry_corpus)
    assert len(calls) == 3
    assert _snapshot(registry_corpus) == before
    assert [p.name for p in (registry_corpus / "articles").iterdir()] == [
        "osw-2013-05-15-moscow-intransigent.md"
    ]


def test_taken_id_gets_a_suffix_or_is_skipped(registry_corpus):
    metadata = ImportMetadata(outlet="osw", published="2015-05-12")
    import_articles(
        [("a.txt", b"Kerry in Sochi\nKerry met Putin.\n")], registry_corpus, metadata=metadata
    )
    other = [("b.txt", b"Kerry in Sochi\nA different text about Kerry.\n")]
    skipped = import_articles(other, registry_corpus, metadata=metadata, id_taken="skip")
    assert [(s.source, s.reason) for s in skipped.skipped] == [
        ("b.txt", "id osw-2015-05-12-kerry-in-sochi is already taken")
    ]
    renamed = import_articles(other, registry_corpus, metadata=metadata)
    assert [(a.id, a.renamed_from) for a in renamed.added] == [
        ("osw-2015-05-12-kerry-in-sochi-2", "osw-2015-05-12-kerry-in-sochi")
    ]


def test_uploaded_file_name_never_becomes_a_path(registry_corpus):
    report = import_articles(
        [("../../outside.txt", b"Kerry in Sochi\nKerry met Putin.\n")],
        registry_corpus,
        metadata=ImportMetadata(outlet="osw"),
    )
    assert [a.id for a in report.added] == ["osw-undated-kerry-in-sochi"]
    assert not (registry_corpus.parent.parent / "outside.txt").exists()
    assert _ids(registry_corpus) == ["osw-undated-kerry-in-sochi"]


def test_unknown_outlet_for_the_import_is_refused_before_reading(registry_corpus):
    with pytest.raises(ValueError, match=r"^outlet: 'RIA Novosti' is not in outlets.yaml; add it"):
        import_articles(
            [FIXTURES / "sochi-talks.txt"],
            registry_corpus,
            metadata=ImportMetadata(outlet="RIA Novosti"),
        )
    with pytest.raises(ValueError, match=r"^meetings: '2014-sochi' is not in meetings.yaml"):
        import_articles(
            [FIXTURES / "sochi-talks.txt"],
            registry_corpus,
            metadata=ImportMetadata(meetings=("2014-sochi",)),
        )


def test_text_without_outlet_or_known_domain_is_refused(registry_corpus):
    report = import_articles([FIXTURES / "sochi-talks.txt"], registry_corpus)
    assert report.added == []
    assert [str(p) for p in report.problems] == [
        "sochi-talks.txt: outlet: unknown: no outlet given and no address whose domain is in "
        "outlets.yaml; give the outlet or add its domain there"
    ]


def test_dry_run_reports_what_would_be_added_and_writes_nothing(registry_corpus):
    before = _snapshot(registry_corpus)
    report = import_articles([FIXTURES / "mediacloud.csv"], registry_corpus, dry_run=True)
    assert len(report.added) == 3
    assert _snapshot(registry_corpus) == before
    text = render_report(report)
    assert text.startswith("Dry run: nothing was written.\nWould add 3 articles to ")
    assert (
        "  the-duran-2016-07-15-putin-kerry-talks-fail  (from mediacloud.csv:6) outlet the-duran, "
        "published 2016-07-15, en, meetings 2016-07-moscow\n"
        "    inferred outlet = the-duran ('The Duran' is the outlet the-duran in outlets.yaml)\n"
    ) in text


def test_report_lists_duplicates_skips_and_problems(registry_corpus):
    import_articles([FIXTURES / "mediacloud.csv"], registry_corpus)
    bad = CSV_ROWS[1].replace("15 May 2015", "yesterday")
    report = import_articles(
        [FIXTURES / "mediacloud.csv", ("rows.csv", (CSV_HEADER + bad).encode())],
        registry_corpus,
        skip_bad_rows=True,
    )
    text = render_report(report)
    assert (
        "Duplicates: 3\n  mediacloud.csv:2 'Why is Putin meeting with Kerry?': exact duplicate of "
        in text
    )
    assert (
        "Skipped: 1\n  rows.csv:2 'Sochi talks end': published: 'yesterday' is not a date" in text
    )
    assert "Problems: 1\n  rows.csv:2: published: 'yesterday'" in text
    assert report.inferences == []


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [(1, "article", "1 article"), (0, "outlet", "0 outlets"), (1200, "article", "1,200 articles")],
)
def test_counts_in_reports_read_as_english(count, noun, expected):
    assert counted(count, noun) == expected
