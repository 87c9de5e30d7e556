"""Article files: reading, writing and loading the whole corpus with its validation report.

An article is ``corpus/articles/<id>.md``: a YAML header between two ``---``
lines, then the text exactly as published. See ``docs/corpus.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from analysis.corpus.registry import (
    MEETINGS_FILE,
    OUTLETS_FILE,
    Meeting,
    Outlet,
    load_meetings,
    load_outlets,
    meetings_frame,
    outlets_frame,
)
from analysis.corpus.types import ARTICLE_COLUMNS, Article, Inference, Problem, PublishedDate
from analysis.pipeline.memory import release_freed_memory

__all__ = [
    "ARTICLES_DIR",
    "MAX_ARTICLE_BYTES",
    "Corpus",
    "CorpusFileError",
    "corpus_fingerprint",
    "format_article",
    "load_corpus",
    "make_article_id",
    "parse_article",
    "write_text_atomically",
]

ARTICLES_DIR = "articles"
#: Larger files are refused: no news article is this long, a site dump or a binary is.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,150}$")
_LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
_KNOWN_FIELDS = (
    "id",
    "title",
    "outlet",
    "authors",
    "published",
    "url",
    "language",
    "meetings",
    "notes",
    "inferred",
    "extra",
)
_CACHE_VERSION = 1


class CorpusFileError(ValueError):
    """An article file that cannot be read; ``problems`` says everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Corpus:
    """A loaded corpus.

    ``articles`` has the columns documented in :data:`analysis.corpus.types.ARTICLE_COLUMNS`,
    one row per valid article, sorted by id. Articles with errors are left out
    and reported in ``problems`` (with warnings, which do not leave anything out).
    """

    root: Path
    articles: pd.DataFrame
    outlets: pd.DataFrame
    meetings: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    fingerprint: str = ""
    outlet_registry: dict[str, Outlet] = field(default_factory=dict)
    meeting_catalogue: dict[str, Meeting] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


# --- one article file ---------------------------------------------------------------------


def _split_header(text: str, path: str) -> tuple[str, str, int]:
    """Return (header, body, line number of the body's first line)."""
    if not text.startswith("---\n") and not text.startswith("---\r\n"):
        raise CorpusFileError(
            [Problem(path, "(header)", "must start with a '---' line opening the YAML header", 1)]
        )
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n") == "---":
            header = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return header, body, index + 2
    raise CorpusFileError(
        [Problem(path, "(header)", "the YAML header is never closed by a '---' line", 1)]
    )


def _strings(value: Any, *, path: str, name: str, problems: list[Problem]) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    problems.append(Problem(path, name, "must be a text or a list of texts"))
    return ()


