"""Everything the dashboard caches, in one place. Pages never load or compute the whole corpus.

Every cache, its key, and what makes it read or compute again:

* ``_signatures`` (:func:`_signature`, folder fingerprints) — key: corpus folder.
  Computed again when a folder's modification time changes, when
  :data:`SIGNATURE_MAX_AGE_S` (or :data:`SCAN_SHARE` times the scan) has
  passed, or on :func:`corpus_changed`.
  Read once per script run (:func:`begin_run`): every part of one page
  shows the same version of the corpus.
* ``_load`` (``st.cache_resource``, 2 kept) — key: folder and fingerprint;
  a new fingerprint loads the corpus again.
* ``_prepare`` (``st.cache_resource``, 3 kept) — key: folder, fingerprint and
  analysis options; a new fingerprint prepares again.
* ``_overrides`` (``st.cache_resource``, 4 kept) — key: folder, size, time and
  inode of the overrides file: the overrides read, or what is wrong with the file.
* ``_with_overrides`` (``st.cache_resource``, 4 kept) — key: folder, fingerprint,
  the overrides file's key, options; a changed overrides file applies them
  again (cheap), without preparing again; a broken one applies none.
* ``_background`` (:func:`prepare_in_background`) — key: folder and fingerprint;
  the server thread that fills ``_with_overrides`` for the corpus as it is,
  started once a page that shows only the corpus is drawn (a page that needs
  the analysis meanwhile waits for that thread's value).
* ``_selected`` (``st.cache_data``, 128 kept, least recently used first) —
  key: the library function (term contrasts, keyword in context, search or
  collocates), the prepared corpus's fingerprint and options, the filters, and
  the function's own options (grouping, pair and number of terms, the term, the
  query).
* ``_target_names`` (``st.cache_data``, 4 kept) — key: time and size of the
  targets file, so an edit to it is read at once.
* ``_derived`` (:class:`PerTable`, 24 kept) — key: a table object and the filters
  (:func:`selected_articles`) or what was derived (metadata, row positions).
* ``_indexes`` (:class:`PerTable`, 24 kept) — key: a label table object
  (:func:`article_index`).

A :class:`PerTable` value lives as long as its table object: a new corpus
version or a new overrides file makes new tables, hence new keys.

So the whole-corpus work (:func:`get_corpus`, :func:`get_prepared`) is shared
by every session and done once per corpus version and options, a filter change
never redoes it, and an edited file is read again (at most
:data:`SIGNATURE_MAX_AGE_S` seconds late, or :data:`SCAN_SHARE` times a scan of
a large folder, see :func:`_signature`). Results that
depend on the filters (:func:`contrasts`, :func:`keyword_in_context`) are
computed by the library's own functions and kept per filter, so going back to a
view is instant. Values derived from one table (the selected articles'
metadata, per-article row positions) are kept per table object, which a new
corpus version replaces.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import threading
import time
import weakref
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import replace
from pathlib import Path
from stat import S_ISDIR
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from analysis.corpus.articles import ARTICLES_DIR, Corpus, load_corpus
from analysis.corpus.selection import Selection, filter_articles
from analysis.corpus.types import Problem
from analysis.labels.targets import DEFAULT_TARGETS_FILE, load_targets
from analysis.pipeline.options import AnalysisOptions
from analysis.review.overrides import OVERRIDES_FILE, read_overrides

if TYPE_CHECKING:
    # The analysis modules take seconds to import (scikit-learn among them): pages
    # that show only the corpus (the Overview) are drawn before they are needed.
    from analysis.pipeline.prepare import PreparedCorpus

__all__ = [
    "TEXT_COLUMNS",
    "CorpusUnavailableError",
    "PerTable",
    "article_index",
    "article_row",
    "articles_by_id",
    "begin_run",
    "collocates",
    "contrasts",
    "corpus_changed",
    "corpus_dir",
    "export_bundle",
    "get_corpus",
    "get_prepared",
    "keyword_in_context",
    "overrides_problem",
    "prepare_in_background",
    "search",
    "selected_articles",
    "target_names",
    "wait_for_background",
]

_REPO_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


class CorpusUnavailableError(RuntimeError):
    """The corpus folder cannot be loaded at all (missing, or its registry is unreadable)."""


def corpus_dir() -> Path:
    """``$NARRATIVES_CORPUS`` if set, else the corpus shipped beside the dashboard."""
    return Path(os.environ.get("NARRATIVES_CORPUS") or _REPO_CORPUS)


#: How long a computed signature is trusted while the folders' own modification times
#: are unchanged, at least. An article edited in place (same file name, no rename)
#: shows up at most this many seconds late (or :data:`SCAN_SHARE` times the scan, on a
#: large corpus); a file added, removed or renamed shows up at once.
SIGNATURE_MAX_AGE_S = 2.0
#: A signature is also trusted for this many times as long as its scan took, so
#: stating every file takes at most a twentieth of the time however large the
#: corpus (0.3-0.5 s at 50,000 articles: a 6-10 s window).
SCAN_SHARE = 20

#: With the operating system reporting changes to both folders (inotify on Linux, see
#: :class:`_FolderWatch`), a signature is trusted until a change is reported, or for this
#: long at most: a change no report covers (a file edited from another machine on a
#: network drive) shows up this late at most.
WATCHED_MAX_AGE_S = 30.0
#: Folders watched at once; the least recently used watch is stopped past this.
_MAX_WATCHES = 4

#: The time source of the signature cache (tests replace it).
_clock = time.monotonic
#: Per folder and skipped names: the folders' times, when the signature expires, itself,
#: and the changes its folder watch had reported before the scan (-1 without a watch).
_signatures: dict[tuple[str, tuple[str, ...]], tuple[tuple[int, ...], float, int, int]] = {}
_signatures_lock = threading.Lock()
#: Per folder: the article files' stats of the scan that found a new fingerprint, kept
#: until the corpus of that fingerprint is loaded (see :func:`_scanned_stats`).
_stats: dict[str, tuple[int, dict[str, os.stat_result]]] = {}
#: Bumped by :func:`corpus_changed`: a run's pinned fingerprint of an older generation is stale.
_generation = 0
#: Where a script run keeps the corpus key it read first (see :func:`begin_run`).
_RUN_KEY = "_narratives_corpus_key"


def _folders(root: Path) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...] | None]:
    """The corpus folder and its articles folder: their modification times (-1 when
    missing), and which folders they are (device and inode; ``None`` unless both are).

    A folder's time changes whenever a file in it is added, removed or renamed
    (editors and the importer that replace a file by renaming change it too); a
    folder removed and made again is another folder, which a watch of the old
    one does not see (:class:`_FolderWatch`).
    """
    times: list[int] = []
    ids: list[tuple[int, int]] | None = []
    for folder in (root, root / ARTICLES_DIR):
        try:
            found = folder.stat()
        except OSError:
            times.append(-1)
            ids = None
            continue
        times.append(found.st_mtime_ns)
        if ids is not None and S_ISDIR(found.st_mode):
            ids.append((found.st_dev, found.st_ino))
        else:
            ids = None
    return tuple(times), (tuple(ids) if ids is not None else None)


class _FolderWatch(FileSystemEventHandler):
    """Counts the changes the operating system reports in a corpus folder and its articles.

    Stating every article file to see whether one was edited in place takes a
    tenth of a second at 10,000 articles, on every rerun after a pause. With
    this watch a rerun states nothing until a change is reported.
    """

    #: Reports of reading, not changing, a file.
    _READS = frozenset({"opened", "closed_no_write"})

    def __init__(self, root: Path, folders: tuple[tuple[int, int], ...]) -> None:
        self.changes = 0
        #: The folders watched, as :func:`_folders` gives them.
        self.folders = folders
        self._observer = Observer()
        if isinstance(self._observer, PollingObserver):
            # Polling would state every file each second: worse than stating them on a rerun.
            raise OSError("this system does not report changes to folders")
        try:
            for folder in (root, root / ARTICLES_DIR):
                self._observer.schedule(self, str(folder), recursive=False)
            self._observer.daemon = True
            self._observer.start()
        except Exception:
            self.stop()
            raise

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in self._READS:
            self.changes += 1

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._observer.stop()


#: The folder watches, by corpus folder, least recently used first (``None``: cannot watch).
_watches: OrderedDict[str, _FolderWatch | None] = OrderedDict()


def _watch(root: Path, folders: tuple[tuple[int, int], ...]) -> _FolderWatch | None:
    """The watch of ``root``'s two folders (``folders``, see :func:`_folders`), started on
    first use; ``None`` if they cannot be watched (no reports on this system, the system's
    limit of watches)."""
    key = str(root)
    with _signatures_lock:
        known = _watches.get(key)
        if known is not None and known.folders == folders:
            _watches.move_to_end(key)
            return known
        if known is not None:
            known.stop()
        elif key in _watches:
            _watches.move_to_end(key)
            return None
        try:
            watch: _FolderWatch | None = _FolderWatch(root, folders)
        except Exception:
            watch = None
        _watches[key] = watch
        while len(_watches) > _MAX_WATCHES:
            _, stopped = _watches.popitem(last=False)
            if stopped is not None:
                stopped.stop()
        return watch


def _scan(root: Path, skip: tuple[str, ...]) -> tuple[int, dict[str, os.stat_result]]:
    """The folder's fingerprint, and what stating each article file gave (by name)."""
    entries: list[tuple[str, int, int]] = []
    articles: dict[str, os.stat_result] = {}
    for folder in (root, root / ARTICLES_DIR):
        if not folder.is_dir():
            continue
        for entry in os.scandir(folder):
            if entry.is_file() and entry.name not in skip:
                stat = entry.stat()
                entries.append((entry.name, stat.st_size, stat.st_mtime_ns))
                if folder != root:
                    articles[entry.name] = stat
    return hash(tuple(sorted(entries))), articles


