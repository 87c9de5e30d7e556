from __future__ import annotations

import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import analysis.ingest.duplicate_index
import analysis.ingest.duplicates
import analysis.ingest.importer
from analysis.ingest.duplicate_index import (
    INDEX_VERSION,
    DuplicateIndex,
    delta_path,
    index_path,
    text_key,
)
from analysis.ingest.duplicates import document_frequency, shingles, text_fingerprint
from analysis.ingest.importer import import_articles
from analysis.ingest.records import ImportMetadata
from analysis.ingest.report import ImportReport
from tests.analysis.ingest.test_duplicates import ORIGINAL, REWORDED, SAME_MEETING_OTHER_STORY

OSW = ImportMetadata(outlet="osw", published="2022-01")
CNN = ImportMetadata(outlet="cnn", published="2022-01")
FARM = ImportMetadata(outlet="mcu-times", published="2022-01")
ORIGINAL_ID = "cnn-2022-01-us-secretary-of-state-antony-blinken-has-said-there-are-two"


def _story(n: int) -> tuple[str, bytes]:
    return f"story-{n}.txt", f"Story {n}\n\nKerry met Putin in Sochi on day {n}.\n".encode()


@pytest.fixture
def shingled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the importer works out shingles for, in order."""
    texts: list[str] = []

    def counting(text: str) -> np.ndarray:
        texts.append(text)
        return shingles(text)

    monkeypatch.setattr(analysis.ingest.importer, "shingles", counting)
    return texts


def _planted_corpus(root: Path) -> None:
    """ORIGINAL and another story of the same meeting, for REWORDED to be compared with."""
    import_articles([("cnn.txt", ORIGINAL.encode())], root, metadata=CNN)
    import_articles([("other.txt", SAME_MEETING_OTHER_STORY.encode())], root, metadata=OSW)


def _without_corpus(report: ImportReport) -> ImportReport:
    return replace(report, corpus=Path())


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


def test_second_import_shingles_only_the_texts_it_has_not_seen(registry_corpus, shingled):
    import_articles([_story(1), _story(2)], registry_corpus, metadata=OSW)
    assert len(shingled) == 2
    assert len(DuplicateIndex.load(registry_corpus)) == 2

    import_articles([_story(3)], registry_corpus, metadata=OSW)
    assert len(shingled) == 3
    assert "day 3" in shingled[-1]


def test_an_import_hashes_each_corpus_text_once(registry_corpus, monkeypatch):
    import_articles([_story(1), _story(2), _story(3)], registry_corpus, metadata=OSW)
    hashed: list[str] = []

    def counting(text: str) -> bytes:
        hashed.append(text)
        return text_key(text)

    monkeypatch.setattr(analysis.ingest.importer, "text_key", counting)
    import_articles([_story(4)], registry_corpus, metadata=OSW)
    # The three texts of the corpus to look them up and keep them, the new one to add it.
    assert sorted(text.split("day ")[1][0] for text in hashed) == ["1", "2", "3", "4"]
    assert len(DuplicateIndex.load(registry_corpus)) == 4


def test_corpus_without_an_index_is_shingled_once(registry_corpus, shingled, tmp_path, monkeypatch):
    import_articles([_story(1), _story(2), _story(3)], registry_corpus, metadata=OSW)
    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(tmp_path / "empty-cache"))
    shingled.clear()

    import_articles([_story(4)], registry_corpus, metadata=OSW)
    assert len(shingled) == 4
    import_articles([_story(5)], registry_corpus, metadata=OSW)
    assert len(shingled) == 5


def test_an_edited_article_is_shingled_again(registry_corpus, shingled):
    import_articles([_story(1), _story(2), _story(3)], registry_corpus, metadata=OSW)
    path = registry_corpus / "articles" / "osw-2022-01-story-2.md"
    path.write_bytes(path.read_bytes() + b"Lavrov was there too.\n")
    shingled.clear()

    import_articles([_story(4)], registry_corpus, metadata=OSW)
    assert len(shingled) == 2
    assert shingled[0].endswith("day 2.\nLavrov was there too.\n")
    assert "day 4" in shingled[1]
    # The entry of the text before the edit is gone.
    assert len(DuplicateIndex.load(registry_corpus)) == 4


def test_only_articles_written_join_the_index(registry_corpus):
    import_articles([_story(1)], registry_corpus, metadata=OSW)
    import_articles([_story(2)], registry_corpus, metadata=OSW, dry_run=True)
    assert len(DuplicateIndex.load(registry_corpus)) == 1
    _planted_corpus(registry_corpus)
    import_articles(
        [("mcu.txt", REWORDED.encode())],
        registry_corpus,
        metadata=FARM,
        near_duplicates="skip",
    )
    index = DuplicateIndex.load(registry_corpus)
    assert len(index) == 3
    assert index.get(REWORDED) is None


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xffnot an index\n" * 40)


def _cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:300])


def _other_version(path: Path) -> None:
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["version"] = np.array(INDEX_VERSION + 1, dtype=np.int64)
    with path.open("wb") as handle:
        np.savez(handle, **arrays)


def _flipped_byte(path: Path) -> None:
    """One byte of the stored keys changed, the archive's CRC-32 of them left as it was."""
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("keys.npy")
    data = bytearray(path.read_bytes())
    # Past the local header (30 bytes, the name, no extra field), the .npy header, into the rows.
    at = member.header_offset + 30 + len(member.filename) + member.file_size - 5
    data[at] ^= 0x40
    path.write_bytes(bytes(data))


