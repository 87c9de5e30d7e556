from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus.article_file import (
    CorpusFileError,
    format_article,
    make_article_id,
    parse_article,
)
from analysis.corpus.articles import load_corpus
from analysis.corpus.types import ARTICLE_COLUMNS, Article, Inference, PublishedDate
from tests.conftest import SHIPPED_CORPUS

# SHA-256 of each seed document as collected (SEEDS.md): the corpus must keep these bytes.
SEED_DIGESTS = {
    "000_418bdc3f17c81445.txt": "c6f0d8b8224b2567d631e511b5160b0f0ebb6156fa1118f278665df94d153606",
    "001_e295edcd08921653.txt": "cb6480f2b9be996978572372533c7a98f67384b516f2031c3a3c06198d73da23",
    "002_8cc355b46f1e7406.txt": "1e1327eef61a5acf8f5028306d400795aa10c69c61b366a6464531fb16073439",
    "003_a32b31f8f4665c4d.txt": "f5c98ec916c8fe67c0e36a5b007a807eb376196b6c8aca0cdecc24f2c3762baa",
    "004_f6f3b2b54317e2bd.txt": "3b0d8e4590c6d4ae97a285737ccd757c887307c3ede966f238cf0e9ca789d80c",
}

GOOD = """---
id: {id}
title: Kerry and Putin meet in Sochi
outlet: euromaidan-press
authors: [Vitaliy Portnikov]
published: '2015-05-12'
url: https://euromaidanpress.com/2015/05/12/x/
language: en
meetings: [2015-05-sochi]
---
Kerry flew to Sochi.
"""


def _write(root: Path, name: str, content: str | bytes) -> None:
    path = root / "articles" / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def test_shipped_corpus_is_valid_and_has_the_seeds():
    corpus = load_corpus(SHIPPED_CORPUS, use_cache=False)
    assert corpus.problems == []
    assert list(corpus.articles.columns) == list(ARTICLE_COLUMNS)
    assert len(corpus.articles) == 5
    by_outlet = corpus.articles.groupby("outlet")["id"].count().to_dict()
    assert by_outlet == {"euromaidan-press": 2, "mcu-times": 1, "osw": 1, "robinwestenra-blog": 1}
    assert set(corpus.meetings["meeting"]) == {
        "2013-05-moscow",
        "2015-05-sochi",
        "2015-12-moscow",
        "2016-03-moscow",
        "2016-07-moscow",
    }


def test_seed_dates_are_publication_dates_not_footer_years():
    articles = load_corpus(SHIPPED_CORPUS, use_cache=False).articles.set_index("title")
    published = articles["published"].dt.strftime("%Y-%m-%d").to_dict()
    precision = articles["date_precision"].to_dict()
    assert published["Putin got what he really wanted from Kerry meeting"] == "2015-12-19"
    assert published["Why is Putin meeting with Kerry?"] == "2015-05-12"
    assert published["Putin Kerry Talks Fail"] == "2016-07-15"
    assert published["The West has a rare window to put Putin in his place"] == "2022-01-01"
    assert precision["The West has a rare window to put Putin in his place"] == "month"
    assert published["Moscow intransigent towards Washington on the Syria crisis"] == "2013-05-15"
    meetings = articles["meeting"].to_dict()
    assert meetings["The West has a rare window to put Putin in his place"] == "none"
    assert meetings["Putin got what he really wanted from Kerry meeting"] == "2015-12-moscow"


def test_seed_text_is_kept_exactly_as_published(seed_articles: dict[str, Article]):
    digests = {
        name: hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        for name, article in seed_articles.items()
    }
    assert digests == SEED_DIGESTS
    articles = load_corpus(SHIPPED_CORPUS, use_cache=False).articles
    for name, seed in seed_articles.items():
        assert (articles["text"] == seed.text).sum() == 1, name


