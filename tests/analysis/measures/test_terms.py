"""The document-term matrix: which words and phrases are terms, and their counts."""

from __future__ import annotations

import weakref

import numpy as np
import pytest
import scipy.sparse as sp

from analysis.measures import terms as terms
from analysis.measures.terms import TermCounts, count_terms
from analysis.pipeline import workers
from analysis.text.tokens import load_stopwords


def _as_dict(counts: TermCounts) -> dict[str, list[int]]:
    dense = counts.counts.toarray()
    return {term: dense[:, k].tolist() for k, term in enumerate(counts.terms)}


def _terms_of(text: str, **options) -> list[str]:
    """The terms of one text alone, phrases seen once included."""
    return count_terms([text], min_phrase_count=1, **options).terms.tolist()


def test_markup_urls_and_punctuation_give_no_terms():
    text = '<div class="x">&nbsp;</div> *** ### --- ... ;;; ___ http://example.com/?a=1 a@b.org'
    assert _terms_of(text) == []


def test_html_is_stripped_and_entities_decoded():
    text = "<p>Kerry &amp; Putin</p><script>var tracking = 1;</script>"
    counts = count_terms([text], min_phrase_count=1)
    assert _as_dict(counts) == {"kerry": [1], "putin": [1], "kerry putin": [1]}


def test_phrases_do_not_start_or_end_with_stopwords_but_may_hold_them():
    assert _terms_of("The Secretary of State met the Congress of Vienna.") == [
        "secretary",
        "state",
        "met",
        "congress",
        "vienna",
        "state met",
        "secretary of state",
        "met the congress",
        "congress of vienna",
    ]


def test_phrases_do_not_cross_punctuation_or_paragraphs():
    counts = count_terms(["Regime change. Change course\n\nKerry; Putin"], min_phrase_count=1)
    terms = _as_dict(counts)
    assert "change change" not in terms
    assert "course kerry" not in terms
    assert "kerry putin" not in terms
    assert terms["regime change"] == [1]
    assert terms["change course"] == [1]


def test_words_every_article_shares_survive():
    texts = ["Kerry met Putin in Sochi.", "Putin and Kerry in Moscow.", "Kerry, Putin: talks."]
    counts = count_terms(texts)
    columns = {term: k for k, term in enumerate(counts.terms)}
    dense = counts.counts.toarray()
    assert dense[:, columns["kerry"]].tolist() == [1, 1, 1]
    assert dense[:, columns["putin"]].tolist() == [1, 1, 1]


def test_count_terms_returns_csr_counts_with_terms_and_lengths():
    counts = count_terms(["Regime change now, regime change!", "regime change", "peace"])
    assert sp.issparse(counts.counts)
    assert counts.counts.format == "csr"
    assert counts.terms.tolist() == ["regime", "change", "peace", "regime change"]
    assert counts.n_words.tolist() == [1, 1, 1, 2]
    assert counts.counts.toarray().tolist() == [[2, 2, 0, 2], [1, 1, 0, 1], [0, 0, 1, 0]]
    assert counts.doc_tokens.tolist() == [5, 2, 1]


def test_phrases_seen_once_in_the_corpus_are_not_terms():
    counts = count_terms(["Minsk agreements", "minsk agreements", "regime change"])
    assert counts.terms.tolist() == ["minsk", "agreements", "regime", "change", "minsk agreements"]
    single = count_terms(["regime change"], min_phrase_count=1)
    assert "regime change" in single.terms.tolist()


def test_no_phrase_spans_two_articles():
    counts = count_terms(["kerry putin", "kerry putin", "putin kerry"], min_phrase_count=1)
    assert counts.terms.tolist() == ["kerry", "putin", "kerry putin", "putin kerry"]
    assert counts.counts.toarray()[:, 2:].tolist() == [[1, 0], [1, 0], [0, 1]]


def test_bucketed_sliced_held_and_ranked_codes_give_the_same_counts(monkeypatch):
    texts = [
        "Regime change in Syria, regime change in Libya. Secretary of State Kerry.",
        "The Secretary of State said regime change in Syria was over.",
        "Kerry, Secretary of State, met Putin about regime change in Syria.",
    ]
    expected = _as_dict(count_terms(texts))
    monkeypatch.setattr(terms, "_BUCKET_SIZE", 2)
    assert _as_dict(count_terms(texts)) == expected
    # Every whole-stream step in slices of three positions.
    monkeypatch.setattr(terms, "_SLICE", 3)
    assert _as_dict(count_terms(texts)) == expected
    # Codes held for every start and extended word by word, as for a vocabulary
    # too large for a phrase's code to be spelled out in int64...
    monkeypatch.setattr(terms, "_spelled_out_codes_fit", lambda vocabulary_size, n: False)
    assert _as_dict(count_terms(texts)) == expected
    # ... and ranked when even that would overflow.
    monkeypatch.setattr(terms, "_codes_fit", lambda codes, vocabulary_size: False)
    assert _as_dict(count_terms(texts)) == expected
    assert expected["change in syria"] == [1, 1, 1]
    assert expected["secretary of state"] == [1, 1, 1]


