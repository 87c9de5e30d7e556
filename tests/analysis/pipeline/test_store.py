"""The results store: only new or changed articles are analysed, and the outputs never change."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus.articles import load_corpus
from analysis.pipeline import prepare, store
from analysis.pipeline.prepare import AnalysisOptions, prepare_corpus
from analysis.pipeline.store import ResultsStore, article_keys, default_store_root
from tests.analysis.pipeline.test_prepare import _TABLES, _planted
from tests.benchmarks.check_outputs import _digest

_ARTICLES = {
    "s1": ("Putin conceded", "John Kerry met Vladimir Putin in Sochi. Putin won."),
    "s2": ("Talks", 'Peskov said: "Talks were rather constructive." Obama failed.'),
    "s3": ("Weather", "The weather was mild."),
    "s4": ("Syria", "Kerry and Putin discussed Syria and Ukraine in Sochi."),
}


@pytest.fixture
def analysed(monkeypatch) -> list[str]:
    """The ids of the articles the per-article analyses are run on, in order."""
    seen: list[str] = []
    run = prepare._per_article

    def counting(articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
        seen.extend(articles["id"])
        return run(articles)

    monkeypatch.setattr(prepare, "_per_article", counting)
    return seen


def _outputs(corpus: Path, out: Path, *options: str) -> dict[str, str]:
    """``narratives analyze`` on ``corpus``: every file it writes, by name, as a sha256
    (the manifest without the time it was written)."""
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(["analyze", "--corpus", str(corpus), "--out", str(out), *options])
    assert status == 0
    return {path.name: _digest(path) for path in sorted(out.iterdir())}


def _check_against_a_full_rebuild(corpus: Path, scratch: Path, step: str) -> None:
    kept = _outputs(corpus, scratch / f"{step}-store")
    rebuilt = _outputs(corpus, scratch / f"{step}-full", "--no-store")
    assert kept == rebuilt, step


def test_after_imports_edits_and_deletions_the_outputs_equal_a_full_rebuild(
    registry_corpus, tmp_path, analysed
):
    for article_id, (title, text) in _ARTICLES.items():
        _planted(registry_corpus, article_id, title, text)
    _check_against_a_full_rebuild(registry_corpus, tmp_path, "first")
    assert analysed[:4] == ["s1", "s2", "s3", "s4"]

    analysed.clear()
    _outputs(registry_corpus, tmp_path / "unchanged")
    assert analysed == []

    _planted(registry_corpus, "s5", "Sanctions", 'Lavrov said: "Sanctions failed."')
    analysed.clear()
    _check_against_a_full_rebuild(registry_corpus, tmp_path, "imported")
    assert analysed == ["s5", "s1", "s2", "s3", "s4", "s5"]

    _planted(registry_corpus, "s2", "Talks", "Obama won. The West gained.")
    (registry_corpus / "articles" / "s3.md").unlink()
    analysed.clear()
    _check_against_a_full_rebuild(registry_corpus, tmp_path, "edited-and-deleted")
    assert analysed == ["s2", "s1", "s2", "s4", "s5"]


@pytest.mark.parametrize("whole_corpus_kept", [True, False])
def test_an_unchanged_corpus_reads_every_table_back_as_it_was(
    registry_corpus, tmp_path, whole_corpus_kept
):
    for article_id, (title, text) in _ARTICLES.items():
        _planted(registry_corpus, article_id, title, text)
    corpus = load_corpus(registry_corpus)
    whole = prepare_corpus(corpus)
    prepare_corpus(corpus, store=ResultsStore(tmp_path / "store"))
    if not whole_corpus_kept:
        shutil.rmtree(tmp_path / "store" / "prepared")
    again = prepare_corpus(corpus, store=ResultsStore(tmp_path / "store"))
    assert not whole.quotations.empty
    assert not whole.evidence.empty
    for name in _TABLES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(whole, name))
    pd.testing.assert_frame_equal(again.articles, whole.articles)
    assert (again.counts.counts != whole.counts.counts).nnz == 0


@pytest.fixture
def cleaned(monkeypatch) -> list[int]:
    """How many articles each cleaning pass was given."""
    sizes: list[int] = []
    clean = prepare.clean_articles

    def counting(articles: pd.DataFrame, **options):
        sizes.append(len(articles))
        return clean(articles, **options)

    monkeypatch.setattr(prepare, "clean_articles", counting)
    return sizes


def test_an_unchanged_corpus_is_not_cleaned_or_counted_again(registry_corpus, tmp_path, cleaned):
    _planted(registry_corpus, "s1", *_ARTICLES["s1"])
    root = tmp_path / "store"
    prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    assert cleaned == [1]
    _planted(registry_corpus, "s2", *_ARTICLES["s2"])
    prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    assert cleaned == [1, 2]
    other = AnalysisOptions(min_phrase_count=3)
    prepare_corpus(load_corpus(registry_corpus), options=other, store=ResultsStore(root))
    assert cleaned == [1, 2, 2]


def test_a_kept_corpus_takes_the_corrections_made_since(registry_corpus, tmp_path):
    _planted(registry_corpus, "s1", *_ARTICLES["s1"])
    root = tmp_path / "store"
    first = prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    target = first.stance["target"].iloc[0]
    (registry_corpus / "overrides.csv").write_text(
        "article_id,target,label,note,who,when\n"
        f"s1,{target},favorable,read by hand,Ann,2026-11-30\n",
        encoding="utf-8",
    )
    again = prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    row = again.stance[again.stance["target"] == target].iloc[0]
    assert row["label"] == "favorable"
    assert row["override_note"] == "Ann, 2026-11-30: read by hand"


def test_a_damaged_kept_corpus_is_prepared_again(registry_corpus, tmp_path, cleaned):
    _planted(registry_corpus, "s1", *_ARTICLES["s1"])
    root = tmp_path / "store"
    whole = prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    (snapshot,) = (root / "prepared").iterdir()
    snapshot.write_bytes(b"\x80\x05 cut short")
    kept = ResultsStore(root)
    again = prepare_corpus(load_corpus(registry_corpus), store=kept)
    assert cleaned == [1, 1]
    assert kept.notes[0].startswith(f"results store file {snapshot} is unreadable")
    pd.testing.assert_frame_equal(again.stance, whole.stance)


@pytest.mark.parametrize("mapped", [False, True])
def test_a_kept_corpus_is_kept_without_its_texts_and_read_back_whole(
    registry_corpus, tmp_path, cleaned, mapped
):
    for article_id in ("s1", "s2"):
        _planted(registry_corpus, article_id, *_ARTICLES[article_id])
    root = tmp_path / "store"
    whole = prepare_corpus(
        load_corpus(registry_corpus, mapped_texts=mapped), store=ResultsStore(root)
    )
    (snapshot,) = (root / "prepared").iterdir()
    kept = pd.read_pickle(snapshot)
    assert "text" not in kept.articles.columns
    assert "text_clean" in kept.articles.columns

    again = prepare_corpus(
        load_corpus(registry_corpus, mapped_texts=mapped), store=ResultsStore(root)
    )
    assert cleaned == [2]
    pd.testing.assert_frame_equal(again.articles, whole.articles)
    assert again.articles["text"].str.startswith("John Kerry met").tolist() == [True, False]


def test_a_kept_corpus_of_other_articles_is_not_used(
    registry_corpus, tmp_path, cleaned, monkeypatch
):
    _planted(registry_corpus, "s1", *_ARTICLES["s1"])
    root = tmp_path / "store"
    one = prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    _planted(registry_corpus, "s2", *_ARTICLES["s2"])
    # As if the fingerprint of the two articles had found the kept corpus of the one.
    monkeypatch.setattr(
        ResultsStore, "load_snapshot", lambda self, key: prepare._without_texts(one)
    )
    two = prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    assert two.articles["id"].tolist() == ["s1", "s2"]
    assert cleaned == [1, 2]


def _filled_store(registry_corpus: Path, root: Path) -> None:
    """A store of the four articles, without the whole prepared corpus (so segments are read)."""
    for article_id, (title, text) in _ARTICLES.items():
        _planted(registry_corpus, article_id, title, text)
    prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    shutil.rmtree(root / "prepared")


def test_a_corrupt_index_is_set_aside_with_a_note(registry_corpus, tmp_path, analysed):
    root = tmp_path / "store"
    _filled_store(registry_corpus, root)
    (root / "index.json").write_text("{not json", encoding="utf-8")
    kept = ResultsStore(root)
    analysed.clear()
    prepare_corpus(load_corpus(registry_corpus), store=kept)
    assert sorted(set(analysed)) == ["s1", "s2", "s3", "s4"]
    assert len(kept.notes) == 1
    assert "index.json is unreadable" in kept.notes[0]
    assert json.loads((root / "index.json").read_text(encoding="utf-8"))["segments"]


def test_a_store_of_another_version_is_not_read(registry_corpus, tmp_path, analysed):
    root = tmp_path / "store"
    _filled_store(registry_corpus, root)
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    (root / "index.json").write_text(json.dumps({**index, "version": "older"}), encoding="utf-8")
    kept = ResultsStore(root)
    analysed.clear()
    prepare_corpus(load_corpus(registry_corpus), store=kept)
    assert sorted(set(analysed)) == ["s1", "s2", "s3", "s4"]
    assert kept.notes == [
        f"results store {root} was made by another version of the analysis; "
        "analysing every article again"
    ]
    # What this run kept was written after the old store was set aside, not removed with it.
    assert (root / "cleaning.pickle").exists()
    assert (root / "tokens.pickle").exists()


def test_a_damaged_segment_is_analysed_again_and_replaced(registry_corpus, tmp_path, analysed):
    root = tmp_path / "store"
    _filled_store(registry_corpus, root)
    whole = prepare_corpus(load_corpus(registry_corpus))
    (segment,) = (root / "segments").iterdir()
    (segment / "stance.parquet").write_bytes(b"PAR1 cut short")
    kept = ResultsStore(root)
    analysed.clear()
    again = prepare_corpus(load_corpus(registry_corpus), store=kept)
    assert sorted(set(analysed)) == ["s1", "s2", "s3", "s4"]
    assert "stance.parquet" in kept.notes[0]
    assert "analysing its 4 articles again" in kept.notes[0]
    for name in _TABLES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(whole, name))
    assert not segment.exists()
    assert len(list((root / "segments").iterdir())) == 1


def test_what_a_killed_run_left_is_never_read_and_is_cleared(registry_corpus, tmp_path, analysed):
    root = tmp_path / "store"
    _filled_store(registry_corpus, root)
    leftover = root / "segments" / "abc.tmp"
    leftover.mkdir()
    (leftover / "stance.parquet").write_bytes(b"half")
    _planted(registry_corpus, "s5", "Rain", "It rained all day.")
    analysed.clear()
    prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    assert analysed == ["s5"]
    assert not leftover.exists()


def test_many_segments_are_merged_into_one(registry_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(store, "_MAX_SEGMENTS", 2)
    root = tmp_path / "store"
    _filled_store(registry_corpus, root)
    for n in range(5, 8):
        _planted(registry_corpus, f"s{n}", "Rain", f"It rained for {n} days.")
        prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    segments = json.loads((root / "index.json").read_text(encoding="utf-8"))["segments"]
    assert len(segments) <= 2
    assert sorted(i for entries in segments.values() for i, _ in entries) == [
        f"s{n}" for n in range(1, 8)
    ]
    whole = prepare_corpus(load_corpus(registry_corpus))
    again = prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    for name in _TABLES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(whole, name))


def test_a_store_that_cannot_be_written_leaves_a_note_and_the_analysis_goes_on(
    registry_corpus, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store would go", encoding="utf-8")
    kept = ResultsStore(blocker)
    _planted(registry_corpus, "s1", *_ARTICLES["s1"])
    prepared = prepare_corpus(load_corpus(registry_corpus), store=kept)
    assert set(prepared.stance["article_id"]) == {"s1"}
    assert len(kept.notes) == 1
    assert "could not be written" in kept.notes[0]


def test_tuples_beside_strings_come_back_as_they_were(tmp_path):
    table = pd.DataFrame({"article_id": ["a", "b", "c"], "meetings": [("M1", "M2"), "", ("M3",)]})
    kept = ResultsStore(tmp_path)
    kept.save(["a", "b", "c"], ["ka", "kb", "kc"], {"outcome": table}, live_keys={"ka", "kb", "kc"})
    parts, found = kept.load(["a", "c"], ["ka", "kc"], ["outcome"])
    assert found.tolist() == [True, True]
    assert parts["outcome"][0]["meetings"].tolist() == [("M1", "M2"), ("M3",)]


def test_the_analyze_command_prints_the_stores_notes(registry_corpus, tmp_path, capsys):
    _planted(registry_corpus, "s1", *_ARTICLES["s1"])
    root = default_store_root(registry_corpus)
    root.mkdir(parents=True)
    (root / "index.json").write_text("[]", encoding="utf-8")
    _outputs(registry_corpus, tmp_path / "out")
    assert f"narratives: results store {root / 'index.json'} is unreadable" in (
        capsys.readouterr().err
    )


def test_texts_counted_last_time_are_not_tokenized_again(registry_corpus, tmp_path, tokenized):
    _planted(registry_corpus, "s1", *_ARTICLES["s1"])
    root = tmp_path / "store"
    prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    tokenized.clear()
    _planted(registry_corpus, "s2", *_ARTICLES["s2"])
    prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    assert [text.split("\n")[0] for text in tokenized] == ["Talks"]


def test_a_damaged_token_file_is_tokenized_again_with_a_note(registry_corpus, tmp_path):
    _planted(registry_corpus, "s1", *_ARTICLES["s1"])
    root = tmp_path / "store"
    whole = prepare_corpus(load_corpus(registry_corpus), store=ResultsStore(root))
    (root / "tokens.pickle").write_bytes(b"\x80\x05\x95")
    _planted(registry_corpus, "s2", *_ARTICLES["s2"])
    kept = ResultsStore(root)
    again = prepare_corpus(load_corpus(registry_corpus), store=kept)
    assert kept.notes == [
        f"results store file {root / 'tokens.pickle'} is unreadable"
        " (pickle data was truncated); tokenizing again"
    ]
    rebuilt = prepare_corpus(load_corpus(registry_corpus))
    assert (again.counts.counts != rebuilt.counts.counts).nnz == 0
    assert again.counts.terms.tolist() == rebuilt.counts.terms.tolist()
    assert len(whole.counts.terms) < len(again.counts.terms)


def test_an_article_key_changes_with_any_cell_and_not_with_the_column_order():
    sochi = ("2015-05-sochi",)
    # One article, then the same with one cell changed: its year, no year, a space, no meeting.
    frame = pd.DataFrame(
        {
            "id": ["a"] * 5,
            "text_clean": ["Kerry met Putin."] * 3 + ["Kerry met Putin. ", "Kerry met Putin."],
            "year": pd.array([2015, 2016, None, 2015, 2015], dtype="Int64"),
            "meetings": [sochi, sochi, sochi, sochi, ()],
        }
    )
    keys = article_keys(frame)
    assert len(set(keys)) == 5
    assert article_keys(frame[["meetings", "year", "text_clean", "id"]]) == keys
    # The same cells, the same key; nothing but the row's cells goes in.
    twins = frame.iloc[[0, 0]].reset_index(drop=True)
    assert article_keys(twins) == [keys[0], keys[0]]
    # Each cell's length goes in first: "ab" then "c" is not "a" then "bc".
    split = pd.DataFrame({"x": ["ab", "a"], "y": ["c", "bc"]})
    first, second = article_keys(split)
    assert first != second
