"""A broken overrides file is never silent: ``analyze`` and ``evaluate`` warn, the manifest says so.

Each kind of breakage is a small hand-written file; the command still exits 0
and writes its tables with the computed labels only (no correction at all, not
even those on the lines before the bad one).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from tests.conftest import SHIPPED_CORPUS

OSW = "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"
HEADER = "article_id,target,label,note,who,when\n"
GOOD = f"{OSW},russia,favorable,,Ann,2024-01-02\n"
ADVICE = "Fix or delete {file}; until then no correction is applied."


def _text(text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(text.encode(encoding))


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "overrides.csv").write_text(HEADER + GOOD, encoding="utf-8")


def _link_to_nothing(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.parent / "gone.csv")


#: (kind, how the file is made, line named, what is said; ``{root}`` is the corpus folder).
BREAKAGES = [
    (
        "missing column",
        _text(f"article_id,target,label,note,when\n{OSW},russia,favorable,,2024-01-02\n"),
        1,
        "missing column(s) who",
    ),
    (
        "semicolons instead of commas",
        _text(HEADER.replace(",", ";") + GOOD.replace(",", ";")),
        1,
        "missing column(s) article_id, target, label, note, who, when",
    ),
    (
        "column twice",
        _text(f"article_id,target,label,label,note,who,when\n{OSW},russia,neutral,neutral,,A,\n"),
        1,
        "column(s) label appear twice",
    ),
    (
        "unknown article",
        _text(HEADER + GOOD + "no-such-article,russia,neutral,,Ann,2024-01-02\n"),
        3,
        "article_id 'no-such-article' is not an article of {root}",
    ),
    (
        "empty article id",
        _text(HEADER + ",russia,neutral,,Ann,2024-01-02\n"),
        2,
        "article_id '' is not an article of {root}",
    ),
    (
        "unknown target",
        _text(HEADER + GOOD + f"{OSW},china,neutral,,Ann,2024-01-02\n"),
        3,
        "target 'china' is not 'outcome' or one of assad, russia, ukraine, us_west",
    ),
    (
        "bad stance label",
        _text(HEADER + f"{OSW},russia,positive,,Ann,2024-01-02\n"),
        2,
        "label 'positive' for target 'russia' is not one of "
        "('favorable', 'unfavorable', 'neutral', 'not mentioned')",
    ),
    (
        "bad outcome label",
        _text(HEADER + f"{OSW},outcome,Russia won,,Ann,2024-01-02\n"),
        2,
        "label 'Russia won' for target 'outcome' is not one of ('Russia gained', "
        "'US-West gained', 'stalemate or failure', 'cooperation or progress', 'neutral report')",
    ),
    (
        "same correction twice",
        _text(HEADER + GOOD + GOOD.replace("Ann", "Bo")),
        3,
        f"article_id '{OSW}' and target 'russia' are corrected on line 2 already; "
        "keep one of the two rows",
    ),
    (
        "too many values",
        _text(HEADER + GOOD.replace("\n", ",extra\n")),
        2,
        "has 7 values but the header names 6 columns",
    ),
    (
        "too few values",
        _text(HEADER + f"{OSW},russia,favorable,Ann\n"),
        2,
        "has 4 values but the header names 6 columns",
    ),
    (
        "quote never closed",
        _text(HEADER + GOOD + f'{OSW},ukraine,neutral,"said so,Ann,2024-01-02\n' + GOOD),
        3,
        "a quoted value is never closed",
    ),
    (
        "text after a closing quote",
        _text(HEADER + f'{OSW},russia,neutral,"said" so,Ann,2024-01-02\n'),
        2,
        "bad quoting (',' expected after '\"'); a value with a quote must be quoted as a "
        'whole, its quotes doubled: "say ""no"""',
    ),
    (
        "empty file",
        _text(""),
        1,
        "is empty; its first line must be article_id,target,label,note,who,when",
    ),
    (
        "blank lines only",
        _text("\n\n"),
        1,
        "is empty; its first line must be article_id,target,label,note,who,when",
    ),
    (
        "binary garbage",
        _bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        1,
        "is not UTF-8 text (byte 0x89); save it as UTF-8 CSV",
    ),
    (
        "binary with NUL bytes",
        _bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
        1,
        "contains a NUL character: a binary file?",
    ),
    (
        "Latin-1 encoding",
        _text(HEADER + GOOD.replace(",,Ann", ",Müller said so,Ann"), encoding="latin-1"),
        2,
        "is not UTF-8 text (byte 0xfc); save it as UTF-8 CSV",
    ),
    (
        "UTF-16 encoding",
        _text(HEADER + GOOD, encoding="utf-16"),
        1,
        "is not UTF-8 text (byte 0xff); save it as UTF-8 CSV",
    ),
    ("a folder in its place", _folder, None, "is a folder or a device, not a CSV file"),
    (
        "a link to nothing",
        _link_to_nothing,
        None,
        "is a link to {root}/gone.csv, which does not exist",
    ),
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, root)
    return root


