"""Recovery from the import journal: what a killed import left is rolled back by the next reader."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.corpus.articles import load_corpus
from analysis.corpus.journal import (
    JOURNAL_FILE,
    JournalEntry,
    RegistryChange,
    recover_locked,
    write_journal,
)
from analysis.ingest.importer import import_articles
from analysis.ingest.records import ImportMetadata
from analysis.ingest.report import render_report

KEPT = "---\nid: osw-kept\ntitle: Kept\noutlet: osw\nlanguage: en\n---\nKerry met Putin.\n"


def _article(article_id: str) -> bytes:
    return (
        f"---\nid: {article_id}\ntitle: {article_id}\noutlet: osw\nlanguage: en\n---\n"
        f"Kerry met Putin ({article_id}).\n"
    ).encode()


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _killed_while_placing(root: Path, ids: list[str], placed: int) -> None:
    """What a killed import leaves: a journal, a staging folder and ``placed`` placed files."""
    staging = root / "articles" / ".import-k1ll3d"
    staging.mkdir()
    entries = []
    for article_id in ids:
        data = _article(article_id)
        (staging / f"{article_id}.md").write_bytes(data)
        entries.append(JournalEntry(f"{article_id}.md", hashlib.sha256(data).hexdigest()))
    write_journal(root, staging, entries)
    for entry in entries[:placed]:
        os.replace(staging / entry.name, root / "articles" / entry.name)


@pytest.fixture
def corpus(registry_corpus: Path) -> Path:
    (registry_corpus / "articles" / "osw-kept.md").write_text(KEPT, encoding="utf-8")
    return registry_corpus


def test_load_corpus_rolls_back_a_killed_import_and_says_so(corpus: Path) -> None:
    before = _snapshot(corpus)
    _killed_while_placing(corpus, ["osw-a", "osw-b", "osw-c"], placed=2)
    loaded = load_corpus(corpus)
    assert loaded.articles["id"].tolist() == ["osw-kept"]
    [problem] = loaded.problems
    assert problem.severity == "warning"
    assert problem.file == JOURNAL_FILE
    assert problem.message.startswith(
        f"an import interrupted while placing files (pid {os.getpid()}"
    )
    assert problem.message.endswith("was rolled back: 2 files removed (of the 3 it was placing)")
    assert _snapshot(corpus) == before | {".narratives.lock": b""}
    assert load_corpus(corpus).problems == []


def test_validate_reports_the_rollback_naming_the_journal(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _killed_while_placing(corpus, ["osw-a", "osw-b"], placed=1)
    assert main(["validate", str(corpus)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("warning: .narratives-import.json: (journal): an import interrupted")
    assert out[0].endswith("was rolled back: 1 files removed (of the 2 it was placing)")
    assert out[1].startswith("1 article valid, ")
    assert sorted(p.name for p in (corpus / "articles").iterdir()) == ["osw-kept.md"]


def test_a_placed_file_edited_since_is_kept_and_named(corpus: Path) -> None:
    _killed_while_placing(corpus, ["osw-a", "osw-b"], placed=2)
    (corpus / "articles" / "osw-b.md").write_bytes(_article("osw-b") + b"An analyst's note.\n")
    [problem] = load_corpus(corpus).problems
    assert problem.message.endswith(
        "was rolled back: 1 files removed (of the 2 it was placing); "
        "1 changed since and kept (check them): articles/osw-b.md"
    )
    assert sorted(p.name for p in (corpus / "articles").iterdir()) == ["osw-b.md", "osw-kept.md"]


def test_a_staging_folder_without_journal_is_removed(corpus: Path) -> None:
    staging = corpus / "articles" / ".import-st4l3"
    staging.mkdir()
    for article_id in ("osw-a", "osw-b", "osw-c"):
        (staging / f"{article_id}.md").write_bytes(_article(article_id))
    [problem] = load_corpus(corpus).problems
    assert str(problem) == (
        "articles/.import-st4l3: (folder): staging folder of an import that did not finish, "
        "3 files, none of them placed: removed"
    )
    assert problem.severity == "warning"
    assert sorted(p.name for p in (corpus / "articles").iterdir()) == ["osw-kept.md"]


def test_an_unreadable_journal_is_an_error_and_is_kept(corpus: Path) -> None:
    (corpus / JOURNAL_FILE).write_text("{not json", encoding="utf-8")
    [problem] = load_corpus(corpus).problems
    assert problem.severity == "error"
    assert problem.message.startswith("cannot be read (")
    assert problem.message.endswith(
        "an import may be half placed in articles/: compare articles/ with your last backup, "
        "then delete this file"
    )
    assert (corpus / JOURNAL_FILE).exists()


_HOLD = """
import sys, time
from analysis.corpus.lock import corpus_lock
with corpus_lock(sys.argv[1], "an import"):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_reader_does_not_wait_for_the_lock_to_recover(corpus: Path) -> None:
    _killed_while_placing(corpus, ["osw-a", "osw-b"], placed=1)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(corpus)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        loaded = load_corpus(corpus)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    [problem] = loaded.problems
    assert problem.severity == "warning"
    assert problem.message.startswith(
        f"an import is being placed or was interrupted, and the corpus is locked by "
        f"pid {holder.pid} (an import, since "
    )
    assert loaded.articles["id"].tolist() == ["osw-a", "osw-kept"]
    # Once the lock is free, the next reader rolls the import back.
    assert (
        load_corpus(corpus)
        .problems[0]
        .message.endswith("1 files removed (of the 2 it was placing)")
    )
    assert not (corpus / JOURNAL_FILE).exists()