def _scanned_stats(root: str, signature: int) -> dict[str, os.stat_result] | None:
    """The article files' stats of the scan that gave ``signature``, once, for loading it."""
    with _signatures_lock:
        kept = _stats.pop(root, None)
    return kept[1] if kept is not None and kept[0] == signature else None


def _signature(root: Path, *, skip: tuple[str, ...] = (OVERRIDES_FILE.name,)) -> int:
    """A fingerprint of the folder: any file added, removed or edited changes it.

    Stating every article file takes a tenth of a second at 10,000 articles, so
    the fingerprint is reused while both folders keep their modification times,
    no change was reported in them (:class:`_FolderWatch`; where folders cannot
    be watched, every change counts as reported after
    :data:`SIGNATURE_MAX_AGE_S`), and it is younger than
    :data:`WATCHED_MAX_AGE_S`, or :data:`SCAN_SHARE` times what its scan took
    when that is longer:

    * a file added, removed or renamed (which is how the importer and most
      editors write) changes a folder's time and is picked up on the next rerun;
    * a file rewritten in place under the same name is picked up once the
      system reports it (within a second), or, unwatched, at most
      :data:`SIGNATURE_MAX_AGE_S` late;
    * changes made through the dashboard call :func:`corpus_changed` and are
      picked up at once.

    The analyst's overrides are left out: applying them is cheap
    (:meth:`PreparedCorpus.with_overrides`), so a label correction never
    redoes the whole analysis (their own signature is checked on every rerun).
    """
    key = (str(root), skip)
    now = _clock()
    times, folders = _folders(root)
    watch = _watch(root, folders) if folders is not None else None
    # Read before the files: a change reported during the scan leaves the count
    # different from the stored one, and is seen on the next call.
    changes = watch.changes if watch is not None else -1
    cached = _signatures.get(key)
    if (
        cached is not None
        and cached[0] == times
        and now < cached[1]
        and (watch is None or cached[3] == changes)
    ):
        return cached[2]
    # The folder times are read before the files, so a change made during the scan
    # leaves them different from the stored ones and is seen on the next call.
    signature, stats = _scan(root, skip)
    took = _clock() - now
    trusted = WATCHED_MAX_AGE_S if watch is not None else SIGNATURE_MAX_AGE_S
    with _signatures_lock:
        _signatures[key] = (times, now + max(trusted, SCAN_SHARE * took), signature, changes)
        if cached is None or cached[2] != signature:
            # A new fingerprint: the corpus is loaded next, and need not state the files again.
            _stats[str(root)] = (signature, stats)
        else:
            _stats.pop(str(root), None)
    return signature


