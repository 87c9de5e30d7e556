"""Benchmark of the analysis pipeline on synthetic news corpora.

Run: ``.venv/bin/python tests/benchmarks/bench_pipeline.py --sizes 1000 10000 50000``
(not collected by pytest).

How the corpora are made
------------------------
* Every article has 400–1,500 words (uniform).
* Words follow a Zipf–Mandelbrot law (p(rank) ∝ 1/(rank + 2.7)) over a
  vocabulary whose size grows with the corpus by Heaps' law,
  V = 40 · T^0.55 for T tokens (about 80k types for 1k articles, 650k for 50k),
  as in real news. The most frequent ranks are the English stopwords, in
  alphabetical order; the others are pronounceable pseudo-words built from syllables.
* Every ~18 words a sentence ends (". ") and the next one starts with a capital
  letter; commas appear now and then, so punctuation breaks phrases and
  sentences as in real text.
* Eight outlets take turns. Each has planted framing words and phrases
  (``regime change``, ``western aggression``, ...) inserted at about 1 in 150
  words, and every article gets shared news phrases (``secretary of state``,
  ``john kerry``, ``minsk agreements``, ``resolution 2254``...).

Stages and what is measured
---------------------------
* ``baseline``: ``TfidfVectorizer(ngram_range=(1, 2)).fit_transform(texts)``.
* ``contrasts``: :func:`analysis.measures.contrasts.contrast_one_vs_rest` by outlet,
  counting included (tokenize + count + score), keeping each outlet's top 100
  terms in each direction (the full frame at 50k articles would have tens of
  millions of rows, which nobody reads).
* ``scattertext``: the same contrasts with scattertext 0.2.2, on the same
  texts in the same run (``scattertext_contrasts.py`` says what it does: its
  own tokenizer, words and two-word phrases, the log-odds ratio with the
  corpus's counts as an informative Dirichlet prior of total 1,000, each
  outlet's top 100 in each direction). It runs under the Python given by
  ``--scattertext-python`` (default: ``$SCATTERTEXT_PYTHON``, else
  ``.venv-scattertext/bin/python`` in the checkout; the module says how to
  make it), and its time and memory are what that process measured of its
  own work. The table's ``vs_scattertext`` column is scattertext's time over
  each stage's at the same size. Left out, with a note, when that Python is
  missing and ``--stages`` was not given.
* ``load``: :func:`analysis.corpus.articles.load_corpus` on the corpus written as files
  (cache off), when that module exists; ``load_fill_cache`` the same with the
  parse cache on and empty (it is filled), ``load_cached`` again with the cache
  filled: none is parsed, and a file whose size, times and inode are those the
  cache saw (more than two seconds before it was written) is not even read;
  ``load_cached_mapped`` the same with the texts left in the cache's file
  (``mapped_texts=True``, as the dashboard loads the corpus).
* ``clean``: ``analysis.text.cleaning.clean_articles`` on the loaded frame, when that
  module exists (run last: the frame is loaded in the parent just before).
* ``analyze``: the command ``narratives analyze --top 100`` on the corpus
  folder, run as a process of its own with its per-article analyses on every
  core (nothing inherited from the benchmark), with an empty
  parse cache: loading, cleaning, term counts, stance,
  outcome, frames, agenda, quotations and sources, every table for all
  articles grouped by outlet (each outlet's top 100 terms) written as CSV
  with the manifest. About one sentence in six is one of
  :data:`NEWS_SENTENCES`, so those stages have targets, cues and quotations
  to work on. With ``--analyze-workers 1`` the same command on one process
  is timed too (stage ``analyze_1_process``), for the speed-up in the same run.
  Its memory is that of the command and its worker processes together: their
  summed proportional set size (shared pages counted once), sampled five
  times a second. Its parse cache, results store and output folder are kept
  for the next two.
  With ``--all-terms`` the ``analyze`` stages leave out ``--top 100``, as an
  analyst running the command with its defaults does: every term's contrasts
  are written (millions of rows at 10,000 articles).
* ``analyze_again``: the whole command again, with the parse cache the first
  run filled and its results store removed, as after an update of the
  analysis (or once the dashboard has loaded the corpus): the texts come from
  the parse cache's file, not from the article files. Its memory is what
  differs: when that load left the cache's file mapped (until the load copied
  the cache's other columns out, docs/speed.md), the whole run at
  50,000 articles peaked 0.36 GiB higher than the first (2.20 against 1.84
  GiB). It fills the store again for the next two.
* ``analyze_unchanged``: the same command again on the same, unchanged corpus,
  into the same output folder, with the results store the first run filled:
  what an analyst waits for when nothing changed (the folder is up to date,
  so nothing is written).
* ``import_1_and_analyze``: ``narratives import`` of one new article (made
  like the others, from another seed) and then ``analyze`` with the kept
  store: what adding one article costs. The corpus's duplicate index is made
  first, untimed (``import --dry-run``), as the imports that built a corpus
  leave it: the first import into a corpus written by other means indexes
  every text.
  Column ``of_analyze`` is these two stages' time over ``analyze``'s (the
  issue's "≤ 5% of a full rebuild"); each command's seconds and peak are
  printed to standard error.

Each stage runs in its own forked child process, so timings are not disturbed
by memory tracing, and its peak memory is the child's peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``, column ``peak_rss_gib``),
which includes the interpreter and the corpus texts inherited from the parent;
``stage_gib`` is that peak minus the child's resident size when the stage
started, i.e. what the stage itself added. ``analyze`` runs as processes of
its own, so both columns are their peak together. The corpus is generated in another
child so the parent holds only the texts. ``ratio`` is the stage's time over
the baseline's time for the same texts in the same run. Other processes on the
machine share the CPU, so compare ratios rather than absolute seconds.

``--stages`` runs only the stages named (``analyze_again`` and the reuse stages need
``analyze``):
``--sizes 10000 50000 200000 --stages analyze`` times the whole command at three
sizes in one run, for its growth per article, where the baseline at 200,000
articles would need about 40 GiB.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import multiprocessing as mp
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analysis.text.tokens import load_stopwords

N_OUTLETS = 8
FRAMING = [
    ["regime change", "western aggression", "illegal annexation"],
    ["mutual cooperation", "strategic partnership", "constructive dialogue"],
    ["russian propaganda", "hybrid war", "kremlin lies"],
    ["nato expansion", "color revolution", "deep state"],
    ["peace process", "humanitarian corridor", "ceasefire talks"],
    ["energy security", "gas transit", "sanctions relief"],
    ["human rights", "civil society", "political prisoners"],
    ["great powers", "spheres of influence", "congress of vienna"],
]
SHARED = [
    "secretary of state",
    "john kerry",
    "vladimir putin",
    "foreign minister sergei lavrov",
    "minsk agreements",
    "security council resolution 2254",
    "s-300 missiles",
]
#: Sentences in the style of the coverage, with targets, cues, quotations and
#: subjects, so the stance, outcome, frames, agenda and sources stages have the
#: work they would have on real news (about one in every six sentences).
NEWS_SENTENCES = [
    "Putin conceded nothing in Moscow, and the West conceded to Putin once again.",
    'Peskov said: "The talks were constructive, but we are not much closer to cooperation."',
    "Kerry did not succeed in the main aim of his visit to the Kremlin.",
    "Russia's intransigence on Syria has brought results, as the US made concessions.",
    "According to NATO officials, the sanctions against Russia could be tightened.",
    "Lavrov said that Assad's fate is for the Syrian people to decide.",
    "The talks failed, and the deadlock over Syria and Ukraine remains.",
    "Washington and Moscow agreed to cooperate against ISIS and al-Nusra in Syria.",
    "Putin achieved what he craves most, recognition by the West.",
    "The Kremlin's brutal repression at home undermined its credibility abroad.",
    "Obama insisted that the Minsk agreements be implemented in full in Ukraine.",
    'Kerry described the talks as "extremely frank and very serious."',
]
_SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"] + ["al", "or", "en", "is"]


def _pseudo_words(count: int) -> list[str]:
    """Distinct pronounceable words: rank r written in base len(_SYLLABLES)."""
    base = len(_SYLLABLES)
    words = []
    for rank in range(count):
        parts = [_SYLLABLES[rank % base]]
        rank //= base
        while rank:
            parts.append(_SYLLABLES[rank % base])
            rank //= base
        parts.append(_SYLLABLES[len(parts) % base])
        words.append("".join(parts))
    return words


def make_corpus(n_articles: int, *, seed: int = 0) -> pd.DataFrame:
    """A synthetic corpus of ``n_articles`` articles with ``outlet`` and ``text_clean``."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(400, 1501, size=n_articles)
    total = int(lengths.sum())
    stop = sorted(load_stopwords("en"))
    vocabulary_size = int(40 * total**0.55)
    words = np.array(stop + _pseudo_words(vocabulary_size - len(stop)), dtype=object)
    weights = 1.0 / (np.arange(vocabulary_size) + 2.7)
    tokens = words[rng.choice(vocabulary_size, size=total, p=weights / weights.sum())]
    punctuation = rng.random(total)
    tokens[punctuation < 1 / 18] = tokens[punctuation < 1 / 18] + "."
    tokens[(punctuation > 0.95)] = tokens[(punctuation > 0.95)] + ","
    planted = rng.random(total) < 1 / 150
    outlet_of_token = np.repeat(np.arange(n_articles) % N_OUTLETS, lengths)
    choice = rng.integers(0, 3, size=total)
    for outlet, phrases in enumerate(FRAMING):
        for k, phrase in enumerate(phrases):
            tokens[planted & (outlet_of_token == outlet) & (choice == k)] = phrase
    news = rng.random(total) < 1 / 100
    tokens[news] = np.array(NEWS_SENTENCES, dtype=object)[
        rng.integers(0, len(NEWS_SENTENCES), news.sum())
    ]
    shared = rng.random(total) < 1 / 200
    tokens[shared] = np.array(SHARED, dtype=object)[rng.integers(0, len(SHARED), shared.sum())]
    # A sentence starts with a capital letter, as in news (the splitter needs it).
    ends = np.fromiter((t.endswith(".") for t in tokens), bool, total)
    starts = np.flatnonzero(ends[:-1]) + 1
    tokens[starts] = [t[:1].upper() + t[1:] for t in tokens[starts]]
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    tokens[bounds[:-1]] = [t[:1].upper() + t[1:] for t in tokens[bounds[:-1]]]
    texts = [" ".join(tokens[bounds[k] : bounds[k + 1]]) + "." for k in range(n_articles)]
    return pd.DataFrame(
        {
            "id": [f"a{k:06d}" for k in range(n_articles)],
            "outlet": [f"outlet-{k % N_OUTLETS}" for k in range(n_articles)],
            "text_clean": texts,
        }
    )