def test_russian_stopwords_are_removed():
    terms = _terms_of("Министр и госсекретарь США не договорились о Сирии.")
    assert [t for t in terms if " " not in t] == [
        "министр",
        "госсекретарь",
        "сша",
        "договорились",
        "сирии",
    ]


def test_ukrainian_stopwords_are_removed_and_apostrophes_kept():
    terms = _terms_of("Він сказав, що Україна та Росія обговорили п’ять питань.")
    assert [t for t in terms if " " not in t] == [
        "сказав",
        "україна",
        "росія",
        "обговорили",
        "п'ять",
        "питань",
    ]
    assert "україна та росія" in terms


def test_a_language_without_stopwords_still_gives_terms():
    assert load_stopwords("de") == frozenset()
    terms = _terms_of("Der Außenminister traf Putin.", languages=["de"])
    assert list(terms)[:4] == ["der", "außenminister", "traf", "putin"]


def test_languages_must_not_be_a_bare_string():
    with pytest.raises(ValueError, match=r"languages must be a collection of codes"):
        count_terms(["kerry"], languages="en")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_words": 0}, r"max_words must be between 1 and 5, got 0"),
        ({"min_phrase_count": 0}, r"min_phrase_count must be at least 1, got 0"),
    ],
)
def test_count_terms_option_checks(options, message):
    with pytest.raises(ValueError, match=message):
        count_terms(["kerry"], **options)


def test_texts_must_be_strings():
    texts: list = ["kerry", np.nan]
    with pytest.raises(ValueError, match=r"texts must be strings, got float"):
        count_terms(texts)


def test_stacking_term_blocks_a_few_rows_at_a_time_gives_scipys_matrix(monkeypatch):

    monkeypatch.setattr(terms, "_STACK_ROWS", 3)
    words = sp.csr_matrix(np.array([[1, 0, 2], [0, 0, 0], [3, 1, 0], [0, 4, 0], [1, 1, 1]]))
    pairs = sp.csr_matrix(np.array([[0, 1], [0, 0], [0, 0], [2, 0], [0, 5]]))
    empty = sp.csr_matrix((5, 2), dtype=np.int32)
    blocks = [b.astype(np.int32) for b in (words, empty, pairs)]
    expected = sp.hstack(blocks, format="csr", dtype=np.int32)
    stacked = terms._stack_columns([blocks[0][:3], blocks[0][3:]], blocks[1:])
    assert stacked.shape == (5, 7)
    assert stacked.dtype == expected.dtype == np.int32
    for part in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(stacked, part), getattr(expected, part))
        assert getattr(stacked, part).dtype == getattr(expected, part).dtype
    np.testing.assert_array_equal(stacked.toarray()[3], [0, 4, 0, 0, 0, 2, 0])


def test_counting_words_two_articles_at_a_time_gives_the_same_matrix(monkeypatch):
    texts = [
        "Kerry met Putin in Sochi. Putin smiled.",
        "Lavrov and Kerry talked about Syria and Syria again.",
        "",
        "Putin, Kerry and Lavrov: Syria talks in Sochi.",
        "Kerry left Sochi.",
    ]
    whole = count_terms(texts)
    monkeypatch.setattr(terms, "_STACK_ROWS", 2)
    chunked = count_terms(texts)
    assert list(chunked.terms) == list(whole.terms)
    for part in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(chunked.counts, part), getattr(whole.counts, part))
    assert chunked.counts[1, list(chunked.terms).index("syria")] == 2


def test_counting_no_texts_gives_an_empty_matrix():
    counts = count_terms([])
    assert counts.counts.shape == (0, 0)
    assert len(counts.terms) == 0


def test_spelled_out_codes_fit_int64_only_while_every_sequence_does():
    # The largest code is V**n - 1: 2**63 - 1 for V = 2**21, n = 3.
    assert terms._spelled_out_codes_fit(2**21, 3)
    assert not terms._spelled_out_codes_fit(2**21 + 1, 3)
    assert not terms._spelled_out_codes_fit(60_000, 4)


def _same_counts(first: TermCounts, second: TermCounts) -> None:
    assert first.terms.tolist() == second.terms.tolist()
    assert first.n_words.tolist() == second.n_words.tolist()
    assert first.doc_tokens.tolist() == second.doc_tokens.tolist()
    assert (first.counts != second.counts).nnz == 0


