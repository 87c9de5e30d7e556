"""A real import process killed at many points: the next command restores the corpus.

Each case starts ``python -m analysis.cli import`` on a generated CSV, kills it
with SIGKILL or SIGTERM at one point (while it stages files, or after it has
written its journal and placed 0, 1, half or all of the files, held there by
the importer's ``NARRATIVES_TEST_HOLD_AFTER_PLACING`` hook), runs the next
command, and checks that every file of the corpus folder has the bytes it had
before (or, for an import that still completed, that all of it is there) and
that no journal or staging folder is left. The rows name an outlet the registry
lacks, so the import rewrites ``outlets.yaml`` too (before it places the first
file): that file must be restored as well.
"""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.corpus.articles import load_corpus
from analysis.corpus.journal import JOURNAL_FILE
from analysis.ingest.importer import import_articles
from analysis.ingest.records import ImportMetadata

REPO = Path(__file__).resolve().parents[3]
ROWS = 120
#: Not in the shipped registry: the import adds it to outlets.yaml.
NEW_OUTLET = "Nowhere Times"
# A guard against a hung child, not a timing assertion.
PATIENCE_S = 300


def _csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "date", "outlet", "language", "text"])
        for k in range(ROWS):
            words = " ".join(f"w{(k * 7919 + j * 104729) % 999983}" for j in range(30))
            writer.writerow(
                [f"Report {k}", "2015-05-12", NEW_OUTLET, "en", f"Kerry met Putin. {words}"]
            )
    return path


def _digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file in the corpus folder, hidden ones and the registry included."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _debris(root: Path) -> list[str]:
    found = [p.name for p in (root / "articles").iterdir() if p.name.startswith(".import-")]
    found += [p.name for p in root.iterdir() if p.name.startswith(JOURNAL_FILE)]
    return found


def _staged_files(root: Path) -> int:
    return sum(
        len(list(folder.iterdir()))
        for folder in (root / "articles").glob(".import-*")
        if folder.is_dir()
    )


def _wait_for(condition, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        assert process.poll() is None, "the import ended before the kill point"
        assert time.monotonic() < deadline, "the import never reached the kill point"
        time.sleep(0.005)


def _next_command(command: str, root: Path) -> set[str]:
    """Run the command that follows the kill; return the ids it added itself."""
    if command == "validate":
        assert main(["validate", str(root)]) == 0
        return set()
    if command == "load_corpus":
        assert load_corpus(root).errors == []
        return set()
    report = import_articles(
        [("next.txt", b"Kerry in Sochi\nKerry met Putin in Sochi.\n")],
        root,
        metadata=ImportMetadata(outlet="osw", published="2015-05-13"),
    )
    return {a.id for a in report.added}


POINTS = [
    ("staging", "validate"),
    ("placed 0", "import"),
    ("placed 1", "load_corpus"),
    (f"placed {ROWS // 2}", "validate"),
    (f"placed {ROWS}", "import"),
]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize(("point", "command"), POINTS, ids=[p for p, _ in POINTS])
def test_killed_import_is_rolled_back_by_the_next_command(
    registry_corpus: Path, tmp_path: Path, signum: int, point: str, command: str
) -> None:
    root = registry_corpus
    import_articles(
        [("first.txt", b"Kerry in Moscow\nKerry saw Putin in Moscow.\n")],
        root,
        metadata=ImportMetadata(outlet="osw", published="2013-05-08"),
    )
    before = _digests(root)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if point != "staging":
        env["NARRATIVES_TEST_HOLD_AFTER_PLACING"] = point.removeprefix("placed ")
    rows = _csv(tmp_path / "rows.csv")
    log = tmp_path / "import.err"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "analysis.cli", "import", str(rows), "--corpus", str(root)],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            if point == "staging":
                _wait_for(lambda: _staged_files(root) >= 1, process)
            else:
                _wait_for(lambda: b"holding after placing" in log.read_bytes(), process)
            process.send_signal(signum)
            assert process.wait(PATIENCE_S) == -signum
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    if signum == signal.SIGTERM:
        # Caught: the import undid its own work before the signal ended it.
        assert _digests(root) == before
        assert _debris(root) == []

    added = _next_command(command, root)

    after = _digests(root)
    imported = {
        name
        for name in after.keys() - before.keys()
        if name.startswith("articles/nowhere-times-2015-05-12-report-")
    }
    assert len(imported) in (0, ROWS), "the corpus holds part of the killed import"
    assert {f"articles/{i}.md" for i in added} | imported == after.keys() - before.keys()
    assert {k: after[k] for k in before} == before
    assert b"Nowhere" not in (root / "outlets.yaml").read_bytes()
    assert _debris(root) == []
    assert not (root / ".narratives.lock.holder").exists()
