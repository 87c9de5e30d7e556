"""Files rewritten in place: the old content or the new, never half, and no temporary file left."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from analysis.corpus.atomic import (
    TEMP_SUFFIX,
    replacing,
    write_bytes_atomically,
    write_pickle_atomically,
    write_text_atomically,
)


def test_a_clean_exit_replaces_the_file_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_bytes(b"old\n")

    with replacing(target) as handle:
        handle.write(b"new,")
        handle.write(b"rows\n")

    assert target.read_bytes() == b"new,rows\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_an_error_half_way_keeps_the_old_file_and_removes_the_temporary_one(
    tmp_path: Path,
) -> None:
    target = tmp_path / "table.csv"
    target.write_bytes(b"old\n")

    def write_half() -> None:
        with replacing(target) as handle:
            handle.write(b"half of the new ")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_half()

    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_an_error_before_any_file_existed_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "new" / "index.json"

    with pytest.raises(KeyboardInterrupt), replacing(target):
        raise KeyboardInterrupt

    assert list((tmp_path / "new").iterdir()) == []


def test_the_temporary_file_is_hidden_beside_the_target_while_it_is_written(
    tmp_path: Path,
) -> None:
    target = tmp_path / "outlets.yaml"

    with replacing(target) as handle:
        (temporary,) = tmp_path.iterdir()
        handle.write(b"x")

    assert temporary.name.startswith(".outlets.yaml.")
    assert temporary.name.endswith(TEMP_SUFFIX)
    assert not temporary.exists()


def test_text_in_parts_is_written_as_utf8_with_its_newlines_untouched(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"

    write_text_atomically(target, iter(["Київ\r\n", "Moscow\n", "Lavrov"]))
    write_text_atomically(tmp_path / "one.txt", "Керри\r\n")

    assert target.read_bytes() == "Київ\r\nMoscow\nLavrov".encode()
    assert (tmp_path / "one.txt").read_bytes() == "Керри\r\n".encode()


def test_bytes_and_pickles_round_trip(tmp_path: Path) -> None:
    write_bytes_atomically(tmp_path / "a" / "b.bin", b"\x00\xff", durable=True)
    write_pickle_atomically(tmp_path / "kept.pickle", {"version": 3, "kept": [1, 2]})

    assert (tmp_path / "a" / "b.bin").read_bytes() == b"\x00\xff"
    assert pickle.loads((tmp_path / "kept.pickle").read_bytes()) == {"version": 3, "kept": [1, 2]}
