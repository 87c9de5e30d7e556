"""Dates of undated articles from their address or dateline; hand-written texts and addresses."""

from __future__ import annotations

import pytest

from analysis.corpus.types import Inference, PublishedDate
from analysis.ingest.dates import infer_published
from analysis.ingest.importer import import_articles
from analysis.ingest.records import ImportMetadata


@pytest.mark.parametrize(
    ("url", "expected", "part"),
    [
        ("https://www.vn.at/vn/2015/12/15/kerry-trifft-putin", "2015-12-15", "2015/12/15"),
        ("https://vz.ru/news/2016/7/16/821851.html", "2016-07-16", "2016/7/16"),
        ("https://example.ru/analyses/2013-05-15/moscow", "2013-05-15", "2013-05-15"),
        ("http://en.example.cn/2016-03/16/content_1.htm", "2016-03-16", "2016-03/16"),
        ("https://example.com/2016/Jul/14/NEWS/a.shtml", "2016-07-14", "2016/Jul/14"),
        ("https://example.com/16-Dec-2015/kerry", "2015-12-16", "16-Dec-2015"),
        ("https://example.com/USA/2015/0511/Kerry-to-Sochi", "2015-05-11", "2015/0511"),
        ("https://example.com/20151215/putin-kerry-1.html", "2015-12-15", "20151215"),
        ("https://example.com/world/201512181031978824-syria/", "2015-12-18", "20151218"),
        ("https://example.blogspot.com/2013/05/kerry.html", "2013-05", "2013/05"),
        ("https://example.com/archive/2015-12/kerry", "2015-12", "2015-12"),
    ],
)
def test_dates_in_addresses(url, expected, part):
    date, inference = infer_published("Kerry met Putin.", url, "en")
    assert str(date) == expected
    assert date.precision == ("month" if len(expected) == 7 else "day")
    assert inference == Inference("published", expected, f"address {part!r} in {url}")


@pytest.mark.parametrize(
    "url",
    [
        "https://kommersant.ru/doc/2177076",
        "https://example.com/2015/13/45/impossible",
        "https://example.com/story-12345678",
        "https://example.com/",
    ],
)
def test_addresses_without_a_date(url):
    assert infer_published("Kerry met Putin.", url, "en") is None


@pytest.mark.parametrize(
    ("text", "language", "expected", "line"),
    [
        ("MOSCOW, July 15, 2016 — Kerry met Putin.", "en", "2016-07-15", None),
        ("Москва, 15 июля 2016 г.\nКерри встретился с Путиным.", "ru", "2016-07-15", 0),
        ("Berlin, 15. Juli 2016\nKerry trifft Putin.", "de", "2016-07-15", 0),
        ("Moscou, 15 juillet 2016\nKerry rencontre Poutine.", "fr", "2016-07-15", 0),
        ("Moscú, 15 de julio de 2016\nKerry se reúne con Putin.", "es", "2016-07-15", 0),
        ("Новости дня 16 июля 2016, 00:37\nЛавров и Керри", "ru", "2016-07-16", 0),
        ("Kerry trifft Putin\nPolitik / 12.05.2015\nText.", "de", "2015-05-12", 1),
        ("Kerry in Sochi\nMay 11, 2015, 6:55 PM\nText.", "en", "2015-05-11", 1),
    ],
)
def test_datelines_in_the_articles_language(text, language, expected, line):
    date, inference = infer_published(text, "", language)
    assert (str(date), date.precision) == (expected, "day")
    shown = text if line is None else text.splitlines()[line]
    assert inference == Inference("published", expected, f"dateline {shown!r}")


@pytest.mark.parametrize(
    "text",
    [
        # A date in the middle of a sentence is not the article's date.
        "Kerry in Sochi\n\nSecretary of State John Kerry met Vladimir Putin in Sochi on "
        "12 May 2015 to discuss Ukraine.",
        "Kerry in Sochi\nHe said on 12 May 2015 that the talks were useful.",
        # The footer's year and a copyright date are never a publication date.
        "Kerry in Sochi\nKerry met Putin.\n© 2024 Example News",
        "Kerry in Sochi\nCopyright 15 July 2016 Example News",
        # A dateline further down than the first three lines is not a dateline.
        "Kerry in Sochi\nOne.\nTwo.\nMOSCOW, July 15, 2016",
        # No day: not precise enough to be read as a dateline.
        "Kerry in Sochi\nJuly 2016",
    ],
)
def test_dates_that_are_no_dateline_are_not_read(text):
    assert infer_published(text, "", "en") is None


def test_an_implausible_date_is_dropped_and_the_article_left_undated():
    url = "https://example.com/2099/01/01/future"
    assert infer_published("Kerry met Putin.", url, "en") == (
        PublishedDate(None, "unknown"),
        Inference(
            "published",
            "",
            f"address '2099/01/01' in {url}: 2099-01-01 is in the future; is the year right? "
            "Dropped: the article is undated",
        ),
    )


def test_the_address_wins_over_the_dateline():
    date, inference = infer_published(
        "MOSCOW, July 15, 2016\nKerry met Putin.", "https://example.com/2016/07/14/a", "en"
    )
    assert (str(date), inference.basis.split()[0]) == ("2016-07-14", "address")


def test_import_dates_an_undated_row_and_keeps_a_given_date(registry_corpus):
    rows = (
        "title,date,url,text\n"
        'A,,https://www.osw.waw.pl/en/2015/05/12/a,"Kerry met Putin in Sochi."\n'
        'B,,https://www.osw.waw.pl/en/b,"SOCHI, May 12, 2015 — Kerry met Putin."\n'
        'C,2015-05-13,https://www.osw.waw.pl/en/2015/05/12/c,"Kerry and Putin in Sochi."\n'
        'D,,https://www.osw.waw.pl/en/2099/05/12/d,"Kerry and Putin talked."\n'
    )
    report = import_articles([("rows.csv", rows.encode())], registry_corpus, dry_run=True)
    assert [(a.title, a.published) for a in report.added] == [
        ("A", "2015-05-12"),
        ("B", "2015-05-12"),
        ("C", "2015-05-13"),
        ("D", ""),
    ]
    assert [[i.value for i in a.inferred if i.field == "published"] for a in report.added] == [
        ["2015-05-12"],
        ["2015-05-12"],
        [],
        [""],
    ]


def test_a_date_given_for_the_import_is_never_inferred(registry_corpus):
    report = import_articles(
        [("talks.txt", b"Kerry in Sochi\nMOSCOW, July 15, 2016\nKerry met Putin.\n")],
        registry_corpus,
        metadata=ImportMetadata(outlet="osw", published="2015-05-12"),
        dry_run=True,
    )
    (added,) = report.added
    assert added.published == "2015-05-12"
    assert "published" not in {i.field for i in added.inferred}
