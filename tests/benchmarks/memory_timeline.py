"""Where ``narratives analyze`` holds the most memory: a timeline with stacks at each new peak.

Run: ``.venv/bin/python tests/benchmarks/memory_timeline.py CORPUS --csv timeline.csv``
(not collected by pytest). Make a benchmark corpus folder with
``bench_pipeline.make_corpus`` and ``bench_pipeline.write_corpus``.

The command runs as ``bench_pipeline.py``'s ``analyze`` stage runs it (a
process of its own, an empty cache folder, so the results store is filled as a
first run fills it). With ``--cache DIR`` it uses and keeps that cache folder
instead: run it twice, with a ``narratives import`` in between (its
``NARRATIVES_CACHE_DIR`` set to the same folder), to see what a run that
reuses the store holds. Five times a second the proportional set size of the
command and of each of its worker processes is read and summed (shared pages
counted once; :func:`bench_pipeline.tree_pss`: a sample taken while a worker
started or ended is left out), as ``bench_pipeline._analyze`` does, and written
to the CSV.
Whenever the sum reaches a new maximum above ``--dump-above`` GiB, the
command is asked (SIGUSR1, through :mod:`faulthandler`) to write its Python
stack to ``--stacks``, after a line ``=== t=… main=… kids=…``: the stack
that was running when the peak was seen. The peak is printed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench_pipeline import tree_pss

_COMMAND = (
    "import faulthandler, signal, sys\n"
    "faulthandler.register(signal.SIGUSR1, file=open(sys.argv[1], 'a'), all_threads=False)\n"
    "from analysis.cli import main\n"
    "raise SystemExit(main(['analyze', '--corpus', sys.argv[2], '--out', sys.argv[3],"
    " '--top', '100']))\n"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--csv", type=Path, required=True, help="the timeline (t, GiB)")
    parser.add_argument("--stacks", type=Path, default=Path("stacks.txt"))
    parser.add_argument("--dump-above", type=float, default=1.5, metavar="GIB")
    parser.add_argument(
        "--cache",
        type=Path,
        help="the cache folder to use and keep (parse cache, results store), to time a later "
        "run with what an earlier one kept; an empty scratch folder when left out",
    )
    args = parser.parse_args(argv)
    args.stacks.write_text("", encoding="utf-8")
    repo = Path(__file__).resolve().parents[2]
    with contextlib.ExitStack() as scratch:
        cache = (
            str(args.cache) if args.cache else scratch.enter_context(tempfile.TemporaryDirectory())
        )
        out = scratch.enter_context(tempfile.TemporaryDirectory())
        command = [sys.executable, "-c", _COMMAND, str(args.stacks), str(args.corpus), out]
        child = subprocess.Popen(
            command,
            cwd=repo,
            env={**os.environ, "NARRATIVES_CACHE_DIR": cache},
            stdout=subprocess.DEVNULL,
        )
        watched = psutil.Process(child.pid)
        start, peak, last_dump = time.monotonic(), 0.0, -1.0
        with args.csv.open("w", encoding="utf-8") as timeline:
            timeline.write("t,command_gib,workers_gib,workers\n")
            while child.poll() is None:
                now = time.monotonic() - start
                sample = tree_pss(watched)
                if sample is None:
                    # A worker started or ended while the tree was read: not a true sum.
                    time.sleep(0.05)
                    continue
                command_gib, workers_gib, workers = sample
                total = command_gib + workers_gib
                if total > peak:
                    peak = total
                    if total > args.dump_above and now - last_dump > 0.5:
                        with args.stacks.open("a", encoding="utf-8") as stacks:
                            stacks.write(
                                f"=== t={now:.1f} main={command_gib:.3f} kids={workers_gib:.3f}\n"
                            )
                        with contextlib.suppress(OSError):
                            os.kill(child.pid, signal.SIGUSR1)
                        last_dump = now
                timeline.write(f"{now:.2f},{command_gib:.3f},{workers_gib:.3f},{workers}\n")
                time.sleep(0.2)
    print(f"exit status {child.returncode}; peak {peak:.3f} GiB (command and workers)")
    return child.returncode


if __name__ == "__main__":
    raise SystemExit(main())
