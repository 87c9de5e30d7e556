"""Changing ``outlets.yaml``: outlets added by an import, and outlets added or edited by hand.

The file is the analyst's: it is rewritten with ruamel.yaml's round trip, so
its comments, the order of its entries and the style of its values stay as
they were; new entries go at the end. Every write is atomic (a temporary file,
then a rename) and happens under the corpus lock (:mod:`analysis.corpus.lock`).
An import writes the file through its journal (:mod:`analysis.corpus.journal`),
so a killed import restores it too; :func:`save_outlet` is the edit the
dashboard's Corpus page makes.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from analysis.corpus.atomic import write_text_atomically
from analysis.corpus.journal import recover_locked
from analysis.corpus.lock import corpus_lock
from analysis.corpus.registry import (
    OUTLET_KINDS,
    OUTLETS_FILE,
    Outlet,
    RegistryError,
    ascii_domain,
    load_outlets,
)

__all__ = [
    "NEW_OUTLET_GROUP",
    "NEW_OUTLET_KIND",
    "OutletEditError",
    "outlet_key",
    "outlets_text",
    "readable_domain",
    "save_outlet",
]

#: The group of an outlet nobody has placed yet: shown like any other group.
NEW_OUTLET_GROUP = "unassigned"
#: The kind of an outlet an import added (the registry's catch-all kind).
NEW_OUTLET_KIND = "other"

_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}$")
_DOMAIN = re.compile(
    r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$"
)
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: The longest name or group, and the longest reason or source, a form accepts.
_SHORT_TEXT = 200
_LONG_TEXT = 2000


class OutletEditError(ValueError):
    """An outlet value that cannot be written; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    # Long reasons stay on one line, as the analyst wrote them.
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:60].strip("-")


def readable_domain(text: str) -> str:
    """A domain with its internationalised labels (``xn--...``, punycode) in Unicode.

    ``xn--80ajghhoc2aj1c8b.xn--p1ai`` reads ``честныйзнак.рф``. Any other
    text, and a label that is not valid punycode, is returned as it is.
    """
    labels = text.split(".")
    if not any(label.lower().startswith("xn--") for label in labels):
        return text
    if not all(_LABEL.match(label) for label in labels):
        return text
    readable = []
    for label in labels:
        if label.lower().startswith("xn--"):
            try:
                decoded = label[4:].encode("ascii").decode("punycode")
            except UnicodeError:
                return text
            # An internationalised label has a letter beyond ASCII, and no control character.
            if decoded.isascii() or not decoded.isprintable():
                return text
            readable.append(decoded)
        else:
            readable.append(label)
    return ".".join(readable)


def outlet_key(name: str, domain: str, taken: Collection[str]) -> str:
    """A registry key for a new outlet: its name's words, else its domain's, made unique.

    ``"Vivo Full Panamá (blogspot)"`` gives ``vivo-full-panama-blogspot``; a
    name in another script (``"РЕН ТВ"``) falls back to the domain
    (``ren.tv`` gives ``ren-tv``). A key in ``taken`` gets ``-2``, ``-3`` ...
    """
    base = _slug(name) or _slug(domain) or "outlet"
    key = base
    suffix = 2
    while key in taken:
        key = f"{base}-{suffix}"
        suffix += 1
    return key


def _entry(outlet: Outlet) -> CommentedMap:
    entry = CommentedMap()
    entry["name"] = outlet.name
    entry["country"] = outlet.country
    entry["kind"] = outlet.kind
    domains = CommentedSeq(outlet.domains)
    domains.fa.set_flow_style()
    entry["domains"] = domains
    entry["language"] = outlet.language
    entry["group"] = outlet.group
    entry["group_reason"] = outlet.group_reason
    entry["group_source"] = outlet.group_source
    return entry


