"""The outlet registry (``outlets.yaml``) and the meetings catalogue (``meetings.yaml``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from analysis.corpus.schema import (
    DateText,
    TextDateLoader,
    expanded_size_problem,
    problems_from,
    resolve_dates,
    yaml_date,
)
from analysis.corpus.types import Problem

__all__ = [
    "MEETING_COLUMNS",
    "OUTLET_COLUMNS",
    "OUTLET_KINDS",
    "Meeting",
    "MeetingEntry",
    "Outlet",
    "OutletEntry",
    "RegistryError",
    "ascii_domain",
    "load_meetings",
    "load_outlets",
    "meetings_frame",
    "outlets_frame",
]


def ascii_domain(text: str) -> str:
    """A domain as addresses carry it on the wire: lowercase, internationalised labels in punycode.

    ``Пример.РФ`` gives ``xn--e1afmkfd.xn--p1ai``, as does that form itself, so
    an outlet's domain matches an address however either was typed. Text that
    is not a valid internationalised domain is returned lowercased, for the
    caller's own check to refuse.
    """
    text = text.strip().lower()
    if text.isascii():
        return text
    try:
        return text.encode("idna").decode("ascii")
    except UnicodeError:
        return text


OUTLETS_FILE = "outlets.yaml"
MEETINGS_FILE = "meetings.yaml"

#: Kinds an outlet can be; anything else is reported so typos do not split groups.
OUTLET_KINDS = (
    "wire",
    "newspaper",
    "magazine",
    "broadcaster",
    "state media",
    "online outlet",
    "blog",
    "think tank",
    "government",
    "content farm",
    "aggregator",
    "other",
)

OUTLET_COLUMNS: dict[str, str] = {
    "outlet": "outlet key used by articles",
    "name": "display name",
    "country": "country the outlet is based in",
    "kind": f"one of: {', '.join(OUTLET_KINDS)}",
    "domains": "web domains joined with '; '",
    "language": "main language of the outlet (ISO 639-1)",
    "group": "analyst-assigned group",
    "group_reason": "one line saying why the outlet is in its group",
    "group_source": "where that judgement comes from",
}

MEETING_COLUMNS: dict[str, str] = {
    "meeting": "meeting key used by articles",
    "title": "short description",
    "start": "first day of the meeting",
    "end": "last day of the meeting",
    "place": "where it took place",
    "participants": "participants joined with '; '",
    "subjects": "main subjects joined with '; '",
    "notes": "free notes",
}


@dataclass(frozen=True)
class Outlet:
    """One entry of the outlet registry."""

    key: str
    name: str
    country: str
    kind: str
    domains: tuple[str, ...]
    language: str
    group: str
    group_reason: str
    group_source: str


@dataclass(frozen=True)
class Meeting:
    """One event of the meetings catalogue."""

    key: str
    title: str
    start: dt.date
    end: dt.date
    place: str
    place_terms: tuple[str, ...]
    participants: tuple[str, ...]
    subjects: tuple[str, ...]
    notes: str
    aliases: tuple[str, ...] = ()
    principals: tuple[str, ...] = ()
    counterparts: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()


def _read_mapping(path: Path) -> tuple[Mapping[str, Any], dict[str, Any], list[Problem]]:
    """The file's mapping, the line of each entry and field, and the problems reading it."""
    name = path.name
    if not path.exists():
        return {}, {}, [Problem(name, "(file)", f"missing: create {name} in the corpus folder")]
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=TextDateLoader)
    except UnicodeDecodeError as err:
        return {}, {}, [Problem(name, "(file)", f"not UTF-8 text ({err.reason}); re-save as UTF-8")]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        return {}, {}, [Problem(name, "(yaml)", f"cannot be read as YAML: {problem}", line)]
    if data is None:
        return {}, {}, []
    if not isinstance(data, Mapping):
        return {}, {}, [Problem(name, "(file)", "must map each key to its fields")]
    too_big = expanded_size_problem(data)
    if too_big:
        return {}, {}, [Problem(name, "(file)", too_big)]
    return data, _lines(yaml.compose(text, Loader=TextDateLoader)), []