def _plant_defects(root: Path) -> None:
    _write(root, "good.md", GOOD.format(id="good"))
    _write(
        root,
        "no-title.md",
        GOOD.format(id="no-title").replace("title: Kerry and Putin meet in Sochi\n", ""),
    )
    _write(
        root, "bad-outlet.md", GOOD.format(id="bad-outlet").replace("euromaidan-press", "pravda")
    )
    _write(
        root,
        "bad-meeting.md",
        GOOD.format(id="bad-meeting").replace("2015-05-sochi", "2015-06-yalta"),
    )
    _write(root, "bad-date.md", GOOD.format(id="bad-date").replace("2015-05-12", "2015-02-30"))
    _write(root, "dup-a.md", GOOD.format(id="dup-a"))
    _write(root, "dup-b.md", GOOD.format(id="dup-a"))
    _write(root, "empty.md", GOOD.format(id="empty").replace("Kerry flew to Sochi.\n", "  \n"))
    _write(
        root, "latin1.md", GOOD.format(id="latin1").encode("utf-8") + "Kyiv café".encode("latin-1")
    )
    _write(root, "binary.md", b"---\nid: binary\n---\n\x00\x01\x02")
    _write(root, "huge.md", GOOD.format(id="huge") + "word " * 500_000)
    _write(root, "bad-yaml.md", GOOD.format(id="bad-yaml").replace("language: en", "language: [en"))
    _write(root, "notes.txt", "not an article")


def test_planted_defects_are_each_reported_with_file_and_field(registry_corpus: Path):
    root = registry_corpus
    _plant_defects(root)

    corpus = load_corpus(root, use_cache=False)

    reported = {(p.file.removeprefix("articles/"), p.field, p.severity) for p in corpus.problems}
    assert reported == {
        ("no-title.md", "title", "error"),
        ("bad-outlet.md", "outlet", "error"),
        ("bad-meeting.md", "meetings", "error"),
        ("bad-date.md", "published", "error"),
        ("dup-b.md", "id", "error"),
        ("empty.md", "text", "error"),
        ("latin1.md", "(encoding)", "error"),
        ("binary.md", "(file)", "error"),
        ("huge.md", "(file)", "error"),
        ("bad-yaml.md", "(header)", "error"),
        ("notes.txt", "(file)", "warning"),
    }
    assert list(corpus.articles["id"]) == ["dup-a", "good"]
    messages = {p.file.removeprefix("articles/"): p for p in corpus.problems}
    assert "not a real date" in messages["bad-date.md"].message
    assert messages["latin1.md"].line == 12
    assert "'pravda' is not in outlets.yaml" in messages["bad-outlet.md"].message
    assert messages["bad-yaml.md"].line is not None


def test_validate_command_exits_nonzero_and_names_each_problem(registry_corpus, capsys):
    _write(registry_corpus, "good.md", GOOD.format(id="good"))
    assert main(["validate", str(registry_corpus)]) == 0
    _write(
        registry_corpus,
        "bad-date.md",
        GOOD.format(id="bad-date").replace("2015-05-12", "2015-13-01"),
    )
    assert main(["validate", str(registry_corpus)]) == 1
    out = capsys.readouterr().out
    assert "error: articles/bad-date.md: published: '2015-13-01' is not a real date" in out
    assert "1 article valid" in out


def test_validate_command_passes_on_shipped_corpus(capsys):
    assert main(["validate", str(SHIPPED_CORPUS), "--no-cache"]) == 0
    assert "5 articles valid, 6 outlets, 5 meetings; 0 errors" in capsys.readouterr().out


def test_missing_corpus_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_article_round_trips_through_its_file():
    article = Article(
        id="x-1",
        title="A: title with 'quotes' and --- dashes",
        outlet="osw",
        text="---\nBody keeps its own lines\n\nexactly",
        language="en",
        published=PublishedDate.parse("2016-07"),
        authors=("A. N.",),
        meetings=("2016-07-moscow",),
        inferred=(Inference("language", "en", "py3langid 0.99"),),
        extra={"stories_id": 42},
    )
    assert parse_article(format_article(article).encode(), path="x-1.md") == article


def test_parse_article_collects_every_problem_at_once():
    text = "---\nid: Bad Id\nlanguage: english\nurl: ftp://x\n---\n"
    with pytest.raises(CorpusFileError) as caught:
        parse_article(text.encode(), path="a.md")
    assert {p.field for p in caught.value.problems} == {
        "id",
        "title",
        "outlet",
        "language",
        "url",
        "text",
    }


def test_published_date_precision_forms():
    assert PublishedDate.parse("2016") == PublishedDate(dt.date(2016, 1, 1), "year")
    assert str(PublishedDate.parse("2022-01")) == "2022-01"
    assert PublishedDate.parse("") == PublishedDate(None, "unknown")
    with pytest.raises(ValueError, match="is before 1900"):
        PublishedDate.parse("1066")
    with pytest.raises(ValueError, match="write YYYY-MM-DD, YYYY-MM or YYYY"):
        PublishedDate.parse("15 July 2016")


