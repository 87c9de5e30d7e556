"""The ``narratives`` command line: the same functions the dashboard calls."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

# Only what every command, --help and an up-to-date check need is imported here;
# the analyses (and scikit-learn) load when a command uses them.
from analysis.corpus.articles import Corpus, load_corpus
from analysis.corpus.remote import RemoteError, is_url, local_copy, location, pull, push
from analysis.corpus.selection import Selection
from analysis.corpus.types import Problem
from analysis.measures.contrast_schema import PRIORS
from analysis.pipeline.manifest import (
    MANIFEST_FILE,
    ManifestInputs,
    TableOptions,
    analysis_parameters,
    up_to_date,
)
from analysis.pipeline.options import GROUPING_COLUMNS, AnalysisOptions
from analysis.pipeline.store import (
    INDEX_FILE,
    ResultsStore,
    analysis_version,
    default_store_root,
)
from analysis.pipeline.workers import (
    SCHEDULER_ENV,
    WORKERS_ENV,
    SchedulerUnavailableError,
    WorkerLostError,
)
from analysis.review.overrides import overrides_warning, read_overrides
from analysis.wording import counted

__all__ = ["default_corpus_dir", "main"]


def default_corpus_dir() -> Path:
    """``$NARRATIVES_CORPUS`` if set, else ``./corpus``."""
    return Path(os.environ.get("NARRATIVES_CORPUS") or "corpus")


def format_problems(problems: Sequence[Problem]) -> str:
    """One line per problem, errors first, in file order."""
    ordered = sorted(problems, key=lambda p: (p.severity != "error", p.file, p.line or 0, p.field))
    return "\n".join(f"{p.severity}: {p}" for p in ordered)


def _pulled(url: str, kind: str, *, must_exist: bool = False) -> Path:
    """The local copy of ``url``, brought up to date, saying what was copied."""
    copy = local_copy(url, kind)
    report = pull(url, copy, must_exist=must_exist)
    print(f"narratives: {url}: {report.describe('copied')} in {copy}", file=sys.stderr)
    return copy


def _load(args: argparse.Namespace, *, use_cache: bool = True) -> Corpus:
    """The corpus at ``--corpus``: a folder, or a URL read through its local copy."""
    where = _pulled(args.corpus, "corpus", must_exist=True) if is_url(args.corpus) else args.corpus
    return load_corpus(where, use_cache=use_cache)


def _cmd_validate(args: argparse.Namespace) -> int:
    corpus = _load(args, use_cache=not args.no_cache)
    errors = corpus.errors
    warnings = len(corpus.problems) - len(errors)
    if corpus.problems:
        print(format_problems(corpus.problems))
    print(
        f"{counted(len(corpus.articles), 'article')} valid, "
        f"{counted(len(corpus.outlets), 'outlet')}, {counted(len(corpus.meetings), 'meeting')}; "
        f"{counted(len(errors), 'error')}, {counted(warnings, 'warning')} "
        f"in {corpus.root}"
    )
    return 1 if errors else 0


def _positive_int(value: str) -> int:
    """A whole number of at least 1, for options that count processes."""
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def _year_range(values: Sequence[str] | None) -> tuple[int, int] | None:
    if not values:
        return None
    years: list[int] = []
    for value in values:
        match = re.fullmatch(r"(\d{4})(?:[-–:](\d{4}))?", value.strip())
        if not match:
            raise SystemExit(
                f"narratives: --year {value!r}: write a year (2015) or a range (2015-2016)"
            )
        years.extend(int(y) for y in match.groups() if y)
    return min(years), max(years)


def _selection(args: argparse.Namespace) -> Selection:
    return Selection(
        outlets=tuple(args.outlet or ()),
        groups=tuple(args.group or ()),
        years=_year_range(args.year),
        meetings=tuple(args.meeting or ()),
        languages=tuple(args.language or ()),
    )


def _warn_overrides(problem: Problem, corpus_dir: Path) -> None:
    print(f"narratives: warning: {overrides_warning(problem, corpus_dir)}", file=sys.stderr)


def _open_store(args: argparse.Namespace, corpus: Corpus) -> ResultsStore | None:
    """The results store of ``--store`` (a folder, or a URL's local copy); else the cache's."""
    if args.no_store:
        return None
    if args.store is None:
        return ResultsStore(default_store_root(corpus.root))
    return ResultsStore(_pulled(args.store, "results") if is_url(args.store) else Path(args.store))


def _push_store(args: argparse.Namespace, store: ResultsStore | None) -> None:
    """Send a store kept at a URL back to it; it is only a cache, so failing is a warning."""
    if store is None or not is_url(args.store):
        return
    try:
        report = push(store.root, args.store, last=INDEX_FILE)
    except RemoteError as err:
        print(
            f"narratives: warning: results store not sent back ({err}); the tables are "
            "complete, the next run analyses again what the store does not hold",
            file=sys.stderr,
        )
        return
    print(f"narratives: {args.store}: {report.describe('sent')}", file=sys.stderr)


def _cmd_analyze(args: argparse.Namespace) -> int:
    corpus = _load(args)
    if corpus.errors:
        print(
            f"narratives: {len(corpus.errors)} files have errors and are left out; "
            "run `narratives validate` for the list",
            file=sys.stderr,
        )
    options = AnalysisOptions(
        prior_total=args.prior_total, max_words=args.max_words, min_phrase_count=args.min_phrase
    )
    selection = _selection(args)
    out = Path(args.out)
    table_options: TableOptions = {
        "group_by": args.group_by,
        "compare": tuple(args.compare) if args.compare else None,
        "kwic_terms": tuple(args.kwic or ()),
        "top": args.top,
        "prior": args.prior_from,
        "blind_spots": args.blind_spots,
    }
    if not args.force:
        # Checked before the corpus is prepared: everything the manifest records
        # of the corpus is known once it is loaded.
        overrides, problem = read_overrides(corpus.root)
        inputs = ManifestInputs(
            corpus.fingerprint, len(corpus.articles), options, overrides, problem
        )
        written = up_to_date(inputs, selection, out, analysis_parameters(**table_options))
        if written is not None:
            if problem is not None:
                _warn_overrides(problem, corpus.root)
            print(
                f"{out}: up to date (written {written} from the same corpus, corrections, "
                "options, filters and analysis version); nothing written. --force writes it again"
            )
            return 0
    from analysis.pipeline.export import write_analysis
    from analysis.pipeline.prepare import prepare_corpus

    store = _open_store(args, corpus)
    try:
        prepared = prepare_corpus(
            corpus, options=options, workers=args.workers, store=store, scheduler=args.scheduler
        )
    except (ValueError, WorkerLostError, SchedulerUnavailableError) as err:
        print(f"narratives: {err}", file=sys.stderr)
        _push_store(args, store)
        return 2
    for note in store.notes if store is not None else ():
        print(f"narratives: {note}", file=sys.stderr)
    if prepared.overrides_problem is not None:
        _warn_overrides(prepared.overrides_problem, corpus.root)
    from analysis.pipeline.csv_cache import CsvCache

    # Parts of tables written before (by this version) are not made into text again.
    cache = None if store is None else CsvCache(store.root / "csv", analysis_version())
    try:
        rows = write_analysis(prepared, selection, out, cache=cache, **table_options)
    except ValueError as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    finally:
        _push_store(args, store)
    for name, count in rows.items():
        print(f"{out / (name + '.csv')}: {count} rows")
    print(f"{out / MANIFEST_FILE}: {selection.describe()}")
    return 0


#: The option of ``narratives import`` that gives each field of ImportMetadata.
_IMPORT_OPTIONS = {
    "outlet": "--outlet",
    "title": "--title",
    "published": "--date",
    "language": "--language",
    "meetings": "--meeting",
    "authors": "--author",
    "url": "--url",
}


def _cmd_import(args: argparse.Namespace) -> int:
    from analysis.ingest.importer import import_articles
    from analysis.ingest.records import ImportMetadata, MetadataError
    from analysis.ingest.report import render_report

    meetings: tuple[str, ...] | None = None
    if args.meeting:
        meetings = tuple(m for m in args.meeting if m != "none")
    metadata = ImportMetadata(
        outlet=args.outlet,
        title=args.title,
        published=args.date,
        language=args.language,
        meetings=meetings,
        authors=tuple(args.author) if args.author else None,
        url=args.url,
    )
    try:
        report = import_articles(
            args.paths,
            args.corpus,
            metadata=metadata,
            skip_bad_rows=args.skip_bad_rows,
            near_duplicates="skip" if args.skip_near_duplicates else "add",
            new_outlets=not args.no_new_outlets,
            dry_run=args.dry_run,
            progress=not args.quiet,
        )
    except MetadataError as err:
        print(f"narratives: {_IMPORT_OPTIONS[err.field]}: {err.message}", file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    print(render_report(report))
    return 1 if report.problems else 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    from analysis.ingest.fetch import fetch_articles, render_fetch_report
    from analysis.ingest.web import FetchSettings

    try:
        settings = FetchSettings(
            delay=args.delay,
            timeout=args.timeout,
            retries=args.retries,
            backoff=args.backoff,
            max_bytes=args.max_bytes,
            archive_api=None if args.no_archive else args.archive_api,
        )
        report = fetch_articles(
            args.list,
            args.corpus,
            settings=settings,
            registry_from=default_corpus_dir(),
            near_duplicates="skip" if args.skip_near_duplicates else "add",
            new_outlets=not args.no_new_outlets,
            progress=not args.quiet,
            retry_failed=args.retry_failed,
            dry_run=args.dry_run,
        )
    except ValueError as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    print(render_fetch_report(report))
    return 1 if report.failures else 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    if args.meetings:
        return _evaluate_meetings(args)
    if args.undated:
        print("narratives: --undated goes with --meetings", file=sys.stderr)
        return 2
    if args.devset is not None or args.labels is not None:
        return _evaluate_labels(args)
    if args.benchmark is not None:
        return _evaluate_benchmark(args)
    if args.data is not None or args.json or args.model is not None:
        print(
            "narratives: --data, --model and --json go with --benchmark newsmtsc|rusentne "
            "(--json also with --meetings)",
            file=sys.stderr,
        )
        return 2
    # Imported here: its scikit-learn metrics take a second to import, which
    # every other command would pay for nothing.
    from analysis.review.evaluation import evaluate, render_evaluation

    try:
        result = evaluate(args.corpus, split=args.split)
    except ValueError as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    if result.overrides_problem is not None:
        _warn_overrides(result.overrides_problem, Path(args.corpus))
    print(render_evaluation(result))
    return 0


def _evaluate_meetings(args: argparse.Namespace) -> int:
    from analysis.review.meeting_evaluation import (
        evaluate_meetings,
        render_meeting_evaluation,
        render_meeting_evaluation_json,
    )

    if args.devset is None:
        print("narratives: --meetings needs --devset ARTICLES.jsonl", file=sys.stderr)
        return 2
    if args.benchmark is not None or args.data is not None or args.model is not None:
        print(
            "narratives: --meetings does not go with --benchmark, --data or --model",
            file=sys.stderr,
        )
        return 2
    try:
        result = evaluate_meetings(
            args.devset, corpus_dir=args.corpus, labels=args.labels, undated=args.undated
        )
    except ValueError as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    print(
        render_meeting_evaluation_json(result) if args.json else render_meeting_evaluation(result)
    )
    return 0


def _evaluate_labels(args: argparse.Namespace) -> int:
    from analysis.review.label_evaluation import (
        evaluate_labels,
        labelled_articles,
        render_label_evaluation,
        render_label_evaluation_json,
        task_data,
    )

    if args.devset is None or args.labels is None:
        print("narratives: scoring the labels needs --devset and --labels", file=sys.stderr)
        return 2
    try:
        articles = labelled_articles(args.devset, args.labels, corpus_dir=args.corpus)
        result = evaluate_labels(task_data(articles))
    except ValueError as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    print(render_label_evaluation_json(result) if args.json else render_label_evaluation(result))
    return 0


def _evaluate_benchmark(args: argparse.Namespace) -> int:
    from analysis.sentiment.datasets import BENCHMARKS
    from analysis.sentiment.evaluation import (
        evaluate_benchmark,
        render_benchmark,
        render_benchmark_json,
    )
    from analysis.sentiment.model import load_model
    from analysis.sentiment.training import model_path

    if args.data is None:
        print("narratives: --benchmark needs --data DATASETS_DIR", file=sys.stderr)
        return 2
    path = args.model or model_path(BENCHMARKS[args.benchmark].language)
    try:
        model = load_model(path)
        result = evaluate_benchmark(args.benchmark, args.data, model, model_path=str(path))
    except ValueError as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    print(render_benchmark_json(result) if args.json else render_benchmark(result))
    return 0


def _train_labels(args: argparse.Namespace) -> int:
    from analysis.labels.combination import LABEL_MODELS_FILE
    from analysis.review.label_evaluation import MANIFEST_FILE, SYSTEM_OF, train_label_models

    if args.devset is None or args.labels is None:
        print("narratives: training the labels needs --devset and --labels", file=sys.stderr)
        return 2
    out = LABEL_MODELS_FILE if args.out is None else Path(args.out) / LABEL_MODELS_FILE.name
    try:
        manifest = train_label_models(args.devset, args.labels, corpus_dir=args.corpus, out=out)
    except ValueError as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    for task, scores in manifest["grouped_cv"].items():
        chosen = scores[{v: k for k, v in SYSTEM_OF.items()}[scores["used"]]]
        semeval = f", SemEval F {chosen['semeval_f']:.3f}" if "semeval_f" in chosen else ""
        print(
            f"{task}: uses {scores['used']}: grouped-CV macro-F1 {chosen['macro_f1']:.3f}"
            f"{semeval} (model {scores['model']['macro_f1']:.3f}, "
            f"rules {scores['rules']['macro_f1']:.3f}, "
            f"majority {scores['majority']['macro_f1']:.3f})"
        )
    print(f"{out}; {out.parent / MANIFEST_FILE}: labels files' sha256, parameters and scores")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from analysis.sentiment.training import LANGUAGES, MANIFEST_FILE, MODELS_DIR, train_models

    if args.devset is not None or args.labels is not None:
        if args.data is not None:
            print("narratives: give --data, or --devset and --labels, not both", file=sys.stderr)
            return 2
        return _train_labels(args)
    if args.data is None:
        print("narratives: train needs --data, or --devset and --labels", file=sys.stderr)
        return 2
    if args.out is None:
        args.out = MODELS_DIR

    def progress(message: str) -> None:
        print(f"narratives: {message}", file=sys.stderr, flush=True)

    try:
        manifest = train_models(
            args.data,
            args.out,
            languages=tuple(args.language or LANGUAGES),
            limit=args.limit,
            progress=progress,
        )
    except ValueError as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    for language in args.language or LANGUAGES:
        entry = manifest["models"][language]
        figures = ", ".join(
            f"{split} macro-F1 {scores['macro_f1']:.3f} F1_PN {scores['f1_pn']:.3f}"
            for split, scores in entry["scores"].items()
        )
        print(
            f"{Path(args.out) / entry['file']}: {entry['size_bytes'] / 2**20:.1f} MiB, "
            f"trained in {entry['train_seconds']:.0f} s; {figures}"
        )
    print(f"{Path(args.out) / MANIFEST_FILE}: data files' sha256, parameters and scores")
    return 0


def _add_filters(command: argparse.ArgumentParser) -> None:
    filters = command.add_argument_group("filters (repeat an option to select several values)")
    filters.add_argument("--outlet", action="append", metavar="KEY", help="outlet key")
    filters.add_argument("--group", action="append", metavar="NAME", help="outlet group")
    filters.add_argument(
        "--year", action="append", metavar="YEAR", help="a year or a range such as 2015-2016"
    )
    filters.add_argument(
        "--meeting", action="append", metavar="KEY", help="meeting key, or 'none' for no meeting"
    )
    filters.add_argument("--language", action="append", metavar="CODE", help="language code")


def _number(kind: type[float] | type[int], *, zero: bool) -> Callable[[str], float]:
    """An argparse type: a number of ``kind``, at least 0 (``zero``) or more than 0."""

    def parse(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value < 0 or (value == 0 and not zero):
            raise argparse.ArgumentTypeError(
                f"must be {'0 or more' if zero else 'more than 0'}, not {text}"
            )
        return value

    return parse


def _add_fetch(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from analysis.ingest.fetch_settings import ARCHIVE_API, FetchSettings
    from analysis.ingest.formats import MAX_PAGE_BYTES

    defaults = FetchSettings()
    fetch = commands.add_parser(
        "fetch",
        help="build or extend a corpus from a list of URLs (CSV with a url column, or one a line)",
        description="Fetch the pages of a list of addresses politely (a rate limit per host, "
        "robots.txt, timeouts, retries with backoff; the Internet Archive's copy of a page "
        "that is gone) and import them: the list's columns (outlet, date, language, title, "
        "meeting ...) win over the page's metadata and over inference. A rerun skips what is "
        "done and what failed for good (gone, disallowed by robots.txt, no article text); "
        "timeouts and server errors are tried again. Every failure is listed with what to do.",
    )
    fetch.add_argument(
        "list", type=Path, metavar="LIST", help="CSV with a url column, or a file of URLs"
    )
    fetch.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="corpus folder; a new one starts with the outlets.yaml and meetings.yaml of "
        "$NARRATIVES_CORPUS or ./corpus",
    )
    fetch.add_argument(
        "--delay",
        type=_number(float, zero=True),
        default=defaults.delay,
        metavar="SECONDS",
        help=f"least time between two requests to one host (default {defaults.delay:g})",
    )
    fetch.add_argument(
        "--timeout",
        type=_number(float, zero=False),
        default=defaults.timeout,
        metavar="SECONDS",
        help=f"give up on a server silent this long (default {defaults.timeout:g})",
    )
    fetch.add_argument(
        "--retries",
        type=_number(int, zero=True),
        default=defaults.retries,
        metavar="N",
        help=f"tries again after a connection error, 429 or 5xx (default {defaults.retries})",
    )
    fetch.add_argument(
        "--backoff",
        type=_number(float, zero=True),
        default=defaults.backoff,
        metavar="SECONDS",
        help=f"first wait before trying again, doubled each time (default {defaults.backoff:g})",
    )
    fetch.add_argument(
        "--max-bytes",
        type=_number(int, zero=False),
        default=MAX_PAGE_BYTES,
        metavar="N",
        help=f"largest page read (default {MAX_PAGE_BYTES:,})",
    )
    fetch.add_argument(
        "--archive-api",
        default=ARCHIVE_API,
        metavar="URL",
        help=f"availability API asked for a gone page's copy (default {ARCHIVE_API})",
    )
    fetch.add_argument("--no-archive", action="store_true", help="never ask the Internet Archive")
    fetch.add_argument(
        "--skip-near-duplicates",
        action="store_true",
        help="leave out near duplicates instead of adding them flagged",
    )
    fetch.add_argument(
        "--no-new-outlets",
        action="store_true",
        help="refuse pages whose outlet is not in outlets.yaml instead of adding it there",
    )
    fetch.add_argument(
        "--retry-failed",
        action="store_true",
        help="fetch again the addresses an earlier run failed on for good (404, 410, "
        "robots.txt, no article text)",
    )
    fetch.add_argument(
        "--dry-run",
        action="store_true",
        help="fetch and write nothing: say which rows would be fetched, which repeat an "
        "address of the list and which are done already",
    )
    fetch.add_argument("--quiet", action="store_true", help="no progress bar")
    fetch.set_defaults(handler=_cmd_fetch)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="narratives",
        description="Compare how outlets framed the same story. See README.md.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check every file of a corpus and report each problem",
        description="Report every problem in the corpus; exit 1 when there is an error.",
    )
    validate.add_argument(
        "corpus",
        nargs="?",
        type=location,
        default=None,
        help="corpus folder (default: ./corpus), or its URL (any fsspec URL, read through a "
        "local copy in the cache folder)",
    )
    validate.add_argument("--no-cache", action="store_true", help="parse every file again")
    validate.set_defaults(handler=_cmd_validate)

    importer = commands.add_parser(
        "import",
        help="add articles from .txt, .md, .html, .csv or .jsonl files",
        description="Add articles to the corpus. Each file is all or nothing; nothing is "
        "overwritten; duplicates are flagged. Metadata given here applies to every article "
        "and wins over what is inferred.",
    )
    importer.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files to import")
    importer.add_argument("--corpus", type=Path, default=None, help="corpus folder")
    importer.add_argument("--outlet", help="outlet key, name or web domain (from outlets.yaml)")
    importer.add_argument("--title", help="title (for a single article)")
    importer.add_argument("--date", help="publication date: 2016-07-15, 15 July 2016, 2022-01...")
    importer.add_argument("--language", help="language code (otherwise inferred)")
    importer.add_argument(
        "--meeting",
        action="append",
        metavar="KEY",
        help="meeting covered (repeat for several; 'none' for none; otherwise inferred)",
    )
    importer.add_argument("--author", action="append", metavar="NAME", help="author (repeatable)")
    importer.add_argument("--url", help="address of the page")
    importer.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good rows of a CSV/JSONL with bad rows (the bad ones are listed)",
    )
    importer.add_argument(
        "--skip-near-duplicates",
        action="store_true",
        help="leave out near duplicates instead of adding them flagged",
    )
    importer.add_argument(
        "--no-new-outlets",
        action="store_true",
        help="refuse rows whose outlet is not in outlets.yaml instead of adding it there "
        "(group 'unassigned')",
    )
    importer.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    importer.add_argument("--quiet", action="store_true", help="no progress bar")
    importer.set_defaults(handler=_cmd_import)

    _add_fetch(commands)

    evaluation = commands.add_parser(
        "evaluate",
        help="score stance and outcome labels against the hand-labelled set",
        description="Precision, recall and F1 per label, macro-F1 and the SemEval score of "
        "the rules on the frozen part of corpus/labels/, beside a majority-class and a "
        "whole-article sentiment baseline.",
    )
    evaluation.add_argument("--corpus", type=Path, default=None, help="corpus folder")
    evaluation.add_argument(
        "--split",
        default="frozen",
        choices=("frozen", "tuning"),
        help="which part of the labels to score (report the frozen part)",
    )
    benchmark = evaluation.add_argument_group(
        "sentence sentiment benchmarks",
        "With --benchmark, score the committed sentence sentiment model on the benchmark's "
        "test splits beside a TF-IDF + logistic regression baseline trained in the same run.",
    )
    benchmark.add_argument(
        "--benchmark", choices=("newsmtsc", "rusentne"), help="NewsMTSC (en) or RuSentNE (ru)"
    )
    benchmark.add_argument(
        "--data", type=Path, help="datasets folder (with newsmtsc/ and rusentne2023/)"
    )
    benchmark.add_argument(
        "--model", type=Path, help="model file to score (default: the committed one)"
    )
    benchmark.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per test split (with --meetings: one object for the whole set)",
    )
    meetings = evaluation.add_argument_group(
        "meeting assignment",
        "With --meetings, assign a meeting of the corpus's meetings.yaml to every article of "
        "a labelled JSON Lines file, as import would and without reading the labels, and "
        "print accuracy, per-language accuracy, label against assignment, and each miss.",
    )
    meetings.add_argument("--meetings", action="store_true", help="score meeting assignment")
    meetings.add_argument(
        "--devset",
        type=Path,
        metavar="ARTICLES.jsonl",
        help="articles: url, text, and title, language, published where known",
    )
    meetings.add_argument(
        "--labels",
        type=Path,
        metavar="FILE",
        help="JSON Lines or CSV with url and meeting (default: the articles' meeting field)",
    )
    meetings.add_argument(
        "--undated",
        action="store_true",
        help="ignore every article's date (measures names and content alone)",
    )
    evaluation.set_defaults(handler=_cmd_evaluate)

    train = commands.add_parser(
        "train",
        help="rebuild the sentence sentiment models from a datasets folder",
        description="Train the English (NewsMTSC) and Russian (RuSentNE-2023) sentence "
        "sentiment models, write them and a manifest (data files' sha256, parameters, "
        "scores on every split).",
    )
    train.add_argument("--data", type=Path, help="datasets folder (newsmtsc/, rusentne2023/)")
    train.add_argument(
        "--devset",
        type=Path,
        metavar="ARTICLES.jsonl",
        help="with --labels: refit the stance and outcome combination on these articles "
        "and the corpus's hand labels instead",
    )
    train.add_argument(
        "--labels", type=Path, metavar="LABELS.jsonl", help="labels of the --devset articles"
    )
    train.add_argument("--corpus", type=Path, default=None, help="corpus folder (its hand labels)")
    train.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the models and manifest (default: the package's, analysis/data/models)",
    )
    train.add_argument(
        "--language",
        action="append",
        choices=("en", "ru"),
        help="train only this language (repeatable; default: both)",
    )
    train.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help="train on the first N training examples only (a quick check, not a model to keep)",
    )
    train.set_defaults(handler=_cmd_train)

    analyze = commands.add_parser(
        "analyze",
        help="write every analysis table of the selected articles as CSV, with a manifest",
        description="Write the analysis tables of the selected articles as formula-safe CSV "
        "files and a manifest.json that records how to reproduce them.",
    )
    analyze.add_argument(
        "--corpus",
        type=location,
        default=None,
        help="corpus folder, or its URL (s3://…, gcs://…: any fsspec URL; read through a "
        "local copy in the cache folder that only new or changed files are copied to)",
    )
    analyze.add_argument("--out", type=Path, required=True, help="folder to write the tables to")
    analyze.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="N",
        help=f"processes for the per-article analyses (default: ${WORKERS_ENV} when set, "
        "else every core); the tables do not depend on it",
    )
    analyze.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help=f"run the per-article analyses on the Dask cluster whose scheduler is at ADDRESS "
        f"(tcp://HOST:PORT; default: ${SCHEDULER_ENV} when set, else this machine); every "
        "worker needs this package installed; the tables do not depend on it",
    )
    analyze.add_argument(
        "--force",
        action="store_true",
        help="write the tables even when --out already holds them (by default a folder "
        "whose manifest records the same corpus, corrections, options, filters and "
        "analysis version, with every table file of the size it records, is left as it is)",
    )
    analyze.add_argument(
        "--store",
        default=None,
        metavar="FOLDER_OR_URL",
        help="keep the per-article results in this folder, or at this fsspec URL (worked on "
        "through a local copy, sent back when the command ends); by default the cache folder's",
    )
    analyze.add_argument(
        "--no-store",
        action="store_true",
        help="analyse every article and keep nothing; by default per-article results are "
        "kept in the cache folder ($NARRATIVES_CACHE_DIR or ~/.cache/narratives) and only "
        "new or changed articles are analysed (the tables are the same either way)",
    )
    _add_filters(analyze)
    terms = analyze.add_argument_group("term contrasts")
    terms.add_argument(
        "--group-by", default="outlet", choices=GROUPING_COLUMNS, help="grouping column"
    )
    terms.add_argument(
        "--compare", nargs=2, metavar=("A", "B"), help="also contrast group A with group B"
    )
    terms.add_argument("--kwic", nargs="+", metavar="TERM", help="keyword in context for terms")
    analyze.add_argument(
        "--blind-spots",
        action="store_true",
        help="also write blind_spots.csv: per meeting, the groups of --group-by that ran "
        "nothing on it and the subjects each left out while others covered them",
    )
    terms.add_argument("--top", type=int, default=None, help="keep each group's top N terms")
    terms.add_argument(
        "--prior-total", type=float, default=AnalysisOptions.prior_total, help="prior total α₀"
    )
    terms.add_argument(
        "--prior-from",
        choices=PRIORS,
        default="selection",
        help="the --compare contrast's prior: term frequencies of all selected articles, "
        "or of A's and B's only (then other articles change nothing in it)",
    )
    terms.add_argument(
        "--max-words", type=int, default=AnalysisOptions.max_words, help="longest phrase (1-3)"
    )
    terms.add_argument(
        "--min-phrase",
        type=int,
        default=AnalysisOptions.min_phrase_count,
        help="corpus count a phrase needs to become a term",
    )
    analyze.set_defaults(handler=_cmd_analyze)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "corpus", None) is None:
        args.corpus = default_corpus_dir()
    try:
        status: int = args.handler(args)
    except (FileNotFoundError, RemoteError) as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
