"""Per-article results kept on disk, so an analysis only works out what is new or changed.

The per-article analyses (quotations, stance, outcome, frames, agenda, sources
and their evidence) read one article at a time and are the larger part of an
analysis. Their tables are kept in a results store: Parquet files, one folder
(a *segment*) per run that worked something out, and ``index.json``, which
says which article each segment holds under which key. An article's key is a
hash of everything those analyses read of it (its cleaned text included, so a
change in what boilerplate cleaning removes is a change of key); the index
records the version of the analysis code, lexicons, models and libraries, and
a store of any other version is not read.

Beside the segments, ``tokens.pickle`` keeps the token ids of the texts the
last term count read (:class:`analysis.measures.terms.TokenStreams`), so a
count after an import tokenizes only the new and changed texts, and
``cleaning.pickle`` what the last cleaning worked out
(:class:`analysis.text.cleaning.CleaningState`), so only the articles a
change touches are cleaned again. The store
also keeps the last few whole prepared corpora
(``prepared/``, pickles keyed by the corpus's fingerprint, the analysis
options and the version): an unchanged corpus is read back whole,
with no cleaning or term counting, which is what lets a restarted dashboard
show its first page in seconds.

The store is a cache: deleting it loses nothing. It is written so that a
killed run leaves it readable (a segment is renamed into place before the
index names it, the index is replaced in one step), and anything it cannot
read is worked out again, with a note saying why.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.corpus.articles import corpus_cache_path
from analysis.corpus.atomic import TEMP_SUFFIX, write_bytes_atomically, write_pickle_atomically

if TYPE_CHECKING:
    # Imported where a kept count or cleaning is read: a command that reads none (an
    # import, an up-to-date check) does not import SciPy for them.
    from analysis.measures.terms import TokenStreams
    from analysis.text.cleaning import CleaningState

__all__ = [
    "INDEX_FILE",
    "STORE_FORMAT",
    "ResultsStore",
    "analysis_version",
    "article_keys",
    "default_store_root",
]

#: Layout of the store's files; a store of another format is rebuilt.
STORE_FORMAT = 1

#: The store's index: the last file written, naming every segment in use.
INDEX_FILE = "index.json"
_SEGMENTS = "segments"
_SNAPSHOTS = "prepared"
_TOKENS = "tokens.pickle"
_CLEANING = "cleaning.pickle"
#: Whole prepared corpora kept (one per set of analysis options, most recent first).
_MAX_SNAPSHOTS = 3
#: Parquet metadata naming the object columns stored as JSON (tuples and mixed values).
_JSON_COLUMNS = b"narratives_json_columns"
#: More segments than this and the next run writes every live row as one segment.
_MAX_SEGMENTS = 16
_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def analysis_version() -> str:
    """A hash of the analysis code, its data files (lexicons, models) and the libraries' versions.

    Any change to what could change a per-article result changes it.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"format {STORE_FORMAT}\n".encode())
    for library in ("numpy", "pandas", "scikit-learn", "scipy", "regex", "pymorphy3"):
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library} {version}\n".encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _cell_bytes(value: object) -> bytes:
    """A cell as :func:`article_keys` hashes it: its length, then a text's own bytes (its
    repr would escape every character first) or anything else's repr."""
    if type(value) is str:
        data = b"s" + value.encode("utf-8", "surrogatepass")
    else:
        data = b"r" + repr(value).encode()
    return len(data).to_bytes(8, "little") + data


def article_keys(articles: pd.DataFrame) -> list[str]:
    """One key per article: a hash of every column the per-article analyses may read.

    ``articles`` is the table they are given (cleaned text, no raw text). Each
    column is turned into Python values at once (``tolist``: plain ints and
    strings, not NumPy scalars read cell by cell), and each row hashed in one
    call; with its length before each cell, no two rows run together.
    """
    columns = sorted(articles.columns)
    cells = [list(map(_cell_bytes, articles[column].tolist())) for column in columns]
    blake2b = hashlib.blake2b
    return [blake2b(b"".join(row), digest_size=16).hexdigest() for row in zip(*cells, strict=True)]


