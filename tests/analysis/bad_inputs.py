"""A catalogue of bad inputs, each tried through the command line as a user would.

Every case is one kind of bad file or bad option, hand-written, with what the
answer must say. A case is *handled* when the command

- returns an exit status (no traceback escapes it) and the status the case expects;
- names the bad file (or option) and says what is wrong (the case's ``expect``);
- for an import or a fetch: leaves the corpus byte-identical, leaves no staging folder
  behind, and the corpus still passes ``narratives validate`` afterwards.

``tests/analysis/test_bad_inputs.py`` runs every case in the suite. To print
the figures (kinds tried, kinds handled; with the broken ``overrides.csv``
files of ``tests/analysis/test_cli_overrides.py``, which the suite runs there) run::

    .venv/bin/python -m tests.analysis.bad_inputs

Inputs that look odd but are good (a text of 200,000 characters in one CSV
cell, CR-only line ends, a title with U+0085) are in :data:`GOOD_EDGES`: they
must get in, and read back exactly.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.cli import main
from analysis.corpus.articles import load_corpus
from analysis.corpus.outlet_file import OutletEditError, save_outlet
from analysis.corpus.registry import Outlet

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "corpus"

#: The one good article of every test corpus (hand-written).
GOOD_ID = "osw-2015-05-12-talks-in-sochi"
GOOD_HEADER = {
    "id": GOOD_ID,
    "title": "Talks in Sochi",
    "outlet": "osw",
    "language": "en",
    "published": "2015-05-12",
}
GOOD_TEXT = "John Kerry met Vladimir Putin in Sochi. They spoke about Ukraine and Syria.\n"
BAD_ID = "bad"
#: A good new outlet, as the Corpus page's form gives it.
_RIA = {
    "key": "ria-novosti",
    "name": "RIA Novosti",
    "country": "Russia",
    "kind": "state media",
    "domains": "ria.ru",
    "language": "ru",
    "group": "Russian state",
    "group_reason": "State-owned news agency.",
    "group_source": "Its imprint.",
}


def header(**changes: str | None) -> dict[str, str]:
    """The good header with fields changed (a raw YAML value) or removed (``None``)."""
    fields = {**GOOD_HEADER, "id": BAD_ID}
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return fields


def article_file(fields: dict[str, str] | None = None, text: str = GOOD_TEXT) -> bytes:
    """An article file with each header field written as given (raw YAML)."""
    fields = header() if fields is None else fields
    lines = "".join(f"{name}: {value}\n" for name, value in fields.items())
    return f"---\n{lines}---\n{text}".encode()


def registry_text(name: str) -> str:
    return (SHIPPED / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class BadInput:
    """One kind of bad input.

    ``files`` are written into the corpus (paths relative to it, for
    ``validate`` and registry cases) or into an inputs folder (for ``import``);
    ``args`` is the command line, where ``{corpus}`` and ``{inputs}`` stand for
    those folders; ``expect`` must appear in what the command prints, and so
    must ``names`` (the bad file or option).
    """

    kind: str
    command: str
    files: dict[str, bytes | Callable[[Path], None]]
    expect: str
    names: str
    args: tuple[str, ...] = ()
    status: tuple[int, ...] = (1, 2)


def _validate(kind: str, data: bytes, expect: str, name: str = "articles/bad.md") -> BadInput:
    return BadInput(kind, "validate", {name: data}, expect, name, status=(1,))


def _article(kind: str, expect: str, **changes: str | None) -> BadInput:
    return _validate(kind, article_file(header(**changes)), expect)


def _registry(kind: str, name: str, text: str | bytes, expect: str) -> BadInput:
    data = text.encode() if isinstance(text, str) else text
    return BadInput(kind, "validate", {name: data}, expect, name, status=(1,))


def _import(kind: str, name: str, data: bytes, expect: str, *args: str) -> BadInput:
    return BadInput(kind, "import", {name: data}, expect, name, args=args)


def _fetch(kind: str, name: str, data: bytes, expect: str, *args: str) -> BadInput:
    """A list for ``narratives fetch`` that must be refused before anything is requested."""
    return BadInput(kind, "fetch", {name: data}, expect, name, args=args)


def _outlet_edit(
    case: str, expect: str, field: str, *, new: bool = True, **changes: str
) -> BadInput:
    """An outlet the Corpus page's form would save: RIA Novosti with ``changes``."""
    values = {**_RIA, **changes}
    return BadInput(
        case,
        "outlet",
        {},
        expect,
        f"{field}:",
        args=("new" if new else "edit", *(f"{k}={v}" for k, v in values.items())),
    )


def _option(kind: str, expect: str, *args: str) -> BadInput:
    text = b"John Kerry met Vladimir Putin in Sochi.\n"
    return BadInput(
        kind, "import", {"talks.txt": text}, expect, args[0], args=("--outlet", "osw", *args)
    )