def corpus_changed() -> None:
    """Expire the folder fingerprints, so the next read sees files the dashboard just wrote.

    Each is kept, expired, so that the next scan knows whether it found a new one.
    """
    global _generation
    with _signatures_lock:
        for key, (times, _, signature, changes) in list(_signatures.items()):
            _signatures[key] = (times, -math.inf, signature, changes)
        _stats.clear()
        _generation += 1


def begin_run() -> None:
    """Start a script run: the first read of the corpus key in it is kept for the whole run.

    A page asks for the corpus many times while it is drawn (every chart's
    caption counts its articles). Without this, a run longer than
    :data:`SIGNATURE_MAX_AGE_S` (the first one on a large corpus, which loads
    it) stated every article file again on each ask, and a file edited during
    the run could give one page two versions of the corpus. A change the
    dashboard itself makes (:func:`corpus_changed`) is still read at once.
    """
    if get_script_run_ctx(suppress_warning=True) is not None:
        st.session_state.pop(_RUN_KEY, None)


def _overrides_signature(root: Path) -> tuple[int, int, int]:
    path = root / OVERRIDES_FILE
    try:
        stat = path.stat()
    except OSError:
        try:
            # A link to nothing is a broken file, not a missing one.
            stat = path.lstat()
        except OSError:
            return (0, 0, 0)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