def _entries(
    corpus_dir: Path, name: str, problems: list[Problem]
) -> Iterator[tuple[Any, str, int | None, dict[str, int], Mapping[str, Any]]]:
    """Each entry of the file ``name`` that is a mapping.

    Yields ``(key, where, line, field lines, fields)``: ``where`` names the
    entry in a problem, ``line`` is the entry's, ``field lines`` the line of
    each field. Problems reading the file, and entries that are no mapping,
    are added to ``problems`` in the order they are met.
    """
    data, lines, found = _read_mapping(Path(corpus_dir) / name)
    problems.extend(found)
    for key, fields in data.items():
        where = f"{name} [{key}]"
        line, field_lines = lines.get(str(key), (None, {}))
        if not isinstance(fields, Mapping):
            problems.append(Problem(where, "(entry)", "must be a mapping of fields", line))
            continue
        yield key, where, line, field_lines, fields


def _lines(node: yaml.Node | None) -> dict[str, Any]:
    """``{key: (line, {field: line})}`` of a mapping of mappings, lines counted from 1."""
    found: dict[str, Any] = {}
    if not isinstance(node, yaml.MappingNode):
        return found
    for key_node, value_node in node.value:
        fields = {}
        if isinstance(value_node, yaml.MappingNode):
            fields = {str(k.value): k.start_mark.line + 1 for k, _ in value_node.value}
        found[str(key_node.value)] = (key_node.start_mark.line + 1, fields)
    return found


