"""Benchmark of the per-article analyses on a Dask distributed cluster.

Run: ``.venv/bin/python tests/benchmarks/bench_cluster.py --articles 2000``
(not collected by pytest).

The corpus is :func:`bench_pipeline.make_corpus`'s, written as files, loaded
and cleaned as ``narratives analyze`` does. The per-article stage (quotations,
stance and outcome with the learned labels, frames, agenda, sources) is then
timed three ways in the same run:

* ``this process``: ``workers=1``, no cluster (the baseline);
* ``cluster, 1 worker`` and ``cluster, 2 workers``: a ``LocalCluster`` of
  worker processes with one thread each, the chunks (500 articles) as tasks.

Each cluster is started, and every worker has run one small chunk (so each
has read its models), before the clock starts: the figures are the steady
per-article throughput an analyst gets from a cluster that is already up.
``speed-up`` is the one-worker time over this row's; ``per worker`` the
articles per second each worker gets through; ``worker GiB`` the largest
worker's peak proportional set size, sampled five times a second.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pipeline import make_corpus, write_corpus


class _PeakSampler:
    """The largest proportional set size of any child process of this one, while running."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children(recursive=True):
                try:
                    self.peak = max(self.peak, child.memory_full_info().pss / 1024**3)
                except psutil.Error:
                    continue
            time.sleep(0.2)

    def __enter__(self) -> _PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _prepared_articles(size: int, folder: Path) -> pd.DataFrame:
    from analysis.corpus.articles import load_corpus
    from analysis.text.cleaning import clean_articles

    write_corpus(make_corpus(size), folder)
    articles = load_corpus(folder, use_cache=False).articles.reset_index(drop=True)
    cleaned, _ = clean_articles(articles)
    return articles.assign(text_clean=cleaned["text_clean"]).drop(columns="text")


def run(size: int) -> list[dict[str, Any]]:
    from distributed import Client, LocalCluster

    from analysis.pipeline.prepare import CHUNK_ARTICLES, _per_article, _per_article_tables

    with tempfile.TemporaryDirectory() as folder:
        articles = _prepared_articles(size, Path(folder))
    rows: list[dict[str, Any]] = []
    start = time.perf_counter()
    _per_article_tables(articles, CHUNK_ARTICLES, 1)
    rows.append({"engine": "this process", "workers": 1, "seconds": time.perf_counter() - start})
    for n_workers in (1, 2):
        with LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            with Client(cluster) as client:
                # Every worker reads its models once before the clock starts.
                warm = [
                    client.submit(_per_article, articles.iloc[:5], pure=False, workers=[address])
                    for address in client.scheduler_info()["workers"]
                ]
                client.gather(warm)
            with _PeakSampler() as sampler:
                start = time.perf_counter()
                _per_article_tables(articles, CHUNK_ARTICLES, 1, cluster.scheduler_address)
                seconds = time.perf_counter() - start
        rows.append(
            {
                "engine": f"cluster, {n_workers} worker{'s' if n_workers > 1 else ''}",
                "workers": n_workers,
                "seconds": seconds,
                "worker_gib": round(sampler.peak, 2),
            }
        )
    one = rows[1]["seconds"]
    for row in rows:
        row["speed_up"] = round(one / row["seconds"], 2)
        row["per_worker_articles_per_s"] = round(size / row["seconds"] / row["workers"], 1)
        row["seconds"] = round(row["seconds"], 2)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args(argv)
    table = pd.DataFrame(run(args.articles))
    print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
