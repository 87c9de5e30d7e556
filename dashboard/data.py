"""Everything the dashboard caches: the loaded corpus. Pages never load or compute directly."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from analysis.corpus import ARTICLES_DIR, Corpus, load_corpus

__all__ = ["corpus_dir", "get_corpus"]

_REPO_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def corpus_dir() -> Path:
    """``$NARRATIVES_CORPUS`` if set, else the corpus shipped beside the dashboard."""
    return Path(os.environ.get("NARRATIVES_CORPUS") or _REPO_CORPUS)


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """A cheap fingerprint of the folder: any file added, removed or edited changes it."""
    entries: list[tuple[str, int, int]] = []
    for folder in (root, root / ARTICLES_DIR):
        if not folder.is_dir():
            continue
        for entry in os.scandir(folder):
            if entry.is_file():
                stat = entry.stat()
                entries.append((entry.path, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


@st.cache_resource(max_entries=2, show_spinner="Loading the corpus…")
def _load(root: str, _signature_key: int) -> Corpus:
    return load_corpus(Path(root))


def get_corpus() -> Corpus:
    """The corpus, loaded once per change of its files (shared by every session)."""
    root = corpus_dir()
    return _load(str(root), hash(_signature(root)))