def _compressed(path: Path) -> None:
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)


@pytest.mark.parametrize(
    "damage", [_garbage, _cut_short, _other_version, _flipped_byte, _compressed]
)
def test_damaged_index_is_rebuilt_and_the_import_reports_the_same(
    registry_corpus, tmp_path, shingled, damage
):
    _planted_corpus(registry_corpus)
    copy = tmp_path / "copy"
    shutil.copytree(registry_corpus, copy)
    damage(index_path(registry_corpus))
    shingled.clear()

    damaged = import_articles([("mcu.txt", REWORDED.encode())], registry_corpus, metadata=FARM)
    assert len(shingled) == 3
    assert [(d.kind, d.of_id, d.similarity) for d in damaged.duplicates] == [
        ("near", ORIGINAL_ID, 0.71)
    ]
    assert not index_path(copy).exists()
    fresh = import_articles([("mcu.txt", REWORDED.encode())], copy, metadata=FARM)
    assert _without_corpus(damaged) == _without_corpus(fresh)
    assert len(DuplicateIndex.load(registry_corpus)) == 3


def test_unwritable_cache_folder_still_imports_and_finds_the_near_duplicate(
    registry_corpus, tmp_path, monkeypatch, shingled
):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be\n")
    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(not_a_folder))
    _planted_corpus(registry_corpus)
    shingled.clear()

    report = import_articles([("mcu.txt", REWORDED.encode())], registry_corpus, metadata=FARM)
    assert [(d.kind, d.of_id, d.similarity, d.added_as) for d in report.duplicates] == [
        ("near", ORIGINAL_ID, 0.71, report.added[0].id)
    ]
    # No index could be kept: both articles already there were shingled again.
    assert len(shingled) == 3
    assert not_a_folder.read_text() == "a file where the cache folder should be\n"


def test_near_duplicates_found_with_the_index_equal_those_found_without(
    registry_corpus, tmp_path, monkeypatch
):
    for n in range(1, 4):
        import_articles([_story(n)], registry_corpus, metadata=OSW)
    _planted_corpus(registry_corpus)
    copy = tmp_path / "copy"
    shutil.copytree(registry_corpus, copy)
    upload = [("mcu.txt", REWORDED.encode()), ("again.txt", (REWORDED + " Again.").encode())]

    indexed = import_articles(upload, registry_corpus, metadata=FARM)
    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(tmp_path / "no-index"))
    unindexed = import_articles(upload, copy, metadata=FARM)
    assert [(d.source, d.kind, d.of_id, d.similarity) for d in indexed.duplicates] == [
        ("mcu.txt", "near", ORIGINAL_ID, 0.71),
        ("again.txt", "near", indexed.added[0].id, 1.0),
    ]
    assert _without_corpus(indexed) == _without_corpus(unindexed)


def _indexed(root: Path, texts: list[str]) -> DuplicateIndex:
    index = DuplicateIndex.load(root)
    for text in texts:
        index.put(text, text_fingerprint(text), shingles(text))
    return index


