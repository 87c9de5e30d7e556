"""Lists of addresses to fetch: a CSV with a ``url`` column, or a plain text file of URLs.

A CSV's columns are mapped as the import maps them
(:data:`analysis.ingest.formats.COLUMN_NAMES`): ``url``/``link`` is the
address, and ``outlet``, ``date``/``published``, ``language``, ``title``,
``meeting`` ... are metadata that win over the page's. A GDELT or Media Cloud
export, or ``corpus/sources/kerry-putin.csv``, reads as it is. Any other
file is one address a line; blank lines and lines starting with ``#`` are
skipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.corpus.types import Problem
from analysis.ingest.formats import COLUMN_NAMES, map_columns
from analysis.ingest.source import FormatError, decode

__all__ = ["ListedAddress", "read_url_list"]


@dataclass(frozen=True)
class ListedAddress:
    """One row of a list: where it is (``list.csv:3``), its address, and its metadata.

    ``fields`` holds the row's values under our field names (``url`` among
    them); ``extra`` its other columns, by their own names; ``problem`` what
    keeps the row from being read at all (empty for a good row).
    """

    where: str
    url: str
    fields: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    problem: str = ""


def read_url_list(path: Path | str) -> list[ListedAddress]:
    """Read a list of addresses, in list order (empty addresses included, to be reported).

    Raises
    ------
    FileNotFoundError
        If ``path`` is not a file.
    FormatError
        Naming the file: not UTF-8, a CSV without a ``url`` column or with
        two, a row that cannot be read, or no address at all.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is not a file")
    text = decode(path.read_bytes(), str(path))
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(str(path), text)
    else:
        rows = [
            ListedAddress(f"{path}:{number}", line.strip(), {"url": line.strip()})
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    if not rows:
        raise FormatError(
            [Problem(str(path), "(list)", "has no addresses; write one URL a line, or a CSV")]
        )
    return rows


def _csv_rows(name: str, text: str) -> list[ListedAddress]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return []
    except csv.Error as err:
        raise FormatError([Problem(name, "(header)", f"cannot be read as CSV: {err}", 1)]) from None
    mapping, problems = map_columns(header, name)
    if problems:
        raise FormatError([Problem(p.file, p.field, p.message, 1) for p in problems])
    if "url" not in mapping.values():
        columns = ", ".join(repr(h) for h in header)
        raise FormatError(
            [
                Problem(
                    name,
                    "(header)",
                    f"no url column: name the column of addresses "
                    f"{' or '.join(COLUMN_NAMES['url'])} (the columns are {columns})",
                    1,
                )
            ]
        )
    rows: list[ListedAddress] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as err:
            raise FormatError(
                [Problem(name, "(csv)", f"cannot be read as CSV: {err}", reader.line_num)]
            ) from None
        if not any(cell.strip() for cell in row):
            continue
        where = f"{name}:{reader.line_num}"
        if len(row) != len(header):
            # Reported for the row, as the import does: the others are still fetched.
            problem = f"has {len(row)} fields, the header has {len(header)}; fix the row"
            rows.append(ListedAddress(where, "", problem=problem))
            continue
        fields: dict[str, str] = {}
        extra: dict[str, Any] = {}
        for column, value in zip(header, row, strict=True):
            target = mapping[column]
            if target.startswith("extra:"):
                if value.strip():
                    extra[column] = value
            else:
                fields[target] = value
        rows.append(ListedAddress(where, fields.get("url", "").strip(), fields, extra))