def test_make_article_id_is_a_safe_readable_slug():
    published = PublishedDate.parse("2015-12-19")
    assert make_article_id("euromaidan-press", published, "Putin got what he wanted!") == (
        "euromaidan-press-2015-12-19-putin-got-what-he-wanted"
    )
    assert make_article_id("osw", PublishedDate(None, "unknown"), "../../etc/passwd") == (
        "osw-undated-etc-passwd"
    )


def test_cache_never_goes_stale_after_an_edit(registry_corpus):
    _write(registry_corpus, "good.md", GOOD.format(id="good"))
    assert load_corpus(registry_corpus).articles["title"].tolist() == [
        "Kerry and Putin meet in Sochi"
    ]
    _write(registry_corpus, "good.md", GOOD.format(id="good").replace("meet in Sochi", "talk"))
    assert load_corpus(registry_corpus).articles["title"].tolist() == ["Kerry and Putin talk"]


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the article files read from now on."""
    read: list[str] = []
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.suffix == ".md":
            read.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return read


def test_files_unchanged_since_the_cache_was_written_are_not_read_again(
    registry_corpus, monkeypatch
):
    monkeypatch.setattr("analysis.corpus.articles._SETTLED_NS", 0)
    _write(registry_corpus, "good.md", GOOD.format(id="good"))
    _write(registry_corpus, "other.md", GOOD.format(id="other").replace("Sochi", "Moscow"))
    first = load_corpus(registry_corpus)
    read = _reads(monkeypatch)
    again = load_corpus(registry_corpus)
    assert read == []
    assert again.fingerprint == first.fingerprint
    pd.testing.assert_frame_equal(again.articles, first.articles)
    # Rewritten with the same size and modification time: its change time tells.
    path = registry_corpus / "articles" / "good.md"
    stat = path.stat()
    _write(registry_corpus, "good.md", GOOD.format(id="good").replace("Sochi", "Minsk"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    edited = load_corpus(registry_corpus)
    assert read == ["good.md"]
    assert edited.articles.set_index("id").loc["good", "title"] == "Kerry and Putin meet in Minsk"
    assert edited.fingerprint != first.fingerprint


def test_stats_the_caller_took_are_used_instead_of_stating_the_files(registry_corpus, monkeypatch):
    monkeypatch.setattr("analysis.corpus.articles._SETTLED_NS", 0)
    _write(registry_corpus, "good.md", GOOD.format(id="good"))
    path = registry_corpus / "articles" / "good.md"
    before = path.stat()
    load_corpus(registry_corpus)
    _write(registry_corpus, "good.md", GOOD.format(id="good").replace("Sochi", "Minsk"))
    read = _reads(monkeypatch)
    # The stat taken before the edit is the one the cache knows: the file is not read.
    given = load_corpus(registry_corpus, stats={"good.md": before})
    assert read == []
    assert given.articles.set_index("id").loc["good", "title"] == "Kerry and Putin meet in Sochi"
    # The next load states the file itself: the edit has changed its change time.
    stated = load_corpus(registry_corpus, stats={})
    assert read == ["good.md"]
    assert stated.articles.set_index("id").loc["good", "title"] == "Kerry and Putin meet in Minsk"


@pytest.mark.parametrize("rows_per_batch", [5_000, 1])
def test_a_load_from_the_cache_equals_a_load_from_the_files(
    registry_corpus, monkeypatch, rows_per_batch
):
    monkeypatch.setattr("analysis.corpus.articles._SETTLED_NS", 0)
    # The cache file is written in record batches; one row each, it has many.
    monkeypatch.setattr("analysis.corpus.articles._ROWS_PER_BATCH", rows_per_batch)
    _plant_defects(registry_corpus)
    _write(registry_corpus, "other.md", GOOD.format(id="other").replace("Sochi", "Moscow"))
    from_files = load_corpus(registry_corpus, use_cache=False)
    filling = load_corpus(registry_corpus)
    read = _reads(monkeypatch)
    from_cache = load_corpus(registry_corpus)
    assert read == []
    mapped = load_corpus(registry_corpus, mapped_texts=True)
    for loaded in (filling, from_cache, mapped):
        pd.testing.assert_frame_equal(
            loaded.articles, from_files.articles, check_dtype=loaded is not mapped
        )
        assert loaded.problems == from_files.problems
        assert loaded.fingerprint == from_files.fingerprint
    assert from_cache.articles.set_index("id").loc["good", "authors"] == ("Vitaliy Portnikov",)
    # One file new beside the cached ones: the rows come from both, in id order.
    _write(registry_corpus, "another.md", GOOD.format(id="another").replace("Sochi", "Minsk"))
    expected = load_corpus(registry_corpus, use_cache=False).articles
    read.clear()
    for mapped_texts in (False, True):
        mixed = load_corpus(registry_corpus, mapped_texts=mapped_texts).articles
        pd.testing.assert_frame_equal(mixed, expected, check_dtype=not mapped_texts)
    # One new file of two is read again by each load, not written into the cache.
    assert read == ["another.md", "another.md"]
    # The outlet's name comes from the registry as it is now, not as it was cached.
    outlets = registry_corpus / "outlets.yaml"
    outlets.write_text(
        outlets.read_text(encoding="utf-8").replace(
            "name: Euromaidan Press", "name: Euromaidan Press (EN)"
        ),
        encoding="utf-8",
    )
    renamed = load_corpus(registry_corpus)
    assert read == ["another.md"] * 3
    assert set(renamed.articles["outlet_name"]) == {"Euromaidan Press (EN)"}


def _mapped_caches() -> list[str]:
    """The parse-cache files this process has mapped (Linux: /proc/self/maps)."""
    maps = Path("/proc/self/maps").read_text(encoding="utf-8").splitlines()
    return sorted({line.split()[-1] for line in maps if line.endswith(".arrow")})


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads Linux's /proc")
@pytest.mark.parametrize("removed", [False, True])
def test_a_load_of_python_strings_leaves_nothing_over_the_caches_file(
    registry_corpus, monkeypatch, removed
):
    # Its pages, made resident by reading the texts, counted as the process's memory for
    # as long as any column pointed into the mapped file.
    monkeypatch.setattr("analysis.corpus.articles._SETTLED_NS", 0)
    for name in ("good", "other", "third"):
        _write(registry_corpus, f"{name}.md", GOOD.format(id=name).replace("Sochi", name))
    load_corpus(registry_corpus)
    if removed:
        # The cache's rows are then taken, not the whole file.
        (registry_corpus / "articles" / "other.md").unlink()
    expected = load_corpus(registry_corpus, use_cache=False).articles
    mapped = load_corpus(registry_corpus, mapped_texts=True)
    assert len(_mapped_caches()) == 1 - removed
    del mapped
    gc.collect()
    assert _mapped_caches() == []
    loaded = load_corpus(registry_corpus).articles
    assert _mapped_caches() == []
    pd.testing.assert_frame_equal(loaded, expected)
    assert list(loaded["id"]) == (["good", "third"] if removed else ["good", "other", "third"])


def test_a_damaged_or_old_cache_is_read_as_none_and_written_again(registry_corpus, monkeypatch):
    monkeypatch.setattr("analysis.corpus.articles._SETTLED_NS", 0)
    _write(registry_corpus, "good.md", GOOD.format(id="good"))
    first = load_corpus(registry_corpus)
    cache = next((Path(os.environ["NARRATIVES_CACHE_DIR"])).glob("articles-*.arrow"))
    cache.write_bytes(cache.read_bytes()[:100])
    old = cache.with_suffix(".pickle")
    old.write_bytes(b"the cache of an earlier version")
    read = _reads(monkeypatch)
    again = load_corpus(registry_corpus)
    assert read == ["good.md"]
    pd.testing.assert_frame_equal(again.articles, first.articles)
    assert not old.exists()
    load_corpus(registry_corpus)
    assert read == ["good.md"]


def test_files_written_just_before_the_cache_are_read_again(registry_corpus, monkeypatch):
    # Written within the settling time (here, any file): the same timestamp tick could
    # hold another write, so size and times are not trusted.
    monkeypatch.setattr("analysis.corpus.articles._SETTLED_NS", 10**18)
    _write(registry_corpus, "good.md", GOOD.format(id="good"))
    load_corpus(registry_corpus)
    read = _reads(monkeypatch)
    load_corpus(registry_corpus)
    assert read == ["good.md"]


def _cache_file_identity() -> tuple[int, int]:
    cache = next(Path(os.environ["NARRATIVES_CACHE_DIR"]).glob("articles-*.arrow"))
    stat = cache.stat()
    return stat.st_ino, stat.st_mtime_ns


@pytest.mark.parametrize("read_again", [16, 0])
def test_a_file_settled_since_the_cache_was_written_is_read_again_or_recorded(
    registry_corpus, monkeypatch, read_again
):
    monkeypatch.setattr("analysis.corpus.articles._UNRECORDED_READ_AGAIN", read_again)
    _write(registry_corpus, "good.md", GOOD.format(id="good"))
    _write(registry_corpus, "other.md", GOOD.format(id="other").replace("Sochi", "Moscow"))
    time.sleep(0.05)  # file times tick in milliseconds: "another.md" is written after
    _write(registry_corpus, "another.md", GOOD.format(id="another").replace("Sochi", "Minsk"))
    written_at = (registry_corpus / "articles" / "another.md").stat().st_ctime_ns
    # The cache is written as if at the instant "another.md" was: its size and times are
    # not recorded (the same tick could hold another write), the two before are.
    monkeypatch.setattr("analysis.corpus.articles._SETTLED_NS", 1)
    with monkeypatch.context() as instant:
        instant.setattr("analysis.corpus.articles.time.time_ns", lambda: written_at)
        first = load_corpus(registry_corpus)
    written = _cache_file_identity()
    read = _reads(monkeypatch)
    settled = load_corpus(registry_corpus)
    pd.testing.assert_frame_equal(settled.articles, first.articles)
    assert settled.fingerprint == first.fingerprint
    assert read == ["another.md"]
    if read_again:
        # One file of three, at most 16: read again each time, the cache left as it is.
        assert _cache_file_identity() == written
        load_corpus(registry_corpus)
        assert read == ["another.md", "another.md"]
    else:
        # None allowed: the cache is written again with the file's size and times.
        assert _cache_file_identity() != written
        load_corpus(registry_corpus)
        assert read == ["another.md"]


@pytest.mark.parametrize("read_again", [16, 1])
def test_files_added_since_the_cache_was_written_are_parsed_again_or_written_into_it(
    registry_corpus, monkeypatch, read_again
):
    monkeypatch.setattr("analysis.corpus.articles._SETTLED_NS", 0)
    monkeypatch.setattr("analysis.corpus.articles._UNRECORDED_READ_AGAIN", read_again)
    _write(registry_corpus, "good.md", GOOD.format(id="good"))
    load_corpus(registry_corpus)
    written = _cache_file_identity()
    # Two articles imported since: as many as one allowed to be read again, or more.
    _write(registry_corpus, "another.md", GOOD.format(id="another").replace("Sochi", "Minsk"))
    _write(registry_corpus, "other.md", GOOD.format(id="other").replace("Sochi", "Moscow"))
    expected = load_corpus(registry_corpus, use_cache=False)
    read = _reads(monkeypatch)
    for _ in range(2):
        loaded = load_corpus(registry_corpus)
        pd.testing.assert_frame_equal(loaded.articles, expected.articles)
        assert loaded.fingerprint == expected.fingerprint
    if read_again > 1:
        # Two of three files, at most 16: parsed on each load, the cache left as it is.
        assert read == ["another.md", "other.md"] * 2
        assert _cache_file_identity() == written
    else:
        # More than one: the first load writes them into the cache, the second reads none.
        assert read == ["another.md", "other.md"]
        assert _cache_file_identity() != written


def test_loaded_frame_types():
    articles = load_corpus(SHIPPED_CORPUS).articles
    assert pd.api.types.is_datetime64_any_dtype(articles["published"])
    assert str(articles["year"].dtype) == "Int64"
    # The texts are Python strings (an object column), from the files as from the cache,
    # or, asked for, an Arrow string column over the cache file.
    assert articles["text"].dtype == object
    assert load_corpus(SHIPPED_CORPUS, use_cache=False).articles["text"].dtype == object
    mapped = load_corpus(SHIPPED_CORPUS, mapped_texts=True).articles
    assert mapped["text"].dtype == "str"
    assert mapped["text"].tolist() == articles["text"].tolist()


def test_authors_and_meetings_are_tuples_from_file_to_table() -> None:
    articles = load_corpus(SHIPPED_CORPUS).articles.set_index("id")
    mercouris = articles.loc["robinwestenra-blog-2016-07-15-putin-kerry-talks-fail"]
    assert mercouris["authors"] == ("Alexander Mercouris",)
    assert mercouris["meetings"] == ("2016-07-moscow",)
    mcu = articles.loc["mcu-times-2022-01-the-west-has-a-rare-window-to-put-putin-in-his-place"]
    assert (mcu["authors"], mcu["meetings"], mcu["meeting"]) == ((), (), "none")