class OutletEntry(BaseModel):
    """The schema of one entry of ``outlets.yaml``."""

    model_config = ConfigDict(frozen=True)

    name: Any = Field(default=None, validate_default=True)
    country: Any = None
    kind: Any = Field(default=None, validate_default=True)
    domains: Any = Field(default=None, validate_default=True)
    language: Any = None
    group: Any = Field(default=None, validate_default=True)
    group_reason: Any = None
    group_source: Any = None

    @field_validator("name", "kind", "group", mode="before")
    @classmethod
    def _required(cls, value: object) -> str:
        if not str(value or "").strip():
            raise ValueError("missing; every outlet needs one")
        return str(value).strip()

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in OUTLET_KINDS:
            raise ValueError(f"{kind!r} is not a known kind; use one of {OUTLET_KINDS}")
        return kind

    @field_validator("domains", mode="before")
    @classmethod
    def _domains(cls, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a web domain or a list of them, such as [osw.waw.pl]")
        return tuple(ascii_domain(d) for d in value)


class RegistryError(ValueError):
    """``outlets.yaml`` or ``meetings.yaml`` has errors, so nothing may be written against it."""

    def __init__(self, problems: list[Problem]) -> None:
        listed = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(
            f"{listed}{more}. Fix the registry first (`narratives validate` lists every "
            "problem); nothing was imported"
        )
        self.problems = problems


def load_outlets(corpus_dir: Path) -> tuple[dict[str, Outlet], list[Problem]]:
    """Read ``outlets.yaml``; return the valid outlets by key and every problem found.

    An outlet with an unknown kind is reported and kept; one missing a name,
    kind or group, or with malformed domains, is reported and left out.
    """
    problems: list[Problem] = []
    outlets: dict[str, Outlet] = {}
    for key, where, line, field_lines, fields in _entries(corpus_dir, OUTLETS_FILE, problems):
        fields = resolve_dates(dict(fields))
        try:
            entry = OutletEntry.model_validate(fields)
        except ValidationError as err:
            found = problems_from(err, file=where, line=line, lines=field_lines)
            problems.extend(found)
            if any(p.field != "kind" or p.message.startswith("missing") for p in found):
                continue
            # An unknown kind is reported, yet the outlet is kept so its articles still load.
            entry = OutletEntry.model_validate({**fields, "kind": "other"}).model_copy(
                update={"kind": str(fields["kind"]).strip()}
            )
        outlets[str(key)] = Outlet(
            key=str(key),
            name=str(entry.name).strip(),
            country=str(entry.country or "").strip(),
            kind=str(entry.kind).strip(),
            domains=tuple(entry.domains),
            language=str(entry.language or "").strip(),
            group=str(entry.group).strip(),
            group_reason=str(entry.group_reason or "").strip(),
            group_source=str(entry.group_source or "").strip(),
        )
    return outlets, problems


class MeetingEntry(BaseModel):
    """The schema of one entry of ``meetings.yaml`` (unknown fields are ignored, as they were).

    ``principals`` and ``counterparts`` are name ids of the targets file
    (``kerry``, ``putin``, ``lavrov``); ``place_terms`` and ``cues`` are
    words and phrases in any language that point to the meeting (see
    :mod:`analysis.ingest.meetings`).
    ``end`` is ``start`` when not given. Dates are read once, here: an
    unquoted ``2015-05-12`` by YAML's rules, a quoted one as an ISO date.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    title: str = ""
    start: dt.date = Field(default=None, validate_default=True)
    end: dt.date = Field(default=None, validate_default=True)
    place: str = ""
    place_terms: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    notes: str = ""
    aliases: tuple[str, ...] = ()
    principals: tuple[str, ...] = ()
    counterparts: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()

    @field_validator("title", "place", "notes", mode="before")
    @classmethod
    def _text(cls, value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, list | dict):
            raise ValueError("must be a single text value")
        return str(value)

    @field_validator(
        "place_terms",
        "participants",
        "subjects",
        "aliases",
        "principals",
        "counterparts",
        "cues",
        mode="before",
    )
    @classmethod
    def _texts(cls, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or any(isinstance(v, list | dict) for v in value):
            raise ValueError("must be a text or a list of texts")
        return tuple(str(v) for v in value)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date(cls, value: object) -> dt.date:
        if value is None:
            raise ValueError("missing; write YYYY-MM-DD")
        try:
            if isinstance(value, DateText):
                value = yaml_date(value)
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            shown = str(value) if isinstance(value, DateText) else value
            raise ValueError(f"{shown!r} is not a YYYY-MM-DD date") from None

    @field_validator("end")
    @classmethod
    def _not_before_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        if "start" in info.data and end < info.data["start"]:
            raise ValueError("is before start")
        return end


def load_meetings(corpus_dir: Path) -> tuple[dict[str, Meeting], list[Problem]]:
    """Read ``meetings.yaml``; return the valid meetings by key and every problem found.

    A meeting with a missing or impossible date, an end before its start or a
    field of the wrong type is reported and left out.
    """
    problems: list[Problem] = []
    meetings: dict[str, Meeting] = {}
    for key, where, line, field_lines, fields in _entries(corpus_dir, MEETINGS_FILE, problems):
        given = {"end": fields.get("start"), **fields}
        try:
            entry = MeetingEntry.model_validate(given)
        except ValidationError as err:
            problems.extend(problems_from(err, file=where, line=line, lines=field_lines))
            continue
        meetings[str(key)] = Meeting(
            key=str(key),
            title=entry.title or str(key),
            start=entry.start,
            end=entry.end,
            place=entry.place,
            place_terms=entry.place_terms,
            participants=entry.participants,
            subjects=entry.subjects,
            notes=entry.notes,
            aliases=entry.aliases,
            principals=entry.principals,
            counterparts=entry.counterparts,
            cues=entry.cues,
        )
    return meetings, problems


def outlets_frame(outlets: Mapping[str, Outlet]) -> pd.DataFrame:
    """The registry as a DataFrame with :data:`OUTLET_COLUMNS`."""
    rows = [
        {
            "outlet": o.key,
            "name": o.name,
            "country": o.country,
            "kind": o.kind,
            "domains": "; ".join(o.domains),
            "language": o.language,
            "group": o.group,
            "group_reason": o.group_reason,
            "group_source": o.group_source,
        }
        for o in outlets.values()
    ]
    return pd.DataFrame(rows, columns=list(OUTLET_COLUMNS))


def meetings_frame(meetings: Mapping[str, Meeting]) -> pd.DataFrame:
    """The catalogue as a DataFrame with :data:`MEETING_COLUMNS`, in date order."""
    rows = [
        {
            "meeting": m.key,
            "title": m.title,
            "start": pd.Timestamp(m.start),
            "end": pd.Timestamp(m.end),
            "place": m.place,
            "participants": "; ".join(m.participants),
            "subjects": "; ".join(m.subjects),
            "notes": m.notes,
        }
        for m in meetings.values()
    ]
    frame = pd.DataFrame(rows, columns=list(MEETING_COLUMNS))
    return frame.sort_values(["start", "meeting"], kind="stable").reset_index(drop=True)
