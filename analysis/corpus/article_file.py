"""One article file: its format (a YAML header, then the text), parsing, writing and naming.

An article is ``corpus/articles/<id>.md``: a YAML header between two ``---``
lines, then the text exactly as published. See ``docs/corpus.md``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analysis.corpus.schema import (
    DateText,
    TextDateLoader,
    expanded_size_problem,
    field_lines,
    problems_from,
    resolve_dates,
    yaml_date,
)
from analysis.corpus.types import Article, Inference, Problem, PublishedDate

__all__ = [
    "MAX_ARTICLE_BYTES",
    "ArticleHeader",
    "CorpusFileError",
    "encode_article",
    "format_article",
    "make_article_id",
    "parse_article",
]

#: Larger files are refused: no news article is this long, a site dump or a binary is.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
#: More values than this in one header, aliases expanded, is refused (no article has them).
MAX_HEADER_VALUES = 100_000
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,150}$")
_LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
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


def parse_article(data: bytes, *, path: str, size: int | None = None) -> Article:
    """Parse the bytes of one article file.

    Parameters
    ----------
    data
        The file's content (a file over the limit may be given only in part).
    path
        Where it came from, as it should appear in problem reports.
    size
        The file's size in bytes, when ``data`` holds only its beginning.

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
                    f"is {_size(max(len(data), size or 0))}; articles over "
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
        header = yaml.load(header_text, Loader=TextDateLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        yaml_line = mark.line + 2 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise CorpusFileError(
            [Problem(path, "(header)", f"is not valid YAML: {problem}", yaml_line)]
        ) from None
    if not isinstance(header, Mapping):
        raise CorpusFileError([Problem(path, "(header)", "must be a mapping of field: value")])
    too_big = expanded_size_problem(header, limit=MAX_HEADER_VALUES)
    if too_big:
        raise CorpusFileError([Problem(path, "(header)", too_big)])
    # YAML's "\0" and "\ud800" escapes give characters no article file may hold.
    unreadable = [p for key, value in header.items() for p in _unwritable(value, str(key), path)]
    if unreadable:
        raise CorpusFileError(unreadable)
    return _article_from_header(header, body, path, header_text)


def _text(value: object, *, required: bool) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError("missing; every article needs one")
        return ""
    if not isinstance(value, str | int | float):
        raise ValueError("must be a single text value")
    return str(value).strip()


class InferredValue(BaseModel):
    """The schema of one entry of a header's ``inferred``: the value and its basis."""

    model_config = ConfigDict(frozen=True)

    value: str
    basis: str

    @model_validator(mode="before")
    @classmethod
    def _value_and_basis(cls, record: object) -> dict[str, str]:
        if not isinstance(record, Mapping) or "basis" not in record:
            raise ValueError("must have a 'value' and a 'basis'")
        return {"value": str(record.get("value", "")), "basis": str(record["basis"])}


class ArticleHeader(BaseModel):
    """The schema of an article's YAML header (see ``docs/corpus.md``).

    Fields it does not know are not errors: they are kept in ``extra``. Only
    ``published`` may come as :class:`~analysis.corpus.schema.DateText` (read by
    YAML's date rules, so an impossible unquoted date is a problem of this
    field); every other value is as YAML reads it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    id: str = Field(default=None, validate_default=True)
    title: str = Field(default=None, validate_default=True)
    outlet: str = Field(default=None, validate_default=True)
    language: str = Field(default=None, validate_default=True)
    url: str = ""
    published: PublishedDate = PublishedDate(None, "unknown")
    authors: tuple[str, ...] = ()
    meetings: tuple[str, ...] = ()
    inferred: dict[str, InferredValue] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(default_factory=dict)
    notes: str = ""

    @field_validator("id", "title", "outlet", "language", mode="before")
    @classmethod
    def _required_text(cls, value: object) -> str:
        return _text(value, required=True)

    @field_validator("url", "notes", mode="before")
    @classmethod
    def _optional_text(cls, value: object) -> str:
        return _text(value, required=False)

    @field_validator("id")
    @classmethod
    def _id_form(cls, article_id: str) -> str:
        if not _ID_PATTERN.match(article_id):
            raise ValueError(
                f"{article_id!r} must be lower-case letters, digits, '.', '_' or '-' "
                "(at most 151 characters)"
            )
        return article_id

    @field_validator("language")
    @classmethod
    def _language_code(cls, language: str) -> str:
        language = language.lower()
        if not _LANGUAGE_PATTERN.match(language):
            raise ValueError(f"{language!r} is not an ISO 639 code such as 'en' or 'ru'")
        return language

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str) -> str:
        if url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
            raise ValueError(f"{url!r} is not an http(s) address")
        return url

    @field_validator("published", mode="before")
    @classmethod
    def _published(cls, value: object) -> PublishedDate:
        if isinstance(value, DateText):
            try:
                value = yaml_date(value)
            except ValueError:
                value = str(value)
        return PublishedDate.parse(value).plausible()

    @field_validator("authors", "meetings", mode="before")
    @classmethod
    def _texts(cls, value: object) -> tuple[str, ...]:
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            return (value.strip(),)
        if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
            return tuple(str(v).strip() for v in value if str(v).strip())
        raise ValueError("must be a text or a list of texts")

    @field_validator("inferred", mode="before")
    @classmethod
    def _inferences(cls, value: object) -> dict[str, Any]:
        if not value:
            return {}
        if not isinstance(value, Mapping):
            raise ValueError("must map a field to {value, basis}")
        return {str(name): record for name, record in value.items()}

    @field_validator("extra", mode="before")
    @classmethod
    def _extra(cls, value: object) -> dict[str, Any]:
        if not value:
            return {}
        if not isinstance(value, Mapping):
            raise ValueError("must be a mapping of name: value")
        return dict(value)


def _article_from_header(
    header: Mapping[str, Any], body: str, path: str, header_text: str
) -> Article:
    known = {
        str(key): value if key == "published" else resolve_dates(value)
        for key, value in header.items()
        if key in _KNOWN_FIELDS
    }
    problems: list[Problem] = []
    try:
        checked: ArticleHeader | None = ArticleHeader.model_validate(known)
    except ValidationError as err:
        checked = None
        problems = problems_from(err, file=path)
        if isinstance(known.get("published"), DateText):
            # YAML itself reads an unquoted date; say where, as for the header's YAML problems.
            line = field_lines(header_text, first_line=2).get("published")
            problems = [
                Problem(p.file, p.field, p.message, line) if p.field == "published" else p
                for p in problems
            ]
    if not body.strip():
        problems.append(Problem(path, "text", "is empty: put the article text after the header"))
    if problems or checked is None:
        raise CorpusFileError(problems)
    extra = dict(checked.extra)
    for key, value in header.items():
        if key not in _KNOWN_FIELDS:
            extra[str(key)] = resolve_dates(value)
    return Article(
        id=checked.id,
        title=checked.title,
        outlet=checked.outlet,
        text=body,
        language=checked.language,
        published=checked.published,
        authors=checked.authors,
        url=checked.url,
        meetings=checked.meetings,
        notes=checked.notes,
        inferred=tuple(Inference(n, i.value, i.basis) for n, i in checked.inferred.items()),
        extra=extra,
    )


# Line breaks PyYAML writes unescaped outside double quotes (see _HeaderDumper).
_YAML_BREAKS = "\x85\u2028\u2029"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _HeaderDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, except that texts holding U+0085, U+2028 or U+2029 are double-quoted.

    PyYAML writes those characters as they are inside single-quoted and plain
    scalars, and its reader folds a U+0085 written so into a space; escaped in
    double quotes (``\\N``, ``\\L``, ``\\P``) every one of them reads back as itself.
    """


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(char in value for char in _YAML_BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_HeaderDumper.add_representer(str, _represent_text)


def _unwritable(value: object, field: str, path: str) -> list[Problem]:
    """Problems of the texts in ``value`` (and in its items) that no article file can hold."""
    if isinstance(value, Mapping):
        return [
            problem
            for key, item in value.items()
            for problem in _unwritable(key, field, path) + _unwritable(item, f"{field}.{key}", path)
        ]
    if isinstance(value, list | tuple):
        return [p for item in value for p in _unwritable(item, field, path)]
    if not isinstance(value, str):
        return []
    if "\x00" in value:
        at = value.index("\x00")
        return [Problem(path, field, f"holds a NUL character (at character {at}); remove it")]
    surrogate = _LONE_SURROGATE.search(value)
    if surrogate:
        return [
            Problem(
                path,
                field,
                f"holds a lone surrogate U+{ord(surrogate.group()):04X} (at character "
                f"{surrogate.start()}), which is not text UTF-8 can store; fix the source",
            )
        ]
    return []


def format_article(article: Article, *, path: str | None = None) -> str:
    """The file text for an article: YAML header, then the text exactly as given.

    Parameters
    ----------
    article
        The article to write.
    path
        The file it goes to, as problem reports should name it; by default
        ``<id>.md``.

    Raises
    ------
    CorpusFileError
        If :func:`parse_article` would refuse the file (a required field
        empty, a malformed id, language, address or date, an empty text), or
        a field holds characters an article file cannot hold (NUL, or a lone
        surrogate, which is not UTF-8); each problem names its field.
    """
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
    where = f"{article.id}.md" if path is None else path
    problems = [
        problem
        for name, value in [*header.items(), ("text", article.text)]
        for problem in _unwritable(value, name, where)
    ]
    if problems:
        raise CorpusFileError(problems)
    # The reader's own checks, so that nothing is written that parse_article refuses.
    _article_from_header(header, article.text, where, "")
    dumped = yaml.dump(header, Dumper=_HeaderDumper, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{dumped}---\n{article.text}"


def encode_article(article: Article, *, path: str) -> bytes:
    """The bytes of an article's file, refused unless they read back as the same article.

    Whatever is written this way passes :func:`parse_article`, the check
    ``narratives validate`` makes, so a writer (the import) and the validator
    cannot disagree: a future date, a date before 1900, a NUL character, a
    file over :data:`MAX_ARTICLE_BYTES`, a value YAML would change, all are
    refused here, before anything is written.

    Parameters
    ----------
    article
        The article to write.
    path
        How to name the file in problems (e.g. the input file and its line).

    Raises
    ------
    CorpusFileError
        With every problem, each naming the field.
    """
    data = format_article(article, path=path).encode("utf-8")
    if len(data) > MAX_ARTICLE_BYTES:
        raise CorpusFileError(
            [
                Problem(
                    path,
                    "text",
                    f"makes a file of {_size(len(data))}; articles over "
                    f"{MAX_ARTICLE_BYTES // (1024 * 1024)} MiB are refused",
                )
            ]
        )
    read_back = parse_article(data, path=path)
    changed = [
        name for name in _ARTICLE_FIELDS if getattr(read_back, name) != getattr(article, name)
    ]
    if changed:
        raise CorpusFileError(
            [
                Problem(
                    path,
                    name,
                    f"would not read back as given ({getattr(article, name)!r:.60} became "
                    f"{getattr(read_back, name)!r:.60}); remove control characters and "
                    "surrounding spaces",
                )
                for name in changed
            ]
        )
    return data


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"


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
