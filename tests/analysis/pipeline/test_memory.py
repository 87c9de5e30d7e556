from __future__ import annotations

import gc
import os
import sys

import numpy as np
import pytest

from analysis.pipeline.memory import release_freed_memory

MB = 2**20


def _resident_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux's")
def test_freed_memory_is_given_back_on_linux():
    release_freed_memory()  # so that earlier tests' free pages cannot hold the new strings
    before = _resident_bytes()
    # 2 KB strings come from malloc's heap, not Python's small-object arenas; the block
    # allocated after them keeps the top of the heap in use, so freeing them alone
    # cannot shrink the heap and their pages stay resident until malloc_trim.
    strings = [b"x" * 2000 + i.to_bytes(4, "little") for i in range(20_000)]
    top = b"y" * 2000
    grown = _resident_bytes() - before
    del strings
    gc.collect()
    assert release_freed_memory() is True
    kept = _resident_bytes() - before
    assert grown > 30 * MB
    assert kept < grown / 4, f"{kept / MB:.1f} MB of {grown / MB:.1f} MB still resident"
    del top


def test_blocks_arrow_keeps_for_reuse_are_given_back():
    pa = pytest.importorskip("pyarrow")
    release_freed_memory()
    before = _resident_bytes()
    # Arrays Arrow allocates itself (the casts), a few tens of kilobytes each, as reading
    # Parquet makes them; once freed, Arrow's pool keeps their pages for reuse.
    numbers = np.arange(20_000, dtype=np.int64)
    arrays = [pa.array(numbers + i).cast(pa.int32()) for i in range(1_000)]
    grown = _resident_bytes() - before
    del arrays
    gc.collect()
    release_freed_memory()
    kept = _resident_bytes() - before
    assert grown > 30 * MB
    # The C library's trim alone gives none of it back.
    assert kept < grown / 2, f"{kept / MB:.1f} MB of {grown / MB:.1f} MB still resident"


def test_elsewhere_asking_does_nothing(monkeypatch: pytest.MonkeyPatch):
    import analysis.pipeline.memory as memory

    monkeypatch.setattr(memory.sys, "platform", "darwin")
    memory._malloc_trim.cache_clear()
    try:
        assert release_freed_memory() is False
    finally:
        memory._malloc_trim.cache_clear()
