"""Shared fixtures: the repository's paths, the seed documents and a tiny corpus folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.corpus.article_file import parse_article
from analysis.corpus.types import Article

REPO = Path(__file__).resolve().parents[1]

# Every figure the tests build, and every figure a browser test's server draws, is
# checked against Plotly's schema; the dashboard skips that check (see
# dashboard.figures.CHECK_FIGURES). Set before any dashboard module is imported.
os.environ["NARRATIVES_CHECK_FIGURES"] = "1"
SHIPPED_CORPUS = REPO / "corpus"


def last_line_of_python(code: str, *args: str, cache: Path) -> str:
    """Run ``code`` in a fresh Python process in the repository; the last line it printed.

    For what only a new process shows, such as which modules a command loads.
    The process reads the shipped corpus unless told otherwise, and keeps its
    parse cache in ``cache``.
    """
    env = {**os.environ, "NARRATIVES_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    env.pop("NARRATIVES_CORPUS", None)
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the parse cache of every test apart from the user's."""
    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _one_process(monkeypatch: pytest.MonkeyPatch):
    """Analyse in the test's own process unless a test asks for workers.

    Tests work on a few articles in many small chunks, where starting processes
    would cost more than it saves; ``tests/analysis/pipeline/test_workers.py``
    checks that several processes give the same tables.
    """
    monkeypatch.setenv("NARRATIVES_WORKERS", "1")


@pytest.fixture(scope="session")
def seed_articles() -> dict[str, Article]:
    """The five seed documents, parsed from their copies in the shipped corpus.

    Keyed by the seed's file name (``000_418bdc3f17c81445.txt``), which each article
    records in its header as ``extra.source_document``; ``text`` is the document as
    collected, page chrome included.
    """
    seeds: dict[str, Article] = {}
    for path in sorted((SHIPPED_CORPUS / "articles").glob("*.md")):
        article = parse_article(path.read_bytes(), path=str(path))
        source = str(article.extra.get("source_document", ""))
        if source.startswith("seeds/"):
            seeds[source.removeprefix("seeds/")] = article
    return dict(sorted(seeds.items()))


@pytest.fixture
def registry_corpus(tmp_path: Path) -> Path:
    """An empty corpus folder with the shipped outlet registry and meetings catalogue."""
    root = tmp_path / "corpus"
    (root / "articles").mkdir(parents=True)
    for name in ("outlets.yaml", "meetings.yaml"):
        shutil.copy(SHIPPED_CORPUS / name, root / name)
    return root


@pytest.fixture
def tokenized(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts term counting tokenizes from now on, in order."""
    from analysis.measures import terms

    seen: list[str] = []
    original = terms.tokens_and_breaks

    def counting(text: str) -> list[str]:
        seen.append(text)
        return original(text)

    monkeypatch.setattr(terms, "tokens_and_breaks", counting)
    return seen
