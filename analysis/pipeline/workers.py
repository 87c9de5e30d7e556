"""Running the per-article work on every core of the machine.

The per-article analyses (quotations, stance, outcome, frames, agenda,
sources) read one article at a time, so chunks of articles can be worked on
in separate processes and their tables put back together in chunk order:
the result is the same as one process's, only sooner.

Workers are forked from the calling process: they start in milliseconds,
share its memory until they write to it, and do not import the caller's
script again (which the "spawn" and "forkserver" start methods do, running a
dashboard page or a notebook cell's script a second time). Forking is safe
only from a process with one thread. A caller with several (a Streamlit
server) starts a new Python process instead (:mod:`analysis.pipeline.host`),
which has one thread and forks the workers, and sends it the items through a
pipe; a system without ``fork`` gets the work done in the caller's process.
The result is the same either way.

Beyond one machine, the same work runs on a Dask distributed cluster
(:func:`map_on_cluster`): each chunk is a task, results come back in chunk
order, and a task whose worker is lost is run again on another.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import pickle
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

__all__ = [
    "SCHEDULER_ENV",
    "WORKERS_ENV",
    "SchedulerUnavailableError",
    "WorkerLostError",
    "available_cores",
    "can_fork_workers",
    "can_host",
    "default_scheduler",
    "default_workers",
    "map_hosted",
    "map_in_order",
    "map_on_cluster",
    "map_streamed",
]

#: Environment variable that sets how many processes the per-article work uses.
WORKERS_ENV = "NARRATIVES_WORKERS"
#: Environment variable with the address of a Dask scheduler to run the per-article work on.
SCHEDULER_ENV = "NARRATIVES_SCHEDULER"
#: Set in a process that forks the workers for another (:mod:`analysis.pipeline.host`).
HOSTED_ENV = "NARRATIVES_WORKERS_HOST"
#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT_S = 20
#: Times a task that raised (a fault of its worker, such as running out of memory) is run
#: again before the run gives up. A task whose worker is lost altogether is run again by
#: the scheduler, as often as its ``distributed.scheduler.allowed-failures`` (3 by default).
TASK_RETRIES = 2
#: Tasks per cluster worker submitted ahead of the results gathered.
TASKS_PER_WORKER = 2
#: Items a forked worker of :func:`map_streamed` does before a new one takes over.
ITEMS_PER_PROCESS = 8

#: Items per worker :func:`map_streamed` takes before it starts a process to fork the
#: workers for a caller with other threads; with fewer it works in the caller's process.
_HOSTED_AFTER = 2

#: No item left.
_END = object()

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")
_Meta = TypeVar("_Meta")


class WorkerLostError(RuntimeError):
    """A worker process died before finishing its share (killed, or out of memory)."""


class SchedulerUnavailableError(RuntimeError):
    """The Dask scheduler given cannot be reached."""


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    """How many processes to use: ``NARRATIVES_WORKERS`` when set, else every available core.

    Raises
    ------
    ValueError
        If ``NARRATIVES_WORKERS`` is set to anything but a whole number of at least 1.
    """
    value = os.environ.get(WORKERS_ENV, "").strip()
    if not value:
        return available_cores()
    if not value.isdigit() or int(value) < 1:
        raise ValueError(
            f"{WORKERS_ENV}={value!r}: set it to a whole number of processes (1 or more), "
            "or unset it to use every core"
        )
    return int(value)


def can_fork_workers() -> bool:
    """Whether worker processes can be forked from here: Linux, and this process has one thread."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def can_host() -> bool:
    """Whether a new process can fork the workers for this one (Linux: it forks them).

    Not in such a process itself (:mod:`analysis.pipeline.host` marks it).
    """
    return sys.platform.startswith("linux") and not os.environ.get(HOSTED_ENV)


