"""Giving memory that the analysis has freed back to the operating system.

Cleaning and counting a large corpus create and free many strings and arrays.
glibc's allocator keeps the freed pages for the process unless asked to
return them, so without this the resident size would stay at each stage's
peak and the next stage would add its own peak on top. Arrow's memory pool
(the results store reads and writes Parquet through it) keeps freed blocks for
reuse in the same way.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable

__all__ = ["release_freed_memory"]


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (e.g. musl): nothing to ask
        return None
    trim: Callable[[int], int] | None = getattr(libc, "malloc_trim", None)
    return trim


def _release_arrow_pool() -> None:
    # Only a pool that exists can hold anything: importing pyarrow here would cost more.
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()


def release_freed_memory() -> bool:
    """Return freed heap pages to the operating system, where the C library can.

    Freed blocks Arrow's default memory pool keeps are released first, when
    pyarrow is loaded. Returns whether the C library could be asked (glibc on
    Linux); elsewhere that part does nothing.
    """
    _release_arrow_pool()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