@st.cache_resource(max_entries=4, show_spinner=False)
def _overrides(
    root: str, overrides_key: tuple[int, int, int]
) -> tuple[pd.DataFrame, Problem | None]:
    return read_overrides(Path(root))


def overrides_problem() -> Problem | None:
    """What is wrong with the corpus's overrides file, or ``None``.

    While it is broken no correction is applied on any page
    (:func:`get_prepared`), not even the ones read before it broke.
    """
    root = corpus_dir()
    return _overrides(str(root), _overrides_signature(root))[1]


@st.cache_resource(max_entries=2, show_spinner="Loading the corpus…")
def _load(root: str, signature_key: int) -> Corpus:
    # The texts stay in the parse cache's file until a page or the analysis reads
    # them: the Overview, the first page, shows metadata only.
    return load_corpus(Path(root), mapped_texts=True, stats=_scanned_stats(root, signature_key))


@st.cache_resource(max_entries=3, show_spinner=False)
def _prepare(
    root: str, signature_key: int, prior_total: float, max_words: int, min_phrase_count: int
) -> tuple[PreparedCorpus, tuple[str, ...]]:
    """The prepared corpus, with what the results store had to say while preparing it."""
    options = AnalysisOptions(
        prior_total=prior_total, max_words=max_words, min_phrase_count=min_phrase_count
    )
    # Imported here: the Overview, the first page, shows the corpus without SciPy.
    from analysis.pipeline.prepare import prepare_corpus
    from analysis.pipeline.store import ResultsStore, default_store_root

    corpus = _load(root, signature_key)
    # Per-article results kept by an earlier run (the CLI's or a previous
    # server's) are read back, so a restarted server only analyses what changed.
    store = ResultsStore(default_store_root(corpus.root))
    prepared = prepare_corpus(corpus, options=options, store=store)
    return prepared, tuple(store.notes)


