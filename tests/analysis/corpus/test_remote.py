"""Corpora and results stores at fsspec URLs, worked on through local copies kept in step."""

from __future__ import annotations

import contextlib
import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from analysis.cli import main
from analysis.corpus import remote
from analysis.corpus.remote import RECORD, RemoteError, SyncReport, pull, push
from tests.analysis.pipeline.test_prepare import _planted
from tests.analysis.pipeline.test_store import _outputs, analysed  # noqa: F401 (a fixture)
from tests.benchmarks.check_outputs import _digest


@pytest.fixture
def memory() -> Iterator[tuple[MemoryFileSystem, str]]:
    """The in-memory file system and a folder of its own in it, removed afterwards."""
    fs = fsspec.filesystem("memory")
    root = f"/narratives-{uuid.uuid4().hex}"
    yield fs, root
    if fs.exists(root):
        fs.rm(root, recursive=True)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != RECORD
    }


def test_a_pull_copies_only_what_is_new_or_changed_and_removes_what_is_gone(memory, tmp_path):
    fs, root = memory
    fs.pipe({f"{root}/a.txt": b"one", f"{root}/sub/b.txt": b"two", f"{root}/.hidden": b"x"})
    copy = tmp_path / "copy"

    assert pull(f"memory://{root}", copy) == SyncReport(copied=2, removed=0, unchanged=0)
    assert _files(copy) == {"a.txt": b"one", "sub/b.txt": b"two"}
    untouched = (copy / "a.txt").stat().st_mtime_ns

    fs.pipe({f"{root}/sub/b.txt": b"two, edited", f"{root}/c.txt": b"three"})
    fs.rm(f"{root}/a.txt")
    fs.pipe({f"{root}/a.txt": b"one"})  # rewritten with the same bytes: its listing changed
    fs.pipe({f"{root}/d.txt": b"four"})
    fs.rm(f"{root}/d.txt")
    assert pull(f"memory://{root}", copy) == SyncReport(copied=3, removed=0, unchanged=0)
    fs.rm(f"{root}/c.txt")
    assert pull(f"memory://{root}", copy) == SyncReport(copied=0, removed=1, unchanged=2)
    assert _files(copy) == {"a.txt": b"one", "sub/b.txt": b"two, edited"}
    assert (copy / "a.txt").stat().st_mtime_ns >= untouched


def test_a_file_changed_in_the_copy_is_copied_again(memory, tmp_path):
    fs, root = memory
    fs.pipe({f"{root}/a.txt": b"one", f"{root}/b.txt": b"two"})
    copy = tmp_path / "copy"
    pull(f"memory://{root}", copy)
    (copy / "a.txt").write_bytes(b"changed here")

    assert pull(f"memory://{root}", copy) == SyncReport(copied=1, removed=0, unchanged=1)
    assert _files(copy) == {"a.txt": b"one", "b.txt": b"two"}


def test_a_pull_killed_half_way_is_finished_by_the_next(memory, tmp_path, monkeypatch):
    fs, root = memory
    fs.pipe({f"{root}/{name}.txt": name.encode() for name in "abc"})
    copy = tmp_path / "copy"
    pull(f"memory://{root}", copy)
    fs.pipe({f"{root}/{name}.txt": name.encode() * 2 for name in "abc"})
    written = []
    write = remote.write_bytes_atomically

    def killed_after_one(path: Path, data: bytes) -> None:
        if written:
            raise KeyboardInterrupt
        written.append(path.name)
        write(path, data)

    monkeypatch.setattr(remote, "write_bytes_atomically", killed_after_one)
    with pytest.raises(KeyboardInterrupt):
        pull(f"memory://{root}", copy)
    monkeypatch.undo()

    assert pull(f"memory://{root}", copy) == SyncReport(copied=3, removed=0, unchanged=0)
    assert _files(copy) == {"a.txt": b"aa", "b.txt": b"bb", "c.txt": b"cc"}


def test_a_push_sends_what_changed_with_the_index_last_and_removes_afterwards(
    memory, tmp_path, monkeypatch
):
    fs, root = memory
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("index.json", "a.bin", "z.bin", "old.bin"):
        (copy / name).write_bytes(name.encode())
    assert push(copy, f"memory://{root}", last="index.json").copied == 4

    events: list[str] = []
    put, rm = MemoryFileSystem.put_file, MemoryFileSystem.rm
    monkeypatch.setattr(
        MemoryFileSystem,
        "put_file",
        lambda self, lpath, rpath, **kw: (
            events.append(f"put {Path(rpath).name}"),
            put(self, lpath, rpath, **kw),
        ),
    )
    monkeypatch.setattr(
        MemoryFileSystem,
        "rm",
        lambda self, paths, **kw: (
            events.append(f"rm {[Path(p).name for p in paths]}"),
            rm(self, paths, **kw),
        ),
    )
    (copy / "index.json").write_bytes(b"index, new")
    (copy / "z.bin").write_bytes(b"z, new")
    (copy / "old.bin").unlink()

    assert push(copy, f"memory://{root}", last="index.json") == SyncReport(1 + 1, 1, 1)
    assert events == ["put z.bin", "put index.json", "rm ['old.bin']"]
    assert fs.cat(f"{root}/index.json") == b"index, new"
    assert sorted(Path(p).name for p in fs.find(root)) == ["a.bin", "index.json", "z.bin"]

    events.clear()
    assert push(copy, f"memory://{root}", last="index.json") == SyncReport(0, 0, 3)
    assert events == []