BENCH_MEETING = """\
2015-05-sochi:
  title: Kerry meets Putin in Sochi
  start: 2015-05-12
  end: 2015-05-12
  place: Sochi
  participants: [John Kerry, Vladimir Putin]
"""


def write_corpus(frame: pd.DataFrame, root: Path) -> None:
    """Write the synthetic corpus as a corpus folder readable by ``load_corpus``."""
    from analysis.corpus.article_file import format_article
    from analysis.corpus.articles import ARTICLES_DIR
    from analysis.corpus.types import Article, PublishedDate

    outlets = "".join(
        f"outlet-{k}:\n  name: Outlet {k}\n  kind: blog\n  group: group-{k % 2}\n"
        for k in range(N_OUTLETS)
    )
    (root / "outlets.yaml").write_text(outlets, encoding="utf-8")
    # Every article covers the one meeting, so the outcome framing (and with it
    # the sentence model on every mention of Russia and the US/West) is computed
    # for all of them, as in a corpus gathered around the meetings.
    (root / "meetings.yaml").write_text(BENCH_MEETING, encoding="utf-8")
    articles = root / ARTICLES_DIR
    articles.mkdir()
    for row in frame.itertuples():
        article = Article(
            id=str(row.id),
            title=f"Article {row.id}",
            outlet=str(row.outlet),
            text=str(row.text_clean),
            language="en",
            published=PublishedDate.parse("2015-05-12"),
            meetings=("2015-05-sochi",),
        )
        # Plain writes: the atomic, fsynced writer would time the disk, not us.
        (articles / f"{row.id}.md").write_text(format_article(article), encoding="utf-8")


