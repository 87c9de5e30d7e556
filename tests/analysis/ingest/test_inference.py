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
    meetings, inference = infer_meetings(SOCHI, UNDATED, MEETINGS, language="en")
    assert meetings == ("2015-05-sochi",)
    assert inference.value == "2015-05-sochi"
    assert inference.basis.startswith(
        "names kerry and putin; undated; most like 2015-05-sochi among the meetings possible"
    )
    assert "(Sochi, Bocharov Ruchey, Ukraine crisis)" in inference.basis
    assert inference.basis.endswith("confidence 0.90")


def test_kerry_lavrov_in_geneva_covers_no_meeting():
    meetings, inference = infer_meetings(GENEVA, parse_published("2013-09-14"), MEETINGS)
    assert meetings == ()
    assert inference == Inference(
        "meetings",
        "none",
        "names the visit (kerry, lavrov) but not every principal; dated 2013-09-14, outside "
        "every window (10 days before to 21 days after a meeting; 2 to 7 for a visit without "
        "every principal)",
    )


def test_article_dated_the_day_after_covers_the_december_2015_meeting():
    meetings, inference = infer_meetings(MOSCOW, parse_published("2015-12-16"), MEETINGS)
    assert meetings == ("2015-12-moscow",)
    assert inference.basis == (
        "names kerry and putin; dated 2015-12-16, within 2015-12-moscow's window "
        "(10 days before to 21 days after); confidence 0.95"
    )


def test_window_opens_ten_days_before_and_closes_three_weeks_after():
    assert infer_meetings(MOSCOW, parse_published("2015-12-05"), MEETINGS)[0] == ("2015-12-moscow",)
    assert infer_meetings(MOSCOW, parse_published("2015-12-04"), MEETINGS)[0] == ()
    assert infer_meetings(MOSCOW, parse_published("2016-01-05"), MEETINGS)[0] == ("2015-12-moscow",)
    assert infer_meetings(MOSCOW, parse_published("2016-01-06"), MEETINGS)[1].value == "none"


def test_talks_with_lavrov_alone_count_only_in_the_days_of_the_visit():
    text = "Kerry and Lavrov talked in Moscow about Syria."
    assert infer_meetings(text, parse_published("2015-12-22"), MEETINGS)[0] == ("2015-12-moscow",)
    assert infer_meetings(text, parse_published("2015-12-23"), MEETINGS)[0] == ()
    assert infer_meetings(text, UNDATED, MEETINGS, language="en")[1].value == "none"


def test_undated_moscow_article_is_left_undetermined_naming_the_close_meetings():
    meetings, inference = infer_meetings(MOSCOW, UNDATED, MEETINGS, language="en")
    assert meetings == ()
    assert inference.value == "undetermined"
    assert inference.basis == (
        "names kerry and putin; undated; 2013-05-moscow and 2015-12-moscow are close: "
        "similarity 0.81 (Kremlin) against 0.81 (Kremlin): set meetings by hand"
    )


def test_truly_close_meetings_are_undetermined_naming_both_and_why():
    text = MOSCOW + " A ceasefire holds, and the US wants joint strikes on al-Nusra."
    meetings, inference = infer_meetings(text, UNDATED, MEETINGS, language="en")
    assert meetings == ()
    assert inference.basis == (
        "names kerry and putin; undated; 2016-03-moscow and 2016-07-moscow are close: "
        "similarity 2.60 (Kremlin, ceasefire) against 2.60 (Kremlin, al-Nusra): "
        "set meetings by hand"
    )


def test_undated_moscow_article_with_a_distinctive_subject_is_placed():
    text = MOSCOW + " The US wants joint strikes on al-Nusra."
    assert infer_meetings(text, UNDATED, MEETINGS, language="en")[0] == ("2016-07-moscow",)


def test_undated_russian_article_about_sochi_covers_the_sochi_meeting():
    text = (
        "Владимир Путин принял в Сочи государственного секретаря США Джона Керри. "
        "Переговоры с Керри в резиденции «Бочаров Ручей» шли четыре часа."
    )
    meetings, inference = infer_meetings(text, UNDATED, MEETINGS, language="ru")
    assert meetings == ("2015-05-sochi",)
    assert "(Сочи, Бочаров Ручей)" in inference.basis


def test_russian_cue_in_an_inflected_form_places_an_undated_article():
    text = "Керри и Путин в Кремле обсудили удары по «Джебхат ан-Нусре»."
    meetings, inference = infer_meetings(text, UNDATED, MEETINGS, language="ru")
    assert meetings == ("2016-07-moscow",)
    assert "Джебхат ан-Нусре" in inference.basis


def test_an_analysis_weeks_later_that_names_its_meeting_is_placed():
    text = "Kerry and Putin agreed in Sochi on Minsk; a month on, little has changed."
    meetings, inference = infer_meetings(text, parse_published("2015-06-20"), MEETINGS)
    assert meetings == ("2015-05-sochi",)
    assert "an analysis of it" in inference.basis


def test_look_alikes_get_no_meeting():
    tillerson = "Rex Tillerson met Vladimir Putin in the Kremlin; Lavrov called the talks frank."
    blinken = "Blinken and Lavrov met in Geneva; the Kremlin said Putin was informed."
    pompeo = "Pompeo met Putin and Lavrov in Sochi."
    for text, date in (
        (tillerson, "2017-04-12"),
        (blinken, "2022-01-21"),
        (pompeo, "2019-05-14"),
    ):
        keys, inference = infer_meetings(text, parse_published(date), MEETINGS, language="en")
        assert (keys, inference.value) == ((), "none"), text
        keys, inference = infer_meetings(text, UNDATED, MEETINGS, language="en")
        assert (keys, inference.value) == ((), "none"), text
    kerry_lavrov = "Керри и Лавров встретились в Женеве и договорились о перемирии."
    keys, inference = infer_meetings(kerry_lavrov, parse_published("2016-09-10"), MEETINGS)
    assert (keys, inference.value) == ((), "none")


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