def default_store_root(corpus_root: Path) -> Path:
    """Where a corpus's results are kept: beside the parse cache, one folder per corpus folder."""
    return corpus_cache_path(corpus_root, "results")


def _encode(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Object columns (tuples beside strings) as JSON text, which Parquet can hold."""
    encoded = {}
    for column in table.columns:
        if table[column].dtype == object:
            encoded[column] = [
                json.dumps(list(v) if isinstance(v, tuple) else v, ensure_ascii=False)
                for v in table[column]
            ]
    return table.assign(**encoded), list(encoded)


def _decode(table: pd.DataFrame, json_columns: Iterable[str]) -> pd.DataFrame:
    decoded = {}
    for column in json_columns:
        values = [json.loads(v) for v in table[column]]
        decoded[column] = pd.Series(
            [tuple(v) if isinstance(v, list) else v for v in values], dtype=object
        )
    return table.assign(**decoded) if decoded else table


@dataclass
class ResultsStore:
    """The per-article results of one corpus folder, kept in ``root``.

    ``notes`` collects what the store had to say (a store from another
    version set aside, an unreadable file), for the command to print.
    """

    root: Path
    notes: list[str] = field(default_factory=list)
    #: Segments found unreadable by :meth:`load`; the next :meth:`save` drops them.
    _unreadable: set[str] = field(default_factory=set)
    #: The index as last read or written (``None``: not read yet).
    _segments: dict[str, list[list[str]]] | None = None

    # -- the index ---------------------------------------------------------------

    def _read_index(self) -> dict[str, list[list[str]]]:
        """Segment name -> its [article id, key] pairs; empty when there is nothing usable.

        Read from disk once; afterwards the index this store last read or wrote.
        """
        if self._segments is None:
            self._segments = self._index_on_disk()
        return self._segments

    def _index_on_disk(self) -> dict[str, list[list[str]]]:
        path = self.root / INDEX_FILE
        if not path.exists():
            return {}
        try:
            index = json.loads(path.read_text(encoding="utf-8"))
            segments = index["segments"]
            if index.get("format") != STORE_FORMAT or not isinstance(segments, dict):
                raise ValueError(f"format {index.get('format')!r}")
        except (OSError, ValueError, KeyError, TypeError) as err:
            self._discard(f"results store {path} is unreadable ({err}); analysing every article")
            return {}
        if index.get("version") != analysis_version():
            self._discard(
                f"results store {self.root} was made by another version of the analysis; "
                "analysing every article again"
            )
            return {}
        return segments

    def _write_index(self, segments: dict[str, list[list[str]]]) -> None:
        body = {"format": STORE_FORMAT, "version": analysis_version(), "segments": segments}
        write_bytes_atomically(self.root / INDEX_FILE, json.dumps(body).encode())
        self._segments = segments

    def _cannot_write(self, err: OSError) -> None:
        """Say once that the store cannot be written, however many writes fail."""
        said = f"results store {self.root} could not be written"
        if not any(note.startswith(said) for note in self.notes):
            self.notes.append(f"{said} ({err})")

    def _discard(self, note: str) -> None:
        """Set the whole store aside (it is only a cache) and say why."""
        self.notes.append(note)
        shutil.rmtree(self.root, ignore_errors=True)

    # -- reading ----------------------------------------------------------------

    def load(
        self, ids: list[str], keys: list[str], tables: Iterable[str]
    ) -> tuple[dict[str, list[pd.DataFrame]], np.ndarray]:
        """The stored rows of the articles whose key is in the store.

        Returns each table's stored parts and, per article, whether its rows
        were found. A segment that cannot be read is left out (its articles
        are then worked out again) and the store rebuilt around it.
        """
        names = list(tables)
        found = np.zeros(len(ids), dtype=bool)
        parts: dict[str, list[pd.DataFrame]] = {name: [] for name in names}
        segments = self._read_index()
        where = {key: name for name, entries in segments.items() for _, key in entries}
        wanted: dict[str, set[str]] = {}
        positions: dict[str, list[int]] = {}
        for position, (article_id, key) in enumerate(zip(ids, keys, strict=True)):
            segment = where.get(key)
            if segment is not None:
                wanted.setdefault(segment, set()).add(article_id)
                positions.setdefault(segment, []).append(position)
        for segment, segment_ids in wanted.items():
            try:
                read = self._read_tables(segment, names, segment_ids)
            except (OSError, ValueError, KeyError, TypeError) as err:
                self.notes.append(
                    f"results store segment {self.root / _SEGMENTS / segment} is unreadable "
                    f"({err}); analysing its {len(segment_ids)} articles again"
                )
                self._unreadable.add(segment)
                continue
            for name, table in read.items():
                parts[name].append(table)
            found[positions[segment]] = True
        return parts, found

    def _read_tables(
        self, segment: str, names: list[str], ids: set[str]
    ) -> dict[str, pd.DataFrame]:
        """The rows of the articles ``ids`` in each of the segment's tables ``names``."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        wanted_ids = pa.array(list(ids))
        read = {}
        for name in names:
            path = self.root / _SEGMENTS / segment / f"{name}.parquet"
            try:
                table = pq.read_table(path)
                # The segment may hold articles since changed or deleted: only the wanted
                # ones count (chosen before conversion; pandas' isin on these strings
                # took 0.8 s of the 1.8 s this read took at 10,000 articles).
                if table.num_rows:
                    wanted = pc.is_in(table.column("article_id"), value_set=wanted_ids)
                    if not pc.all(wanted).as_py():
                        table = table.filter(wanted)
            except Exception as err:  # pyarrow raises its own errors for a damaged file
                raise ValueError(f"{path.name}: {err}") from err
            json_columns = json.loads((table.schema.metadata or {}).get(_JSON_COLUMNS, b"[]"))
            read[name] = _decode(table.to_pandas(), json_columns)
        return read

    # -- whole prepared corpora ----------------------------------------------------

    @staticmethod
    def snapshot_key(*parts: str) -> str:
        """The key of a whole prepared corpus: ``parts`` (corpus, options) and the version."""
        digest = hashlib.blake2b(digest_size=16)
        for part in (analysis_version(), *parts):
            digest.update(part.encode() + b"\0")
        return digest.hexdigest()

    def load_snapshot(self, key: str) -> object | None:
        """The prepared corpus kept under ``key``, or ``None`` (never kept, or unreadable)."""
        return self._read_pickle(self.root / _SNAPSHOTS / f"{key}.pickle", "preparing again")

    def _read_pickle(self, path: Path, instead: str) -> object | None:
        """What ``path`` holds; ``None`` if it is missing or damaged (then removed, with a note)."""
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except Exception as err:  # a damaged pickle raises almost anything
            self.notes.append(f"results store file {path} is unreadable ({err}); {instead}")
            with contextlib.suppress(OSError):
                path.unlink()
            return None

    def save_snapshot(self, key: str, prepared: object) -> None:
        """Keep ``prepared`` under ``key``, with the most recent others (older ones are removed)."""
        folder = self.root / _SNAPSHOTS
        try:
            write_pickle_atomically(folder / f"{key}.pickle", prepared)
            kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in kept[_MAX_SNAPSHOTS:]:
                old.unlink(missing_ok=True)
        except OSError as err:
            self._cannot_write(err)

    # -- what the last cleaning and term count worked out -----------------------

    def load_tokens(self) -> TokenStreams | None:
        """The token streams the last term count kept; ``None`` if none, or another version's."""
        from analysis.measures.terms import TokenStreams

        kept = self._load_kept(_TOKENS, "tokenizing again")
        return kept if isinstance(kept, TokenStreams) else None

    def save_tokens(self, streams: TokenStreams) -> None:
        """Keep the token streams of this term count in place of the last one's."""
        self._save_kept(_TOKENS, streams)

    def load_cleaning(self) -> CleaningState | None:
        """What the last cleaning kept, or ``None`` (none, another version, damaged)."""
        from analysis.text.cleaning import CleaningState

        kept = self._load_kept(_CLEANING, "cleaning every article again")
        return kept if isinstance(kept, CleaningState) else None

    def save_cleaning(self, state: CleaningState) -> None:
        """Keep what this cleaning worked out in place of the last one's."""
        self._save_kept(_CLEANING, state)

    def _load_kept(self, name: str, instead: str) -> object | None:
        # A store of another version is set aside before anything in it is read.
        self._read_index()
        kept = self._read_pickle(self.root / name, instead)
        if not isinstance(kept, dict) or kept.get("version") != analysis_version():
            return None
        return kept.get("kept")

    def _save_kept(self, name: str, kept: object) -> None:
        # ... and before anything is added to it, which setting it aside would remove.
        self._read_index()
        try:
            write_pickle_atomically(self.root / name, {"version": analysis_version(), "kept": kept})
        except OSError as err:
            self._cannot_write(err)

    # -- writing ----------------------------------------------------------------

    def save(
        self,
        ids: list[str],
        keys: list[str],
        computed: dict[str, pd.DataFrame],
        *,
        live_keys: set[str],
    ) -> None:
        """Add the results of newly analysed articles and forget those no longer in the corpus.

        ``ids`` and ``keys`` are the newly analysed articles, ``computed`` their
        tables; ``live_keys`` the keys of every article now in the corpus. A
        store that cannot be written is left as it was, with a note: the
        analysis does not depend on it.
        """
        try:
            # Entries of articles gone from the corpus, or analysed again now, are dropped.
            keep = live_keys - set(keys)
            segments = {
                name: kept
                for name, entries in self._read_index().items()
                if name not in self._unreadable
                and (kept := [entry for entry in entries if entry[1] in keep])
            }
            if ids:
                segments[self._write_segment(computed)] = [
                    [article_id, key] for article_id, key in zip(ids, keys, strict=True)
                ]
            self._commit(segments)
        except OSError as err:
            self._cannot_write(err)

    def compact(self, ids: list[str], keys: list[str], everything: dict[str, pd.DataFrame]) -> None:
        """Once the store has many segments, keep ``everything`` (the whole corpus) as one."""
        if len(self._read_index()) <= _MAX_SEGMENTS:
            return
        try:
            name = self._write_segment(everything)
            self._commit({name: [[i, k] for i, k in zip(ids, keys, strict=True)]})
        except OSError as err:
            self._cannot_write(err)

    def _commit(self, segments: dict[str, list[list[str]]]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self._write_index(segments)
        self._remove_unlisted(set(segments))

    def _write_segment(self, tables: dict[str, pd.DataFrame]) -> str:
        import pyarrow as pa
        import pyarrow.parquet as pq

        name = uuid.uuid4().hex
        folder = self.root / _SEGMENTS
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=folder, suffix=TEMP_SUFFIX))
        try:
            for table_name, frame in tables.items():
                encoded, json_columns = _encode(frame)
                table = pa.Table.from_pandas(encoded, preserve_index=False)
                metadata_: dict[bytes | str, bytes | str] = dict(table.schema.metadata or {})
                metadata_[_JSON_COLUMNS] = json.dumps(json_columns).encode()
                pq.write_table(
                    table.replace_schema_metadata(metadata_), scratch / f"{table_name}.parquet"
                )
            os.replace(scratch, folder / name)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        return name

    def _remove_unlisted(self, listed: set[str]) -> None:
        """Segments the index no longer names (replaced, or left by a killed run)."""
        folder = self.root / _SEGMENTS
        if not folder.is_dir():
            return
        for path in folder.iterdir():
            if path.name not in listed:
                shutil.rmtree(path, ignore_errors=True)