def map_hosted(
    function: Callable[[_Item], _Result],
    items: Iterable[tuple[_Meta, _Item]],
    *,
    workers: int,
    ahead: int = TASKS_PER_WORKER,
    items_per_process: int = ITEMS_PER_PROCESS,
) -> Iterator[tuple[_Meta, _Result]]:
    """:func:`map_streamed` for a caller that must not fork (it has other threads): a new
    Python process forks the workers.

    That process (:mod:`analysis.pipeline.host`) gets ``function`` and the items
    of the ``(meta, item)`` pairs through a pipe, taken from ``items`` on a
    thread of this process as its workers need them, runs them through
    :func:`map_streamed` with ``ahead`` and ``items_per_process``, and sends
    back the results: ``(meta, result)`` in order, ``meta`` kept here.
    ``function`` must be importable by name (defined at the top of a module);
    items and results must pickle. An error ``function`` or ``items`` raises is
    raised here.

    Raises
    ------
    WorkerLostError
        If a worker, or the process running them, dies; nothing of the run is
        returned after it.
    """
    from analysis.pipeline import host

    process = host.start()
    sink, source = process.stdin, process.stdout
    if sink is None or source is None:  # both are pipes (host.start)
        raise RuntimeError("the workers' process has no pipes")
    unsent: list[BaseException] = []
    metas: deque[_Meta] = deque()

    def write(message: object) -> None:
        try:
            pickle.dump(message, sink, protocol=pickle.HIGHEST_PROTOCOL)
            sink.flush()
        except (BrokenPipeError, ValueError) as err:  # ValueError: the pipe is closed
            raise _PipeClosedError from err

    def send() -> None:
        # On a thread of its own: the process reads items while it writes results.
        try:
            write((function, workers, ahead, items_per_process))
            for meta, item in items:
                # Before the item is sent, so before its result can come back.
                metas.append(meta)
                write((host.ITEM, item))
            write((host.END, None))
            sink.close()
        except _PipeClosedError:
            pass  # the process has ended (or been stopped): its output says why
        except BaseException as err:  # the items' own error, or an item that does not pickle
            unsent.append(err)
            host.stop(process)

    sender = threading.Thread(target=send, name="narratives-workers-feed", daemon=True)
    sender.start()
    finished = False
    try:
        while True:
            try:
                kind, value = pickle.load(source)
            except (EOFError, pickle.UnpicklingError) as err:
                sender.join()
                if unsent:
                    raise unsent[0] from None
                raise _lost("the process running the workers") from err
            if kind == host.RESULT:
                yield metas.popleft(), value
            elif kind == host.ERROR:
                raise value
            else:
                finished = True
                return
    finally:
        if not finished:
            # Stopped early, or failed: the process and every worker it forked.
            host.stop(process)
        sender.join()
        source.close()
        process.wait()


class _PipeClosedError(Exception):
    """The process forking the workers no longer reads what is sent to it."""


def _lost(worker: str) -> WorkerLostError:
    """What to tell the analyst when ``worker`` (a process of a pool here) has died."""
    return WorkerLostError(
        f"{worker} died (killed, or out of memory); nothing was written. Run again with "
        f"fewer processes ({WORKERS_ENV}=1 or --workers 1 uses this process only)"
    )


def map_in_order(
    function: Callable[[_Item], _Result], items: Sequence[_Item], *, workers: int
) -> Iterator[_Result]:
    """``function`` of each item, in the items' order, on up to ``workers`` processes.

    With one worker or one item it runs here, in this process. Where
    :func:`can_fork_workers` says no because this process has other threads,
    the workers are forked by a process of their own (:func:`map_hosted`); on
    a system without ``fork``, it runs here. Items and results must pickle.

    Raises
    ------
    WorkerLostError
        If a worker process dies; nothing of the run is returned after it.
    """
    forking = can_fork_workers()
    if workers <= 1 or len(items) <= 1 or not (forking or can_host()):
        yield from map(function, items)
        return
    if not forking:
        for _, result in map_hosted(function, ((None, item) for item in items), workers=workers):
            yield result
        return
    context = multiprocessing.get_context("fork")
    # Objects the workers inherit are left out of their garbage collection,
    # which would otherwise write to every object's header and so copy most of
    # the pages they share with this process.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(items)), mp_context=context) as pool:
            yield from pool.map(function, items)
    except BrokenProcessPool as err:
        raise _lost("a worker process of the per-article analysis") from err
    finally:
        gc.unfreeze()


