"""Running the per-article work on every core of the machine.

The per-article analyses (quotations, stance, outcome, frames, agenda,
sources) read one article at a time, so chunks of articles can be worked on
in separate processes and their tables put back together in chunk order:
the result is the same as one process's, only sooner.

Workers are forked from the calling process: they start in milliseconds,
share its memory until they write to it, and do not import the caller's
script again (which the "spawn" and "forkserver" start methods do, running a
dashboard page or a notebook cell's script a second time). Forking is safe
only from a process with one thread, so a caller with several (a Streamlit
server) or a system without ``fork`` gets the work done in its own process,
with the same result.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

__all__ = [
    "WORKERS_ENV",
    "WorkerLostError",
    "available_cores",
    "can_fork_workers",
    "default_workers",
    "map_in_order",
]

#: Environment variable that sets how many processes the per-article work uses.
WORKERS_ENV = "NARRATIVES_WORKERS"

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


class WorkerLostError(RuntimeError):
    """A worker process died before finishing its share (killed, or out of memory)."""


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


def map_in_order(
    function: Callable[[_Item], _Result], items: Sequence[_Item], *, workers: int
) -> Iterator[_Result]:
    """``function`` of each item, in the items' order, on up to ``workers`` processes.

    With one worker, one item, or where :func:`can_fork_workers` says no, it
    runs here, in this process. Results must pickle.

    Raises
    ------
    WorkerLostError
        If a worker process dies; nothing of the run is returned after it.
    """
    if workers <= 1 or len(items) <= 1 or not can_fork_workers():
        yield from map(function, items)
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
        raise WorkerLostError(
            "a worker process of the per-article analysis died (killed, or out of "
            f"memory); nothing was written. Run again with fewer processes "
            f"({WORKERS_ENV}=1 or --workers 1 uses this process only)"
        ) from err
    finally:
        gc.unfreeze()