def _resident_gib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1024**3


def _child(stage: Callable[[], Any], queue: Any) -> None:
    before = _resident_gib()
    start = time.perf_counter()
    try:
        result = stage()
    except Exception as error:
        # Sent to the parent, which raises it, rather than leaving it waiting.
        queue.put(error)
        return
    seconds = time.perf_counter() - start
    if isinstance(result, float):
        # The stage ran in a process of its own and reports that process's peak.
        queue.put((seconds, result, result))
        return
    if isinstance(result, tuple):
        # The stage ran in another Python that timed its own work: seconds, peak, rise.
        queue.put(result)
        return
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    queue.put((seconds, peak, peak - before))


def measure(stage: Callable[[], Any]) -> tuple[float, float, float]:
    """Seconds, peak resident memory and its rise during the stage (GiB), in a forked child."""
    context = mp.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(stage, queue))
    process.start()
    try:
        result = queue.get()
    finally:
        if process.is_alive():  # stopped: the child's own exit stops what it started
            process.terminate()
        process.join()
    if isinstance(result, Exception):
        raise result
    return result


def _generate(size: int, path: str) -> None:
    make_corpus(size).to_pickle(path)


_LOADED: dict[str, pd.DataFrame] = {}


def _loaded(folder: str) -> pd.DataFrame:
    """The loaded articles, read in the parent just before the one stage that needs them.

    Loading them earlier would make every later stage's child inherit them.
    """
    from analysis.corpus.articles import load_corpus

    return _LOADED.setdefault(folder, load_corpus(folder, use_cache=False).articles)