def store_notes() -> tuple[str, ...]:
    """What the results store said when the analysis in use was prepared.

    A store that could not be written, or one of another version set aside:
    the analysis is complete either way, but the next start will be slower.
    Read after :func:`get_prepared`, whose preparation it shares (cached).
    """
    root, signature = _key()
    base = AnalysisOptions()
    return _prepare(
        root, signature, AnalysisOptions.prior_total, base.max_words, base.min_phrase_count
    )[1]


def _key() -> tuple[str, int]:
    """The corpus folder and its fingerprint: read once per script run (see :func:`begin_run`)."""
    in_run = get_script_run_ctx(suppress_warning=True) is not None
    root = corpus_dir()
    if in_run:
        pinned = st.session_state.get(_RUN_KEY)
        if pinned is not None and pinned[0] == (_generation, str(root)):
            return pinned[1]
    if not root.is_dir():
        raise CorpusUnavailableError(
            f"The corpus folder {root} does not exist. Set NARRATIVES_CORPUS to a corpus "
            "folder (with outlets.yaml, meetings.yaml and articles/)."
        )
    generation = _generation
    key = str(root), _signature(root)
    if in_run:
        st.session_state[_RUN_KEY] = ((generation, str(root)), key)
    return key


def get_corpus() -> Corpus:
    """The corpus, loaded once per change of its files (shared by every session).

    Raises
    ------
    CorpusUnavailableError
        If the folder is missing or cannot be loaded at all.
    """
    root, signature = _key()
    try:
        return _load(root, signature)
    except (OSError, ValueError) as err:
        raise CorpusUnavailableError(f"The corpus in {root} cannot be loaded: {err}") from err


def get_prepared(options: AnalysisOptions | None = None) -> PreparedCorpus:
    """The whole-corpus analysis (cleaned texts, term counts) for ``options``.

    Computed once per corpus version and options; filters never trigger it.
    """
    options = options or AnalysisOptions()
    root, signature = _key()
    # The prior and the longest phrase only enter the contrasts (the counts always
    # hold phrases of every length), so a prepared corpus with the same phrase
    # count threshold is reused under new ones.
    base = AnalysisOptions(min_phrase_count=options.min_phrase_count)
    try:
        prepared = _with_overrides(
            root,
            signature,
            _overrides_signature(Path(root)),
            base.max_words,
            base.min_phrase_count,
        )
    except Exception as err:
        # The page shows the reason instead of a traceback; the server log keeps the details.
        raise CorpusUnavailableError(f"The corpus in {root} cannot be analysed: {err}") from err
    return prepared if options == base else replace(prepared, options=options)


@st.cache_resource(max_entries=4, show_spinner=False)
def _with_overrides(
    root: str,
    signature_key: int,
    overrides_key: tuple[int, int, int],
    max_words: int,
    min_phrase_count: int,
) -> PreparedCorpus:
    prepared, _notes = _prepare(
        root, signature_key, AnalysisOptions.prior_total, max_words, min_phrase_count
    )
    # Always applied again, so a broken file leaves the computed labels, never
    # the corrections the preparation read.
    return prepared.with_overrides(*_overrides(root, overrides_key))


#: Preparations started by :func:`prepare_in_background`, by corpus folder and fingerprint:
#: each thread, and what tells it to start before its delay is up.
_background: dict[tuple[str, int], tuple[threading.Thread, threading.Event]] = {}
_background_lock = threading.Lock()
#: Seconds between a page asking for the preparation and its start. The browser is still
#: drawing that page: reading a kept analysis back (a 300 MB prepared corpus at 10,000
#: articles, unpickled in one call) took the interpreter from the messages still to be
#: sent and the CPU from the drawing, and a restart's Overview showed 2-3 s later. A page
#: that needs the analysis before then prepares it itself (the preparation is shared).
BACKGROUND_DELAY_S = 3.0


