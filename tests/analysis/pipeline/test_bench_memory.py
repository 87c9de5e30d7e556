"""The benchmarks' memory samples: the command and its workers, counted once."""

from __future__ import annotations

import subprocess
import sys

import psutil

from tests.benchmarks.bench_pipeline import tree_pss


def test_a_memory_sample_is_the_command_and_its_workers_read_together() -> None:
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        sample = tree_pss(psutil.Process())
        assert sample is not None
        command, workers, count = sample
        assert count >= 1
        assert command > 0
        assert workers > 0
    finally:
        worker.kill()
        worker.wait()


def test_a_memory_sample_across_a_worker_starting_is_left_out(monkeypatch) -> None:
    # PSS splits shared pages among the processes sharing them when each is read: a sum
    # read across a fork counts the command's pages at one split and the workers' at
    # another. A worker that appears between the first and the last reading voids it.
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    listed = [[], [psutil.Process(worker.pid)]]
    monkeypatch.setattr(psutil.Process, "children", lambda self, recursive=False: listed.pop(0))
    try:
        assert tree_pss(psutil.Process()) is None
    finally:
        worker.kill()
        worker.wait()
