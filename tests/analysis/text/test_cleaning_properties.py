"""Cleaning loses nothing silently: each line of the raw text is kept or named in a removal, the
line numbers are the raw text's, and cleaning or normalizing twice changes nothing more."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.text.cleaning import clean_text
from analysis.text.normalize import normalize_characters, normalize_lines, unify_line_breaks

# Line breaks of every kind, special spaces and invisible characters, quotes, bullets,
# glued sentences, abbreviations and lines the chrome rules remove.
_PIECES = [
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\x85",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x1c",
    " ",
    "\t",
    "\u00a0",
    "\u200b",
    "\u00ad",
    "\ufeff",
    "“",
    "”",
    "«",
    "»",
    "—",
    "…",
    "time.The",
    "U.S. ",
    "Mr. ",
    '"',
    "'",
    "•",
    "image",
    "Kerry met Putin. ",
    "the talks went on\n",
    "Copyright © 2020 OSW",
    "Related Posts",
    "Share this:",
    "\ud800",
    "\x00",
]
_RAW = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(_PIECES)), max_size=25).map("".join)


@settings(max_examples=250, deadline=None)
@given(raw=_RAW)
def test_normalizing_keeps_the_line_count_and_twice_changes_nothing(raw):
    lines = normalize_lines(raw)
    assert len(lines) == unify_line_breaks(raw).count("\n") + 1
    normalized = normalize_characters(raw)
    assert normalize_characters(normalized) == normalized


@settings(max_examples=200, deadline=None)
@given(raw=_RAW, title=st.sampled_from(["", "Talks", "Kerry met Putin."]))
def test_every_raw_line_is_kept_or_named_in_a_removal(raw, title):
    cleaned = clean_text(raw, title=title, outlet_name="OSW", authors=("Jane Doe",))
    raw_lines = unify_line_breaks(raw).split("\n")
    removed_lines = set()
    for removal in cleaned.removed:
        assert 1 <= removal.line_start <= removal.line_end <= len(raw_lines)
        assert removal.rule
        assert removal.reason
        if removal.rule != "image_placeholder":
            lines = raw_lines[removal.line_start - 1 : removal.line_end]
            assert removal.text == "\n".join(lines)
        removed_lines.update(range(removal.line_start, removal.line_end + 1))
    for number, line in enumerate(normalize_lines(raw), start=1):
        assert number in removed_lines or line in cleaned.text


@settings(max_examples=200, deadline=None)
@given(raw=_RAW)
def test_cleaning_clean_text_again_changes_nothing(raw):
    cleaned = clean_text(raw).text
    assert clean_text(cleaned).text == cleaned
    assert "\n\n\n" not in cleaned
    assert cleaned == cleaned.strip()


def test_a_zero_width_space_does_not_hide_a_glued_sentence():
    assert normalize_characters("worse.\u200bThe talks") == "worse. The talks"
    assert normalize_characters("worse.\u200b“Capitulating") == 'worse. "Capitulating'


def test_every_leading_bullet_is_dropped_at_once():
    assert normalize_characters("•• Talks\n• ▪ Sanctions\n••") == "Talks\nSanctions\n"