def test_what_was_pushed_is_not_pulled_back(memory, tmp_path):
    _, root = memory
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "a.bin").write_bytes(b"a")
    push(copy, f"memory://{root}")

    assert pull(f"memory://{root}", copy) == SyncReport(copied=0, removed=0, unchanged=1)


def test_a_protocol_without_its_package_says_what_to_install(tmp_path):
    fsspec.register_implementation(
        "narrativestest", "narratives_no_such_package.FileSystem", clobber=True
    )
    with pytest.raises(RemoteError, match=r"narrativestest://b/c: reading narrativestest:// needs"):
        pull("narrativestest://b/c", tmp_path / "copy")


def test_an_unknown_protocol_is_named(tmp_path):
    with pytest.raises(RemoteError, match=r"nosuchprotocol://b/c: .*Protocol not known"):
        pull("nosuchprotocol://b/c", tmp_path / "copy")


def test_locations_on_the_command_line():
    assert remote.location("corpus") == Path("corpus")
    assert remote.location("file:///data/corpus") == Path("/data/corpus")
    assert remote.location("s3://bucket/corpus") == "s3://bucket/corpus"


# -- the commands -------------------------------------------------------------------


def _digests(out: Path) -> dict[str, str]:
    return {path.name: _digest(path) for path in sorted(out.iterdir())}


def _run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, err.getvalue()


def test_a_corpus_and_store_at_urls_give_the_tables_of_a_local_folder(
    registry_corpus,
    tmp_path,
    memory,
    monkeypatch,
    analysed,  # noqa: F811
):
    fs, root = memory
    _planted(registry_corpus, "s1", "Putin conceded", "John Kerry met Vladimir Putin in Sochi.")
    _planted(registry_corpus, "s2", "Talks", 'Peskov said: "Talks were constructive."')
    fs.put(str(registry_corpus), f"{root}/corpus", recursive=True)
    corpus, store = f"memory://{root}/corpus", f"memory://{root}/results"
    local = _outputs(registry_corpus, tmp_path / "local", "--no-store")
    analysed.clear()

    status, said = _run(
        "analyze", "--corpus", corpus, "--store", store, "--out", str(tmp_path / "a")
    )
    assert status == 0, said
    assert _digests(tmp_path / "a") == local
    assert f"{corpus}: 4 files copied, 0 removed, 0 unchanged" in said
    assert fs.exists(f"{root}/results/index.json")
    assert analysed == ["s1", "s2"]

    # Another machine (another cache folder): the store is read from the URL.
    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(tmp_path / "another-cache"))
    analysed.clear()
    status, said = _run(
        "analyze", "--corpus", corpus, "--store", store, "--out", str(tmp_path / "b")
    )
    assert status == 0, said
    assert analysed == []
    assert f"{store}: 0 files sent, 0 removed" in said

    # An article edited where the corpus is kept: only it is copied and analysed.
    _planted(registry_corpus, "s2", "Talks", "Obama won. The West gained.")
    fs.put_file(str(registry_corpus / "articles" / "s2.md"), f"{root}/corpus/articles/s2.md")
    analysed.clear()
    status, said = _run(
        "analyze", "--corpus", corpus, "--store", store, "--out", str(tmp_path / "c")
    )
    assert status == 0, said
    assert f"{corpus}: 1 file copied, 0 removed, 3 unchanged" in said
    assert analysed[0] == "s2"
    assert "s1" not in analysed
    edited = _outputs(registry_corpus, tmp_path / "local-edited", "--no-store")
    assert _digests(tmp_path / "c") == edited


def test_a_store_that_cannot_be_sent_back_is_a_warning(
    registry_corpus, tmp_path, memory, monkeypatch
):
    _, root = memory
    _planted(registry_corpus, "s1", "Talks", "John Kerry met Vladimir Putin in Sochi.")

    def refused(self, lpath, rpath, **kwargs):
        raise PermissionError("access denied")

    monkeypatch.setattr(MemoryFileSystem, "put_file", refused)
    status, said = _run(
        "analyze",
        "--corpus",
        str(registry_corpus),
        "--store",
        f"memory://{root}/results",
        "--out",
        str(tmp_path / "out"),
    )
    assert status == 0
    assert "warning: results store not sent back" in said
    assert "access denied" in said
    assert (tmp_path / "out" / "articles.csv").exists()


def test_a_corpus_url_that_holds_nothing_is_an_error(tmp_path, memory):
    _, root = memory
    status, said = _run("validate", f"memory://{root}/nothing")
    assert status == 2
    assert f"memory://{root}/nothing: no such folder, or it is empty; check the URL" in said


def test_a_store_folder_given_keeps_the_results_there(
    registry_corpus,
    tmp_path,
    analysed,  # noqa: F811
):
    _planted(registry_corpus, "s1", "Talks", "John Kerry met Vladimir Putin in Sochi.")
    folder = tmp_path / "on-nfs" / "results"
    status, said = _run(
        "analyze", "--corpus", str(registry_corpus), "--store", str(folder),
        "--out", str(tmp_path / "a"),
    )  # fmt: skip
    assert status == 0, said
    assert (folder / "index.json").is_file()
    assert analysed == ["s1"]

    analysed.clear()
    _run(
        "analyze", "--corpus", str(registry_corpus), "--store", str(folder),
        "--out", str(tmp_path / "b"), "--force",
    )  # fmt: skip
    assert analysed == []
