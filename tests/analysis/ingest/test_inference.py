from __future__ import annotations

import datetime as dt

import pytest

from analysis.corpus.registry import load_meetings, load_outlets
from analysis.corpus.types import Article, Inference, PublishedDate
from analysis.ingest.inference import (
    TITLE_CHARACTERS,
    infer_language,
    infer_meetings,
    infer_title,
    outlet_for_name,
    outlet_for_url,
    parse_published,
)
from tests.conftest import SHIPPED_CORPUS

MEETINGS, _ = load_meetings(SHIPPED_CORPUS)
OUTLETS, _ = load_outlets(SHIPPED_CORPUS)
UNDATED = PublishedDate(None, "unknown")

SOCHI = (
    "John Kerry flew to Sochi to see Vladimir Putin at the Bocharov Ruchey residence, "
    "his first trip to Russia since the Ukraine crisis began."
)
GENEVA = (
    "Secretary of State John Kerry and Foreign Minister Sergey Lavrov agreed in Geneva on a "
    "framework to remove Syria's chemical weapons after three days of talks."
)
MOSCOW = "Kerry and Putin talked in the Kremlin about Syria until late at night."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2016-07-15", "2016-07-15"),
        ("15 July, 2016", "2016-07-15"),
        ("July 15, 2016", "2016-07-15"),
        ("Fri, 15 Jul 2016 09:30:00 GMT", "2016-07-15"),
        ("2016-07-15T23:30:00-05:00", "2016-07-15"),
        ("2016-07-15T09:30:00Z", "2016-07-15"),
        ("2016-07-15 09:30:00", "2016-07-15"),
        ("2016/07/15", "2016-07-15"),
        ("2022-01", "2022-01"),
        ("January 2022", "2022-01"),
        ("2022", "2022"),
    ],
)
def test_parse_published_reads_common_forms_with_their_precision(raw, expected):
    assert str(parse_published(raw)) == expected


def test_parse_published_keeps_month_precision():
    assert parse_published("2022-01") == PublishedDate(dt.date(2022, 1, 1), "month")


def test_parse_published_refuses_what_it_cannot_read():
    with pytest.raises(ValueError, match=r"'yesterday' is not a date this import understands"):
        parse_published("yesterday")
    with pytest.raises(ValueError, match=r"'31 June, 2016' is not a real date"):
        parse_published("31 June, 2016")


def test_undated_article_about_the_sochi_talks_covers_the_sochi_meeting():
    meetings, inference = infer_meetings(SOCHI, UNDATED, MEETINGS)
    assert meetings == ("2015-05-sochi",)
    assert inference == Inference(
        "meetings",
        "2015-05-sochi",
        "names Kerry and Putin; undated; place Sochi, Bocharov Ruchey in meetings.yaml "
        "names only 2015-05-sochi",
    )


def test_kerry_lavrov_in_geneva_covers_no_meeting():
    meetings, inference = infer_meetings(GENEVA, parse_published("2013-09-14"), MEETINGS)
    assert meetings == ()
    assert inference == Inference("meetings", "none", "the text never names Putin")


def test_article_dated_the_day_after_covers_the_december_2015_meeting():
    meetings, inference = infer_meetings(MOSCOW, parse_published("2015-12-16"), MEETINGS)
    assert meetings == ("2015-12-moscow",)
    assert inference.basis == (
        "names Kerry and Putin; dated 2015-12-16, within 2015-12-moscow's window "
        "(2 days before to 21 days after a meeting)"
    )


def test_window_opens_two_days_before_and_closes_three_weeks_after():
    assert infer_meetings(MOSCOW, parse_published("2015-12-13"), MEETINGS)[0] == ("2015-12-moscow",)
    assert infer_meetings(MOSCOW, parse_published("2015-12-12"), MEETINGS)[0] == ()
    assert infer_meetings(MOSCOW, parse_published("2016-01-05"), MEETINGS)[0] == ("2015-12-moscow",)
    assert infer_meetings(MOSCOW, parse_published("2016-01-06"), MEETINGS)[1].value == "none"


