"""Import of rows whose outlet is not registered: added to outlets.yaml, or refused on request.

Hand-written rows: two outlets the registry lacks (one named, one known only by
its address), one row that names OSW differently but is on OSW's domain.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import analysis.ingest.importer
from analysis.corpus.articles import load_corpus
from analysis.corpus.registry import load_outlets
from analysis.corpus.selection import Selection, filter_articles
from analysis.ingest.importer import import_articles
from analysis.ingest.report import AddedOutlet, render_report

HEADER = "title,date,media_name,url,text\n"
KOMMERSANT_1 = (
    '"Kerry in Sochi",2015-05-12,Kommersant,https://www.kommersant.ru/doc/1,'
    '"Керри встретился с Путиным в Сочи."\n'
)
KOMMERSANT_2 = (
    '"Kerry leaves Sochi",2015-05-13,Kommersant,https://kommersant.ru/doc/2,'
    '"Керри улетел из Сочи после встречи с Путиным."\n'
)
RIA = (
    '"Talks end",2015-05-12,,https://ria.ru/20150512/talks.html,'
    '"Переговоры Керри и Путина в Сочи закончились."\n'
)
OSW_OTHER_NAME = (
    '"Moscow analysis",2013-05-15,OSW Centre for Eastern Studies,'
    'https://www.osw.waw.pl/en/a,"Kerry saw Putin in Moscow."\n'
)
ROWS = HEADER + KOMMERSANT_1 + KOMMERSANT_2 + RIA + OSW_OTHER_NAME
TODAY = dt.date.today().isoformat()


def _upload(text: str = ROWS) -> tuple[str, bytes]:
    return ("rows.csv", text.encode())


def test_unknown_outlets_are_added_in_group_unassigned_with_the_file_and_date(registry_corpus):
    shipped = (registry_corpus / "outlets.yaml").read_text(encoding="utf-8")
    report = import_articles([_upload()], registry_corpus)
    assert [(a.source, a.outlet) for a in report.added] == [
        ("rows.csv:2", "kommersant"),
        ("rows.csv:3", "kommersant"),
        ("rows.csv:4", "ria-ru"),
        ("rows.csv:5", "osw"),
    ]
    assert report.outlets == [
        AddedOutlet("kommersant", "Kommersant", ("kommersant.ru",), "ru", "rows.csv:2"),
        AddedOutlet("ria-ru", "ria.ru", ("ria.ru",), "ru", "rows.csv:4"),
    ]
    written = (registry_corpus / "outlets.yaml").read_text(encoding="utf-8")
    # The analyst's file is kept as it was, comments and all; the new outlets follow it.
    assert written.startswith(shipped.rstrip("\n") + "\n\nkommersant:\n")
    assert yaml.safe_load(written)["kommersant"] == {
        "name": "Kommersant",
        "country": "",
        "kind": "other",
        "domains": ["kommersant.ru"],
        "language": "ru",
        "group": "unassigned",
        "group_reason": f"Added by the import of rows.csv on {TODAY}: not yet placed in a group.",
        "group_source": f"narratives import of rows.csv (rows.csv:2), {TODAY}",
    }
    assert "  domains: [ria.ru]\n" in written
    outlets, problems = load_outlets(registry_corpus)
    assert problems == []
    assert outlets["ria-ru"].group == "unassigned"
    assert load_corpus(registry_corpus).problems == []


def test_the_report_says_which_outlet_each_row_got_and_why(registry_corpus):
    report = import_articles([_upload()], registry_corpus, dry_run=True)
    bases = {a.source: [i.basis for i in a.inferred if i.field == "outlet"] for a in report.added}
    assert bases == {
        "rows.csv:2": [
            "'Kommersant' is not in outlets.yaml: added as a new outlet, group unassigned"
        ],
        "rows.csv:3": ["'Kommersant' is the outlet kommersant in outlets.yaml"],
        "rows.csv:4": [
            "no outlet of outlets.yaml has the domain ria.ru: added as a new outlet, "
            "group unassigned"
        ],
        "rows.csv:5": [
            "'OSW Centre for Eastern Studies' is not a name in outlets.yaml; "
            "the address's domain osw.waw.pl in outlets.yaml"
        ],
    }
    text = render_report(report)
    assert (
        "Would add 2 outlets to outlets.yaml, in group unassigned (give each a group there "
        "or on the dashboard's Corpus page):\n"
        "  kommersant  'Kommersant', domains kommersant.ru, ru (first named in rows.csv:2)\n"
        "  ria-ru  'ria.ru', domains ria.ru, ru (first named in rows.csv:4)\n"
        "Would add 4 articles to "
    ) in text


def test_unassigned_is_a_group_like_any_other(registry_corpus):
    import_articles([_upload()], registry_corpus)
    articles = load_corpus(registry_corpus).articles
    assert sorted(articles["outlet_group"].unique()) == ["think tank", "unassigned"]
    chosen = filter_articles(articles, Selection(groups=("unassigned",)))
    assert sorted(chosen["outlet"]) == ["kommersant", "kommersant", "ria-ru"]


def test_two_new_outlets_on_one_site_are_told_apart_by_name(registry_corpus):
    rows = (
        HEADER
        + '"A",2015-05-12,Al-Wafd (via Masress),https://masress.com/alwafd/1,"Kerry met Putin"\n'
        + '"B",2015-05-12,Masrawy (via Masress),https://masress.com/masrawy/2,"Putin met Kerry"\n'
        + '"C",2015-05-12,,https://masress.com/alwafd/3,"Kerry and Putin talked"\n'
    )
    report = import_articles([_upload(rows)], registry_corpus, dry_run=True)
    assert [a.outlet for a in report.added] == [
        "al-wafd-via-masress",
        "masrawy-via-masress",
        "al-wafd-via-masress",
    ]
    assert [o.domains for o in report.outlets] == [("masress.com",), ()]


def test_no_new_outlets_refuses_the_file_and_changes_nothing(registry_corpus):
    before = (registry_corpus / "outlets.yaml").read_bytes()
    report = import_articles([_upload()], registry_corpus, new_outlets=False)
    assert report.added == []
    assert report.outlets == []
    assert [str(p) for p in report.problems] == [
        "rows.csv:2: outlet: 'Kommersant' is not in outlets.yaml; add it there (with its "
        "domains), or give the outlet for this import (this import adds no outlets)",
        "rows.csv:3: outlet: 'Kommersant' is not in outlets.yaml; add it there (with its "
        "domains), or give the outlet for this import (this import adds no outlets)",
        "rows.csv:4: outlet: unknown: no outlet given and no address whose domain is in "
        "outlets.yaml; give the outlet or add its domain there",
        "rows.csv:5: outlet: 'OSW Centre for Eastern Studies' is not in outlets.yaml; add it "
        "there (with its domains), or give the outlet for this import (this import adds no "
        "outlets)",
    ]
    assert (registry_corpus / "outlets.yaml").read_bytes() == before


def test_dry_run_and_refused_files_leave_outlets_yaml_alone(registry_corpus):
    before = (registry_corpus / "outlets.yaml").read_bytes()
    dry = import_articles([_upload()], registry_corpus, dry_run=True)
    assert [o.key for o in dry.outlets] == ["kommersant", "ria-ru"]
    bad = HEADER + KOMMERSANT_1 + KOMMERSANT_2.replace("2015-05-13", "yesterday")
    refused = import_articles([_upload(bad)], registry_corpus)
    assert (refused.added, refused.outlets) == ([], [])
    assert (registry_corpus / "outlets.yaml").read_bytes() == before
    assert list((registry_corpus / "articles").iterdir()) == []


def test_an_outlet_only_a_skipped_row_named_is_not_written(registry_corpus):
    bad_ria = RIA.replace("2015-05-12", "yesterday")
    report = import_articles(
        [_upload(HEADER + KOMMERSANT_1 + bad_ria)], registry_corpus, skip_bad_rows=True
    )
    assert [o.key for o in report.outlets] == ["kommersant"]
    assert "ria" not in (registry_corpus / "outlets.yaml").read_text(encoding="utf-8")


def test_an_exact_duplicate_adds_no_outlet(registry_corpus):
    import_articles([_upload(HEADER + OSW_OTHER_NAME)], registry_corpus)
    copy = OSW_OTHER_NAME.replace(
        "OSW Centre for Eastern Studies,https://www.osw.waw.pl/en/a", "Copycat,"
    )
    report = import_articles([_upload(HEADER + copy)], registry_corpus)
    assert (report.added, report.outlets, len(report.duplicates)) == ([], [], 1)
    assert "Copycat" not in (registry_corpus / "outlets.yaml").read_text(encoding="utf-8")


def test_an_interrupted_import_puts_outlets_yaml_back(registry_corpus, monkeypatch):
    before = (registry_corpus / "outlets.yaml").read_bytes()
    real_publish = analysis.ingest.importer._publish
    calls: list[str] = []

    def publish_then_fail(staged: Path, target: Path) -> None:
        calls.append(target.name)
        assert b"kommersant:" in (registry_corpus / "outlets.yaml").read_bytes()
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_publish(staged, target)

    monkeypatch.setattr(analysis.ingest.importer, "_publish", publish_then_fail)
    with pytest.raises(KeyboardInterrupt):
        import_articles([_upload()], registry_corpus)
    assert (registry_corpus / "outlets.yaml").read_bytes() == before
    assert [p.name for p in (registry_corpus / "articles").iterdir()] == []
    assert not (registry_corpus / ".narratives-import.json").exists()


def test_outlets_given_for_the_import_must_still_be_registered(registry_corpus):
    with pytest.raises(ValueError, match=r"^outlet: 'Kommersant' is not in outlets.yaml"):
        import_articles(
            [("talks.txt", b"Kerry met Putin.\n")],
            registry_corpus,
            metadata=analysis.ingest.importer.ImportMetadata(outlet="Kommersant"),
        )


def test_an_outlet_known_by_an_internationalised_domain_is_named_in_its_script(registry_corpus):
    rows = HEADER + (
        '"Talks in Sochi",2015-05-12,,https://xn--e1afmkfd.xn--p1ai/2015/talks,'
        '"Керри и Путин провели переговоры в Сочи."\n'
    )
    report = import_articles([_upload(rows)], registry_corpus)
    assert report.outlets == [
        AddedOutlet(
            "xn-e1afmkfd-xn-p1ai", "пример.рф", ("xn--e1afmkfd.xn--p1ai",), "ru", "rows.csv:2"
        )
    ]
    outlets, problems = load_outlets(registry_corpus)
    assert problems == []
    assert outlets["xn-e1afmkfd-xn-p1ai"].name == "пример.рф"