def tree_pss(process: psutil.Process) -> tuple[float, float, int] | None:
    """Proportional set size of a process and of all its descendants (GiB), and how many
    descendants; ``None`` when a process of the tree started or ended while it was read.

    PSS splits each shared page among the processes sharing it, so the sum is
    the memory the whole tree holds, counted once (worker processes share the
    code and data they were forked with) - but only if no process is forked or
    ends between reading the first and the last: the command's pages are then
    split one way and its workers' another. A sample across the forking of new
    workers (the term count forks new ones every few seconds) counted up to a
    quarter of a GiB twice at 50,000 articles; it is not taken.
    """

    def members() -> dict[tuple[int, float], psutil.Process] | None:
        try:
            return {(p.pid, p.create_time()): p for p in process.children(recursive=True)}
        except psutil.Error:
            return None

    before = members()
    try:
        command = process.memory_full_info().pss
        workers = [member.memory_full_info().pss for member in (before or {}).values()]
    except psutil.Error:
        return None
    after = members()
    if before is None or after is None or before.keys() != after.keys():
        return None
    return command / 1024**3, sum(workers) / 1024**3, len(workers)


def _stop_tree(process: psutil.Process) -> None:
    """End a process and all its descendants, waiting a few seconds before killing them."""
    members = [process, *process.children(recursive=True)]
    for member in members:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.terminate()
    _, alive = psutil.wait_procs(members, timeout=5)
    for member in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.kill()


def _command_peak(command: list[str], cache: str) -> float:
    """Run a ``narratives`` command as an analyst would; the peak memory of it and its workers.

    The peak is their summed proportional set size (GiB), sampled five times a second
    (:func:`tree_pss`).
    """
    child = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "NARRATIVES_CACHE_DIR": cache},
        cwd=Path(__file__).resolve().parents[2],
    )
    watched = psutil.Process(child.pid)
    peak = 0.0
    try:
        while child.poll() is None:
            sample = tree_pss(watched)
            if sample is not None:
                peak = max(peak, sample[0] + sample[1])
            time.sleep(0.2)
    finally:
        # Stopped (Ctrl-C, or a SIGTERM, which main turns into an exit): the
        # command and its workers are processes of their own and would run on.
        if child.poll() is None:
            _stop_tree(watched)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    return peak


