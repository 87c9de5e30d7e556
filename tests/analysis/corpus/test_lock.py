"""The corpus lock: concurrent writers keep every change; a killed holder frees the lock."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from analysis.corpus.lock import CorpusBusyError, corpus_lock, lock_holder
from analysis.review.overrides import load_overrides, save_override

#: Corrections each of two writers saves; enough that, without the lock, one writer's
#: read-change-write overlaps the other's and corrections are lost.
ARTICLES = 50


def _corpus(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    for k in range(ARTICLES):
        (root / "articles" / f"a{k:03d}.md").write_text(f"---\nid: a{k:03d}\n---\nText\n")
    return root


def _save_all(root: str, target: str, who: str, start: Barrier) -> None:
    start.wait(timeout=60)
    for k in range(ARTICLES):
        save_override(root, article_id=f"a{k:03d}", target=target, label="neutral", who=who)


def test_two_processes_saving_at_once_keep_every_correction(tmp_path: Path) -> None:
    root = _corpus(tmp_path / "corpus")
    context = mp.get_context("fork")
    # Both writers start saving together, not one after the other's start-up.
    start = context.Barrier(2)
    writers = [
        context.Process(target=_save_all, args=(str(root), "russia", "Ann", start)),
        context.Process(target=_save_all, args=(str(root), "us_west", "Bo", start)),
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=300)
        assert writer.exitcode == 0
    overrides = load_overrides(root)
    assert len(overrides) == 2 * ARTICLES
    assert overrides.groupby("target")["who"].agg(set).to_dict() == {
        "russia": {"Ann"},
        "us_west": {"Bo"},
    }
    assert sorted(p.name for p in root.iterdir()) == [
        ".narratives.lock",
        "articles",
        "overrides.csv",
    ]


_HOLD = """
import sys, time
from analysis.corpus.lock import corpus_lock
with corpus_lock(sys.argv[1], "a long import"):
    print("held", flush=True)
    time.sleep(60)
"""


def _holding(root: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(root)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "held\n"
    return holder


def test_a_writer_that_cannot_wait_is_told_who_holds_the_corpus(tmp_path: Path) -> None:
    holder = _holding(tmp_path)
    try:
        assert lock_holder(tmp_path).startswith(f"pid {holder.pid} (a long import, since ")
        with (
            pytest.raises(CorpusBusyError, match=rf"being changed by pid {holder.pid} \(a long"),
            corpus_lock(tmp_path, "label correction", wait_s=0.2),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = _holding(tmp_path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    # The operating system released the dead holder's lock: it is free at the first try.
    with corpus_lock(tmp_path, "label correction", wait_s=0):
        assert lock_holder(tmp_path).startswith(f"pid {os.getpid()} (label correction")
    assert lock_holder(tmp_path) == ""
