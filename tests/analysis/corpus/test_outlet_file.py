"""Writing outlets.yaml: comments and order kept, values checked, nothing written on a bad one."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from analysis.corpus.lock import LOCK_FILE
from analysis.corpus.outlet_file import (
    OutletEditError,
    outlet_key,
    outlets_text,
    readable_domain,
    save_outlet,
)
from analysis.corpus.registry import Outlet, RegistryError, load_outlets
from analysis.ingest.inference import outlet_for_url
from tests.conftest import SHIPPED_CORPUS

REGISTRY = """\
# The analyst's registry: this comment stays.
osw:
  name: OSW
  kind: think tank
  domains: [osw.waw.pl]
  group: think tank  # a comment on a value stays too
  group_reason: "Warsaw think tank."
"""
RIA = Outlet(
    key="ria-novosti",
    name="RIA Novosti",
    country="Russia",
    kind="state media",
    domains=("ria.ru",),
    language="ru",
    group="Russian state",
    group_reason="State-owned news agency.",
    group_source="Its imprint.",
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "outlets.yaml").write_text(REGISTRY, encoding="utf-8")
    return tmp_path


def test_an_unchanged_registry_is_written_back_byte_for_byte():
    shipped = (SHIPPED_CORPUS / "outlets.yaml").read_text(encoding="utf-8")
    assert outlets_text(shipped, []) == shipped


def test_a_new_outlet_goes_at_the_end_and_everything_else_stays(corpus):
    written = save_outlet(corpus, RIA, new=True)
    assert written == RIA
    assert (corpus / "outlets.yaml").read_text(encoding="utf-8") == REGISTRY + (
        "\nria-novosti:\n"
        "  name: RIA Novosti\n"
        "  country: Russia\n"
        "  kind: state media\n"
        "  domains: [ria.ru]\n"
        "  language: ru\n"
        "  group: Russian state\n"
        "  group_reason: State-owned news agency.\n"
        "  group_source: Its imprint.\n"
    )
    assert not list(corpus.glob(".outlets.yaml.*"))
    assert not (corpus / (LOCK_FILE + ".holder")).exists()


def test_an_edit_changes_the_fields_in_place(corpus):
    outlets, _ = load_outlets(corpus)
    save_outlet(corpus, replace(outlets["osw"], group="Polish", name="OSW Warsaw"), new=False)
    # Only the changed values are rewritten; the comment keeps its column.
    assert (corpus / "outlets.yaml").read_text(encoding="utf-8") == (
        "# The analyst's registry: this comment stays.\n"
        "osw:\n"
        "  name: OSW Warsaw\n"
        "  kind: think tank\n"
        "  domains: [osw.waw.pl]\n"
        "  group: Polish      # a comment on a value stays too\n"
        '  group_reason: "Warsaw think tank."\n'
    )
    assert load_outlets(corpus)[0]["osw"].group == "Polish"


@pytest.mark.parametrize(
    ("changes", "new", "message"),
    [
        ({"key": "osw"}, True, "key: 'osw' is already an outlet; edit it instead"),
        ({"key": "tass"}, False, "key: 'tass' is not in outlets.yaml"),
        ({"key": "RIA Novosti"}, True, "key: 'RIA Novosti' is not a key: use lowercase letters"),
        ({"name": "  "}, True, "name: is empty; every outlet needs one"),
        ({"name": "osw"}, True, "name: 'osw' is already the outlet osw"),
        ({"name": "RIA\nNovosti"}, True, "name: must be one line of text"),
        ({"group": ""}, True, "group: is empty; every outlet needs one"),
        ({"group_reason": "x" * 2001}, True, "group_reason: is 2,001 characters; write at most"),
        ({"kind": "agency"}, True, "kind: 'agency' is not a known kind; use one of wire, "),
        ({"domains": ("https://ria.ru/",)}, True, "domains: 'https://ria.ru/' is not a web domain"),
        ({"domains": ("osw.waw.pl",)}, True, "domains: osw.waw.pl is already a domain of the"),
        ({"language": "russian"}, True, "language: 'russian' is not an ISO 639 code"),
    ],
)
def test_a_bad_value_is_named_and_nothing_is_written(corpus, changes, new, message):
    with pytest.raises(OutletEditError, match=f"^{re.escape(message)}"):
        save_outlet(corpus, replace(RIA, **changes), new=new)
    assert (corpus / "outlets.yaml").read_text(encoding="utf-8") == REGISTRY


def test_a_broken_registry_is_not_edited(corpus):
    (corpus / "outlets.yaml").write_text("osw:\n  name: OSW\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"group: missing"):
        save_outlet(corpus, RIA, new=True)


def test_keys_come_from_the_name_or_the_domain_and_are_unique():
    assert outlet_key("Vivo Full Panamá (blogspot)", "", ()) == "vivo-full-panama-blogspot"
    assert outlet_key("РЕН ТВ", "ren.tv", ()) == "ren-tv"
    assert outlet_key("", "", ()) == "outlet"
    assert outlet_key("RBC", "rbc.ru", {"rbc", "rbc-2"}) == "rbc-3"


def test_internationalised_domains_read_in_their_own_script():
    assert readable_domain("xn--80ajghhoc2aj1c8b.xn--p1ai") == "честныйзнак.рф"
    assert readable_domain("www.xn--mnchen-3ya.de") == "www.münchen.de"
    assert readable_domain("XN--E1AFMKFD.XN--P1AI") == "пример.рф"
    # Not internationalised, not a domain, or not valid punycode: left as it is.
    for text in ("ria.ru", "Kommersant", "xn--80a a.ru", "xn--zz9999999999.ru", "xn--a.ru"):
        assert readable_domain(text) == text
    # The key stays ASCII: made from the domain as written.
    assert outlet_key("", "xn--e1afmkfd.xn--p1ai", ()) == "xn-e1afmkfd-xn-p1ai"


@pytest.mark.parametrize("typed", ["xn--e1afmkfd.xn--p1ai", "пример.рф", "www.Пример.РФ"])
def test_an_outlet_on_an_internationalised_domain_can_be_saved(corpus, typed):
    saved = save_outlet(corpus, replace(RIA, domains=(typed,)), new=True)
    assert saved.domains == ("xn--e1afmkfd.xn--p1ai",)
    assert load_outlets(corpus)[0][RIA.key].domains == ("xn--e1afmkfd.xn--p1ai",)
    # An address typed in either form finds the outlet.
    outlets = load_outlets(corpus)[0]
    for url in ("https://пример.рф/news/1", "https://www.xn--e1afmkfd.xn--p1ai/news/1"):
        assert outlet_for_url(url, outlets)[0] == RIA.key


def test_a_domain_that_is_not_one_is_refused_in_any_script(corpus):
    for typed in ("пример рф", "https://пример.рф/x", "пример"):
        with pytest.raises(OutletEditError, match="is not a web domain"):
            save_outlet(corpus, replace(RIA, domains=(typed,)), new=True)


def test_the_shipped_registry_takes_an_outlet(tmp_path):
    shutil.copy(SHIPPED_CORPUS / "outlets.yaml", tmp_path / "outlets.yaml")
    save_outlet(tmp_path, RIA, new=True)
    outlets, problems = load_outlets(tmp_path)
    assert problems == []
    assert list(outlets)[-1] == "ria-novosti"
    assert len(outlets) == 7
