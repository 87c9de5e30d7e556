"""The per-article analyses on several processes: the same tables as on one."""

from __future__ import annotations

import os
import signal
import threading

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus.articles import load_corpus
from analysis.measures import terms
from analysis.pipeline import workers
from analysis.pipeline.prepare import prepare_corpus
from analysis.pipeline.workers import (
    WORKERS_ENV,
    WorkerLostError,
    available_cores,
    default_workers,
    map_in_order,
    map_streamed,
)
from tests.analysis.pipeline.test_prepare import _TABLES, _planted

# Every table gets rows from several chunks: stance and outcome cues, a quotation
# with its speaker, frames and subjects, and plain articles between them.
_ARTICLES = {
    "w1": ("Putin conceded", "John Kerry met Vladimir Putin in Sochi. Putin won."),
    "w2": ("Talks", 'Peskov said: "Talks were rather constructive." Obama failed.'),
    "w3": ("Weather", "The weather was mild."),
    "w4": ("Syria", "Kerry and Putin discussed Syria and Ukraine in Sochi."),
    "w5": ("Garden", "Tulips grew in the garden."),
    "w6": ("Sanctions", 'Lavrov said: "Sanctions failed." The West conceded to Moscow.'),
    "w7": ("Rain", "It rained all day."),
}


def test_two_processes_give_the_tables_of_one(registry_corpus, forking, monkeypatch):
    for article_id, (title, text) in _ARTICLES.items():
        _planted(registry_corpus, article_id, title, text)
    corpus = load_corpus(registry_corpus)
    one = prepare_corpus(corpus, workers=1)
    # Texts tokenized for the term counts two at a time, on the two processes too.
    monkeypatch.setattr(terms, "_TOKENIZE_BATCH", 2)
    two = prepare_corpus(corpus, workers=2, chunk_articles=2)
    assert set(one.evidence["article_id"]) >= {"w1", "w2", "w4", "w6"}
    assert not one.quotations.empty
    for name in _TABLES:
        pd.testing.assert_frame_equal(getattr(two, name), getattr(one, name))
    assert two.counts.terms.tolist() == one.counts.terms.tolist()
    assert two.counts.doc_tokens.tolist() == one.counts.doc_tokens.tolist()
    assert (two.counts.counts != one.counts.counts).nnz == 0
    assert "sochi" in one.counts.terms.tolist()


def _square(value: int) -> int:
    return value * value


def _pid(_: int) -> int:
    return os.getpid()


#: The test process: a worker may die, never it.
_TEST_PROCESS = os.getpid()


def _die_on_three(value: int) -> int:
    if value == 3 and os.getpid() != _TEST_PROCESS:
        os.kill(os.getpid(), signal.SIGKILL)
    return value


@pytest.fixture
def forking(monkeypatch):
    """Fork workers even if an earlier test left an idle thread behind in this process."""
    monkeypatch.setattr(workers, "can_fork_workers", lambda: True)


def test_results_come_back_in_the_order_of_the_items(forking):
    assert list(map_in_order(_square, [5, 1, 4, 2, 3], workers=2)) == [25, 1, 16, 4, 9]


def test_one_worker_runs_in_this_process():
    assert set(map_in_order(_pid, [0, 1], workers=1)) == {os.getpid()}


def test_a_worker_that_dies_is_reported_not_ignored(forking):
    with pytest.raises(WorkerLostError, match="--workers 1"):
        list(map_in_order(_die_on_three, [1, 2, 3, 4], workers=2))


def test_workers_default_to_every_core_and_follow_the_environment(monkeypatch):
    monkeypatch.delenv(WORKERS_ENV)
    assert default_workers() == available_cores() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert default_workers() == 3


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_worker_count_names_the_variable(monkeypatch, value):
    monkeypatch.setenv(WORKERS_ENV, value)
    with pytest.raises(ValueError, match=f"{WORKERS_ENV}='{value}'"):
        default_workers()