def map_streamed(
    function: Callable[[_Item], _Result],
    items: Iterable[tuple[_Meta, _Item]],
    *,
    workers: int,
    ahead: int = TASKS_PER_WORKER,
    items_per_process: int = ITEMS_PER_PROCESS,
) -> Iterator[tuple[_Meta, _Result]]:
    """``(meta, function(item))`` of each ``(meta, item)``, in order, on up to ``workers``
    processes, the items taken from ``items`` only as they are needed.

    Unlike :func:`map_in_order`, ``items`` may be a generator over more than
    fits in memory: at most ``ahead`` items per worker are sent and not yet
    given back, and ``meta`` stays in this process. A worker is forked from
    this process and does about ``items_per_process`` items, then new ones are
    forked: what a forked worker allocates lands in pages it shares with this
    process and copies them, so a worker's memory grows with each item (two
    workers that tokenized 50,000 articles held 0.8 GiB at the end). With one
    worker it runs here. Where :func:`can_fork_workers` says no because this
    process has other threads, a process of their own forks the workers
    (:func:`map_hosted`; ``items`` are then taken on a thread of this process),
    once there are more than a few items (``_HOSTED_AFTER`` per worker; fewer
    run here); on a system without ``fork``, it runs here.

    Raises
    ------
    WorkerLostError
        If a worker process dies; nothing of the run is returned after it.
    """
    if workers > 1 and not can_fork_workers() and can_host():
        # Starting a process (about a second) pays only for more than a few items.
        remaining = iter(items)
        first = list(itertools.islice(remaining, _HOSTED_AFTER * workers))
        if len(first) < _HOSTED_AFTER * workers:
            for meta, item in first:
                yield meta, function(item)
            return
        pairs = itertools.chain(first, remaining)
        yield from map_hosted(
            function, pairs, workers=workers, ahead=ahead, items_per_process=items_per_process
        )
        return
    if workers <= 1 or not can_fork_workers():
        for meta, item in items:
            yield meta, function(item)
        return
    context = multiprocessing.get_context("fork")
    pools: deque[ProcessPoolExecutor] = deque()
    pending: deque[tuple[_Meta, Any, ProcessPoolExecutor]] = deque()
    submitted = 0
    gc.freeze()  # as in map_in_order: the workers share this process's pages
    try:
        remaining = iter(items)
        while True:
            while len(pending) < ahead * workers:
                entry = next(remaining, None)
                if entry is None:
                    break
                if submitted % (items_per_process * workers) == 0:
                    # The last pool ends once its items are done; new workers take the next.
                    if pools:
                        pools[-1].shutdown(wait=False)
                    pools.append(ProcessPoolExecutor(max_workers=workers, mp_context=context))
                meta, item = entry
                pending.append((meta, pools[-1].submit(function, item), pools[-1]))
                submitted += 1
            if not pending:
                return
            meta, future, pool = pending.popleft()
            result = future.result()
            while pools and pools[0] is not pool:
                pools.popleft().shutdown(wait=True)
            yield meta, result
    except BrokenProcessPool as err:
        raise _lost("a worker process") from err
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def default_scheduler() -> str | None:
    """The Dask scheduler in ``NARRATIVES_SCHEDULER``, or ``None`` to work on this machine."""
    return os.environ.get(SCHEDULER_ENV, "").strip() or None


def map_on_cluster(
    function: Callable[[_Item], _Result],
    items: Sequence[_Item],
    *,
    scheduler: str,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[_Result]:
    """``function`` of each item, in the items' order, as tasks on a Dask distributed cluster.

    ``scheduler`` is the scheduler's address (``tcp://HOST:PORT``). Every
    worker must be able to import this package (the same version: results
    are checked by nothing else). Items are sent as they are needed, at most
    :data:`TASKS_PER_WORKER` tasks per worker in flight, each task carrying
    its item (so a task whose worker dies can be run again on another, as often
    as the scheduler's ``distributed.scheduler.allowed-failures``, and no task
    graph holds every item).

    ``meanwhile``, when given, is called once here, on a thread of its own,
    while the results are gathered (which keeps the cluster fed); its error, if
    any, is raised once they are.

    Raises
    ------
    SchedulerUnavailableError
        If the scheduler does not answer within :data:`CONNECT_TIMEOUT_S` seconds.
    WorkerLostError
        If a task's workers keep dying (a task that kills its worker, or no
        worker left); nothing of the run is returned after it.
    """
    from distributed import Client
    from distributed.scheduler import KilledWorker

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise SchedulerUnavailableError(
            f"cannot reach the Dask scheduler at {scheduler} ({err}). Start it (or check "
            f"the address), or leave out --scheduler and {SCHEDULER_ENV} to work on this machine"
        ) from err
    with client:
        remaining = iter(items)
        pending: deque[Any] = deque()

        def submit_while_room() -> None:
            # A few tasks per worker in flight: each carries its own chunk, so the
            # client and the scheduler hold a few chunks at a time, never the corpus.
            room = TASKS_PER_WORKER * max(1, len(client.scheduler_info().get("workers", {})))
            while len(pending) < room:
                item = next(remaining, _END)
                if item is _END:
                    return
                pending.append(client.submit(function, item, pure=False, retries=TASK_RETRIES))

        side = ThreadPoolExecutor(max_workers=1) if meanwhile is not None else None
        try:
            submit_while_room()
            side_done = side.submit(meanwhile) if side is not None and meanwhile else None
            while pending:
                future = pending.popleft()
                result = future.result()
                # What was gathered is not kept on the cluster.
                future.release()
                submit_while_room()
                yield result
            if side_done is not None:
                side_done.result()
        except KilledWorker as err:
            raise WorkerLostError(
                f"the Dask workers running a task of the per-article analysis kept dying "
                f"({err}); nothing was written. Check the workers' memory and logs"
            ) from err
        finally:
            if side is not None:
                side.shutdown(wait=True)