def _warning(file: str, line: int | None, fault: str) -> str:
    where = file if line is None else f"{file}, line {line}"
    return f"{where}: {fault}. {ADVICE.format(file=file)}"


def test_at_least_fifteen_kinds_of_breakage_are_tried() -> None:
    assert len({kind for kind, *_ in BREAKAGES}) >= 15


def _overrides_in_manifest(out: Path) -> dict[str, object]:
    """The manifest's record of the corrections, without the hash of them (checked here)."""
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["overrides"]
    digest = record.pop("sha256")
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    return dict(record)


@pytest.mark.parametrize(
    ("make", "line", "fault"),
    [pytest.param(make, line, fault, id=kind) for kind, make, line, fault in BREAKAGES],
)
def test_analyze_warns_about_a_broken_overrides_file_and_applies_no_correction(
    corpus: Path, tmp_path: Path, capsys, make, line, fault
) -> None:
    make(corpus / "overrides.csv")
    fault = fault.format(root=corpus)
    out = tmp_path / "out"
    assert main(["analyze", "--corpus", str(corpus), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    expected = _warning(str(corpus / "overrides.csv"), line, fault)
    assert err.splitlines() == [f"narratives: warning: {expected}"]
    record = _overrides_in_manifest(out)
    assert record == {
        "file": "overrides.csv",
        "applied": 0,
        "error": _warning("overrides.csv", line, fault),
    }
    stance = pd.read_csv(out / "stance.csv", keep_default_na=False)
    assert set(stance["source"]) == {"rules"}
    assert (stance["label"] == stance["computed_label"]).all()


def test_analyze_applies_a_good_overrides_file_and_says_how_many(
    corpus: Path, tmp_path: Path, capsys
) -> None:
    (corpus / "overrides.csv").write_text(HEADER + GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["analyze", "--corpus", str(corpus), "--out", str(out)]) == 0
    assert "overrides" not in capsys.readouterr().err
    record = _overrides_in_manifest(out)
    assert record == {"file": "overrides.csv", "applied": 1}
    stance = pd.read_csv(out / "stance.csv", keep_default_na=False)
    corrected = stance[(stance["article_id"] == OSW) & (stance["target"] == "russia")]
    assert corrected[["label", "source"]].values.tolist() == [["favorable", "override"]]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(_text(HEADER), id="header only"),
        pytest.param(lambda path: None, id="no file"),
    ],
)
def test_no_correction_at_all_is_not_a_problem(corpus: Path, tmp_path: Path, capsys, make) -> None:
    (corpus / "overrides.csv").unlink()
    make(corpus / "overrides.csv")
    out = tmp_path / "out"
    assert main(["analyze", "--corpus", str(corpus), "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""
    record = _overrides_in_manifest(out)
    assert record == {"file": "overrides.csv", "applied": 0}


def test_evaluate_warns_about_a_broken_overrides_file_and_still_reports(
    corpus: Path, capsys
) -> None:
    (corpus / "overrides.csv").write_text(HEADER + GOOD + GOOD, encoding="utf-8")
    assert main(["evaluate", "--corpus", str(corpus)]) == 0
    captured = capsys.readouterr()
    fault = (
        f"article_id '{OSW}' and target 'russia' are corrected on line 2 already; "
        "keep one of the two rows"
    )
    expected = _warning(str(corpus / "overrides.csv"), 3, fault)
    assert captured.err.splitlines() == [f"narratives: warning: {expected}"]
    assert captured.out.startswith("Evaluation on the frozen split")
