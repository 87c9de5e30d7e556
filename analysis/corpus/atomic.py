"""Writing a file so that a reader sees the old file or the new one, never half of one.

Everything the project rewrites in place (the registry, overrides, tables, files
an import restores, the results store, caches, remote copies) goes through
:func:`replacing`: the content is written to a temporary file beside the
target, which then replaces it with one rename. An interruption, or an exception
in the ``with`` block, leaves the old file (or no file) and no temporary file.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

__all__ = [
    "TEMP_SUFFIX",
    "replacing",
    "write_bytes_atomically",
    "write_pickle_atomically",
    "write_text_atomically",
]

#: What every temporary file ends with: folders listing their files skip these.
TEMP_SUFFIX = ".tmp"


@contextlib.contextmanager
def replacing(path: Path, *, durable: bool = False) -> Iterator[IO[bytes]]:
    """A binary handle to write ``path``'s new content into; on a clean exit it replaces ``path``.

    ``durable`` flushes the content to the disk before the rename (for files a
    user would lose, not for caches). The parent folder is made if missing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (a string, or its parts in order) to ``path``, flushed to the disk."""
    with replacing(path, durable=True) as handle:
        for part in [text] if isinstance(text, str) else text:
            handle.write(part.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` to ``path``."""
    with replacing(path, durable=durable) as handle:
        handle.write(data)


def write_pickle_atomically(path: Path, value: object) -> None:
    """Pickle ``value`` to ``path`` (for caches and the results store: not flushed to the disk)."""
    with replacing(path) as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
