"""Schemas of the data files and the translation of their validation errors into Problems.

Every data file (``outlets.yaml``, ``meetings.yaml``, article headers, the
lexicons in ``analysis/data/``, ``overrides.csv`` and the hand labels) is
described by a pydantic model. A model's validators raise ``ValueError`` with
the message an analyst should read; :func:`problems_from` and
:func:`lexicon_error` turn pydantic's error list into the project's
:class:`~analysis.corpus.types.Problem` records or one precise ``ValueError``,
so no raw pydantic output reaches a user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from analysis.corpus.types import Problem

__all__ = [
    "STRICT",
    "DateText",
    "TextDateLoader",
    "WordSet",
    "error_field",
    "error_message",
    "expanded_size_problem",
    "field_lines",
    "lexicon_error",
    "problems_from",
    "read_yaml_mapping",
    "record_error",
    "resolve_dates",
    "validate_lexicon",
    "yaml_date",
]

#: Model configuration of every schema: unknown keys are an error, values are not coerced.
STRICT = ConfigDict(extra="forbid", frozen=True, strict=True)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_DATE_TEXT = "tag:narratives,2024:date-text"
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Model = TypeVar("_Model", bound=BaseModel)


class DateText(str):
    """A plain YAML scalar that YAML reads as a date (``2015-05-12``), kept as its text.

    The schema parses it (:func:`yaml_date`), so an impossible date such as
    ``2015-13-45`` is a problem in a named field rather than an error inside
    the YAML reader.
    """

    __slots__ = ()


class TextDateLoader(_BASE_LOADER):
    """PyYAML's safe loader, except that dates stay text (:class:`DateText`)."""


TextDateLoader.yaml_implicit_resolvers = {
    first: [(_DATE_TEXT if tag == _TIMESTAMP else tag, pattern) for tag, pattern in resolvers]
    for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
}
TextDateLoader.add_constructor(
    _DATE_TEXT, lambda loader, node: DateText(loader.construct_scalar(node))
)


def yaml_date(text: str) -> dt.date:
    """The date (or date and time) YAML's own rules read in ``text``.

    Raises
    ------
    ValueError
        If ``text`` names a day that does not exist.
    """
    if not yaml.constructor.SafeConstructor.timestamp_regexp.match(text):
        raise ValueError(f"{text!r} is not a YAML date")
    node = yaml.ScalarNode(_TIMESTAMP, str(text))
    value: dt.date = yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
    return value


def resolve_dates(value: Any) -> Any:
    """``value`` with every :class:`DateText` read as YAML reads it (for data kept as given).

    A text that names no real day stays text.
    """
    if isinstance(value, DateText):
        try:
            return yaml_date(value)
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return [resolve_dates(v) for v in value]
    if isinstance(value, dict):
        return {resolve_dates(k): resolve_dates(v) for k, v in value.items()}
    return value


#: More values than this in one YAML document, counted with its aliases expanded, is refused.
MAX_YAML_VALUES = 1_000_000


def expanded_size_problem(data: object, *, limit: int = MAX_YAML_VALUES) -> str | None:
    """What is wrong when ``data`` holds more than ``limit`` values, aliases expanded; else None.

    A YAML alias (``*a``) repeats a value without copying it, so nine lines of
    aliases can stand for a billion values: reading those would stop every
    command for minutes. The count stops as soon as it passes ``limit``.
    """
    count = 0
    stack = [data]
    while stack:
        value = stack.pop()
        count += 1
        if count > limit:
            return (
                f"holds more than {limit:,} values once its aliases (*name) are expanded; "
                "write the values out instead of repeating them through aliases"
            )
        if isinstance(value, Mapping):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return None


def field_lines(text: str, *, first_line: int = 1) -> dict[str, int]:
    """Line of each top-level key of the YAML mapping ``text``, which starts on ``first_line``."""
    node = yaml.compose(text, Loader=TextDateLoader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + first_line for k, _ in node.value}


def error_field(error: Mapping[str, Any], *, prefix: str = "") -> str:
    """The dotted field name an error is about (``"(entry)"`` for the whole record)."""
    loc = ".".join(str(part) for part in error["loc"])
    return ".".join(p for p in (prefix, loc) if p) or "(entry)"


def error_message(error: Mapping[str, Any]) -> str:
    """What to do, in the schema's words (a validator's message as written)."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    if error["type"] == "extra_forbidden":
        return "is not a known field; check its spelling"
    if error["type"] == "missing":
        return "missing"
    return str(error["msg"])


def problems_from(
    error: ValidationError,
    *,
    file: str,
    line: int | None = None,
    lines: Mapping[str, int] | None = None,
    prefix: str = "",
) -> list[Problem]:
    """One :class:`Problem` per error of ``error``, in the schema's field order.

    Parameters
    ----------
    error
        From a model's ``model_validate``.
    file
        The file (and entry) as it should appear in the report.
    line
        The line of the record, when known.
    lines
        Line of each top-level field, when known; wins over ``line``.
    prefix
        Put before every field name (``"inferred"`` for a nested record).
    """
    lines = lines or {}
    return [
        Problem(
            file,
            error_field(item, prefix=prefix),
            error_message(item),
            lines.get(str(item["loc"][0]), line) if item["loc"] else line,
        )
        for item in error.errors()
    ]


def lexicon_error(path: Path | str, error: ValidationError) -> ValueError:
    """A ``ValueError`` naming the file, the field and what to do, for the first error."""
    item = error.errors()[0]
    return ValueError(f"{path}: {error_field(item)}: {error_message(item)}")


def record_error(where: str, error: ValidationError) -> ValueError:
    """A ``ValueError`` for the first error of a record: ``"<where>: <what to do>"``.

    A validator's message names its field and value itself (``"split 'x' is not
    one of ..."``); other errors are prefixed with the field.
    """
    item = error.errors()[0]
    if item["type"] == "value_error":
        return ValueError(f"{where}: {error_message(item)}")
    return ValueError(f"{where}: {error_field(item)}: {error_message(item)}")


#: PyYAML's safe loader, in C where PyYAML was built with libyaml: the same data, read
#: some twenty times faster (each chunk of an analysis reads the lexicons again).
_SAFE_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)


def read_yaml_mapping(path: str, *, expected: str) -> Mapping[str, Any]:
    """The mapping a lexicon file holds.

    Raises
    ------
    ValueError
        ``"<path>: not valid YAML: ..."`` if the file is not YAML, and
        ``"<path>: <expected>"`` if it holds no mapping.
    """
    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.load(handle, Loader=_SAFE_LOADER)
        except yaml.YAMLError as err:
            raise ValueError(f"{path}: not valid YAML: {err}") from None
    too_big = expanded_size_problem(data)
    if too_big:
        raise ValueError(f"{path}: {too_big}")
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: {expected}")
    return data


def validate_lexicon(model: type[_Model], data: object, path: Path | str) -> _Model:
    """``data`` checked by ``model``; a :func:`lexicon_error` naming ``path`` if it does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise lexicon_error(path, err) from None


def _word_set(value: object) -> frozenset[str]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of words")
    if not all(isinstance(word, str) and word.strip() == word and word for word in value):
        raise ValueError("every entry must be a word (a text without surrounding spaces)")
    return frozenset(value)


#: A lexicon's list of words: non-empty, each a text without surrounding spaces.
WordSet = Annotated[frozenset[str], BeforeValidator(_word_set)]
