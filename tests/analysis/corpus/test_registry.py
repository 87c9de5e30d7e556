"""The outlet registry and the meetings catalogue: problems name the entry, line and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from analysis.corpus.registry import load_meetings, load_outlets
from analysis.corpus.types import Problem

OSW = "osw:\n  name: OSW\n  kind: think tank\n  group: Polish\n"


def test_domains_that_are_not_texts_are_a_problem_not_a_type_error(tmp_path: Path) -> None:
    (tmp_path / "outlets.yaml").write_text(OSW + "  domains: 5\n")
    outlets, problems = load_outlets(tmp_path)
    assert outlets == {}
    assert problems == [
        Problem(
            "outlets.yaml [osw]",
            "domains",
            "must be a web domain or a list of them, such as [osw.waw.pl]",
            5,
        )
    ]
    assert str(problems[0]) == (
        "outlets.yaml [osw]:5: domains: "
        "must be a web domain or a list of them, such as [osw.waw.pl]"
    )


def test_missing_group_is_named_with_the_entry_line(tmp_path: Path) -> None:
    (tmp_path / "outlets.yaml").write_text("tass:\n  name: TASS\n  kind: wire\n" + OSW)
    outlets, problems = load_outlets(tmp_path)
    assert list(outlets) == ["osw"]
    assert problems == [
        Problem("outlets.yaml [tass]", "group", "missing; every outlet needs one", 1)
    ]


def test_unknown_kind_is_reported_and_the_outlet_kept(tmp_path: Path) -> None:
    (tmp_path / "outlets.yaml").write_text(OSW.replace("think tank", "thinktank"))
    outlets, problems = load_outlets(tmp_path)
    assert outlets["osw"].kind == "thinktank"
    assert [(p.field, p.line) for p in problems] == [("kind", 3)]
    assert problems[0].message.startswith("'thinktank' is not a known kind; use one of (")


def test_a_single_domain_is_a_list_of_one(tmp_path: Path) -> None:
    (tmp_path / "outlets.yaml").write_text(OSW + "  domains: OSW.waw.pl\n")
    outlets, problems = load_outlets(tmp_path)
    assert problems == []
    assert outlets["osw"].domains == ("osw.waw.pl",)


SOCHI = "sochi:\n  title: Kerry meets Putin\n  start: 2015-05-12\n"


def test_meeting_place_terms_that_are_not_texts_are_a_problem_not_a_type_error(
    tmp_path: Path,
) -> None:
    (tmp_path / "meetings.yaml").write_text(SOCHI + "  place_terms: 7\n")
    meetings, problems = load_meetings(tmp_path)
    assert meetings == {}
    assert problems == [
        Problem("meetings.yaml [sochi]", "place_terms", "must be a text or a list of texts", 4)
    ]


def test_an_impossible_unquoted_meeting_date_is_named_by_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "meetings.yaml").write_text(SOCHI + "  end: 2015-13-45\n")
    meetings, problems = load_meetings(tmp_path)
    assert meetings == {}
    assert [str(p) for p in problems] == [
        "meetings.yaml [sochi]:4: end: '2015-13-45' is not a YYYY-MM-DD date"
    ]


def test_a_meeting_ending_before_it_starts_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "meetings.yaml").write_text(SOCHI + "  end: '2015-05-11'\n")
    meetings, problems = load_meetings(tmp_path)
    assert meetings == {}
    assert problems == [Problem("meetings.yaml [sochi]", "end", "is before start", 4)]


def test_meeting_dates_are_typed_and_end_defaults_to_start(tmp_path: Path) -> None:
    (tmp_path / "meetings.yaml").write_text(SOCHI + "  place_terms: Sochi\n")
    meetings, problems = load_meetings(tmp_path)
    assert problems == []
    assert (meetings["sochi"].start, meetings["sochi"].end) == (
        dt.date(2015, 5, 12),
        dt.date(2015, 5, 12),
    )
    assert meetings["sochi"].place_terms == ("Sochi",)
