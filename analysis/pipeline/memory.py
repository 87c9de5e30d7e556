"""Giving memory that the analysis has freed back to the operating system.

Cleaning and counting a large corpus create and free many strings and arrays.
glibc's allocator keeps the freed pages for the process unless asked to
return them, so without this the resident size would stay at each stage's
peak and the next stage would add its own peak on top.
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


def release_freed_memory() -> bool:
    """Return freed heap pages to the operating system, where the C library can.

    Returns whether it could ask (glibc on Linux); elsewhere it does nothing.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
