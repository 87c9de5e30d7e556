from __future__ import annotations

import numpy as np

from analysis.ingest.duplicate_index import DuplicateIndex, index_path, text_key
from analysis.ingest.duplicates import shingles, text_fingerprint
from tests.analysis.ingest.test_duplicates import ORIGINAL, REWORDED


def test_index_file_gives_back_what_was_put_in(tmp_path):
    texts = [ORIGINAL, REWORDED, "", "two words"]
    index = DuplicateIndex.load(tmp_path)
    for text in texts:
        index.put(text, text_fingerprint(text), shingles(text))
    assert index.save(texts)
    assert index_path(tmp_path).is_file()

    loaded = DuplicateIndex.load(tmp_path)
    assert len(loaded) == 4
    for text in texts:
        entry = loaded.get(text)
        assert entry is not None
        assert entry[0] == text_fingerprint(text)
        assert np.array_equal(entry[1], shingles(text))
    assert loaded.get(ORIGINAL + " ") is None
    assert not loaded.save(texts)


def test_keys_and_fingerprints_ending_in_zero_bytes_are_kept_whole(tmp_path):
    # NumPy's fixed-size bytes type would drop the trailing zero bytes.
    text = next(f"text {n}" for n in range(10_000) if text_key(f"text {n}").endswith(b"\0"))
    index = DuplicateIndex.load(tmp_path)
    index.put(text, "ab" * 15 + "00", np.array([1, 5, 9], dtype=np.int32))
    assert index.save([text])
    entry = DuplicateIndex.load(tmp_path).get(text)
    assert entry is not None
    assert entry[0] == "ab" * 15 + "00"
    assert entry[1].tolist() == [1, 5, 9]


def test_save_keeps_only_the_given_texts_and_writes_only_on_a_change(tmp_path):
    index = DuplicateIndex.load(tmp_path)
    for text in ("a b c", "d e f"):
        index.put(text, text_fingerprint(text), shingles(text))
    assert index.save(["a b c", "d e f"])
    assert not index.save(["d e f", "a b c"])
    assert index.save(["d e f", "not in the index"])
    loaded = DuplicateIndex.load(tmp_path)
    assert len(loaded) == 1
    assert loaded.get("a b c") is None


def test_set_out_of_order_makes_the_index_unusable(tmp_path):
    index = DuplicateIndex.load(tmp_path)
    index.put("a b c", "00" * 16, np.array([1, 2], dtype=np.int32))
    index.put("d e f", "00" * 16, np.array([3, 3], dtype=np.int32))
    assert index.save(["a b c", "d e f"])
    assert len(DuplicateIndex.load(tmp_path)) == 0
