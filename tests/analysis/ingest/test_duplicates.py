from __future__ import annotations

import numpy as np
import pytest

from analysis.ingest.duplicates import (
    NearDuplicate,
    find_near_duplicates,
    normalize_text,
    shingles,
    text_fingerprint,
)

ORIGINAL = (
    "US Secretary of State Antony Blinken has said there are two paths and that the possibility "
    "of diplomacy and de-escalation was one of two that the US and the international community "
    "had laid out for Moscow ahead of the meetings. Blinken met Russian Foreign Minister Sergey "
    "Lavrov in Stockholm, Sweden, in December amid growing concern among Western powers that "
    "Russia was preparing to invade Ukraine. Relations between the West and Russia never "
    "recovered after that time; instead they sank to almost the lowest levels since the Cold "
    "War. The NATO-Russia Council, founded in 2002 as a forum for cooperation between the West "
    "and Russia, has not met for more than two years. Blinken said on Friday that progress could "
    "be made during next week's diplomatic talks between US, European and Russian officials, but "
    "that it had to be a two-way street in which Russia de-escalates its aggression against "
    "Ukraine."
)
# The content farm's rewording of ORIGINAL (seed 003 style): synonyms swapped in,
# sentences glued together, a site name added.
REWORDED = (
    "US Secretary of State Antony Blinken has said there are two ways and that the possibility "
    "of diplomacy and de-escalation was one of two that the US and the international community "
    "had outlined for Moscow ahead of the meetings. Blinken met with Russian Foreign Minister "
    "Sergey Lavrov in Stockholm, Sweden in December due to growing concern among Western powers "
    "that Russia was trying to invade Ukraine. Relations between the West and Russia never arose "
    "after that time - instead, they reached almost the lowest levels of the Cold War.The "
    "NATO-Russia Council, founded in 2002 as a talking point for Western-Russian cooperation, has "
    "not met for over two years. Blinken said on Friday that progress could be made during next "
    "week's diplomatic negotiations between US, European and Russian officials, but that it had "
    "to be a two-way street where Russia de-escalates its aggression against Ukraine. MCU Times"
)
SAME_MEETING_OTHER_STORY = (
    "Secretary of State Antony Blinken and Foreign Minister Sergey Lavrov met in Geneva on "
    "Friday for ninety minutes. Neither side announced a breakthrough. Lavrov said Moscow was "
    "waiting for written answers to its demands on NATO, and Blinken warned that any Russian "
    "forces moving across the border into Ukraine would meet a swift, severe and united "
    "response from the United States and its allies. Both men agreed to keep talking, and US "
    "officials said a written response could be delivered next week."
)


def test_normalize_text_keeps_only_words_in_lower_case():
    assert normalize_text("Putin  met\nKERRY, in Sochi!") == "putin met kerry in sochi"
    assert text_fingerprint("Putin met Kerry.") == text_fingerprint("putin\n\nmet   Kerry")
    assert text_fingerprint("Putin met Kerry.") != text_fingerprint("Kerry met Putin.")


def test_shingles_are_distinct_word_trigrams():
    assert len(shingles("a b c a b c")) == 3
    assert len(shingles("two words")) == 0


def test_reworded_copy_is_a_near_duplicate_and_another_story_is_not():
    found = find_near_duplicates(
        [shingles(REWORDED), shingles(SAME_MEETING_OTHER_STORY)], [shingles(ORIGINAL)]
    )
    assert len(found) == 1
    assert found[0].index == 0
    assert (found[0].among, found[0].of_index) == ("existing", 0)
    assert found[0].similarity == pytest.approx(106 / 149)


def test_a_copy_earlier_in_the_same_import_is_found():
    found = find_near_duplicates(
        [shingles(ORIGINAL), shingles(SAME_MEETING_OTHER_STORY), shingles(REWORDED)]
    )
    assert [(d.index, d.among, d.of_index) for d in found] == [(2, "new", 0)]


def test_an_existing_text_wins_over_an_equally_close_new_one():
    found = find_near_duplicates([shingles(ORIGINAL), shingles(ORIGINAL)], [shingles(ORIGINAL)])
    assert found == [NearDuplicate(0, "existing", 0, 1.0), NearDuplicate(1, "existing", 0, 1.0)]


@pytest.mark.parametrize("chunk_rows", [2000, 1])
def test_of_equally_close_texts_the_first_wins(monkeypatch, chunk_rows):
    import analysis.ingest.duplicates as duplicates

    # One new text at a time, or a chunk per text (as a large import is compared).
    monkeypatch.setattr(duplicates, "_CHUNK_ROWS", chunk_rows)
    existing = [shingles(SAME_MEETING_OTHER_STORY), shingles(ORIGINAL), shingles(ORIGINAL)]
    new = [shingles(REWORDED), shingles(ORIGINAL)]
    assert [(d.index, d.among, d.of_index) for d in find_near_duplicates(new, existing)] == [
        (0, "existing", 1),
        (1, "existing", 1),
    ]


def test_short_texts_are_never_near_duplicates():
    short = "Kerry met Putin in Sochi on Tuesday."
    assert find_near_duplicates([shingles(short)], [shingles(short)]) == []


def test_threshold_must_be_a_share():
    with pytest.raises(ValueError, match=r"threshold must be in \(0, 1\], got 1.5"):
        find_near_duplicates([], [], threshold=1.5)


