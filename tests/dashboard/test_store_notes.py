"""What the results store had to say reaches the analyst as a warning; the page still works."""

from __future__ import annotations

from analysis.pipeline.store import default_store_root
from dashboard.layout import STORE_NOTE_HINT, escape_markdown
from tests.dashboard.conftest import texts

HINT = escape_markdown(STORE_NOTE_HINT)


def test_a_store_that_cannot_be_written_is_a_warning_on_the_page(open_page, corpus_copy):
    blocker = default_store_root(corpus_copy)
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the store's folder would go", encoding="utf-8")
    app = open_page("stance", corpus=corpus_copy)
    assert not app.exception
    warnings = [w for w in texts(app, "warning") if HINT in w]
    assert len(warnings) == 1
    assert "could not be written" in warnings[0]
    assert escape_markdown(f"results store {blocker} could not be written") in warnings[0]
    assert not texts(app, "error")


def test_a_working_store_says_nothing(open_page, corpus_copy):
    app = open_page("stance", corpus=corpus_copy)
    assert not app.exception
    assert not [w for w in texts(app, "warning") if HINT in w]
