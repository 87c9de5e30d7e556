"""The article document: sentences, quotations and target mentions, built once per article."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis.text.sentences
from analysis.corpus.articles import load_corpus
from analysis.labels.document import article_documents, build_document, documents_for
from analysis.labels.frames import scan_frames
from analysis.pipeline.prepare import prepare_corpus
from analysis.text.sentences import Sentence
from tests.analysis.pipeline.test_prepare import _planted

ENGLISH = (
    'Kerry met Putin in Moscow. He called the talks useful. "We made real progress," Lavrov said.'
)
RUSSIAN = "Керри встретился с Путиным. Переговоры Путина и Керри прошли в Сочи."


def _spans(mentions) -> list[tuple[int, int, str, bool]]:
    return [(m.start, m.end, m.target, m.via_pronoun) for m in mentions]


def test_an_english_document_has_its_sentences_quotations_and_mentions():
    document = build_document("e1", "en", "Putin hails talks", ENGLISH)
    assert document.sentences == (
        Sentence(0, 26, "Kerry met Putin in Moscow."),
        Sentence(27, 54, "He called the talks useful."),
        Sentence(55, 92, '"We made real progress," Lavrov said.'),
    )
    assert document.sentence_starts == (0, 27, 55)
    (quotation,) = document.quotations
    assert (quotation.start, quotation.end, quotation.kind) == (55, 79, "direct")
    assert (quotation.speaker, quotation.speaker_id) == ("Lavrov", "lavrov")
    assert document.quote_spans == [(55, 79, "Lavrov")]
    # "in Moscow" is the place, not the actor; "He" is Putin, the person named last.
    assert [_spans(found) for found in document.mentions] == [
        [(0, 5, "us_west", False), (10, 15, "russia", False)],
        [(27, 29, "russia", True)],
        [(80, 86, "russia", False)],
    ]
    assert _spans(document.title_mentions) == [(0, 5, "russia", False)]
    assert document.sentence_at(30) == document.sentences[1]
    assert document.sentence_at(26) == document.sentences[0]


def test_a_russian_document_finds_the_inflected_names_and_no_quotations():
    document = build_document("r1", "ru", "Путин и Керри", RUSSIAN)
    assert [(s.start, s.end) for s in document.sentences] == [(0, 27), (28, 68)]
    assert document.quotations == ()
    assert [_spans(found) for found in document.mentions] == [
        [(0, 5, "us_west", False), (19, 26, "russia", False)],
        [(39, 45, "russia", False), (48, 53, "us_west", False)],
    ]
    assert RUSSIAN[19:26] == "Путиным"
    assert RUSSIAN[39:45] == "Путина"
    assert _spans(document.title_mentions) == [(0, 5, "russia", False), (8, 13, "us_west", False)]


def test_an_empty_text_has_no_sentence():
    document = build_document("e2", "en", "", "")
    assert (document.sentences, document.quotations, document.mentions) == ((), (), ())
    with pytest.raises(ValueError, match="article 'e2' has no sentence"):
        document.sentence_at(0)


def test_quotations_given_replace_the_ones_found():
    articles = pd.DataFrame({"id": ["e1"], "title": [""], "language": ["en"]})
    cleaned = pd.DataFrame({"id": ["e1"], "text_clean": [ENGLISH]})
    quotes = pd.DataFrame({"article_id": ["e1"], "start": [27], "end": [54], "speaker": ["Ann"]})
    (document,) = article_documents(articles, cleaned, quotes=quotes)
    assert document.quote_spans == [(27, 54, "Ann")]
    assert document.quotations[0].text == "He called the talks useful."


def test_documents_of_other_articles_are_refused():
    articles = pd.DataFrame({"id": ["e1", "e2"], "language": ["en", "en"]})
    cleaned = pd.DataFrame({"id": ["e1", "e2"], "text_clean": ["Talks.", "Sanctions."]})
    documents = article_documents(articles, cleaned)
    assert documents_for(articles, cleaned, documents) is documents
    with pytest.raises(ValueError, match=r"documents are of 2 article\(s\) that are not the 1"):
        scan_frames(articles.iloc[:1], cleaned, documents=documents)


def test_the_pipeline_splits_each_article_once(registry_corpus, monkeypatch):
    _planted(
        registry_corpus, "a-first", "Putin conceded", 'Peskov said: "Putin won." Obama failed.'
    )
    _planted(registry_corpus, "b-second", "Talks", "Kerry met Lavrov. The West conceded sanctions.")
    corpus = load_corpus(registry_corpus)
    split = analysis.text.sentences._split
    calls: list[str] = []

    def counted(text: str) -> list[Sentence]:
        calls.append(text)
        return split(text)

    monkeypatch.setattr(analysis.text.sentences, "_split", counted)
    prepared = prepare_corpus(corpus)
    assert sorted(calls) == sorted(prepared.articles["text_clean"])
    assert len(calls) == 2