def outlets_text(current: str, outlets: Sequence[Outlet]) -> str:
    """``outlets.yaml``'s text with ``outlets`` written in, everything else kept.

    An outlet whose key is in the file replaces that entry's fields in place
    (fields it does not set, such as a comment, stay); a new one is added at
    the end after a blank line. ``current`` must be a registry that
    :func:`analysis.corpus.registry.load_outlets` reads without errors.
    """
    yaml = _yaml()
    data = yaml.load(current) if current.strip() else None
    if data is None:
        data = CommentedMap()
    for outlet in outlets:
        entry = _entry(outlet)
        if outlet.key in data:
            existing = data[outlet.key]
            for field, value in entry.items():
                old = existing.get(field)
                unchanged = (
                    tuple(old or ()) == outlet.domains
                    if field == "domains"
                    else str(old if old is not None else "") == value
                )
                # Only changed values are written, so the others keep their quotes and comments.
                if not unchanged:
                    existing[field] = value
            continue
        data[outlet.key] = entry
        if len(data) > 1:
            data.yaml_set_comment_before_after_key(outlet.key, before="\n")
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _one_line(field: str, value: str, *, required: bool, limit: int) -> str:
    text = value.strip()
    if required and not text:
        raise OutletEditError(field, "is empty; every outlet needs one")
    if _CONTROL.search(text):
        raise OutletEditError(field, "must be one line of text, without control characters")
    if len(text) > limit:
        raise OutletEditError(field, f"is {len(text):,} characters; write at most {limit:,}")
    return text


def _checked(outlet: Outlet, others: Mapping[str, Outlet]) -> Outlet:
    """The outlet with its values trimmed, or :class:`OutletEditError` naming the first bad one."""
    if not _KEY.match(outlet.key):
        raise OutletEditError(
            "key",
            f"{outlet.key!r} is not a key: use lowercase letters, digits and '-', "
            "such as 'ria-novosti'",
        )
    name = _one_line("name", outlet.name, required=True, limit=_SHORT_TEXT)
    for other in others.values():
        if other.name.casefold() == name.casefold() or other.key == name.casefold():
            raise OutletEditError("name", f"{name!r} is already the outlet {other.key}")
    if outlet.kind not in OUTLET_KINDS:
        raise OutletEditError(
            "kind", f"{outlet.kind!r} is not a known kind; use one of {', '.join(OUTLET_KINDS)}"
        )
    domains = tuple(ascii_domain(d).removeprefix("www.") for d in outlet.domains if d.strip())
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise OutletEditError(
                "domains", f"{domain!r} is not a web domain such as 'ria.ru' (no https://, no path)"
            )
        owner = next((o.key for o in others.values() if domain in o.domains), None)
        if owner is not None:
            raise OutletEditError("domains", f"{domain} is already a domain of the outlet {owner}")
    language = outlet.language.strip().lower()
    if language and not _LANGUAGE.match(language):
        raise OutletEditError("language", f"{language!r} is not an ISO 639 code such as 'en'")
    return Outlet(
        key=outlet.key,
        name=name,
        country=_one_line("country", outlet.country, required=False, limit=_SHORT_TEXT),
        kind=outlet.kind,
        domains=tuple(dict.fromkeys(domains)),
        language=language,
        group=_one_line("group", outlet.group, required=True, limit=_SHORT_TEXT),
        group_reason=_one_line(
            "group_reason", outlet.group_reason, required=False, limit=_LONG_TEXT
        ),
        group_source=_one_line(
            "group_source", outlet.group_source, required=False, limit=_LONG_TEXT
        ),
    )


def save_outlet(corpus_dir: Path | str, outlet: Outlet, *, new: bool) -> Outlet:
    """Add an outlet to ``outlets.yaml`` or change one, under the corpus lock.

    Parameters
    ----------
    corpus_dir
        The corpus folder.
    outlet
        Every field of the outlet as it should be written.
    new
        ``True`` to add an outlet (its key must be free), ``False`` to change
        the outlet with that key (it must exist).

    Returns
    -------
    Outlet
        The outlet as written (values trimmed, domains lowercased).

    Raises
    ------
    OutletEditError
        Naming the field that is not valid (``key``, ``name``, ``kind``,
        ``domains``, ``language``, ``group`` ...); nothing is written.
    RegistryError
        If ``outlets.yaml`` has errors: fix them first.
    analysis.corpus.lock.CorpusBusyError
        If another writer holds the corpus for too long.
    """
    root = Path(corpus_dir)
    with corpus_lock(root, "outlet edit"):
        # An import killed while it was writing outlets.yaml is rolled back first.
        recover_locked(root)
        outlets, problems = load_outlets(root)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise RegistryError(errors)
        if new and outlet.key in outlets:
            raise OutletEditError("key", f"{outlet.key!r} is already an outlet; edit it instead")
        if not new and outlet.key not in outlets:
            raise OutletEditError("key", f"{outlet.key!r} is not in {OUTLETS_FILE}")
        others = {k: o for k, o in outlets.items() if k != outlet.key}
        checked = _checked(outlet, others)
        path = root / OUTLETS_FILE
        text = path.read_bytes().decode("utf-8")
        write_text_atomically(path, outlets_text(text, [checked]))
        return checked
