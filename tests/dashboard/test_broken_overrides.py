"""A broken overrides file: a banner on every page, and the computed labels without corrections."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.corpus.types import Problem
from analysis.review.hand_labels import RATED_STANCE_LABELS
from analysis.review.overrides import overrides_warning, save_override
from dashboard.layout import escape_markdown
from tests.dashboard.conftest import texts

OSW = "osw-2013-05-15-moscow-intransigent-towards-washington-on-the-syria-crisis"
OSW_LABEL = (
    "Moscow intransigent towards Washington on the Syria crisis — "
    "OSW – Centre for Eastern Studies, 2013-05-15"
)
BAD_ROW = f"{OSW},ukraine,positive,,Bo,2024-01-03\n"
FAULT = (
    "label 'positive' for target 'ukraine' is not one of "
    "('favorable', 'unfavorable', 'neutral', 'not mentioned')"
)


def _banner(corpus: Path, line: int) -> str:
    problem = Problem("overrides.csv", "label", FAULT, line)
    return escape_markdown(overrides_warning(problem, corpus))


def _now(app) -> str:  # type: ignore[no-untyped-def]
    return next(c for c in texts(app, "caption") if c.startswith("Now: "))


@pytest.mark.parametrize("page", ["overview", "stance", "corpus"])
def test_every_page_shows_a_broken_overrides_file(open_page, corpus_copy, page):
    path = corpus_copy / "overrides.csv"
    path.write_text(path.read_text(encoding="utf-8") + BAD_ROW, encoding="utf-8")
    app = open_page(page, corpus=corpus_copy)
    assert not app.exception
    assert _banner(corpus_copy, 2) in texts(app, "error")


def test_no_page_shows_the_banner_for_a_good_file(open_page, corpus_copy):
    app = open_page("overview", corpus=corpus_copy)
    assert not app.exception
    assert not [e for e in texts(app, "error") if "overrides.csv" in e]


def test_a_correction_is_not_shown_while_the_file_is_broken(open_page, corpus_copy):
    app = open_page("reader", corpus=corpus_copy, rd_article=OSW_LABEL)
    app.selectbox(key="rd_fix_target").select("russia")
    app.run()
    computed = _now(app)
    corrected = next(label for label in RATED_STANCE_LABELS if f"'{label}'" not in computed)
    save_override(corpus_copy, article_id=OSW, target="russia", label=corrected, who="Ann")
    good = (corpus_copy / "overrides.csv").read_text(encoding="utf-8")
    app.run()
    assert _now(app) == f"Now: '{corrected}'."

    (corpus_copy / "overrides.csv").write_text(good + BAD_ROW, encoding="utf-8")
    app.run()
    assert not app.exception
    assert _banner(corpus_copy, 3) in texts(app, "error")
    assert _now(app) == computed

    (corpus_copy / "overrides.csv").write_text(good, encoding="utf-8")
    app.run()
    assert not app.exception
    assert not [e for e in texts(app, "error") if "overrides.csv" in e]
    assert _now(app) == f"Now: '{corrected}'."
