"""Shared fixtures: the repository's paths and a tiny corpus folder to build on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED_CORPUS = REPO / "corpus"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the parse cache of every test apart from the user's."""
    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def registry_corpus(tmp_path: Path) -> Path:
    """An empty corpus folder with the shipped outlet registry and meetings catalogue."""
    root = tmp_path / "corpus"
    (root / "articles").mkdir(parents=True)
    for name in ("outlets.yaml", "meetings.yaml"):
        shutil.copy(SHIPPED_CORPUS / name, root / name)
    return root