def _symlink_outside(path: Path) -> None:
    outside = path.parents[2] / "outside.md"
    outside.write_bytes(article_file())
    path.symlink_to(outside)


def _big(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as handle:
            handle.write(article_file())
            handle.truncate(size)

    return write


def _missing(path: Path) -> None:
    path.unlink(missing_ok=True)


CSV_HEADER = "title,date,media_name,url,text\n"


def _csv(*rows: str, head: str = CSV_HEADER) -> bytes:
    return (head + "".join(rows)).encode()


def _row(
    title: str = "Talks in Sochi",
    date: str = "2015-05-12",
    outlet: str = "osw",
    url: str = "https://www.osw.waw.pl/en/talks",
    text: str = "John Kerry met Vladimir Putin in Sochi.",
) -> str:
    cells = [title, date, outlet, url, text]
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n"


def _jsonl(**changes: object) -> bytes:
    record: dict[str, object] = {
        "title": "Talks in Sochi",
        "date": "2015-05-12",
        "outlet": "osw",
        "text": "John Kerry met Vladimir Putin in Sochi.",
    }
    record.update(changes)
    return (json.dumps(record) + "\n").encode()


_MEETINGS = registry_text("meetings.yaml")
_OUTLETS = registry_text("outlets.yaml")
_SOCHI_START = "start: 2015-05-12\n  end: 2015-05-12"
_OSW = "osw:\n  name: OSW – Centre for Eastern Studies"
_TWO_MIB = 2 * 1024 * 1024

CASES: list[BadInput] = [
    # --- article files, as `narratives validate` finds them -------------------------------
    _validate("no opening header line", b"id: bad\n---\ntext\n", "must start with a '---'"),
    _validate("header never closed", b"---\nid: bad\ntitle: T\n", "never closed"),
    _validate("empty file", b"", "must start with a '---'"),
    _validate("header only", b"---\n---\n", "must be a mapping"),
    _validate("header is a list", b"---\n- a\n- b\n---\ntext\n", "must be a mapping"),
    _validate("header is one word", b"---\njust words\n---\ntext\n", "must be a mapping"),
    _validate("quote never closed", article_file(header(title='"Talks')), "not valid YAML"),
    _validate("tab indentation", b"---\n\tid: bad\n---\ntext\n", "not valid YAML"),
    _validate(
        "python object tag",
        article_file(header(title="!!python/object/apply:os.system ['ls']")),
        "not valid YAML",
    ),
    _validate("bell character in header", article_file(header(title="Talks\x07")), "YAML"),
    _article("missing id", "id: missing", id=None),
    _article("missing title", "title: missing", title=None),
    _article("missing outlet", "outlet: missing", outlet=None),
    _article("missing language", "language: missing", language=None),
    _article("empty title", "title: missing", title='""'),
    _article("title is a list", "title: must be a single text", title="[a, b]"),
    _article("title is a mapping", "title: must be a single text", title="{a: b}"),
    _article("id in capitals", "id: 'Bad' must be lower-case", id="Bad"),
    _article("id with a slash", "id: 'a/b' must be lower-case", id="a/b"),
    _article("id too long", "at most 151 characters", id="a" * 160),
    _article("id is not the file name", "does not match the file name", id="other"),
    _article("language as a word", "'english' is not an ISO 639 code", language="english"),
    _article("language as a number", "'5' is not an ISO 639 code", language="5"),
    _article("ftp address", "is not an http(s) address", url="ftp://osw.waw.pl/a"),
    _article("address that is not one", "is not an http(s) address", url="not-an-address"),
    _article("address with a space", "is not an http(s) address", url='"https://a.org/x y"'),
    _article(
        "impossible unquoted date", "published: '2015-13-45' is not a", published="2015-13-45"
    ),
    _article(
        "impossible quoted date", "published: '2015-13-45' is not a", published='"2015-13-45"'
    ),
    _article("30 February", "is not a real date", published="2015-02-30"),
    _article("date before 1900", "before 1900", published="1850"),
    _article("date in the future", "in the future", published="2999-01-01"),
    _article("date as a word", "'yesterday' is not a date", published="yesterday"),
    _article("date as a list", "published:", published="[2015]"),
    _article("authors as a mapping", "authors: must be a text or a list", authors="{a: b}"),
    _article("authors as mappings", "authors: must be a text or a list", authors="[{a: b}]"),
    _article("meetings as a mapping", "meetings: must be a text or a list", meetings="{a: b}"),
    _article(
        "unknown meeting", "'2099-01-geneva' is not in meetings.yaml", meetings="2099-01-geneva"
    ),
    _article("unknown outlet", "'nowhere' is not in outlets.yaml", outlet="nowhere"),
    _article("inferred as a list", "inferred:", inferred="[a]"),
    _article("inferred without basis", "inferred", inferred="{title: {value: T}}"),
    _article("extra as a list", "extra: must be a mapping", extra="[a]"),
    _article("notes as a list", "notes: must be a single text", notes="[a, b]"),
    _article("lone surrogate in the title", "invalid Unicode character", title='"Talks \\ud800"'),
    _article("NUL escaped in the title", "NUL", title='"Talks\\0"'),
    _validate("empty text", article_file(text=""), "text: is empty"),
    _validate("text of spaces", article_file(text=" \n\t\n"), "text: is empty"),
    _validate("NUL bytes", article_file(text="Kerry\x00Putin"), "NUL"),
    _validate("Latin-1 bytes", article_file(text="caf\xe9").replace(b"\xc3\xa9", b"\xe9"), "UTF-8"),
    _validate("UTF-16 file", article_file().decode().encode("utf-16"), "NUL"),
    BadInput(
        "file of 3 MiB",
        "validate",
        {"articles/bad.md": _big(3 * 1024 * 1024)},
        "is 3.0 MiB",
        "articles/bad.md",
        status=(1,),
    ),
    BadInput(
        "file of 50 MiB",
        "validate",
        {"articles/bad.md": _big(50 * 1024 * 1024)},
        "is 50.0 MiB",
        "articles/bad.md",
        status=(1,),
    ),
    _validate("a PNG named .md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary file"),
    _validate(
        "alias bomb in the header",
        (
            "---\nid: bad\ntitle: T\noutlet: osw\nlanguage: en\n"
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
                for i in range(8)
            )
            + "---\ntext\n"
        ).encode(),
        "alias",
    ),
    BadInput(
        "link to a file outside the corpus",
        "validate",
        {"articles/bad.md": _symlink_outside},
        "outside the corpus folder",
        "articles/bad.md",
        status=(1,),
    ),
    # --- the registry ---------------------------------------------------------------------
    _registry("outlets not YAML", "outlets.yaml", "osw: [unclosed\n", "outlets.yaml"),
    _registry("outlets as a list", "outlets.yaml", "- osw\n- cnn\n", "outlets.yaml"),
    _registry(
        "outlet as a number",
        "outlets.yaml",
        _OUTLETS.replace(_OSW, "osw: 5\nx:\n  name: OSW"),
        "osw",
    ),
    _registry(
        "outlet without a name",
        "outlets.yaml",
        _OUTLETS.replace("  name: OSW – Centre for Eastern Studies\n", ""),
        "name: missing",
    ),
    _registry(
        "outlet without a group",
        "outlets.yaml",
        _OUTLETS.replace("  group: think tank\n", ""),
        "group: missing",
    ),
    _registry(
        "outlet of an unknown kind",
        "outlets.yaml",
        _OUTLETS.replace("  kind: think tank", "  kind: wizard"),
        "is not a known kind",
    ),
    _registry(
        "domains as a number",
        "outlets.yaml",
        _OUTLETS.replace("domains: [osw.waw.pl]", "domains: 5"),
        "must be a web domain",
    ),
    _registry(
        "domains as numbers",
        "outlets.yaml",
        _OUTLETS.replace("domains: [osw.waw.pl]", "domains: [1, 2]"),
        "must be a web domain",
    ),
    _registry("outlets file not UTF-8", "outlets.yaml", b"osw:\n  name: OSW \xe9\n", "UTF-8"),
    _registry("outlets file empty", "outlets.yaml", "", "outlets.yaml"),
    BadInput(
        "outlets file missing",
        "validate",
        {"outlets.yaml": _missing},
        "outlets.yaml",
        "outlets.yaml",
        status=(1,),
    ),
    _registry("meetings not YAML", "meetings.yaml", "2015-05-sochi: {start: [\n", "meetings.yaml"),
    _registry("meetings as a list", "meetings.yaml", "- sochi\n", "meetings.yaml"),
    _registry(
        "impossible unquoted start",
        "meetings.yaml",
        _MEETINGS.replace("start: 2015-05-12", "start: 2015-13-45"),
        "'2015-13-45' is not a YYYY-MM-DD date",
    ),
    _registry(
        "start as a word",
        "meetings.yaml",
        _MEETINGS.replace("start: 2015-05-12", "start: soon"),
        "'soon' is not a YYYY-MM-DD date",
    ),
    _registry(
        "meeting without a start",
        "meetings.yaml",
        _MEETINGS.replace("  start: 2015-05-12\n", ""),
        "start: missing",
    ),
    _registry(
        "end before start",
        "meetings.yaml",
        _MEETINGS.replace(_SOCHI_START, "start: 2015-05-12\n  end: 2015-05-01"),
        "end: is before start",
    ),
    _registry(
        "place terms as a number",
        "meetings.yaml",
        _MEETINGS.replace("place_terms: [Sochi, Bocharov Ruchey,", "place_terms: 7\n  x: ["),
        "place_terms: must be a text or a list",
    ),
    _registry(
        "participants as a mapping",
        "meetings.yaml",
        _MEETINGS.replace(
            "participants: [John Kerry, Vladimir Putin, Sergey Lavrov]\n  principals: [kerry, "
            "putin]\n  counterparts: [lavrov]\n  subjects: [Ukraine",
            "participants: {a: b}\n  subjects: [Ukraine",
        ),
        "participants: must be a text or a list",
    ),
    _registry(
        "meeting title as a list",
        "meetings.yaml",
        _MEETINGS.replace(
            "title: Kerry meets Putin in Sochi", "title: [Kerry]\n  x: Kerry meets Putin in Sochi"
        ),
        "title: must be a single text",
    ),
    BadInput(
        "meetings file missing",
        "validate",
        {"meetings.yaml": _missing},
        "meetings.yaml",
        "meetings.yaml",
        status=(1,),
    ),
    # --- imports: CSV -------------------------------------------------------------------------
    _import("empty CSV", "in.csv", b"", "is empty: no header row"),
    _import("CSV without a text column", "in.csv", b"title,date\nT,2015-05-12\n", "no text column"),
    _import(
        "CSV column named twice",
        "in.csv",
        _csv(_row(), head="title,title,text\n"),
        "name each column once",
    ),
    _import(
        "CSV with title and headline",
        "in.csv",
        _csv(_row(), head="title,headline,media_name,url,text\n"),
        "gives the title like column",
    ),
    _import(
        "CSV row with an extra field",
        "in.csv",
        _csv(_row().replace("\n", ",x\n")),
        "has 6 fields, the header has 5",
    ),
    _import(
        "CSV row not UTF-8", "in.csv", _csv(_row()).replace(b"Sochi.", b"Soch\xe9."), "not UTF-8"
    ),
    _import("CSV cell with NUL", "in.csv", _csv(_row(text="Kerry\x00Putin in Sochi")), "NUL"),
    _import("CSV date in the future", "in.csv", _csv(_row(date="2999-01-01")), "in the future"),
    _import("CSV date before 1900", "in.csv", _csv(_row(date="1850-01-01")), "before 1900"),
    _import(
        "CSV date-time before 1900", "in.csv", _csv(_row(date="1850-01-01T10:00:00")), "before 1900"
    ),
    _import(
        "CSV date-time in the future",
        "in.csv",
        _csv(_row(date="2999-01-01T10:00:00Z")),
        "in the future",
    ),
    _import("CSV impossible date", "in.csv", _csv(_row(date="2015-13-45")), "is not a real date"),
    _import("CSV date as a word", "in.csv", _csv(_row(date="soon")), "is not a date"),
    _import(
        "CSV unknown outlet with --no-new-outlets",
        "in.csv",
        _csv(_row(outlet="Nowhere Times", url="https://nowhere.example/talks")),
        "'Nowhere Times' is not in outlets.yaml",
        "--no-new-outlets",
    ),
    _import(
        "JSONL address on an unknown domain with --no-new-outlets",
        "in.jsonl",
        _jsonl(outlet=None, url="https://nowhere.example/talks"),
        "no address whose domain is in outlets.yaml",
        "--no-new-outlets",
    ),
    _import(
        "CSV unknown meeting",
        "in.csv",
        _csv('"T","osw","x","2099-geneva"\n', head="title,media_name,text,meetings\n"),
        "'2099-geneva' is not in meetings.yaml",
    ),
    _import(
        "CSV language as a word",
        "in.csv",
        _csv('"T","osw","x","english"\n', head="title,media_name,text,language\n"),
        "'english' is not an ISO 639 code",
    ),
    _import(
        "CSV bad address", "in.csv", _csv(_row(url="nope")), "'nope' is not an http(s) address"
    ),
    _import("CSV empty text", "in.csv", _csv(_row(text=" ")), "text: is empty"),
    _import(
        "CSV empty title and empty text", "in.csv", _csv(_row(title="", text=" ")), "text: is empty"
    ),
    _import(
        "CSV text over 2 MiB",
        "in.csv",
        _csv(_row(text="Kerry " * (_TWO_MIB // 6 + 10))),
        "is over 2 MiB",
    ),
    _import(
        "CSV text that makes the file too big",
        "in.csv",
        _csv(_row(text="k" * (_TWO_MIB - 40))),
        "makes a file of",
    ),
    # --- imports: JSON lines ------------------------------------------------------------------
    _import("JSONL line not JSON", "in.jsonl", b'{"title": "T",\n', "not valid JSON"),
    _import("JSONL line a list", "in.jsonl", b'["T", "text"]\n', "one JSON object per line"),
    _import(
        "JSONL nested 100,000 deep", "in.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", "(json)"
    ),
    _import(
        "JSONL lone surrogate",
        "in.jsonl",
        _jsonl(text="Kerry \\ud800 Putin").replace(b"\\\\ud800", b"\\ud800"),
        "surrogate",
    ),
    _import("JSONL NUL", "in.jsonl", _jsonl(title="Talks\u0000"), "NUL"),
    _import("JSONL date in the future", "in.jsonl", _jsonl(date="2999-01-01"), "in the future"),
    _import(
        "JSONL title and headline", "in.jsonl", _jsonl(headline="H"), "gives the title like column"
    ),
    _import(
        "JSONL title as an object", "in.jsonl", _jsonl(title={"a": 1}), "title: must be a text"
    ),
    _import("JSONL text as an object", "in.jsonl", _jsonl(text={"a": 1}), "text: must be a text"),
    _import(
        "JSONL line not UTF-8", "in.jsonl", _jsonl().replace(b"Sochi.", b"Soch\xe9."), "not UTF-8"
    ),
    # --- imports: one-article files -----------------------------------------------------------
    _import(
        "HTML over 20 MiB",
        "page.html",
        b"<html>" + b" " * (20 * 1024 * 1024 + 10),
        "is over 20 MiB",
        "--outlet",
        "osw",
    ),
    _import(
        "HTML without text",
        "page.html",
        b"<html><head><title>T</title></head><body></body></html>",
        "text: no article text found",
        "--outlet",
        "osw",
    ),
    _import("empty text file", "talks.txt", b"", "text: is empty", "--outlet", "osw"),
    _import(
        "text file with NUL",
        "talks.txt",
        b"Kerry met Putin\x00 in Sochi.\n",
        "NUL",
        "--outlet",
        "osw",
    ),
    _import(
        "text file not UTF-8",
        "talks.txt",
        b"Kerry met Putin in Soch\xe9.\n",
        "not UTF-8",
        "--outlet",
        "osw",
    ),
    _import(
        "text file over 2 MiB",
        "talks.txt",
        b"Kerry " * (_TWO_MIB // 6 + 10),
        "is over 2 MiB",
        "--outlet",
        "osw",
    ),
    _import(
        "text that makes the file too big",
        "talks.txt",
        b"Kerry\n" + b"k" * (_TWO_MIB - 20),
        "makes a file of",
        "--outlet",
        "osw",
    ),
    _import(
        "Markdown with a bad header",
        "story.md",
        article_file(header(language="english")),
        "'english' is not an ISO 639 code",
    ),
    _import(
        "Markdown dated in the future",
        "story.md",
        article_file(header(published="2999-01-01")),
        "in the future",
    ),
    _import("Word document", "story.docx", b"PK\x03\x04", "is not a format the import reads"),
    _import(
        "file without an ending", "README", b"Kerry met Putin.", "is not a format the import reads"
    ),
    # --- imports: options and folders -----------------------------------------------------------
    _option("--date in the future", "in the future", "--date", "2999-01-01"),
    _option("--date before 1900", "before 1900", "--date", "1850-01-01"),
    _option("--date as a word", "is not a date", "--date", "soon"),
    BadInput(
        "--outlet unknown",
        "import",
        {"talks.txt": b"Kerry met Putin."},
        "is not in outlets.yaml",
        "nowhere",
        args=("--outlet", "nowhere"),
    ),
    _option("--meeting unknown", "is not in meetings.yaml", "--meeting", "2099-geneva"),
    _option("--language as a word", "is not an ISO 639 code", "--language", "english"),
    _option("--url not an address", "is not an http(s) address", "--url", "nope"),
    BadInput(
        "path that does not exist",
        "import",
        {},
        "is not a file",
        "gone.txt",
        args=("{inputs}/gone.txt",),
    ),
    BadInput(
        "a folder as the path",
        "import",
        {"folder/x.txt": b"x"},
        "is not a file",
        "folder",
        args=("{inputs}/folder",),
    ),
    BadInput(
        "corpus folder missing",
        "import",
        {"talks.txt": b"Kerry met Putin."},
        "does not exist",
        "nowhere",
        args=("--corpus", "{corpus}/nowhere"),
    ),
    BadInput(
        "broken meetings.yaml",
        "import",
        {
            "talks.txt": b"Kerry met Putin.",
            "{corpus}/meetings.yaml": _MEETINGS.replace(
                "start: 2015-05-12", "start: 2015-13-45"
            ).encode(),
        },
        "nothing was imported",
        "meetings.yaml",
        args=("--outlet", "osw"),
    ),
    BadInput(
        "broken outlets.yaml",
        "import",
        {
            "talks.txt": b"Kerry met Putin.",
            "{corpus}/outlets.yaml": _OUTLETS.replace(
                "domains: [osw.waw.pl]", "domains: 5"
            ).encode(),
        },
        "nothing was imported",
        "outlets.yaml",
        args=("--outlet", "osw"),
    ),
    # --- outlet edits (the Corpus page's form, through the library) ----------------------------
    _outlet_edit("edit: outlet key with spaces", "is not a key", "key", key="RIA Novosti"),
    _outlet_edit("edit: outlet key already taken", "is already an outlet", "key", key="osw"),
    _outlet_edit("edit: outlet to edit missing", "is not in outlets.yaml", "key", new=False),
    _outlet_edit("edit: outlet without a name", "is empty", "name", name=" "),
    _outlet_edit(
        "edit: outlet name of another outlet", "is already the outlet cnn", "name", name="CNN"
    ),
    _outlet_edit("edit: outlet name on two lines", "must be one line", "name", name="RIA\nNovosti"),
    _outlet_edit("edit: outlet without a group", "is empty", "group", group=""),
    _outlet_edit("edit: outlet of an unknown kind", "is not a known kind", "kind", kind="agency"),
    _outlet_edit(
        "edit: outlet domain as an address",
        "is not a web domain",
        "domains",
        domains="https://ria.ru/",
    ),
    _outlet_edit(
        "edit: outlet domain of another outlet",
        "already a domain of the outlet cnn",
        "domains",
        domains="cnn.com",
    ),
    _outlet_edit(
        "edit: outlet language as a word", "is not an ISO 639 code", "language", language="russian"
    ),
    _outlet_edit(
        "edit: outlet reason of 5,000 characters",
        "write at most 2,000",
        "group_reason",
        group_reason="x" * 5000,
    ),
    # --- fetch lists (refused before any request is made) ---------------------------------------
    _fetch(
        "fetch: list without a url column",
        "export.csv",
        b"title,link_text\nTalks in Sochi,https://example.org/a\n",
        "no url column",
    ),
    _fetch("fetch: empty list", "urls.txt", b"", "has no addresses"),
    _fetch("fetch: list of comments only", "urls.txt", b"# to do\n\n", "has no addresses"),
    _fetch("fetch: CSV list with a header only", "list.csv", b"url,outlet\n", "has no addresses"),
    _fetch(
        "fetch: list not UTF-8",
        "list.csv",
        "url,outlet\nhttps://example.org/a,Тест\n".encode("cp1251"),
        "is not UTF-8",
    ),
    _fetch(
        "fetch: list with two url columns",
        "list.csv",
        b"url,link\nhttps://example.org/a,https://example.org/b\n",
        "gives the url like column",
    ),
    _fetch(
        "fetch: list with NUL bytes",
        "list.csv",
        b"url,title\nhttps://example.org/a,Talks\x00\n",
        "contains NUL bytes",
    ),
    _fetch(
        "fetch: list of things that are not addresses",
        "urls.txt",
        b"kerry putin sochi\nftp://example.org/a\n",
        "is not an http(s) address",
    ),
    _fetch(
        "fetch: list row with too many fields",
        "list.csv",
        b"url,outlet\nhttps://example.org/a,OSW,extra\n",
        "has 3 fields, the header has 2",
    ),
    _fetch(
        "fetch: list row without an address",
        "list.csv",
        b"url,outlet\n,OSW\n",
        "no address in the url column",
    ),
    BadInput(
        "fetch: list that does not exist",
        "fetch",
        {},
        "is not a file",
        "nowhere.csv",
        args=("{inputs}/nowhere.csv",),
    ),
    BadInput(
        "fetch: into a corpus whose outlets.yaml is broken",
        "fetch",
        {
            "urls.txt": b"https://example.org/a\n",
            "{corpus}/outlets.yaml": _OUTLETS.replace(
                "domains: [osw.waw.pl]", "domains: 5"
            ).encode(),
        },
        "nothing was imported",
        "outlets.yaml",
    ),
    BadInput(
        "fetch: negative --delay",
        "fetch",
        {"urls.txt": b"https://example.org/a\n"},
        "must be 0 or more",
        "--delay",
        args=("--delay", "-1"),
    ),
    BadInput(
        "fetch: --max-bytes of 0",
        "fetch",
        {"urls.txt": b"https://example.org/a\n"},
        "must be more than 0",
        "--max-bytes",
        args=("--max-bytes", "0"),
    ),
    BadInput(
        "fetch: --timeout as a word",
        "fetch",
        {"urls.txt": b"https://example.org/a\n"},
        "is not a number",
        "--timeout",
        args=("--timeout", "soon"),
    ),
    # --- analysis options -----------------------------------------------------------------------
    BadInput("--year as a word", "analyze", {}, "write a year", "--year", args=("--year", "soon")),
    BadInput(
        "--compare an unknown outlet",
        "analyze",
        {},
        "nowhere",
        "nowhere",
        args=("--compare", "nowhere", "osw"),
    ),
]


@dataclass(frozen=True)
class GoodEdge:
    """An odd but good input: it must get in, and its ``title`` and ``text`` read back exactly."""

    kind: str
    name: str
    data: bytes
    title: str
    text: str


_SOCHI = "John Kerry met Vladimir Putin in Sochi."
_LONG_TEXT = "Kerry met Putin. " * 12_000  # 204,000 characters in one CSV cell
GOOD_EDGES: list[GoodEdge] = [
    GoodEdge(
        "CSV cell of 204,000 characters",
        "in.csv",
        _csv(_row(text=_LONG_TEXT)),
        "Talks in Sochi",
        _LONG_TEXT,
    ),
    GoodEdge(
        "CSV with CR-only line ends",
        "in.csv",
        _csv(_row()).replace(b"\n", b"\r"),
        "Talks in Sochi",
        _SOCHI,
    ),
    GoodEdge(
        "CSV with CRLF line ends and a BOM",
        "in.csv",
        b"\xef\xbb\xbf" + _csv(_row()).replace(b"\n", b"\r\n"),
        "Talks in Sochi",
        _SOCHI,
    ),
    GoodEdge(
        "CSV cell with a line break",
        "in.csv",
        _csv(_row(text="Kerry met Putin.\r\nThey talked.")),
        "Talks in Sochi",
        "Kerry met Putin.\r\nThey talked.",
    ),
    GoodEdge(
        "title with U+0085",
        "in.jsonl",
        _jsonl(title="Talks\u0085in Sochi"),
        "Talks\u0085in Sochi",
        _SOCHI,
    ),
    GoodEdge(
        "title with U+2028",
        "in.jsonl",
        _jsonl(title="Talks\u2028in Sochi"),
        "Talks\u2028in Sochi",
        _SOCHI,
    ),
    GoodEdge("title that YAML reads as a value", "in.jsonl", _jsonl(title="yes"), "yes", _SOCHI),
    GoodEdge("title like a date", "in.jsonl", _jsonl(title="2015-13-45"), "2015-13-45", _SOCHI),
    GoodEdge(
        "title starting with YAML marks",
        "in.jsonl",
        _jsonl(title="- &a *b !c: #d"),
        "- &a *b !c: #d",
        _SOCHI,
    ),
    GoodEdge(
        "CSV row without a title (the first sentence is taken)",
        "in.csv",
        _csv(_row(title="")),
        _SOCHI,
        _SOCHI,
    ),
    GoodEdge(
        "CSV row of an outlet not yet registered (it is added)",
        "in.csv",
        _csv(_row(outlet="Nowhere Times", url="https://nowhere.example/talks")),
        "Talks in Sochi",
        _SOCHI,
    ),
    GoodEdge(
        "text with lines of three dashes",
        "in.jsonl",
        _jsonl(text="---\nKerry met Putin.\n---\n"),
        "Talks in Sochi",
        "---\nKerry met Putin.\n---\n",
    ),
]


@dataclass
class Outcome:
    """What one case did: exit status, everything printed, and whether it was handled."""

    status: int | None
    output: str
    failures: list[str] = field(default_factory=list)

    @property
    def handled(self) -> bool:
        return not self.failures


def good_corpus(root: Path) -> Path:
    """A corpus folder with the shipped registry and one good, hand-written article."""
    (root / "articles").mkdir(parents=True)
    for name in ("outlets.yaml", "meetings.yaml"):
        shutil.copy(SHIPPED / name, root / name)
    (root / "articles" / f"{GOOD_ID}.md").write_bytes(article_file({**GOOD_HEADER}, GOOD_TEXT))
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".narratives.lock")
    }


def _run(argv: list[str]) -> tuple[int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status: int | None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exit_:
            # As the interpreter does: a message is printed and the status is 1.
            if isinstance(exit_.code, int):
                status = exit_.code
            else:
                status = 1
                err.write(f"{exit_.code}\n")
        except Exception:
            status = None
            err.write(traceback.format_exc())
    return status, out.getvalue(), err.getvalue()


def run_case(case: BadInput, work: Path) -> Outcome:
    """Run one case in a fresh corpus under ``work``; say whether it was handled."""
    corpus = good_corpus(work / "corpus")
    inputs = work / "inputs"
    inputs.mkdir()
    for name, content in case.files.items():
        base = corpus if case.command == "validate" or name.startswith("{corpus}") else inputs
        path = base / name.removeprefix("{corpus}/")
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        else:
            path.write_bytes(content)
    args = [a.format(corpus=corpus, inputs=inputs) for a in case.args]
    if case.command == "outlet":
        return _run_outlet_edit(case, corpus)
    if case.command == "validate":
        argv = ["validate", str(corpus), "--no-cache"]
    elif case.command in ("import", "fetch"):
        paths = [str(inputs / n) for n in case.files if not n.startswith("{corpus}")]
        if any(a.startswith(str(inputs)) for a in args):
            paths = []
        argv = [case.command, *paths, "--quiet", *args]
        if "--corpus" not in args:
            argv += ["--corpus", str(corpus)]
    else:
        argv = [case.command, "--corpus", str(corpus), "--out", str(work / "out"), *args]
    before = snapshot(corpus)
    status, out, err = _run(argv)
    outcome = Outcome(status, out + err)
    if status is None:
        outcome.failures.append(f"traceback:\n{err}")
        return outcome
    if status not in case.status:
        outcome.failures.append(f"exit status {status}, expected one of {case.status}")
    if "Traceback" in outcome.output:
        outcome.failures.append("a traceback was printed")
    for wanted in (case.expect, case.names):
        if wanted not in outcome.output:
            outcome.failures.append(f"{wanted!r} is not said")
    if case.command in ("import", "fetch") and corpus.is_dir():
        if snapshot(corpus) != before:
            outcome.failures.append("the corpus changed")
        debris = [p.name for p in (corpus / "articles").iterdir() if p.name.startswith(".import")]
        if debris:
            outcome.failures.append(f"staging left behind: {debris}")
        if not any(n.startswith("{corpus}") for n in case.files):
            status, out, err = _run(["validate", str(corpus), "--no-cache"])
            if status != 0:
                outcome.failures.append(f"validate fails afterwards: {out}{err}")
    return outcome


def _run_outlet_edit(case: BadInput, corpus: Path) -> Outcome:
    """Save the case's outlet with the library, as the Corpus page does; it must be refused."""
    values = dict(arg.split("=", 1) for arg in case.args[1:])
    outlet = Outlet(**{**values, "domains": tuple(d for d in values["domains"].split(";") if d)})
    before = snapshot(corpus)
    try:
        save_outlet(corpus, outlet, new=case.args[0] == "new")
    except OutletEditError as err:
        outcome = Outcome(1, str(err))
    except Exception:
        return Outcome(None, "", [f"traceback:\n{traceback.format_exc()}"])
    else:
        return Outcome(0, "", ["the outlet was saved"])
    for wanted in (case.expect, case.names):
        if wanted not in outcome.output:
            outcome.failures.append(f"{wanted!r} is not said")
    if snapshot(corpus) != before:
        outcome.failures.append("the corpus changed")
    return outcome


def run_good_edge(edge: GoodEdge, work: Path) -> list[str]:
    """Import one odd but good input; what went wrong (nothing, when it got in unchanged)."""
    corpus = good_corpus(work / "corpus")
    source = work / edge.name
    source.write_bytes(edge.data)
    status, out, err = _run(["import", str(source), "--quiet", "--corpus", str(corpus)])
    if status != 0:
        return [f"import exit status {status}: {out}{err}"]
    status, out, err = _run(["validate", str(corpus), "--no-cache"])
    if status != 0:
        return [f"validate fails afterwards: {out}{err}"]
    articles = load_corpus(corpus, use_cache=False).articles
    added = articles[articles["id"] != GOOD_ID]
    if len(added) != 1:
        return [f"{len(added)} articles added, expected 1"]
    failures = []
    for name, wanted in (("title", edge.title), ("text", edge.text)):
        if added.iloc[0][name] != wanted:
            failures.append(f"{name} reads back as {added.iloc[0][name][:80]!r}")
    return failures


def run_overrides_breakage(make: Callable[[Path], None], work: Path) -> list[str]:
    """Break a copy of the shipped corpus's ``overrides.csv``; analyze must warn and go on."""
    corpus = work / "corpus"
    shutil.copytree(SHIPPED, corpus)
    make(corpus / "overrides.csv")
    status, _, err = _run(["analyze", "--corpus", str(corpus), "--out", str(work / "out")])
    failures = []
    if status != 0:
        failures.append(f"exit status {status}")
    if "warning" not in err or "overrides.csv" not in err or "Traceback" in err:
        failures.append(f"no clear warning: {err}")
    return failures


def main_report() -> int:
    """Run every case; print one line per case that is not handled, then the figures."""
    from tests.analysis.test_cli_overrides import BREAKAGES

    results: dict[str, list[bool]] = {}

    def record(group: str, kind: str, failures: list[str]) -> None:
        results.setdefault(group, []).append(not failures)
        if failures:
            print(f"NOT HANDLED: {group}: {kind}: {'; '.join(failures)}")

    def fresh() -> tempfile.TemporaryDirectory[str]:
        folder = tempfile.TemporaryDirectory()
        os.environ["NARRATIVES_CACHE_DIR"] = str(Path(folder.name) / "cache")
        return folder

    for case in CASES:
        with fresh() as folder:
            record(case.command, case.kind, run_case(case, Path(folder)).failures)
    for kind, make, _, _ in BREAKAGES:
        with fresh() as folder:
            record("overrides", kind, run_overrides_breakage(make, Path(folder)))
    for edge in GOOD_EDGES:
        with fresh() as folder:
            record("good edge", edge.kind, run_good_edge(edge, Path(folder)))
    for group, handled in results.items():
        print(f"{group:>10}: {sum(handled)} of {len(handled)} kinds handled")
    bad = [ok for group, oks in results.items() if group != "good edge" for ok in oks]
    good = results["good edge"]
    print(
        f"bad inputs: {len(bad)} kinds tried, {sum(bad)} handled with a clear error "
        f"({sum(bad) / len(bad):.0%}); odd but good inputs: {sum(good)} of {len(good)} "
        "imported and read back exactly"
    )
    return 0 if all(bad) and all(good) else 1


if __name__ == "__main__":
    sys.exit(main_report())
