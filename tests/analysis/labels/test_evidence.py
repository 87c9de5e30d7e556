from __future__ import annotations

import pandas as pd

from analysis.corpus.articles import load_corpus
from analysis.labels.evidence import COMPACT_EVIDENCE_COLUMNS, EVIDENCE_COLUMNS, evidence_text
from analysis.pipeline.prepare import prepare_corpus
from tests.analysis.pipeline.test_prepare import _planted


def test_evidence_text_cuts_sentences_and_marks_the_cue(registry_corpus):
    _planted(registry_corpus, "a-first", "Putin conceded", "Talks ended. Then Kerry failed badly.")
    prepared = prepare_corpus(load_corpus(registry_corpus))
    assert list(prepared.evidence.columns) == list(COMPACT_EVIDENCE_COLUMNS)
    assert "sentence" not in prepared.evidence.columns
    stance = evidence_text(prepared.articles, prepared.evidence).query("analysis == 'stance'")
    assert list(stance.columns) == list(EVIDENCE_COLUMNS)
    body = stance[stance["sentence_start"].notna()].iloc[0]
    assert body["sentence"] == "Then Kerry failed badly."
    assert (body["sentence_start"], body["sentence_end"]) == (13, 37)
    assert body["marked"] == "Then Kerry **failed** badly."
    headline = stance[stance["sentence_start"].isna()].iloc[0]
    assert headline["sentence"] == "Putin conceded"
    assert headline["marked"] == "Putin **conceded**"
    assert pd.isna(headline["sentence_end"])