#: The ``--top`` the ``analyze`` stages give (``--all-terms``: none, as the command's default).
ANALYZE_TOP: int | None = 100


def _analyze(
    folder: str, workers: int | None, cache: str | None = None, out: str | None = None
) -> float:
    """``narratives analyze --top 100`` on the corpus in a new process (every term's
    contrasts, the command's default, with ``--all-terms``: see :data:`ANALYZE_TOP`).

    The command runs as an analyst runs it, so nothing is inherited from the
    benchmark. ``workers`` is its ``--workers`` (every core when ``None``).
    Its parse cache and results store are in ``cache`` and its tables in
    ``out``, both kept for the next run; empty scratch folders when ``None``.
    Returns the peak memory of the command and its worker processes together
    (GiB).
    """
    command = [sys.executable, "-m", "analysis.cli", "analyze", "--corpus", folder]
    if workers is not None:
        command += ["--workers", str(workers)]
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryDirectory() as tables:
        command += ["--out", out or tables]
        if ANALYZE_TOP is not None:
            command += ["--top", str(ANALYZE_TOP)]
        return _command_peak(command, cache or scratch)


def _analyze_again(folder: str, cache: str) -> float:
    """:func:`_analyze` with the parse cache in ``cache``, no results store (removed), and an
    empty output folder (the kept one is up to date: the command would write nothing)."""
    for store in Path(cache).glob("results-*"):
        shutil.rmtree(store)
    return _analyze(folder, None, cache)


#: The article added by the stage ``import_1_and_analyze``: one more of outlet 0's.
ONE_MORE_ARTICLE = {
    "title": "Kerry and Putin meet again",
    "outlet": "outlet-0",
    "date": "2015-05-12",
    "language": "en",
    "url": "https://outlet-0.example/one-more",
}


def write_one_article(source: Path, *, seed: int = 1, **fields: str) -> None:
    """A JSONL file of one new article made like the corpus's own (another ``seed``):
    :data:`ONE_MORE_ARTICLE` with ``fields`` over it."""
    text = str(make_corpus(1, seed=seed)["text_clean"].iloc[0])
    source.write_text(json.dumps({**ONE_MORE_ARTICLE, **fields, "text": text}) + "\n", "utf-8")


