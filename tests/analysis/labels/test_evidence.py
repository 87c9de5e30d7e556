from __future__ import annotations

import pandas as pd

from analysis.corpus.articles import load_corpus
from analysis.labels.agenda import scan_subjects
from analysis.labels.evidence import (
    EVIDENCE_COLUMNS,
    EVIDENCE_TEXT_COLUMNS,
    article_positions,
    evidence_text,
)
from analysis.labels.frames import scan_frames
from analysis.labels.learned import learned_stance_and_outcome
from analysis.labels.outcome import outcome_per_article
from analysis.labels.sources import article_quotations, source_evidence
from analysis.labels.stance import stance_per_article
from analysis.pipeline.prepare import prepare_corpus
from tests.analysis.pipeline.test_prepare import _planted


def test_evidence_text_cuts_sentences_and_marks_the_cue(registry_corpus):
    _planted(registry_corpus, "a-first", "Putin conceded", "Talks ended. Then Kerry failed badly.")
    prepared = prepare_corpus(load_corpus(registry_corpus))
    assert list(prepared.evidence.columns) == list(EVIDENCE_COLUMNS)
    assert "sentence" not in prepared.evidence.columns
    stance = evidence_text(prepared.articles, prepared.evidence).query("analysis == 'stance'")
    assert list(stance.columns) == list(EVIDENCE_TEXT_COLUMNS)
    body = stance[stance["sentence_start"].notna()].iloc[0]
    assert body["sentence"] == "Then Kerry failed badly."
    assert (body["sentence_start"], body["sentence_end"]) == (13, 37)
    assert body["marked"] == "Then Kerry **failed** badly."
    headline = stance[stance["sentence_start"].isna()].iloc[0]
    assert headline["sentence"] == "Putin conceded"
    assert headline["marked"] == "Putin **conceded**"
    assert pd.isna(headline["sentence_end"])
    # Rows given with their articles' positions, as a table written in parts gives them.
    positions = article_positions(prepared.articles, prepared.evidence["article_id"])
    for lo in range(len(prepared.evidence)):
        part = prepared.evidence.iloc[lo : lo + 1]
        pd.testing.assert_frame_equal(
            evidence_text(prepared.articles, part, positions=positions[lo : lo + 1]),
            evidence_text(prepared.articles, part),
        )


def test_every_analysis_gives_its_evidence_in_the_one_schema():
    text = 'Kerry conceded to Putin on sanctions. "The talks failed," Peskov said.'
    articles = pd.DataFrame(
        {"id": ["a1"], "title": ["Talks"], "language": ["en"], "meetings": ["2015-12-moscow"]}
    )
    cleaned = pd.DataFrame({"id": ["a1"], "text_clean": [text]})
    tables = {
        "stance": stance_per_article(articles, cleaned)[1],
        "outcome": outcome_per_article(articles, cleaned)[1],
        "learned": learned_stance_and_outcome(articles, cleaned)[2],
        "frame": scan_frames(articles, cleaned)[1],
        "subject": scan_subjects(articles, cleaned)[1],
        "source": source_evidence(article_quotations(articles, cleaned)),
    }
    schema = [(column, dtype) for column, dtype in zip(EVIDENCE_COLUMNS, _DTYPES, strict=True)]
    for name, table in tables.items():
        assert not table.empty, name
        assert list(zip(table.columns, table.dtypes.map(str), strict=True)) == schema, name
    assert set(tables["outcome"]["analysis"]) == {"outcome"}
    assert set(tables["source"]["label"]) == {"peskov"}


_DTYPES = (
    "category",
    "category",
    "category",
    "category",
    "category",
    "int32",
    "int32",
    "int32",
    "int32",
    "category",
    "float64",
    "category",
)