_TEXTS = [ORIGINAL, REWORDED, SAME_MEETING_OTHER_STORY]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many shingle sets each count of a document frequency went through."""
    sizes: list[int] = []

    def counting(*groups):
        sizes.append(sum(len(group) for group in groups))
        return document_frequency(*groups)

    monkeypatch.setattr(analysis.ingest.duplicates, "document_frequency", counting)
    monkeypatch.setattr(analysis.ingest.duplicate_index, "document_frequency", counting)
    return sizes


_STORIES = [_story(n)[1].decode() for n in range(12)]


@pytest.mark.parametrize("sparse_at_most", [1 << 23, 0])
def test_the_kept_frequency_follows_texts_added_removed_and_repeated(
    tmp_path, monkeypatch, counted, sparse_at_most
):
    # Kept as buckets and counts (few buckets used), or as a count for every bucket.
    monkeypatch.setattr(analysis.ingest.duplicate_index, "_SPARSE_AT_MOST", sparse_at_most)
    stories = _STORIES[:11]
    assert _indexed(tmp_path, stories).save(stories)
    assert counted == [11]

    # The second story taken away, the third counted twice, a twelfth added.
    texts = [stories[0], *stories[2:], stories[2], _STORIES[11]]
    index = _indexed(tmp_path, [_STORIES[11]])
    frequency = index.frequency([text_key(t) for t in texts])
    assert np.array_equal(frequency, document_frequency([shingles(t) for t in texts]))
    # Worked out from the file's counts and the three changes, not counted again.
    assert counted == [11]

    assert index.save(texts)
    reloaded = DuplicateIndex.load(tmp_path)
    kept = list(dict.fromkeys(texts))
    frequency = reloaded.frequency([text_key(t) for t in kept])
    assert np.array_equal(frequency, document_frequency([shingles(t) for t in kept]))
    assert counted == [11]


def test_counts_changed_in_memory_leave_the_file_as_it_was(tmp_path, monkeypatch):
    # The file is read mapped; the kept frequency (every bucket's count) changes in place.
    monkeypatch.setattr(analysis.ingest.duplicate_index, "_SPARSE_AT_MOST", 0)
    assert _indexed(tmp_path, _STORIES[:3]).save(_STORIES[:3])
    before = index_path(tmp_path).read_bytes()

    index = _indexed(tmp_path, _STORIES[3:4])
    texts = _STORIES[:4]
    frequency = index.frequency([text_key(t) for t in texts])
    assert np.array_equal(frequency, document_frequency([shingles(t) for t in texts]))
    assert index_path(tmp_path).read_bytes() == before
    assert np.array_equal(
        DuplicateIndex.load(tmp_path).frequency([text_key(t) for t in _STORIES[:3]]),
        document_frequency([shingles(t) for t in _STORIES[:3]]),
    )


def test_most_texts_changed_are_counted_afresh(tmp_path, counted):
    assert _indexed(tmp_path, _STORIES[:4]).save(_STORIES[:4])
    index = _indexed(tmp_path, _STORIES[4:8])
    frequency = index.frequency([text_key(t) for t in _STORIES[4:8]])
    assert np.array_equal(frequency, document_frequency([shingles(t) for t in _STORIES[4:8]]))
    assert counted == [4, 4]


def test_a_kept_frequency_that_does_not_add_up_is_counted_again(tmp_path, counted):
    first, second, third = _TEXTS[:3]
    assert _indexed(tmp_path, [first, second, third]).save([first, second, third])
    with np.load(index_path(tmp_path)) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["frequency_counts"][0] += 1
    np.savez(index_path(tmp_path), **arrays)
    counted.clear()

    index = DuplicateIndex.load(tmp_path)
    assert len(index) == 3
    keys = [text_key(t) for t in (first, second, third)]
    expected = document_frequency([shingles(t) for t in (first, second, third)])
    assert np.array_equal(index.frequency(keys), expected)
    assert counted == [3]


def test_an_import_into_an_indexed_corpus_counts_only_its_own_shingles(registry_corpus, counted):
    import_articles([_story(1), _story(2), _story(3)], registry_corpus, metadata=OSW)
    counted.clear()
    import_articles([_story(4)], registry_corpus, metadata=OSW)
    # The kept counts, the new text's shingles added where it has them: no set counted again.
    assert counted == []


def _expect_index(root: Path, texts: list[str]) -> None:
    """The index loaded from ``root`` holds exactly ``texts``, with their counts."""
    index = DuplicateIndex.load(root)
    assert len(index) == len(texts)
    for text in texts:
        entry = index.get(text)
        assert entry is not None
        assert entry[0] == text_fingerprint(text)
        assert np.array_equal(entry[1], shingles(text))
    frequency = index.frequency([text_key(t) for t in texts])
    assert np.array_equal(frequency, document_frequency([shingles(t) for t in texts]))


def test_a_small_change_is_written_beside_the_file_and_read_back_with_it(tmp_path):
    assert _indexed(tmp_path, _STORIES[:3]).save(_STORIES[:3])
    before = index_path(tmp_path).read_bytes()

    # One story added and one removed: the file stays, the changes go into the delta.
    texts = [_STORIES[0], _STORIES[2], _STORIES[3]]
    assert _indexed(tmp_path, [_STORIES[3]]).save(texts)
    assert index_path(tmp_path).read_bytes() == before
    assert delta_path(index_path(tmp_path)).is_file()
    _expect_index(tmp_path, texts)

    # The next change is written as a delta from the same file, holding both changes.
    texts = [*texts, _STORIES[4]]
    assert _indexed(tmp_path, [_STORIES[4]]).save(texts)
    assert index_path(tmp_path).read_bytes() == before
    _expect_index(tmp_path, texts)
    assert not DuplicateIndex.load(tmp_path).save(texts)


def test_a_delta_grown_past_its_share_is_folded_into_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(analysis.ingest.duplicate_index, "_DELTA_AT_MOST", 2)
    assert _indexed(tmp_path, _STORIES[:3]).save(_STORIES[:3])
    before = index_path(tmp_path).read_bytes()
    assert _indexed(tmp_path, _STORIES[3:5]).save(_STORIES[:5])
    assert index_path(tmp_path).read_bytes() == before

    # Three changes since the file (two added, one removed): the whole file is written.
    texts = _STORIES[1:6]
    assert _indexed(tmp_path, _STORIES[5:6]).save(texts)
    assert index_path(tmp_path).read_bytes() != before
    assert not delta_path(index_path(tmp_path)).exists()
    _expect_index(tmp_path, texts)


def test_a_delta_of_another_file_or_damaged_is_not_applied(tmp_path):
    assert _indexed(tmp_path, _STORIES[:3]).save(_STORIES[:3])
    assert _indexed(tmp_path, [_STORIES[3]]).save(_STORIES[:4])
    delta = delta_path(index_path(tmp_path)).read_bytes()

    # Another file in place of the one the delta was written against (as another process
    # leaves it): its own entries only.
    other = tmp_path / "other"
    assert _indexed(other, _STORIES[6:8]).save(_STORIES[6:8])
    shutil.copyfile(index_path(other), index_path(tmp_path))
    _expect_index(tmp_path, _STORIES[6:8])
    assert delta_path(index_path(tmp_path)).read_bytes() == delta

    # The delta damaged beside its own file: the file's entries only.
    damaged = tmp_path / "damaged"
    assert _indexed(damaged, _STORIES[:3]).save(_STORIES[:3])
    assert _indexed(damaged, [_STORIES[3]]).save(_STORIES[:4])
    _garbage(delta_path(index_path(damaged)))
    _expect_index(damaged, _STORIES[:3])


def test_an_import_into_an_indexed_corpus_leaves_the_index_file_and_finds_its_match(
    registry_corpus, shingled
):
    import_articles([("other.txt", SAME_MEETING_OTHER_STORY.encode())], registry_corpus,
                    metadata=OSW)  # fmt: skip
    before = index_path(registry_corpus).read_bytes()
    import_articles([("cnn.txt", ORIGINAL.encode())], registry_corpus, metadata=CNN)
    assert index_path(registry_corpus).read_bytes() == before
    shingled.clear()

    # ORIGINAL is only in the delta: it is matched without being shingled again.
    report = import_articles([("mcu.txt", REWORDED.encode())], registry_corpus, metadata=FARM)
    assert len(shingled) == 1
    assert [(d.kind, d.of_id, d.similarity) for d in report.duplicates] == [
        ("near", ORIGINAL_ID, 0.71)
    ]
