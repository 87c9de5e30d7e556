"""The per-article analyses on a Dask distributed cluster: the same tables as on one process."""

from __future__ import annotations

import os
from pathlib import Path

import dask
import pandas as pd
import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from analysis.cli import main
from analysis.corpus.articles import load_corpus
from analysis.pipeline import workers
from analysis.pipeline.prepare import prepare_corpus
from analysis.pipeline.workers import (
    SCHEDULER_ENV,
    SchedulerUnavailableError,
    map_on_cluster,
)
from tests.analysis.pipeline.test_prepare import _TABLES, _planted
from tests.analysis.pipeline.test_workers import _ARTICLES, _square

# Nothing listens on the discard port.
_NOBODY = "tcp://127.0.0.1:9"


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each, as on two machines' worth of cores."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def test_a_two_worker_cluster_gives_the_tables_of_one_process(registry_corpus, cluster):
    for article_id, (title, text) in _ARTICLES.items():
        _planted(registry_corpus, article_id, title, text)
    corpus = load_corpus(registry_corpus)
    here = prepare_corpus(corpus, workers=1)
    there = prepare_corpus(corpus, scheduler=cluster.scheduler_address, chunk_articles=2)
    assert not here.quotations.empty
    for name in _TABLES:
        pd.testing.assert_frame_equal(getattr(there, name), getattr(here, name))
    # The terms, counted on the client while the cluster worked, are those of one process.
    assert (there.counts.counts != here.counts.counts).nnz == 0
    assert there.counts.terms.tolist() == here.counts.terms.tolist()
    assert "kerry" in here.counts.terms.tolist()


def test_cluster_results_come_back_in_the_order_of_the_items(cluster):
    items = [5, 1, 4, 2, 3]
    assert list(map_on_cluster(_square, items, scheduler=cluster.scheduler_address)) == [
        25,
        1,
        16,
        4,
        9,
    ]


def test_meanwhile_runs_once_on_the_client_while_results_are_gathered(cluster):
    called: list[int] = []
    results = map_on_cluster(
        _square,
        [3, 1, 2],
        scheduler=cluster.scheduler_address,
        meanwhile=lambda: called.append(os.getpid()),
    )
    assert list(results) == [9, 1, 4]
    assert called == [os.getpid()]


def test_an_error_meanwhile_on_the_client_is_raised_once_gathered(cluster):
    def fail() -> None:
        raise ValueError("planted: counting failed")

    with pytest.raises(ValueError, match="planted: counting failed"):
        list(map_on_cluster(_square, [1, 2], scheduler=cluster.scheduler_address, meanwhile=fail))


def test_items_are_sent_a_few_at_a_time_and_still_come_back_in_order(cluster, monkeypatch):
    # One task per worker in flight: eleven items go out in at least six rounds.
    monkeypatch.setattr(workers, "TASKS_PER_WORKER", 1)
    submitted: list[int] = []
    submit = Client.submit

    def counted(self, function, item, **options):
        submitted.append(item)
        return submit(self, function, item, **options)

    monkeypatch.setattr(Client, "submit", counted)
    items = [7, 3, 9, 1, 8, 2, 6, 4, 5, 11, 10]
    results = []
    for result in map_on_cluster(_square, items, scheduler=cluster.scheduler_address):
        results.append(result)
        # Two workers, one task each: never more than two items beyond those gathered.
        assert len(submitted) <= len(results) + 2
    assert results == [49, 9, 81, 1, 64, 4, 36, 16, 25, 121, 100]
    assert submitted == items


def test_an_unreachable_scheduler_is_named(monkeypatch):
    monkeypatch.setattr(workers, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(SchedulerUnavailableError, match="cannot reach the Dask scheduler at"):
        list(map_on_cluster(_square, [1, 2], scheduler=_NOBODY))


def test_analyze_names_an_unreachable_scheduler_and_writes_nothing(
    registry_corpus, tmp_path, capsys, monkeypatch
):
    _planted(registry_corpus, "w1", *_ARTICLES["w1"])
    monkeypatch.setattr(workers, "CONNECT_TIMEOUT_S", 1)
    monkeypatch.setenv(SCHEDULER_ENV, _NOBODY)
    out = tmp_path / "out"
    assert main(["analyze", "--corpus", str(registry_corpus), "--out", str(out)]) == 2
    assert f"narratives: cannot reach the Dask scheduler at {_NOBODY}" in capsys.readouterr().err
    assert not out.exists()


class _KillWorkerOnTask(WorkerPlugin):
    """Kills the worker it runs in as a task starts: once per cluster when ``marker`` is
    given (the file records that it happened), else every time.

    A worker lost mid-run, as when a machine goes down or runs out of memory:
    the process ends with no goodbye to the scheduler.
    """

    idempotent = True

    def __init__(self, marker: str | None = None) -> None:
        self.marker = marker

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish != "executing":
            return
        if self.marker is None:
            os._exit(1)
        if not os.path.exists(self.marker):
            Path(self.marker).touch()
            os._exit(1)


def test_a_worker_lost_mid_run_has_its_task_run_again_and_the_tables_are_whole(
    registry_corpus, cluster, tmp_path
):
    for article_id, (title, text) in _ARTICLES.items():
        _planted(registry_corpus, article_id, title, text)
    corpus = load_corpus(registry_corpus)
    here = prepare_corpus(corpus, workers=1)
    marker = tmp_path / "a worker died"
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.register_plugin(_KillWorkerOnTask(str(marker)), name="die-on-first-task")
        try:
            there = prepare_corpus(corpus, scheduler=cluster.scheduler_address, chunk_articles=2)
        finally:
            client.unregister_worker_plugin("die-on-first-task")
    assert marker.exists()
    for name in _TABLES:
        pd.testing.assert_frame_equal(getattr(there, name), getattr(here, name))


def test_analyze_whose_workers_keep_dying_says_so_and_writes_nothing(
    registry_corpus, tmp_path, capsys
):
    _planted(registry_corpus, "w1", *_ARTICLES["w1"])
    out = tmp_path / "out"
    # No second chance: the first worker lost on a task fails the task.
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
        Client(local.scheduler_address, set_as_default=False) as client,
    ):
        client.register_plugin(_KillWorkerOnTask(), name="always-die")
        command = ["analyze", "--corpus", str(registry_corpus), "--out", str(out), "--no-store"]
        assert main([*command, "--scheduler", local.scheduler_address]) == 2
    err = capsys.readouterr().err
    assert (
        "narratives: the Dask workers running a task of the per-article analysis kept dying" in err
    )
    assert "nothing was written" in err
    assert not out.exists()


def test_a_task_whose_worker_died_once_is_run_again(cluster, tmp_path):
    died = tmp_path / "a worker died"
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.register_plugin(_KillWorkerOnTask(str(died)), name="die-on-first-task")
        try:
            results = list(map_on_cluster(_square, [2, 5, 3], scheduler=cluster.scheduler_address))
        finally:
            client.unregister_worker_plugin("die-on-first-task")
    assert died.exists()
    assert results == [4, 25, 9]
