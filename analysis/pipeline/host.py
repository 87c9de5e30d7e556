"""A process of its own that forks the workers for a caller that cannot.

A process with several threads (a Streamlit server) must not fork, and the
"spawn" and "forkserver" start methods import the caller's ``__main__`` again
in every worker: in Streamlit that is the page script being run. So such a
caller starts this module as a new Python process (:func:`start`), which has
one thread, sends it the function and the items through its standard input,
and reads the results back, in order, from its standard output. Here the
items go to :func:`analysis.pipeline.workers.map_streamed`, which forks the
workers as a command-line run does.

The messages are pickles, one after another: from the caller ``(function,
workers, ahead, items_per_process)`` (see ``map_streamed``), then ``(ITEM,
item)`` for each item and ``(END, None)``; back, ``(RESULT, result)`` for
each, then ``(DONE, None)``, or ``(ERROR, exception)`` if one was raised (a
worker lost included).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from analysis.pipeline.workers import HOSTED_ENV, map_streamed

__all__ = ["DONE", "END", "ERROR", "ITEM", "RESULT", "main", "start", "stop"]

ITEM, END, RESULT, DONE, ERROR = "item", "end", "result", "done", "error"

#: The folder holding the ``analysis`` package, put on the new process's path.
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def start() -> subprocess.Popen[bytes]:
    """A new Python process running :func:`main`, its input and output piped here."""
    path = os.pathsep.join(filter(None, [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-m", "analysis.pipeline.host"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path, HOSTED_ENV: "1"},
        # A group of its own, with the workers it forks: stopped together (see stop).
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """End ``process`` (from :func:`start`) and the workers it forked, now."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _items(source: IO[bytes]) -> Iterator[tuple[None, Any]]:
    """The items the caller sends, read one at a time as the workers need them."""
    while True:
        kind, item = pickle.load(source)
        if kind == END:
            return
        yield None, item


def _send(sink: IO[bytes], kind: str, value: Any) -> None:
    pickle.dump((kind, value), sink, protocol=pickle.HIGHEST_PROTOCOL)
    sink.flush()


def main() -> None:
    """Read the function and the items from standard input; write the results, in order."""
    source = sys.stdin.buffer
    # Nothing else may write to the results' stream: it gets a descriptor of its own, and
    # what this process and its workers print, from Python or not, goes to standard error.
    sink = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    try:
        function, workers, ahead, items_per_process = pickle.load(source)
        results = map_streamed(
            function,
            _items(source),
            workers=workers,
            ahead=ahead,
            items_per_process=items_per_process,
        )
        for _, result in results:
            _send(sink, RESULT, result)
    except BaseException as err:  # the caller re-raises it
        try:
            _send(sink, ERROR, err)
        except (pickle.PicklingError, TypeError, AttributeError):
            _send(sink, ERROR, RuntimeError(f"{type(err).__name__}: {err}"))
        if not isinstance(err, Exception):
            raise
        return
    _send(sink, DONE, None)


if __name__ == "__main__":
    main()
