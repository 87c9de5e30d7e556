"""The ``narratives`` command line: the same functions the dashboard calls."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis.corpus import load_corpus
from analysis.types import Problem

__all__ = ["default_corpus_dir", "main"]


def default_corpus_dir() -> Path:
    """``$NARRATIVES_CORPUS`` if set, else ``./corpus``."""
    return Path(os.environ.get("NARRATIVES_CORPUS") or "corpus")


def format_problems(problems: Sequence[Problem]) -> str:
    """One line per problem, errors first, in file order."""
    ordered = sorted(problems, key=lambda p: (p.severity != "error", p.file, p.line or 0, p.field))
    return "\n".join(f"{p.severity}: {p}" for p in ordered)


def _cmd_validate(args: argparse.Namespace) -> int:
    corpus = load_corpus(args.corpus, use_cache=not args.no_cache)
    errors = corpus.errors
    warnings = len(corpus.problems) - len(errors)
    if corpus.problems:
        print(format_problems(corpus.problems))
    print(
        f"{len(corpus.articles)} articles valid, {len(corpus.outlets)} outlets, "
        f"{len(corpus.meetings)} meetings; {len(errors)} errors, {warnings} warnings "
        f"in {corpus.root}"
    )
    return 1 if errors else 0


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
        "corpus", nargs="?", type=Path, default=None, help="corpus folder (default: ./corpus)"
    )
    validate.add_argument("--no-cache", action="store_true", help="parse every file again")
    validate.set_defaults(handler=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "corpus", None) is None:
        args.corpus = default_corpus_dir()
    try:
        status: int = args.handler(args)
    except FileNotFoundError as err:
        print(f"narratives: {err}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