def test_analyze_refuses_a_bad_worker_count_before_reading_anything(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(
            ["analyze", "--corpus", str(tmp_path), "--out", str(tmp_path / "out"), "--workers", "0"]
        )
    assert stop.value.code == 2
    assert "--workers: '0' is not a whole number of at least 1" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_analyze_names_a_bad_worker_variable(registry_corpus, tmp_path, capsys, monkeypatch):
    _planted(registry_corpus, "w1", *_ARTICLES["w1"])
    monkeypatch.setenv(WORKERS_ENV, "many")
    status = main(["analyze", "--corpus", str(registry_corpus), "--out", str(tmp_path / "out")])
    assert status == 2
    assert f"{WORKERS_ENV}='many': set it to a whole number" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_several_workers_run_in_other_processes(forking):
    assert os.getpid() not in set(map_in_order(_pid, [1, 2, 3, 4], workers=2))


@pytest.fixture
def another_thread():
    """A thread beside the test's, as a Streamlit server has: this process must not fork."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    yield
    stop.set()
    other.join()


def _pid_and_parent(_: int) -> tuple[int, int, str | None]:
    return os.getpid(), os.getppid(), os.environ.get(workers.HOSTED_ENV)


def _fail_on_two(value: int) -> int:
    if value == 2:
        raise ValueError(f"cannot take {value}")
    return value


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_with_another_thread_running_a_process_of_their_own_forks_the_workers(another_thread):
    # A Streamlit server has several threads: forking it is unsafe, so a new process,
    # with one thread, forks the workers and sends the results back.
    assert not workers.can_fork_workers()
    found = list(map_in_order(_pid_and_parent, [1, 2, 3, 4], workers=2))
    pids = {pid for pid, _, _ in found}
    parents = {parent for _, parent, _ in found}
    # Forked by one process, neither this one nor themselves (how many depends on timing).
    assert len(parents) == 1
    assert os.getpid() not in pids | parents
    assert not pids & parents
    # That process does not start another for its own workers.
    assert {hosted for _, _, hosted in found} == {"1"}


def test_through_that_process_results_come_back_in_order(another_thread):
    assert list(map_in_order(_square, [5, 1, 4, 2, 3], workers=2)) == [25, 1, 16, 4, 9]
    items = ((f"item {k}", k) for k in range(7))
    assert list(map_streamed(_square, items, workers=2)) == [(f"item {k}", k * k) for k in range(7)]


def _noisy_square(value: int) -> int:
    print("printed by a worker")
    os.write(1, b"written to standard output by a worker\n")
    return value * value


def test_through_that_process_what_workers_print_leaves_the_results_whole(another_thread):
    assert list(map_in_order(_noisy_square, [5, 1, 4, 2, 3], workers=2)) == [25, 1, 16, 4, 9]


def test_through_that_process_an_error_is_raised_here_as_it_was(another_thread):
    with pytest.raises(ValueError, match="cannot take 2"):
        list(map_in_order(_fail_on_two, [1, 2, 3], workers=2))

    def items():
        yield "first", 1
        raise ValueError("texts must be strings")

    with pytest.raises(ValueError, match="texts must be strings"):
        list(map_streamed(_square, items(), workers=2))


def test_through_that_process_a_worker_that_dies_is_reported(another_thread):
    items = [(k, os.getpid()) for k in [1, 2, 3, 4]]
    with pytest.raises(WorkerLostError, match="--workers 1"):
        list(map_in_order(_die_on_three_unless_in, items, workers=2))


def test_stopping_early_ends_that_process_and_its_workers(another_thread):
    results = map_in_order(_pid_and_parent, list(range(50)), workers=2)
    worker, host, _ = next(results)
    results.close()
    # Ended at once (killed); a worker, no longer anyone's child, may take a moment to go.
    for _ in range(500):
        if not _running(worker) and not _running(host):
            break
        threading.Event().wait(0.01)
    assert not _running(host)
    assert not _running(worker)


def test_a_few_streamed_items_stay_in_this_process(another_thread):
    # Three items for two workers: not worth starting a process for.
    assert {pid for _, pid in map_streamed(_pid, [(k, k) for k in range(3)], workers=2)} == {
        os.getpid()
    }
    many = {pid for _, pid in map_streamed(_pid, [(k, k) for k in range(4)], workers=2)}
    assert os.getpid() not in many


def test_without_fork_the_work_stays_in_this_process(another_thread, monkeypatch):
    monkeypatch.setattr(workers, "can_host", lambda: False)
    assert set(map_in_order(_pid, [1, 2, 3, 4], workers=2)) == {os.getpid()}
    assert {pid for _, pid in map_streamed(_pid, [(0, 0), (1, 1)], workers=2)} == {os.getpid()}


def test_with_another_thread_the_tables_are_those_of_one_process(
    registry_corpus, another_thread, monkeypatch
):
    for article_id, (title, text) in _ARTICLES.items():
        _planted(registry_corpus, article_id, title, text)
    corpus = load_corpus(registry_corpus)
    monkeypatch.setattr(workers, "can_host", lambda: False)
    one = prepare_corpus(corpus, workers=1)
    monkeypatch.undo()
    monkeypatch.setattr(terms, "_TOKENIZE_BATCH", 2)
    hosted = prepare_corpus(corpus, workers=2, chunk_articles=2)
    for name in _TABLES:
        pd.testing.assert_frame_equal(getattr(hosted, name), getattr(one, name))
    assert hosted.counts.terms.tolist() == one.counts.terms.tolist()
    assert (hosted.counts.counts != one.counts.counts).nnz == 0


def test_streamed_items_come_back_in_order_with_their_meta_taken_as_needed(forking):
    taken: list[int] = []

    def items():
        for value in range(10):
            taken.append(value)
            yield f"item {value}", value

    results = map_streamed(_square, items(), workers=2, ahead=1)
    assert next(results) == ("item 0", 0)
    # One item per worker in flight: the third is taken when the second is asked for.
    assert taken == [0, 1]
    assert next(results) == ("item 1", 1)
    assert taken == [0, 1, 2]
    assert list(results) == [(f"item {v}", v * v) for v in range(2, 10)]


def test_streamed_items_run_in_other_processes(forking):
    pids = {pid for _, pid in map_streamed(_pid, ((k, k) for k in range(4)), workers=2)}
    assert os.getpid() not in pids


def test_streamed_items_on_one_worker_run_in_this_process():
    assert {pid for _, pid in map_streamed(_pid, [(0, 0), (1, 1)], workers=1)} == {os.getpid()}


def _die_on_three_unless_in(item: tuple[int, int]) -> int:
    # The process not to kill comes with the item: a worker that is not forked from
    # this one imports this module afresh, with its own _TEST_PROCESS.
    value, keep = item
    if value == 3 and os.getpid() != keep:
        os.kill(os.getpid(), signal.SIGKILL)
    return value


def test_a_streamed_worker_that_dies_is_reported_not_ignored(forking):
    items = ((k, (k, os.getpid())) for k in [1, 2, 3, 4])
    with pytest.raises(WorkerLostError, match="--workers 1"):
        list(map_streamed(_die_on_three_unless_in, items, workers=2))


def test_streamed_workers_are_replaced_after_their_share_of_items(forking):
    # A pool of two workers for every two items: three pools over six items.
    items = ((k, k) for k in range(6))
    pids = [pid for _, pid in map_streamed(_pid, items, workers=2, items_per_process=1)]
    assert len(pids) == 6
    assert len(set(pids)) >= 3
    assert os.getpid() not in pids