def test_reusing_kept_token_streams_gives_the_same_counts_as_tokenizing(tokenized):
    earlier = [
        "Kerry met Putin in Sochi. The talks were long.",
        "Lavrov said: the talks failed.",
        "Kerry and Lavrov, again in Sochi.",
    ]
    kept: list[terms.TokenStreams] = []
    count_terms(earlier, languages=("en",), keep=kept.append)
    (streams,) = kept
    assert streams.keys.tolist() == [terms.text_key(text) for text in earlier]
    assert streams.offsets.tolist()[0] == 0
    assert len(streams.stream) == streams.offsets[-1]

    # Reordered, one gone, one new with new words (Russian, so "и" is a stopword now).
    later = [
        "Новые санкции: Путин и Керри в Сочи.",
        earlier[2],
        earlier[0],
        "Putin met Kerry in Sochi again, in Sochi.",
    ]
    tokenized.clear()
    reused = count_terms(later, languages=("en", "ru"), reuse=streams)
    assert tokenized == [later[0], later[3]]
    _same_counts(reused, count_terms(later, languages=("en", "ru")))
    assert "и" not in reused.terms.tolist()
    assert "sochi again" not in reused.terms.tolist()
    assert "kerry met putin" not in reused.terms.tolist()
    assert "putin met" not in reused.terms.tolist()
    assert _as_dict(reused)["sochi"] == [0, 1, 1, 2]


def test_kept_texts_that_follow_each_other_are_mapped_together_with_the_same_ids(
    tokenized, monkeypatch
):
    # Each text brings a word of its own, so any change in the order words are
    # first used would number them, and so the columns, differently.
    earlier = [f"Kerry met envoy{i} in Sochi. Talks{i % 3} went on." for i in range(7)]
    kept: list[terms.TokenStreams] = []
    count_terms(earlier, languages=("en",), keep=kept.append)
    monkeypatch.setattr(terms, "_REUSED_RUN", 2)

    new = "Lavrov met newcomer in Geneva. Talks2 went on."
    later = [*earlier[0:3], new, *earlier[4:7], earlier[3]]
    tokenized.clear()
    reused = count_terms(later, languages=("en",), reuse=kept[0])
    assert tokenized == [new]
    _same_counts(reused, count_terms(later, languages=("en",)))
    assert reused.terms.tolist().index("envoy6") < reused.terms.tolist().index("envoy3")


def test_token_streams_of_a_count_that_reused_others_are_reusable_again():
    first: list[terms.TokenStreams] = []
    count_terms(["Kerry met Putin.", "Putin met Lavrov."], keep=first.append)
    second: list[terms.TokenStreams] = []
    count_terms(["Lavrov met Kerry.", "Kerry met Putin."], reuse=first[0], keep=second.append)
    texts = ["Kerry met Putin.", "Lavrov met Kerry.", "Putin met Lavrov."]
    _same_counts(count_terms(texts, reuse=second[0]), count_terms(texts))


def test_the_reused_streams_are_let_go_before_the_phrases_are_numbered(monkeypatch):
    # Held through the phrase work, where the count peaks, they took the count after one
    # added article to 50,000 from 2.20 to 2.43 GiB.
    kept: list[terms.TokenStreams] = []
    count_terms(["Kerry met Putin in Sochi.", "Kerry met Putin again."], keep=kept.append)
    streams = weakref.ref(kept[0])
    alive: list[bool] = []
    number_phrases = terms._number_phrases

    def numbering(*args, **kwargs):
        alive.append(streams() is not None)
        return number_phrases(*args, **kwargs)

    monkeypatch.setattr(terms, "_number_phrases", numbering)
    later = ["Kerry met Putin again.", "Putin met Kerry.", "Kerry met Putin in Sochi."]
    counted = count_terms(later, reuse=kept.pop())
    assert alive == [False, False]
    monkeypatch.undo()
    _same_counts(counted, count_terms(later))
    assert "kerry met putin" in counted.terms.tolist()


def test_tokenizing_on_two_processes_gives_the_ids_columns_and_streams_of_one(monkeypatch):
    # Words first used in each text in an order the columns follow; a text with no
    # words, one of breaks only, one repeating words, a paragraph break; batches of two.
    texts = [
        "Kerry met envoy1 in Sochi. Talks went on.",
        "",
        "...!?",
        "Envoy2 met envoy1, envoy2 and Kerry; envoy2 again.",
        "Новые санкции: Путин и Керри в Сочи.\n\nPutin met envoy3 in Sochi.",
    ]
    monkeypatch.setattr(terms, "_TOKENIZE_BATCH", 2)
    monkeypatch.setattr(workers, "can_fork_workers", lambda: True)
    kept: dict[int, list[terms.TokenStreams]] = {1: [], 2: []}
    one, two = (
        count_terms(texts, languages=("en", "ru"), keep=kept[n].append, workers=n) for n in (1, 2)
    )
    _same_counts(two, one)
    assert one.terms.tolist()[:4] == ["kerry", "met", "envoy1", "sochi"]
    assert one.doc_tokens.tolist() == [8, 0, 0, 8, 12]
    assert _as_dict(two)["envoy2"] == [0, 0, 0, 3, 0]
    for part in ("words", "keys", "offsets", "stream"):
        np.testing.assert_array_equal(getattr(kept[2][0], part), getattr(kept[1][0], part))
