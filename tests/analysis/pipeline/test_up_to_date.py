"""An output folder that already holds the tables of an unchanged analysis is left as it is."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis.cli import main
from tests.conftest import SHIPPED_CORPUS

OSW = "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"
HEADER = "article_id,target,label,note,who,when\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, root)
    return root


def _analyze(corpus: Path, out: Path, capsys, *extra: str) -> str:
    """``narratives analyze`` into ``out``; what it printed."""
    assert main(["analyze", "--corpus", str(corpus), "--out", str(out), *extra]) == 0
    return str(capsys.readouterr().out)


def _snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(out.iterdir())}


def test_an_unchanged_analysis_is_not_written_again(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    first = _analyze(corpus, out, capsys)
    assert "up to date" not in first
    before = _snapshot(out)
    again = _analyze(corpus, out, capsys)
    assert again.startswith(f"{out}: up to date (written ")
    assert again.rstrip().endswith("nothing written. --force writes it again")
    assert _snapshot(out) == before


def test_an_up_to_date_folder_is_recognised_without_preparing_the_corpus(
    corpus, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "out"
    _analyze(corpus, out, capsys)

    def prepare_corpus(*args, **kwargs):
        raise AssertionError("an up-to-date folder needs no prepared corpus")

    monkeypatch.setattr("analysis.pipeline.prepare.prepare_corpus", prepare_corpus)
    assert "up to date" in _analyze(corpus, out, capsys)
    # Anything that changes the tables still prepares it.
    with pytest.raises(AssertionError, match="needs no prepared corpus"):
        _analyze(corpus, out, capsys, "--top", "7")


def _delete_a_table(corpus: Path, out: Path) -> tuple[str, ...]:
    (out / "stance.csv").unlink()
    return ()


def _shorten_a_table(corpus: Path, out: Path) -> tuple[str, ...]:
    path = out / "evidence.csv"
    path.write_bytes(path.read_bytes()[:-10])
    return ()


def _another_filter(corpus: Path, out: Path) -> tuple[str, ...]:
    return ("--outlet", "osw")


def _another_parameter(corpus: Path, out: Path) -> tuple[str, ...]:
    return ("--top", "7")


def _a_changed_correction(corpus: Path, out: Path) -> tuple[str, ...]:
    # One correction before and after: only which label it gives changes.
    path = corpus / "overrides.csv"
    path.write_text(HEADER + f"{OSW},russia,unfavorable,,Ann,2024-01-02\n", encoding="utf-8")
    return ()


def _an_edited_article(corpus: Path, out: Path) -> tuple[str, ...]:
    path = corpus / "articles" / f"{OSW}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nKerry met Putin.\n", encoding="utf-8")
    return ()


def _a_manifest_without_sizes(corpus: Path, out: Path) -> tuple[str, ...]:
    path = out / "manifest.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    del record["files"]
    path.write_text(json.dumps(record), encoding="utf-8")
    return ()


def _forced(corpus: Path, out: Path) -> tuple[str, ...]:
    return ("--force",)


@pytest.mark.parametrize(
    "change",
    [
        _delete_a_table,
        _shorten_a_table,
        _another_filter,
        _another_parameter,
        _a_changed_correction,
        _an_edited_article,
        _a_manifest_without_sizes,
        _forced,
    ],
)
def test_any_change_writes_the_tables_again(
    corpus, tmp_path, capsys, change: Callable[[Path, Path], tuple[str, ...]]
):
    (corpus / "overrides.csv").write_text(
        HEADER + f"{OSW},russia,favorable,,Ann,2024-01-01\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    _analyze(corpus, out, capsys)
    extra = change(corpus, out)
    printed = _analyze(corpus, out, capsys, *extra)
    assert "up to date" not in printed
    assert "manifest.json" in printed
    # What was written is what a run into an empty folder writes.
    fresh = tmp_path / "fresh"
    _analyze(corpus, fresh, capsys, *[e for e in extra if e != "--force"])
    for path in sorted(fresh.glob("*.csv")):
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name
