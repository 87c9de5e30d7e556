"""How politely and how far ``narratives fetch`` fetches: its settings, without the HTTP client.

Kept apart from :mod:`analysis.ingest.web` so that the command line, which
shows these defaults in its help, does not import ``requests`` for every
command (about 0.1 s of each).
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass

from analysis.ingest.formats import MAX_PAGE_BYTES

__all__ = ["ARCHIVE_API", "FetchSettings"]

#: The Internet Archive's availability API (https://archive.org/help/wayback_api.php).
ARCHIVE_API = "https://archive.org/wayback/available"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _user_agent() -> str:
    return (
        f"narratives/{_version('narratives')} (news coverage research; `narratives fetch`; "
        f"python-requests/{_version('requests')})"
    )


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how far to fetch.

    ``delay``: the least time between two requests to one host, in seconds.
    ``timeout``: how long to wait for a server to connect or to send anything.
    ``retries``: how many times to try again after a connection error, a
    timeout, 429 or 5xx, waiting ``backoff``, then twice, four times as long.
    ``max_bytes``: the largest answer read. ``archive_api``: the availability
    API asked for a gone page's copy (``None``: never). ``user_agent``: how
    the tool names itself.
    """

    delay: float = 1.0
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    max_bytes: int = MAX_PAGE_BYTES
    archive_api: str | None = ARCHIVE_API
    user_agent: str = _user_agent()

    def __post_init__(self) -> None:
        for name in ("delay", "backoff"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more, not {getattr(self, name)}")
        if self.timeout <= 0:
            raise ValueError(f"timeout must be more than 0 seconds, not {self.timeout}")
        if self.retries < 0:
            raise ValueError(f"retries must be 0 or more, not {self.retries}")
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be at least 1, not {self.max_bytes}")