def test_distinctive_shingles_drop_the_common_ones_and_sets_left_too_small(monkeypatch):
    import numpy as np

    import analysis.ingest.duplicates as duplicates

    common = np.zeros(duplicates._BUCKETS, dtype=bool)
    common[[8, 12, 400]] = True
    sets = [
        np.array([4, 8, 12, 13, 16, *range(1000, 1030)], dtype=np.int32),  # loses 8 and 12
        np.array([8, 12, 400, *range(2000, 2018)], dtype=np.int32),  # 18 left: emptied
        np.array([], dtype=np.int32),
        np.arange(3000, 3020, dtype=np.int32),  # exactly MIN_SHINGLES: kept whole
    ]
    kept, sample = duplicates._distinctive(sets, np.packbits(common, bitorder="little"))
    expected = [[4, 13, 16, *range(1000, 1030)], [], [], list(range(3000, 3020))]
    assert [kept[row].indices.tolist() for row in range(4)] == expected
    assert [sample[row].indices.tolist() for row in range(4)] == [
        [v for v in row if v % duplicates._SAMPLE_EVERY == 0] for row in expected
    ]
    assert set(kept.data.tolist()) == set(sample.data.tolist()) == {1.0}
    # Summed a few sets at a time: the same as counting them all at once.
    monkeypatch.setattr(duplicates, "_COUNT_ENTRIES", 25)
    frequency = duplicates.document_frequency(sets[:2], sets[2:])
    assert frequency[[8, 12, 400, 4, 2000, 3000, 5]].tolist() == [2, 2, 1, 1, 1, 1, 0]
    assert frequency.sum() == sum(len(s) for s in sets)


def _set(*parts: range | list[int]) -> np.ndarray:
    return np.unique(np.concatenate([np.asarray(list(p), dtype=np.int32) for p in parts]))


@pytest.mark.parametrize("chunk_rows", [2000, 1])
def test_a_footer_common_among_the_existing_texts_does_not_make_a_new_text_a_copy(
    monkeypatch, chunk_rows
):
    import analysis.ingest.duplicates as duplicates

    # 2000: the few-new-texts path, which counts commonness only where it is needed;
    # 1: every shingle of every text counted, as a large import is compared.
    monkeypatch.setattr(duplicates, "_CHUNK_ROWS", chunk_rows)
    footer = range(100_000, 100_060)  # in all 60 existing texts: more than COMMON_SHINGLE_MIN
    existing = [_set(footer, range(100 * j, 100 * j + 40)) for j in range(60)]
    new_story = _set(footer, range(90_000, 90_040))
    # Text 5's body with 10 of its 40 shingles replaced: 30 shared of 40 distinctive.
    reworded = _set(footer, range(500, 530), range(95_000, 95_010))
    assert find_near_duplicates([new_story, reworded], existing) == [
        NearDuplicate(1, "existing", 5, 0.75)
    ]


def test_few_new_texts_are_matched_as_when_every_shingle_is_counted(monkeypatch):
    import analysis.ingest.duplicates as duplicates

    # Random texts over a small vocabulary of shingles (so many are common once the
    # floor is lowered), copies of existing texts with a share of shingles replaced,
    # copies within the import, ties and sets too small to judge.
    monkeypatch.setattr(duplicates, "COMMON_SHINGLE_MIN", 3)
    rng = np.random.default_rng(7)

    def text(size: int) -> np.ndarray:
        # A third of the shingles from 60 frequent ones, the rest from 20,000.
        frequent = rng.integers(0, 60, size // 3)
        return np.unique(np.concatenate([frequent, rng.integers(60, 20_060, size)])).astype(
            np.int32
        )

    existing = [text(int(rng.integers(5, 120))) for _ in range(300)]
    new = [text(int(rng.integers(5, 120))) for _ in range(40)]
    for i in range(0, 40, 3):
        base = existing[int(rng.integers(0, 300))]
        keep = rng.random(len(base)) < rng.uniform(0.3, 1.0)
        new[i] = np.unique(np.concatenate([base[keep], text(10)])).astype(np.int32)
    new[7] = new[4].copy()
    existing[11] = existing[10].copy()

    few = find_near_duplicates(new, existing)
    # The existing texts' counts given (as the duplicate index keeps them): the same matches.
    counted = duplicates.document_frequency(existing)
    assert find_near_duplicates(new, existing, existing_frequency=counted) == few
    monkeypatch.setattr(duplicates, "_CHUNK_ROWS", 1)
    assert len(few) >= 10
    assert few == find_near_duplicates(new, existing)


@pytest.mark.parametrize("chunk_rows", [2000, 2])
def test_only_the_existing_texts_holding_a_new_sampled_shingle_are_sampled(monkeypatch, chunk_rows):
    import analysis.ingest.duplicates as duplicates

    monkeypatch.setattr(duplicates, "_CHUNK_ROWS", chunk_rows)
    sets = [
        np.array([1, 5, 9], dtype=np.int32),
        np.array([2, 3], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([9, 10, 16_000_000], dtype=np.int32),
        np.array([4], dtype=np.int32),
    ]
    buckets = np.array([9, 16_000_000, 12], dtype=np.int32)
    assert duplicates._sharing(sets, buckets).tolist() == [0, 3]
    assert duplicates._sharing(sets, np.array([12], dtype=np.int32)).tolist() == []
    assert duplicates._sharing([], buckets).tolist() == []