def test_undated_moscow_article_is_left_undetermined():
    meetings, inference = infer_meetings(MOSCOW, UNDATED, MEETINGS)
    assert meetings == ()
    assert inference.value == "undetermined"
    assert inference.basis.endswith("2016-07-moscow: set meetings by hand")


def test_undated_moscow_article_with_a_distinctive_subject_is_placed():
    text = MOSCOW + " The US wants joint strikes on al-Nusra."
    assert infer_meetings(text, UNDATED, MEETINGS)[0] == ("2016-07-moscow",)


def test_blinken_lavrov_seed_covers_no_meeting(seed_articles: dict[str, Article]):
    text = seed_articles["003_a32b31f8f4665c4d.txt"].text
    assert infer_meetings(text, parse_published("2022-01"), MEETINGS)[0] == ()


def test_russian_text_is_identified_as_russian():
    language, inference = infer_language(
        "Президент России Владимир Путин принял в Сочи государственного секретаря США Джона "
        "Керри. Переговоры продолжались более четырёх часов; стороны обсудили Украину и Сирию."
    )
    assert language == "ru"
    assert inference.basis == "py3langid 1.00 on 168 characters (low confidence: short text)"


def test_outlet_from_a_subdomain_of_a_registered_domain():
    key, inference = outlet_for_url("https://edition.cnn.com/2015/12/16/politics/x/", OUTLETS)
    assert key == "cnn"
    assert inference == Inference("outlet", "cnn", "domain edition.cnn.com in outlets.yaml")
    assert outlet_for_url("https://ru.euromaidanpress.com/2015/05/13/x/", OUTLETS) == (
        "euromaidan-press",
        Inference("outlet", "euromaidan-press", "domain euromaidanpress.com in outlets.yaml"),
    )
    assert outlet_for_url("https://notcnn.com/x", OUTLETS) is None


def test_outlet_by_key_name_or_domain_and_never_invented():
    assert outlet_for_name("OSW", OUTLETS) == "osw"
    assert outlet_for_name("The Duran", OUTLETS) == "the-duran"
    assert outlet_for_name("www.theduran.com", OUTLETS) == "the-duran"
    assert outlet_for_name("RIA Novosti", OUTLETS) is None


@pytest.mark.parametrize(
    ("text", "title", "basis"),
    [
        ("Kerry in Sochi\n\nKerry met Putin.", "Kerry in Sochi", "first line of the text"),
        ("\n## Deadlock in Moscow\nText.", "Deadlock in Moscow", "first line of the text"),
        (
            "Kerry met Putin in Sochi. They talked about Syria.",
            "Kerry met Putin in Sochi.",
            "first sentence of the text",
        ),
        (
            "Secretary of State John Kerry met Russian President Vladimir Putin in the Black "
            "Sea resort of Sochi on Tuesday for talks on Ukraine, Syria and Iran. More.",
            "Secretary of State John Kerry met Russian President Vladimir Putin in the Black "
            "Sea resort of Sochi on Tuesday for…",
            "first sentence of the text, cut to 120 characters",
        ),
    ],
)
def test_infer_title_takes_the_heading_or_first_sentence(text, title, basis):
    assert infer_title(text) == (title, Inference("title", title, basis))
    assert len(title) <= TITLE_CHARACTERS + 1


def test_a_row_without_a_title_gets_its_first_sentence(registry_corpus):
    from analysis.ingest.importer import import_articles

    rows = 'title,media_name,text\n,osw,"Kerry met Putin in Sochi. They talked."\n'
    report = import_articles([("rows.csv", rows.encode())], registry_corpus)
    (added,) = report.added
    assert (added.id, added.title) == (
        "osw-undated-kerry-met-putin-in-sochi",
        "Kerry met Putin in Sochi.",
    )
    assert added.inferred[0] == Inference(
        "title", "Kerry met Putin in Sochi.", "first sentence of the text"
    )
