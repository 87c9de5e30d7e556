from __future__ import annotations

import sys

import pytest

from analysis.pipeline.memory import release_freed_memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux's")
def test_freed_memory_is_given_back_on_linux():
    assert release_freed_memory() is True


def test_elsewhere_asking_does_nothing(monkeypatch: pytest.MonkeyPatch):
    import analysis.pipeline.memory as memory

    monkeypatch.setattr(memory.sys, "platform", "darwin")
    memory._malloc_trim.cache_clear()
    try:
        assert release_freed_memory() is False
    finally:
        memory._malloc_trim.cache_clear()