def parse_article(data: bytes, *, path: str) -> Article:
    """Parse the bytes of one article file.

    Parameters
    ----------
    data
        The file's content.
    path
        Where it came from, as it should appear in problem reports.

    Raises
    ------
    CorpusFileError
        With every problem of the file (not only the first).
    """
    if len(data) > MAX_ARTICLE_BYTES:
        raise CorpusFileError(
            [
                Problem(
                    path,
                    "(file)",
                    f"is {len(data) / 1e6:.1f} MB; articles over "
                    f"{MAX_ARTICLE_BYTES // (1024 * 1024)} MiB are refused "
                    "(a binary file or a whole-site dump?)",
                )
            ]
        )
    if b"\x00" in data:
        raise CorpusFileError([Problem(path, "(file)", "contains NUL bytes: a binary file?")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise CorpusFileError(
            [
                Problem(
                    path,
                    "(encoding)",
                    f"byte 0x{data[err.start]:02x} at offset {err.start} is not UTF-8; "
                    "re-save the file as UTF-8",
                    line,
                )
            ]
        ) from None
    text = text.removeprefix("\ufeff")
    header_text, body, _ = _split_header(text, path)
    try:
        header = yaml.load(header_text, Loader=_YAML_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        yaml_line = mark.line + 2 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise CorpusFileError(
            [Problem(path, "(header)", f"is not valid YAML: {problem}", yaml_line)]
        ) from None
    if not isinstance(header, Mapping):
        raise CorpusFileError([Problem(path, "(header)", "must be a mapping of field: value")])
    return _article_from_header(header, body, path)


def _article_from_header(header: Mapping[str, Any], body: str, path: str) -> Article:
    problems: list[Problem] = []

    def text_field(name: str, *, required: bool) -> str:
        value = header.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                problems.append(Problem(path, name, "missing; every article needs one"))
            return ""
        if not isinstance(value, str | int | float):
            problems.append(Problem(path, name, "must be a single text value"))
            return ""
        return str(value).strip()

    article_id = text_field("id", required=True)
    if article_id and not _ID_PATTERN.match(article_id):
        problems.append(
            Problem(
                path,
                "id",
                f"{article_id!r} must be lower-case letters, digits, '.', '_' or '-' "
                "(at most 151 characters)",
            )
        )
    title = text_field("title", required=True)
    outlet = text_field("outlet", required=True)
    language = text_field("language", required=True).lower()
    if language and not _LANGUAGE_PATTERN.match(language):
        problems.append(
            Problem(path, "language", f"{language!r} is not an ISO 639 code such as 'en' or 'ru'")
        )
    url = text_field("url", required=False)
    if url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
        problems.append(Problem(path, "url", f"{url!r} is not an http(s) address"))
    try:
        published = PublishedDate.parse(header.get("published"))
    except ValueError as err:
        problems.append(Problem(path, "published", str(err)))
        published = PublishedDate(None, "unknown")
    if published.value is not None and published.value > dt.date.today():
        problems.append(Problem(path, "published", f"{published} is in the future"))
    authors = _strings(header.get("authors"), path=path, name="authors", problems=problems)
    meetings = _strings(header.get("meetings"), path=path, name="meetings", problems=problems)
    inferred = _inferences(header.get("inferred"), path=path, problems=problems)
    extra = header.get("extra") or {}
    if not isinstance(extra, Mapping):
        problems.append(Problem(path, "extra", "must be a mapping of name: value"))
        extra = {}
    extra = dict(extra)
    for key, value in header.items():
        if key not in _KNOWN_FIELDS:
            extra[str(key)] = value
    if not body.strip():
        problems.append(Problem(path, "text", "is empty: put the article text after the header"))
    if problems:
        raise CorpusFileError(problems)
    return Article(
        id=article_id,
        title=title,
        outlet=outlet,
        text=body,
        language=language,
        published=published,
        authors=authors,
        url=url,
        meetings=meetings,
        notes=text_field("notes", required=False),
        inferred=inferred,
        extra=extra,
    )


def _inferences(value: Any, *, path: str, problems: list[Problem]) -> tuple[Inference, ...]:
    if not value:
        return ()
    if not isinstance(value, Mapping):
        problems.append(Problem(path, "inferred", "must map a field to {value, basis}"))
        return ()
    found = []
    for name, record in value.items():
        if not isinstance(record, Mapping) or "basis" not in record:
            problems.append(Problem(path, f"inferred.{name}", "must have a 'value' and a 'basis'"))
            continue
        found.append(Inference(str(name), str(record.get("value", "")), str(record["basis"])))
    return tuple(found)


def format_article(article: Article) -> str:
    """The file text for an article: YAML header, then the text exactly as given."""
    header: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "authors": list(article.authors),
        "published": str(article.published),
        "url": article.url,
        "language": article.language,
        "meetings": list(article.meetings),
        "notes": article.notes,
    }
    if article.inferred:
        header["inferred"] = {i.field: i.to_dict() for i in article.inferred}
    if article.extra:
        header["extra"] = dict(article.extra)
    dumped = yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{dumped}---\n{article.text}"


def write_text_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (a string, or its parts in order) to ``path`` through a temporary file.

    A reader never sees a half-written file, and an interruption leaves the old
    file (or no file) in place.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                for part in text:
                    handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _slug(text: str, *, limit: int) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug


def make_article_id(outlet: str, published: PublishedDate, title: str) -> str:
    """A readable id: ``<outlet>-<date>-<title words>``, e.g. ``osw-2013-05-15-moscow-...``."""
    parts = [_slug(outlet, limit=40) or "unknown", str(published) or "undated"]
    title_slug = _slug(title, limit=60)
    if not title_slug:
        title_slug = hashlib.blake2b(title.encode(), digest_size=4).hexdigest()
    parts.append(title_slug)
    return "-".join(parts)


# --- the whole corpus ---------------------------------------------------------------------


_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _cache_path(root: Path) -> Path:
    base = Path(os.environ.get("NARRATIVES_CACHE_DIR") or Path.home() / ".cache" / "narratives")
    key = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return base / f"articles-{key}.pickle"


def _read_cache(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            cached = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}
    if not isinstance(cached, dict) or cached.get("version") != _CACHE_VERSION:
        return {}
    entries = cached.get("entries")
    return entries if isinstance(entries, dict) else {}


def _write_cache(path: Path, entries: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump({"version": _CACHE_VERSION, "entries": entries}, handle, protocol=5)
        os.replace(tmp, path)
    except OSError:
        # The cache only saves time; a read-only home must not stop the corpus from loading.
        return


def _article_row(article: Article, path: str) -> dict[str, Any]:
    published = article.published
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "authors": "; ".join(article.authors),
        "published": pd.Timestamp(published.value) if published.value else pd.NaT,
        "date_precision": published.precision,
        "year": published.value.year if published.value else None,
        "url": article.url,
        "language": article.language,
        "meetings": "; ".join(article.meetings),
        "meeting": article.meetings[0] if article.meetings else "none",
        "notes": article.notes,
        "inferred": "; ".join(f"{i.field}={i.value} ({i.basis})" for i in article.inferred),
        "text": article.text,
        "path": path,
        "_meeting_keys": article.meetings,
    }


def load_corpus(corpus_dir: Path | str, *, use_cache: bool = True) -> Corpus:
    """Load and validate the corpus in ``corpus_dir``.

    Every problem is reported at once; a bad file is left out and the others
    still load. Parsed files are cached by the hash of their bytes, so the
    cache cannot go stale: an edited file has a new hash and is parsed again.

    Parameters
    ----------
    corpus_dir
        Folder holding ``outlets.yaml``, ``meetings.yaml`` and ``articles/``.
    use_cache
        Keep parsed articles in the user's cache folder (``NARRATIVES_CACHE_DIR``
        or ``~/.cache/narratives``) between runs.
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder {root} does not exist")
    outlets, problems = load_outlets(root)
    meetings, meeting_problems = load_meetings(root)
    problems.extend(meeting_problems)

    articles_dir = root / ARTICLES_DIR
    cache_file = _cache_path(root)
    cache = _read_cache(cache_file) if use_cache else {}
    fresh: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    digests: list[str] = []
    entries = (
        sorted(os.scandir(articles_dir), key=lambda e: e.name) if articles_dir.is_dir() else []
    )
    if not articles_dir.is_dir():
        problems.append(
            Problem(ARTICLES_DIR, "(folder)", "missing: create articles/ and add files")
        )
    for entry in entries:
        rel = f"{ARTICLES_DIR}/{entry.name}"
        if entry.name.startswith(".") or not entry.is_file():
            continue
        if not entry.name.endswith(".md"):
            problems.append(
                Problem(
                    rel, "(file)", "is not an article file (.md) and was skipped", None, "warning"
                )
            )
            continue
        if entry.stat().st_size > MAX_ARTICLE_BYTES:
            with open(entry.path, "rb") as handle:
                data = handle.read(MAX_ARTICLE_BYTES + 1)
        else:
            data = Path(entry.path).read_bytes()
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        digests.append(f"{entry.name}:{digest}")
        key = f"{rel}:{digest}"
        parsed = cache.get(key)
        if parsed is None:
            try:
                parsed = parse_article(data, path=rel)
            except CorpusFileError as err:
                parsed = err.problems
        if use_cache:
            fresh[key] = parsed
        if isinstance(parsed, list):
            problems.extend(parsed)
            continue
        stem = entry.name[: -len(".md")]
        if parsed.id != stem:
            problems.append(
                Problem(
                    rel, "id", f"{parsed.id!r} does not match the file name; rename one of them"
                )
            )
            continue
        rows.append(_article_row(parsed, rel))
    if use_cache and fresh.keys() != cache.keys():
        _write_cache(cache_file, fresh)

    rows = _check_references(rows, outlets, meetings, problems)
    articles = _articles_frame(rows, outlets)
    del rows, fresh, cache
    release_freed_memory()
    return Corpus(
        root=root,
        articles=articles,
        outlets=outlets_frame(outlets),
        meetings=meetings_frame(meetings),
        problems=problems,
        fingerprint=corpus_fingerprint(root, digests),
        outlet_registry=outlets,
        meeting_catalogue=meetings,
    )


def _check_references(
    rows: list[dict[str, Any]],
    outlets: Mapping[str, Outlet],
    meetings: Mapping[str, Meeting],
    problems: list[Problem],
) -> list[dict[str, Any]]:
    counts = Counter(row["id"] for row in rows)
    kept = []
    for row in rows:
        bad = False
        if counts[row["id"]] > 1:
            problems.append(Problem(row["path"], "id", f"{row['id']!r} is used by another file"))
            bad = True
        if row["outlet"] not in outlets:
            problems.append(
                Problem(
                    row["path"],
                    "outlet",
                    f"{row['outlet']!r} is not in {OUTLETS_FILE}; add it there or fix the key",
                )
            )
            bad = True
        for meeting in row["_meeting_keys"]:
            if meeting not in meetings:
                problems.append(
                    Problem(
                        row["path"],
                        "meetings",
                        f"{meeting!r} is not in {MEETINGS_FILE}; add it there or fix the key",
                    )
                )
                bad = True
        if not bad:
            kept.append(row)
    return kept


def _articles_frame(rows: Iterable[dict[str, Any]], outlets: Mapping[str, Outlet]) -> pd.DataFrame:
    rows = list(rows)
    # The texts stay the Python strings they were read as (an object column): every
    # analysis reads them as such, and a string column would hold a second copy.
    texts = np.empty(len(rows), dtype=object)
    texts[:] = [row["text"] for row in rows]
    metadata = [c for c in ARTICLE_COLUMNS if c != "text"]
    frame = pd.DataFrame(
        [{c: row.get(c) for c in metadata} for row in rows],
        columns=metadata,
        index=range(len(rows)),
    )
    frame["outlet_name"] = frame["outlet"].map({k: o.name for k, o in outlets.items()})
    frame["outlet_group"] = frame["outlet"].map({k: o.group for k, o in outlets.items()})
    frame["published"] = pd.to_datetime(frame["published"])
    frame["year"] = frame["year"].astype("Int64")
    string_columns = [c for c in metadata if c not in ("published", "year")]
    frame[string_columns] = frame[string_columns].fillna("").astype(str)
    frame["text"] = pd.Series(texts, dtype=object)
    return frame.sort_values("id", kind="stable").reset_index(drop=True)[list(ARTICLE_COLUMNS)]


def corpus_fingerprint(root: Path, article_digests: Iterable[str]) -> str:
    """A hash of every article file and both registry files: equal fingerprints, equal corpus."""
    digest = hashlib.blake2b(digest_size=16)
    for name in (OUTLETS_FILE, MEETINGS_FILE):
        path = Path(root) / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    for item in sorted(article_digests):
        digest.update(item.encode())
    return digest.hexdigest()
