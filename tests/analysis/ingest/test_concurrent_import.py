"""Two imports at once whose articles want the same id: the corpus lock lets both in, one by one."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from analysis.corpus.articles import load_corpus
from analysis.ingest.importer import import_articles
from analysis.ingest.records import ImportMetadata

TITLE = "Kerry and Putin meet in Sochi"


def _import(root: str, text: str, start: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    metadata = ImportMetadata(outlet="osw", published="2015-05-12", title=TITLE)
    report = import_articles([("story.txt", text.encode())], root, metadata=metadata)
    assert len(report.added) == 1


def test_two_imports_whose_ids_clash_both_get_in(registry_corpus: Path) -> None:
    context = mp.get_context("fork")
    start = context.Barrier(2)
    texts = (
        "Secretary of State John Kerry met Vladimir Putin in Sochi to talk about Syria.",
        "Vladimir Putin received John Kerry at his Black Sea residence; Ukraine came up.",
    )
    importers = [
        context.Process(target=_import, args=(str(registry_corpus), text, start)) for text in texts
    ]
    for importer in importers:
        importer.start()
    for importer in importers:
        importer.join(timeout=300)
        assert importer.exitcode == 0
    corpus = load_corpus(registry_corpus, use_cache=False)
    assert corpus.errors == []
    ids = sorted(corpus.articles["id"])
    assert len(ids) == 2
    assert ids[1] == f"{ids[0]}-2"
    assert sorted(corpus.articles["text"].str.strip()) == sorted(texts)
