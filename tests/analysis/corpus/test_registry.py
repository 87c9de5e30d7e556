"""The outlet registry: its schema's problems name the file, the entry, the line and the field."""

from __future__ import annotations

from pathlib import Path

from analysis.corpus.registry import load_outlets
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