def prepare_in_background() -> None:
    """Start preparing the corpus as it now is on a server thread, if no one has yet.

    Called by pages that show only the corpus once they are drawn, so the
    analysis pages that follow find it ready (or nearly). It is the same cached
    preparation :func:`get_prepared` reads: a page that asks for it while the
    thread works waits for that result instead of preparing it a second time.
    An error is left for that page to report.
    """
    try:
        root, signature = _key()
    except CorpusUnavailableError:
        return
    overrides_key = _overrides_signature(Path(root))
    base = AnalysisOptions()

    now = threading.Event()

    def prepare() -> None:
        now.wait(BACKGROUND_DELAY_S)
        # At the server's own priority: a page that needs the analysis waits for
        # this thread, and must not wait behind everything else the machine runs.
        # The page that needs the analysis computes it again and shows the reason.
        with contextlib.suppress(Exception):
            _with_overrides(root, signature, overrides_key, base.max_words, base.min_phrase_count)

    with _background_lock:
        for key, (thread, _) in list(_background.items()):
            if not thread.is_alive() and key != (root, signature):
                del _background[key]
        if (root, signature) in _background:
            return
        thread = threading.Thread(target=prepare, name="narratives-prepare", daemon=True)
        _background[(root, signature)] = (thread, now)
        thread.start()


def wait_for_background(timeout: float | None = None) -> None:
    """Start every preparation :func:`prepare_in_background` started, now, and wait for it."""
    with _background_lock:
        started = list(_background.values())
    for thread, now in started:
        now.set()
        thread.join(timeout)


def _options_key(prepared: PreparedCorpus) -> tuple[str, float, int, int]:
    options = prepared.options
    return (
        prepared.fingerprint,
        options.prior_total,
        options.max_words,
        options.min_phrase_count,
    )


#: A library function of the prepared corpus and the filters, computed by :func:`_selected`.
_OfSelection = Callable[..., pd.DataFrame]


@st.cache_data(max_entries=128, show_spinner=False)
def _selected(
    _compute: _OfSelection,
    name: str,
    _prepared: PreparedCorpus,
    key: tuple[str, float, int, int],
    _selection: Selection,
    selection_key: str,
    options: dict[str, Any],
) -> pd.DataFrame:
    return _compute(_prepared, _selection, **options)


def _kept_per_selection(name: str, spinner: str) -> _OfSelection:
    """:mod:`analysis.pipeline.tables`'s ``name(prepared, selection, **options)``, kept per
    corpus, filters and options.

    ``spinner`` shows while a result is computed (not when it is read back). The
    module is imported on the first call: only pages with the analysis call it.
    """

    def kept(prepared: PreparedCorpus, selection: Selection, /, **options: Any) -> pd.DataFrame:
        from analysis.pipeline import tables

        with st.spinner(spinner):
            return _selected(
                getattr(tables, name),
                name,
                prepared,
                _options_key(prepared),
                selection,
                repr(selection),
                options,
            )

    kept.__name__ = kept.__qualname__ = name
    kept.__doc__ = f":func:`analysis.pipeline.tables.{name}`, kept per filters."
    return kept


#: :func:`analysis.pipeline.tables.term_contrasts`, kept per filters and options.
contrasts = _kept_per_selection("term_contrasts", "Contrasting terms…")
#: :func:`analysis.pipeline.tables.keyword_table`, kept per filters and term.
keyword_in_context = _kept_per_selection("keyword_table", "Finding the term in context…")
#: :func:`analysis.pipeline.tables.search_table`, kept per filters and query.
search = _kept_per_selection("search_table", "Searching the articles…")
#: :func:`analysis.pipeline.tables.collocate_table`, kept per filters, term and groups.
collocates = _kept_per_selection("collocate_table", "Counting the words around the term…")


_T = TypeVar("_T")


