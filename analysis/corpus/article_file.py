"""One article file: its format (a YAML header, then the text), parsing, writing and naming.

An article is ``corpus/articles/<id>.md``: a YAML header between two ``---``
lines, then the text exactly as published. See ``docs/corpus.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from analysis.corpus.types import Article, Inference, Problem, PublishedDate

__all__ = [
    "MAX_ARTICLE_BYTES",
    "CorpusFileError",
    "format_article",
    "make_article_id",
    "parse_article",
    "write_text_atomically",
]

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

_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CorpusFileError(ValueError):
    """An article file that cannot be read; ``problems`` says everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


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