def _import_one(folder: str, cache: str, *options: str) -> float:
    """``narratives import`` of one new article made like the corpus's own (another seed)."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "one.jsonl"
        write_one_article(source)
        command = [sys.executable, "-m", "analysis.cli", "import", str(source)]
        return _command_peak([*command, "--corpus", folder, "--quiet", *options], cache)


def _index_duplicates(folder: str, cache: str) -> None:
    """The corpus's duplicate index, as the import that built a corpus leaves it (untimed).

    ``import --dry-run`` writes no article but keeps the index of the corpus's texts.
    """
    _import_one(folder, cache, "--dry-run")


def _import_one_and_analyze(folder: str, cache: str, out: str) -> float:
    """``narratives import`` of one new article, then ``analyze`` with the store of earlier runs.

    The corpus's duplicate index is kept, as any import but the first leaves
    it (see :func:`_index_duplicates`). Returns the larger peak of the two commands;
    each one's seconds and peak are printed to standard error.
    """
    started = time.perf_counter()
    imported = _import_one(folder, cache)
    middle = time.perf_counter()
    analysed = _analyze(folder, None, cache, out)
    print(
        f"import_1_and_analyze: import {middle - started:.2f} s (peak {imported:.2f} GiB), "
        f"analyze {time.perf_counter() - middle:.2f} s (peak {analysed:.2f} GiB)",
        file=sys.stderr,
        flush=True,
    )
    return max(imported, analysed)


#: The script the ``scattertext`` stage runs, and the Python it runs under by default.
SCATTERTEXT_SCRIPT = Path(__file__).with_name("scattertext_contrasts.py")
DEFAULT_SCATTERTEXT_PYTHON = Path(
    os.environ.get(
        "SCATTERTEXT_PYTHON",
        Path(__file__).resolve().parents[2] / ".venv-scattertext" / "bin" / "python",
    )
)


def _scattertext(frame: pd.DataFrame, python: Path) -> tuple[float, float, float]:
    """:data:`SCATTERTEXT_SCRIPT` on the frame's texts under ``python``: its seconds, peak, rise."""
    with tempfile.TemporaryDirectory() as scratch:
        texts = Path(scratch) / "texts.jsonl"
        with texts.open("w", encoding="utf-8") as out:
            for outlet, text in zip(frame["outlet"], frame["text_clean"], strict=True):
                out.write(json.dumps({"outlet": outlet, "text": text}) + "\n")
        done = subprocess.run(
            [str(python), str(SCATTERTEXT_SCRIPT), str(texts), "--top", "100"],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(
            f"the scattertext stage failed under {python} (exit {done.returncode}):\n"
            f"{done.stderr[-3000:]}"
        )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    return measured["seconds"], measured["peak_gib"], measured["stage_gib"]


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


#: Every stage, in the order run (see the module docstring).
STAGES = (
    "baseline",
    "contrasts",
    "scattertext",
    "load",
    "load_fill_cache",
    "load_cached",
    "load_cached_mapped",
    "analyze",
    "clean",
    "analyze_again",
    "analyze_unchanged",
    "import_1_and_analyze",
)


def run(
    size: int,
    rows: list[dict[str, Any]],
    analyze_workers: list[int | None],
    only: Collection[str] = STAGES,
    scattertext_python: Path = DEFAULT_SCATTERTEXT_PYTHON,
) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    os.environ["NARRATIVES_CACHE_DIR"] = tempfile.mkdtemp(prefix="narratives-bench-cache-")

    from analysis.measures.contrasts import contrast_one_vs_rest

    with tempfile.TemporaryDirectory() as folder:
        # Generated in a child so the parent (and every stage forked from it)
        # holds only the finished texts, not the generator's scratch memory.
        path = str(Path(folder) / "corpus.pkl")
        generator = mp.get_context("fork").Process(target=_generate, args=(size, path))
        generator.start()
        generator.join()
        frame = pd.read_pickle(path)
    texts = frame["text_clean"].tolist()
    stages: dict[str, Callable[[], Any]] = {
        "baseline": lambda: TfidfVectorizer(ngram_range=(1, 2)).fit_transform(texts),
        "contrasts": lambda: contrast_one_vs_rest(frame, "outlet", top=100),
        "scattertext": lambda: _scattertext(frame, scattertext_python),
    }
    with (
        tempfile.TemporaryDirectory() as folder,
        tempfile.TemporaryDirectory() as kept_cache,
        tempfile.TemporaryDirectory() as kept_out,
    ):
        if _has("analysis.corpus.articles"):
            from analysis.corpus.articles import load_corpus

            write_corpus(frame, Path(folder))
            stages["load"] = lambda: load_corpus(folder, use_cache=False)
            # The first cached load parses and fills the cache; the second reads it.
            stages["load_fill_cache"] = lambda: load_corpus(folder)
            stages["load_cached"] = lambda: load_corpus(folder)
            stages["load_cached_mapped"] = lambda: load_corpus(folder, mapped_texts=True)
            if _has("analysis.cli"):
                for workers in analyze_workers:
                    name = "analyze" if workers is None else f"analyze_{workers}_process"
                    # The full analysis keeps its parse cache and results store
                    # for the reuse stages below.
                    kept = (kept_cache, kept_out) if workers is None else (None, None)
                    stages[name] = lambda workers=workers, kept=kept: _analyze(
                        folder, workers, *kept
                    )
            if _has("analysis.text.cleaning"):
                from analysis.text.cleaning import clean_articles

                def clean() -> Any:
                    return clean_articles(_loaded(folder))

                stages["clean"] = clean
            if _has("analysis.pipeline.store") and None in analyze_workers:
                stages["analyze_again"] = lambda: _analyze_again(folder, kept_cache)
                # Last, as the import changes the corpus.
                stages["analyze_unchanged"] = lambda: _analyze(folder, None, kept_cache, kept_out)
                stages["import_1_and_analyze"] = lambda: _import_one_and_analyze(
                    folder, kept_cache, kept_out
                )
        baseline = analyze = None
        for name, stage in stages.items():
            if name in STAGES and name not in only:
                continue
            if name == "clean":
                _loaded(folder)
            if name == "import_1_and_analyze":
                _index_duplicates(folder, kept_cache)
            seconds, peak, rise = measure(stage)
            baseline = seconds if name == "baseline" else baseline
            analyze = seconds if name == "analyze" else analyze
            reuse = name in ("analyze_unchanged", "import_1_and_analyze")
            row = {
                "size": size,
                "stage": name,
                "seconds": round(seconds, 2),
                "ratio": round(seconds / baseline, 2) if baseline else float("nan"),
                "of_analyze": round(seconds / analyze, 3) if reuse and analyze else float("nan"),
                "peak_rss_gib": round(peak, 2),
                "stage_gib": round(rise, 2),
                "analyze_top": ANALYZE_TOP if name.startswith(("analyze", "import")) else None,
            }
            rows.append(row)
            print(row, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument(
        "--analyze-workers",
        type=int,
        nargs="+",
        default=[],
        metavar="N",
        help="also time `analyze --workers N` for each N (stage analyze_N_process), "
        "beside `analyze` on every core",
    )
    parser.add_argument(
        "--stages",
        nargs="+",
        choices=STAGES,
        default=None,
        help="only these stages (e.g. `--sizes 200000 --stages analyze`: the baseline "
        "needs about 40 GiB there); analyze_again and the reuse stages need analyze",
    )
    parser.add_argument(
        "--scattertext-python",
        type=Path,
        default=DEFAULT_SCATTERTEXT_PYTHON,
        help="a Python with scattertext 0.2.2, for the scattertext stage "
        "(default: $SCATTERTEXT_PYTHON, else .venv-scattertext/bin/python)",
    )
    parser.add_argument(
        "--all-terms",
        action="store_true",
        help="the analyze stages without `--top 100`: every term's contrasts written, "
        "as the command does by default",
    )
    args = parser.parse_args(argv)
    global ANALYZE_TOP
    ANALYZE_TOP = None if args.all_terms else 100
    stages = list(STAGES) if args.stages is None else args.stages
    if "scattertext" in stages and not args.scattertext_python.exists():
        how = (
            f"no Python for the scattertext stage at {args.scattertext_python}; make one with "
            "`python3 -m venv .venv-scattertext && .venv-scattertext/bin/pip install "
            "scattertext==0.2.2 six`, or pass --scattertext-python"
        )
        if args.stages is not None:
            parser.error(how)
        print(f"scattertext stage left out: {how}", file=sys.stderr)
        stages.remove("scattertext")
    # A SIGTERM (`kill`, `pkill`) exits through the `finally` blocks that stop the
    # commands a stage started; forked stage processes inherit the handler.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    rows: list[dict[str, Any]] = []
    for size in args.sizes:
        run(size, rows, [None, *args.analyze_workers], stages, args.scattertext_python)
    table = pd.DataFrame(rows)
    scattertext = table[table["stage"] == "scattertext"].set_index("size")["seconds"]
    if len(scattertext):
        # How many times faster than scattertext's contrasts on the same texts each stage is.
        table["vs_scattertext"] = (table["size"].map(scattertext) / table["seconds"]).round(2)
    print()
    print(table.to_string(index=False))
    for stage in ("contrasts", "analyze", *(f"analyze_{n}_process" for n in args.analyze_workers)):
        timed = table[table["stage"] == stage].set_index("size")
        if len(timed) > 1:
            per_article = timed["seconds"] / timed.index
            print(f"{stage} seconds per 1,000 articles:", (1000 * per_article).round(3).to_dict())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
