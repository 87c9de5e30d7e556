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

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, ValidationError

from analysis.corpus.types import Problem

__all__ = [
    "STRICT",
    "error_field",
    "error_message",
    "lexicon_error",
    "problems_from",
]

#: Model configuration of every schema: unknown keys are an error, values are not coerced.
STRICT = ConfigDict(extra="forbid", frozen=True, strict=True)


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
