"""What importing one article costs as the corpus grows.

Run: ``.venv/bin/python tests/benchmarks/bench_import.py --sizes 1000 10000 50000 --runs 3``
(not collected by pytest).

For each size, the synthetic corpus of :mod:`tests.benchmarks.bench_pipeline`
(:func:`~tests.benchmarks.bench_pipeline.make_corpus`, written as a corpus
folder) gets its duplicate index and parse cache made first, untimed, as the
imports that built a corpus leave them (``narratives import --dry-run``). Then
``--runs`` times, one new article (made like the corpus's own, from another
seed) is imported by ``narratives import one.jsonl --corpus ROOT --quiet``,
a process of its own as an analyst runs it, timed from its start to its exit.
Each import finds the one before it in the corpus, as one import after another
does (so each also reads that new file into the parse cache).

Printed per size: the median and slowest import, and the median over the
smallest size's median in the same run (``vs_smallest``): 1.00 when an import
costs the same whatever the corpus holds, the size ratio when it grows in
proportion to the corpus. Part of every run is Python loading the modules.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.benchmarks.bench_pipeline import (  # noqa: E402
    ONE_MORE_ARTICLE,
    make_corpus,
    write_corpus,
    write_one_article,
)


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _import(root: Path, cache: Path, seed: int, *options: str) -> float:
    """Seconds of ``narratives import`` of one article made from ``seed``, in a new process."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "one.jsonl"
        write_one_article(
            source,
            seed=seed,
            title=f"{ONE_MORE_ARTICLE['title']} ({seed})",
            url=f"{ONE_MORE_ARTICLE['url']}-{seed}",
        )
        command = [sys.executable, "-m", "analysis.cli", "import", str(source)]
        started = time.perf_counter()
        subprocess.run(
            [*command, "--corpus", str(root), "--quiet", *options],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "NARRATIVES_CACHE_DIR": str(cache)},
            cwd=REPO,
        )
        return time.perf_counter() - started


def _sized(size: int, runs: int) -> list[float]:
    """The import times of ``runs`` articles, one after another, into a corpus of ``size``."""
    with tempfile.TemporaryDirectory(prefix="narratives-bench-import-") as scratch:
        root, cache = Path(scratch) / "corpus", Path(scratch) / "cache"
        root.mkdir()
        write_corpus(make_corpus(size), root)
        _progress(f"{size} articles written; indexing them (untimed)")
        _import(root, cache, 1_000_000, "--dry-run")
        times = []
        for run in range(runs):
            times.append(_import(root, cache, 1_000_001 + run))
            _progress(f"{size} articles, import {run + 1}: {times[-1]:.2f} s")
        return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=3, help="imports timed per size")
    args = parser.parse_args(argv)
    medians: dict[int, float] = {}
    rows = []
    for size in sorted(args.sizes):
        times = _sized(size, args.runs)
        medians[size] = statistics.median(times)
        rows.append((size, medians[size], max(times), medians[size] / medians[min(medians)]))
    print("articles  median_s  max_s  vs_smallest")
    for size, median, slowest, ratio in rows:
        print(f"{size:8d}  {median:8.2f}  {slowest:5.2f}  {ratio:11.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
