"""AppTest helpers: open a dashboard page on a corpus, and read what it offers for download."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from dashboard import data
from tests.conftest import REPO, SHIPPED_CORPUS

APP = str(REPO / "dashboard" / "app.py")

#: Two more outlets on the Sochi meeting, so a meeting has outlets to set side by side.
SOCHI_ARTICLES = {
    "cnn-2015-05-12-kerry-and-putin-talk-in-sochi": (
        "cnn",
        "Kerry and Putin talk in Sochi",
        "Secretary of State John Kerry met Vladimir Putin in Sochi on Tuesday. The two men "
        "discussed Ukraine, the Minsk agreements and Syria for four hours.\n\n"
        "Kerry said the sanctions would stay until the Minsk agreements are carried out in "
        "full. Officials described the talks as frank and useful.\n",
    ),
    "the-duran-2015-05-13-washington-blinks-in-sochi": (
        "the-duran",
        "Washington blinks in Sochi",
        "Washington has come to Sochi because its policy of isolating Russia has failed. "
        "Kerry came to Putin, not the other way round.\n\n"
        "The sanctions have failed and the Minsk agreements are the only way forward; Kyiv "
        "must now implement them, as Lavrov said.\n",
    ),
}


def write_article(
    root: Path,
    article_id: str,
    outlet: str,
    title: str,
    text: str,
    *,
    published: str = "2015-05-12",
    meeting: str = "2015-05-sochi",
) -> None:
    """Write one article file with a minimal valid header."""
    header = (
        f"---\nid: {article_id}\ntitle: {json.dumps(title)}\noutlet: {outlet}\nauthors: []\n"
        f"published: '{published}'\nlanguage: en\nmeetings:\n- {meeting}\n---\n"
    )
    (root / "articles" / f"{article_id}.md").write_text(header + text, encoding="utf-8")


@pytest.fixture(autouse=True)
def _preparations_end_with_their_test() -> Iterator[None]:
    """A preparation a page started on a server thread is over before the next test."""
    yield
    data.wait_for_background()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A copy of the shipped corpus that a test may change."""
    root = tmp_path / "corpus"
    shutil.copytree(SHIPPED_CORPUS, root)
    return root


@pytest.fixture
def sochi_corpus(corpus_copy: Path) -> Path:
    """The shipped corpus plus CNN and The Duran on the Sochi meeting (three outlets on it)."""
    for article_id, (outlet, title, text) in SOCHI_ARTICLES.items():
        published = "2015-05-12" if outlet == "cnn" else "2015-05-13"
        write_article(corpus_copy, article_id, outlet, title, text, published=published)
    return corpus_copy


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``open_page("overview", corpus=..., **query)``: an AppTest on that page, run once."""

    def run(page: str, *, corpus: Path = SHIPPED_CORPUS, **query: str | list[str]) -> AppTest:
        monkeypatch.setenv("NARRATIVES_CORPUS", str(corpus))
        app = AppTest.from_file(APP, default_timeout=90)
        app.switch_page(f"views/{page}.py")
        for key, value in query.items():
            app.query_params[key] = value
        app.run()
        return app

    return run


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """Every file offered for download during the test, by media file id.

    A file written only when its button is clicked is written here when the
    test reads it (see :func:`downloaded_rows`).
    """
    offered: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

    def record(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            offered[file_id] = path_or_data
        return file_id

    def record_deferred(self, data_callable, *args, **kwargs):  # type: ignore[no-untyped-def]
        file_id = original_deferred(self, data_callable, *args, **kwargs)
        DEFERRED[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    yield offered
    DEFERRED.clear()


#: Downloads written on a click, by their placeholder id (filled by ``downloads``).
DEFERRED: dict[str, Callable[[], bytes]] = {}


def download_button(app: AppTest, key: str):  # type: ignore[no-untyped-def]
    """The download button whose key is ``key``."""
    for button in app.get("download_button"):
        if button.proto.id.endswith(f"-{key}"):
            return button
    raise AssertionError(f"no download button {key!r} on the page")


def downloaded_rows(app: AppTest, offered: dict[str, bytes], key: str) -> list[dict[str, str]]:
    """The CSV behind download button ``key``, as rows."""
    proto = download_button(app, key).proto
    if proto.deferred_file_id:
        content = DEFERRED[proto.deferred_file_id]().decode("utf-8")
    else:
        content = offered[proto.url.rsplit("/", 1)[-1].split(".", 1)[0]].decode("utf-8")
    return list(csv.DictReader(io.StringIO(content)))


def vega_chart(app: AppTest, index: int = 0) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """The spec and the named datasets of the page's ``index``-th Vega-Lite chart."""
    proto = app.get("vega_lite_chart")[index].proto
    datasets = {
        dataset.name: pa.ipc.open_stream(dataset.data.data).read_pandas()
        for dataset in proto.datasets
    }
    return json.loads(proto.spec), datasets


def texts(app: AppTest, kind: str) -> list[str]:
    """The values of every element of one kind (``info``, ``warning``, ``caption`` ...)."""
    return [str(element.value) for element in getattr(app, kind)]
