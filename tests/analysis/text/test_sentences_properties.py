"""The splitter's spans: in order, apart, inside the text, each the sentence's own text, and
together every character of the text that is not whitespace."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.text.sentences import split_sentences

_PIECES = [
    ". ",
    "! ",
    "? ",
    "…",
    "...",
    "\n",
    "\n\n",
    "\n \t\n",
    "\r\n\r\n",
    "\u2028",
    "\x85",
    " ",
    "Mr. ",
    "U.S. ",
    "No. 5",
    "John F. Kennedy",
    "e.g. the",
    "“He said.” Then",
    '"Go." ',
    "«Да.» Он",
    "Kerry met Putin",
    "The talks",
    "a",
    "A",
    ")",
    "\ud800",
    "\x00",
]
_TEXT = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(_PIECES)), max_size=30).map(
    "".join
)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT)
def test_sentences_are_ordered_spans_of_the_text_covering_all_but_whitespace(text):
    sentences = split_sentences(text)
    end = 0
    for sentence in sentences:
        assert end <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        end = sentence.end
    covered = "".join(s.text for s in sentences)
    assert [c for c in covered if not c.isspace()] == [c for c in text if not c.isspace()]