def test_an_import_rolls_back_the_killed_one_before_it_begins(corpus: Path) -> None:
    _killed_while_placing(corpus, ["osw-a", "osw-b"], placed=2)
    report = import_articles(
        [("c.txt", b"Kerry in Sochi\nKerry met Putin in Sochi.\n")],
        corpus,
        metadata=ImportMetadata(outlet="osw", published="2015-05-12"),
    )
    assert [a.id for a in report.added] == ["osw-2015-05-12-kerry-in-sochi"]
    assert render_report(report).startswith(
        "Recovered: .narratives-import.json: (journal): an import interrupted while placing files"
    )
    assert sorted(p.name for p in corpus.iterdir()) == [
        ".narratives.lock",
        "articles",
        "meetings.yaml",
        "outlets.yaml",
    ]
    assert sorted(p.name for p in (corpus / "articles").iterdir()) == [
        "osw-2015-05-12-kerry-in-sochi.md",
        "osw-kept.md",
    ]


@pytest.mark.parametrize("edited_since", [False, True], ids=["as written", "edited since"])
def test_recovery_restores_outlets_yaml_unless_edited_since(registry_corpus, edited_since):
    before = (registry_corpus / "outlets.yaml").read_bytes()
    written = before + b"\nkommersant:\n  name: Kommersant\n  kind: other\n  group: unassigned\n"
    staging = registry_corpus / "articles" / ".import-test"
    staging.mkdir()
    write_journal(registry_corpus, staging, [], [RegistryChange("outlets.yaml", before, written)])
    (registry_corpus / "outlets.yaml").write_bytes(written + (b"# mine\n" if edited_since else b""))
    problems = recover_locked(registry_corpus)
    (message,) = [p.message for p in problems]
    if edited_since:
        assert (registry_corpus / "outlets.yaml").read_bytes() == written + b"# mine\n"
        assert message.endswith(
            "changed since the import wrote it, and kept (check the outlets it added): outlets.yaml"
        )
    else:
        assert (registry_corpus / "outlets.yaml").read_bytes() == before
        assert message.endswith("0 files removed (of the 0 it was placing); outlets.yaml restored")
    assert not (registry_corpus / JOURNAL_FILE).exists()
    assert not staging.exists()