class PerTable:
    """Values derived from a table object, kept while that object lives.

    Tables come from the cached corpus and are never changed in place, so a
    value computed from one stays right for as long as it exists; a new corpus
    version is a new object, hence a new key. Only a weak reference to the table
    is kept (an old corpus version is not held in memory), and at most ``size``
    values, the least recently used going first.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple[int, Hashable], tuple[weakref.ref[Any], Any]]
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, table: pd.DataFrame, key: Hashable, make: Callable[[], _T]) -> _T:
        slot = (id(table), key)
        with self._lock:
            found = self._items.get(slot)
            if found is not None and found[0]() is table:
                self._items.move_to_end(slot)
                return found[1]
        value = make()
        with self._lock:
            self._items[slot] = (weakref.ref(table), value)
            self._items.move_to_end(slot)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


#: Columns holding whole texts, left out of the pages' article tables (see :func:`article_row`).
TEXT_COLUMNS = ("text", "text_clean")
#: A selection's metadata is about 2.4 MB at 10,000 articles, so this holds at most ~60 MB.
_derived = PerTable(size=24)


def _metadata(articles: pd.DataFrame) -> pd.DataFrame:
    return _derived.get(
        articles,
        "metadata",
        lambda: articles.drop(columns=[c for c in TEXT_COLUMNS if c in articles.columns]),
    )


def selected_articles(articles: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """:func:`analysis.corpus.selection.filter_articles` of ``articles`` without their texts.

    Pages list, count and group articles by their metadata; copying the texts
    of 10,000 articles on every rerun cost more than all the rest. The result is
    kept per table and selection, so each filter is applied once per corpus
    version; the texts of one article come from :func:`article_row`.
    """

    def make() -> pd.DataFrame:
        return filter_articles(_metadata(articles), selection)

    # A shallow copy: a page that adds a column to it never changes the kept one.
    return _derived.get(articles, selection, make).copy(deep=False)


def _positions(articles: pd.DataFrame) -> dict[str, int]:
    return _derived.get(
        articles,
        "positions",
        lambda: {str(key): n for n, key in enumerate(articles["id"])},
    )


def article_row(articles: pd.DataFrame, article_id: str) -> pd.Series:
    """The row of one article, texts included.

    Raises
    ------
    KeyError
        If ``articles`` has no such article.
    """
    return articles.iloc[_positions(articles)[article_id]]


def articles_by_id(articles: pd.DataFrame, article_ids: Iterable[object]) -> pd.DataFrame:
    """The rows of these articles, texts included, in table order (unknown ids left out).

    Looked up through an index built once per table, so taking a few articles
    out of 10,000 costs next to nothing.
    """
    positions = _positions(articles)
    found = sorted({positions[key] for key in map(str, article_ids) if key in positions})
    return articles.iloc[found]


#: Per-article row positions of the prepared label tables, kept while each table lives.
_indexes = PerTable(size=24)


def article_index(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """The row positions of each article in a table with an ``article_id`` column.

    Computed once per table object, so finding a few articles' rows in a
    100k-row evidence table costs next to nothing.
    """

    def make() -> dict[str, np.ndarray]:
        groups = table.groupby("article_id", sort=False).indices
        return {str(key): np.asarray(rows) for key, rows in groups.items()}

    return _indexes.get(table, "article index", make)


@st.cache_data(max_entries=4, show_spinner=False)
def _target_names(stamp: tuple[int, int]) -> dict[str, str]:
    return {key: target.name for key, target in load_targets()[0].items()}


def target_names() -> dict[str, str]:
    """Each stance target's name, read again whenever the targets file changes."""
    stat = DEFAULT_TARGETS_FILE.stat()
    return _target_names((stat.st_mtime_ns, stat.st_size))


def export_bundle(
    prepared: PreparedCorpus,
    selection: Selection,
    *,
    by: str = "outlet",
    compare: tuple[str, str] | None = None,
    kwic_terms: tuple[str, ...] = (),
) -> bytes:
    """A zip of every analysis table and ``manifest.json``, as ``narratives analyze`` writes them.

    Written by :func:`analysis.pipeline.export.write_analysis`, as the command
    line writes them, so with the same filters the CSV files are byte-identical
    to its output (the manifest differs only in its creation time).

    Raises
    ------
    ValueError
        If the selection is empty or the contrast cannot be made.
    """
    from analysis.pipeline.export import write_analysis

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        write_analysis(
            prepared, selection, bundle, group_by=by, compare=compare, kwic_terms=kwic_terms
        )
    return buffer.getvalue()
