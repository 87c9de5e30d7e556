"""Fingerprint what ``narratives analyze`` writes, to show a change kept every output the same.

Runs ``narratives analyze`` as a command on two corpora, the shipped one (``corpus/``)
and a synthetic benchmark corpus (``bench_pipeline.make_corpus``, 2,000 articles by
default), each with several option sets, and records the SHA-256 of every file it
writes. ``manifest.json`` is hashed without its ``created`` time and software version,
the only fields that differ between two runs of the same code.

    python tests/benchmarks/check_outputs.py --record tests/benchmarks/outputs.json
    python tests/benchmarks/check_outputs.py --check tests/benchmarks/outputs.json

``--check`` exits 1 and names every file whose bytes differ from the recorded ones.
A change that means to alter the outputs re-records the file in the same commit.
The test suite checks the seed runs alone (``seed_fingerprints``) in
``tests/analysis/pipeline/test_outputs.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

COMMAND = [sys.executable, "-m", "analysis.cli", "analyze"]
RUNS: dict[str, list[str]] = {
    "default": ["--top", "100"],
    "compare": ["--top", "50", "--group-by", "outlet", "--kwic", "putin", "sochi"],
    "filtered": ["--top", "30", "--year", "2015-2016"],
}
SEED_COMPARE = ["--compare", "euromaidan-press", "osw"]
BENCH_COMPARE = ["--compare", "outlet-0", "outlet-1"]


def _digest(path: Path) -> str:
    data = path.read_bytes()
    if path.name == "manifest.json":
        record = json.loads(data)
        record.pop("created", None)
        record.pop("version", None)
        record.pop("analysis_version", None)
        data = json.dumps(record, sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()


def _analyze(corpus: Path, extra: list[str], cache: Path, *, in_process: bool) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as out:
        argv = ["--corpus", str(corpus), "--out", out, *extra]
        if in_process:
            from analysis.cli import main

            with contextlib.redirect_stdout(io.StringIO()):
                status = main(["analyze", *argv])
            if status != 0:
                raise RuntimeError(f"narratives analyze {' '.join(argv)} exited with {status}")
        else:
            subprocess.run(
                [*COMMAND, *argv],
                check=True,
                stdout=subprocess.DEVNULL,
                env={**os.environ, "NARRATIVES_CACHE_DIR": str(cache)},
                cwd=ROOT,
            )
        return {p.name: _digest(p) for p in sorted(Path(out).iterdir())}


def _runs(
    name: str, corpus: Path, compare: list[str], cache: Path, *, in_process: bool = False
) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for run, extra in RUNS.items():
        options = extra + compare if run == "compare" else extra
        result[f"{name}/{run}"] = _analyze(corpus, options, cache, in_process=in_process)
    return result


def seed_fingerprints(scratch: Path, *, in_process: bool = False) -> dict[str, dict[str, str]]:
    """``{seeds/run: {file name: sha256}}`` for a copy of ``corpus/`` made in ``scratch``.

    With ``in_process`` the command's ``main`` runs in this process (with this process's
    cache folder) instead of as ``python -m analysis.cli``: the same code, without
    starting Python and importing the analysis stack for every run.
    """
    seeds = scratch / "seeds"
    shutil.copytree(ROOT / "corpus", seeds)
    return _runs("seeds", seeds, SEED_COMPARE, scratch / "cache", in_process=in_process)


def bench_fingerprints(scratch: Path, articles: int) -> dict[str, dict[str, str]]:
    """``{bench-N/run: {file name: sha256}}`` for a benchmark corpus written in ``scratch``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_pipeline import make_corpus, write_corpus

    bench = scratch / "bench"
    bench.mkdir()
    write_corpus(make_corpus(articles), bench)
    return _runs(f"bench-{articles}", bench, BENCH_COMPARE, scratch / "cache")


def fingerprints(bench_articles: int) -> dict[str, dict[str, str]]:
    """``{corpus/run: {file name: sha256}}`` for every corpus and option set."""
    with tempfile.TemporaryDirectory() as scratch:
        return {
            **seed_fingerprints(Path(scratch)),
            **bench_fingerprints(Path(scratch), bench_articles),
        }


def differing(recorded: dict[str, dict[str, str]], found: dict[str, dict[str, str]]) -> list[str]:
    """``run/file`` for every file whose digest differs, or that only one side has."""
    return [
        f"{run}/{name}"
        for run in sorted(set(recorded) | set(found))
        for name in sorted(set(recorded.get(run, {})) | set(found.get(run, {})))
        if recorded.get(run, {}).get(name) != found.get(run, {}).get(name)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--record", type=Path, help="write the fingerprints to this JSON file")
    mode.add_argument("--check", type=Path, help="compare with fingerprints recorded here")
    parser.add_argument("--articles", type=int, default=2000, help="benchmark corpus size")
    args = parser.parse_args(argv)
    found = fingerprints(args.articles)
    if args.record:
        args.record.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n")
        files = sum(len(v) for v in found.values())
        print(f"{args.record}: {files} files in {len(found)} runs recorded")
        return 0
    recorded = json.loads(args.check.read_text())
    differ = differing(recorded, found)
    for item in differ:
        print(f"differs: {item}")
    files = sum(len(v) for v in found.values())
    print(f"{files - len(differ)} of {files} files byte-identical to {args.check}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
