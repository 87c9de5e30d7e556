"""Fetching article pages politely, with the Internet Archive's copy when a page is gone.

:class:`PageFetcher` asks each host at most once per ``delay`` seconds (longer
if its robots.txt sets a ``Crawl-delay``), honours robots.txt, names itself in
its user agent, gives up on a silent server after ``timeout`` seconds, and
retries connection errors, 429 and 5xx answers with exponential backoff (or
the server's ``Retry-After``). It follows redirects on the same site only,
reads at most ``max_bytes`` (streamed, so a huge answer is cut off, not
downloaded), accepts HTML only, and returns the page as UTF-8.

A page that is gone (404, 410) or whose host cannot be reached is looked up in
the Internet Archive's availability API for the address and date, and the
closest snapshot is fetched as it was archived (its ``id_`` form, without the
archive's toolbar). The archive is a service for tools: its own robots.txt is
not asked.

Charsets: a page whose bytes are valid UTF-8 is read as UTF-8 whatever it
declares, because a server's ``charset=iso-8859-1`` is often its default and
not the page's, while text in another charset is practically never valid
UTF-8 by accident. Otherwise the charset the HTTP header or the page's
``<meta>`` declares is used; a page that is neither UTF-8 nor in a declared
charset is refused rather than decoded by a guess that would garble it.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests

from analysis.ingest.fetch_settings import ARCHIVE_API, FetchSettings
from analysis.ingest.inference import host_of

__all__ = ["ARCHIVE_API", "FetchError", "FetchSettings", "FetchedHtml", "PageFetcher"]

#: The name robots.txt rules for this tool are written under (``User-agent: narratives``).
ROBOTS_AGENT = "narratives"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_GONE_STATUSES = frozenset({404, 410})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_MAX_REDIRECTS = 10
_MAX_WAIT = 60.0
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)


class FetchError(Exception):
    """A page that could not be fetched: ``reason`` says why, ``advice`` what to do.

    ``permanent`` is true when fetching it again would fail again: the page is
    gone (404, 410) with no archived copy, or robots.txt disallows it.
    Timeouts, server errors and unreachable hosts are not permanent.
    """

    def __init__(self, reason: str, advice: str, *, permanent: bool = False) -> None:
        super().__init__(f"{reason}; {advice}")
        self.reason = reason
        self.advice = advice
        self.permanent = permanent


class _GoneError(Exception):
    """The page is gone (404, 410) or its host cannot be reached: try the archive."""

    def __init__(self, reason: str, *, unreachable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unreachable = unreachable


@dataclass(frozen=True)
class FetchedHtml:
    """A fetched page: the address it came from (after redirects; the snapshot's for an
    archived copy) and its HTML as UTF-8."""

    url: str
    html: bytes
    archived: bool = False


@dataclass(frozen=True)
class _Answer:
    status: int
    location: str
    content_type: str
    body: bytes


_GONE_ADVICE = (
    "find the article's new address and put it in the list, or save the page and "
    "`narratives import` it"
)
_UNREACHABLE_ADVICE = "check the address; a rerun tries it again"
_SAVE_ADVICE = "save the page in a browser and `narratives import` it"


class PageFetcher:
    """Fetches pages politely (see the module's docstring); one per run, closed after it."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self._session = requests.Session()
        self._session.headers["User-Agent"] = self.settings.user_agent
        self._last: dict[str, float] = {}
        self._interval: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser] = {}

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> PageFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def page(self, url: str, *, date: str = "") -> FetchedHtml:
        """Fetch the page at ``url``, or its archived copy (closest to ``date``) when it is gone.

        Raises
        ------
        FetchError
            Saying why (robots.txt, a redirect to another domain, not HTML,
            too large, wrong charset, an HTTP error, gone without a copy ...)
            and what to do.
        """
        try:
            final, html = self._follow(url, robots=True)
            return FetchedHtml(final, html)
        except _GoneError as err:
            gone = err
        advice = _UNREACHABLE_ADVICE if gone.unreachable else _GONE_ADVICE
        # Gone for good unless the host was only unreachable (it may answer tomorrow).
        permanent = not gone.unreachable
        if self.settings.archive_api is None:
            raise FetchError(gone.reason, advice, permanent=permanent)
        snapshot = self._snapshot(url, date, gone.reason)
        if snapshot is None:
            raise FetchError(
                f"{gone.reason}, and the Internet Archive has no copy", advice, permanent=permanent
            )
        try:
            final, html = self._follow(snapshot, robots=False)
        except _GoneError as err:
            raise FetchError(
                f"{gone.reason}; its archived copy {snapshot}: {err.reason}", advice
            ) from None
        except FetchError as err:
            raise FetchError(
                f"{gone.reason}; its archived copy {snapshot}: {err.reason}", err.advice
            ) from None
        return FetchedHtml(final, html, archived=True)

    # --- one page, its redirects, robots.txt --------------------------------------------------

    def _follow(self, url: str, *, robots: bool) -> tuple[str, bytes]:
        """The final address and UTF-8 HTML of ``url``, following same-site redirects."""
        site = host_of(url)
        current = url
        for _ in range(_MAX_REDIRECTS + 1):
            if robots and not self._allowed(current):
                raise FetchError(
                    f"robots.txt of {_origin(current)} disallows fetching it",
                    f"it is not fetched; {_SAVE_ADVICE}",
                    permanent=True,
                )
            answer = self._exchange(current, html=True)
            if answer.location:
                target = urljoin(current, answer.location)
                if not _same_site(host_of(target), site):
                    raise FetchError(
                        f"redirected to {target}, on another domain",
                        "if that is the same article, put its address in the list",
                    )
                current = target
                continue
            if answer.status in _GONE_STATUSES:
                raise _GoneError(f"HTTP {answer.status} (gone)", unreachable=False)
            if not 200 <= answer.status < 300:
                raise FetchError(f"HTTP {answer.status}", f"the site refused it; {_SAVE_ADVICE}")
            return current, _utf8(answer.body, answer.content_type)
        raise FetchError(f"more than {_MAX_REDIRECTS} redirects", "open it in a browser")

    def _allowed(self, url: str) -> bool:
        origin = _origin(url)
        parser = self._robots.get(origin)
        if parser is None:
            parser = self._robots[origin] = self._read_robots(origin)
            delay = parser.crawl_delay(ROBOTS_AGENT)
            if delay is not None:
                self._interval[urlsplit(origin).netloc] = min(float(delay), _MAX_WAIT)
        return parser.can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, origin: str) -> RobotFileParser:
        """The site's robots.txt rules; none (all allowed) when it has no robots.txt.

        As RFC 9309 says: a 4xx answer allows everything, a server error
        forbids everything for now, an unreachable host is the page's problem.
        """
        parser = RobotFileParser(f"{origin}/robots.txt")
        current = f"{origin}/robots.txt"
        for _ in range(5):
            try:
                answer = self._exchange(current, html=False)
            except FetchError as err:
                raise FetchError(
                    f"{origin}/robots.txt could not be read ({err.reason})",
                    "a rerun tries again",
                ) from None
            if not answer.location:
                break
            current = urljoin(current, answer.location)
        if 400 <= answer.status < 500 or answer.location:
            parser.allow_all = True  # type: ignore[attr-defined]
        elif not 200 <= answer.status < 300:
            raise FetchError(
                f"{origin}/robots.txt answered HTTP {answer.status}", "a rerun tries again"
            )
        parser.parse(answer.body.decode("utf-8", errors="replace").splitlines())
        return parser

    def _snapshot(self, url: str, date: str, gone: str) -> str | None:
        """The address of the archived copy closest to ``date`` (``None``: no copy)."""
        assert self.settings.archive_api is not None
        query = {"url": url}
        stamp = re.sub(r"\D", "", date)[:14]
        if stamp:
            query["timestamp"] = stamp
        api = f"{self.settings.archive_api}?{urlencode(query)}"
        try:
            answer = self._exchange(api, html=False)
            closest = json.loads(answer.body)["archived_snapshots"].get("closest") or {}
        except (_GoneError, FetchError) as err:
            raise FetchError(
                f"{gone}, and the Internet Archive could not be asked ({err})",
                "a rerun tries again",
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError):
            raise FetchError(
                f"{gone}, and the Internet Archive's answer could not be read",
                "a rerun tries again",
            ) from None
        if not isinstance(closest, dict) or not closest.get("available"):
            return None
        if not str(closest.get("status", "200")).startswith("2") or not closest.get("url"):
            return None
        # The id_ form is the page as archived, without the archive's toolbar and rewriting.
        return re.sub(r"(/web/\d{1,14})/", r"\1id_/", str(closest["url"]), count=1)

    # --- one request ----------------------------------------------------------------------------

    def _exchange(self, url: str, *, html: bool) -> _Answer:
        """One GET (no redirects followed), retried on connection errors, 429 and 5xx.

        Raises ``_GoneError`` when the host cannot be reached after the retries, and
        FetchError for an answer that is not HTML (with ``html``), too large,
        or still 429/5xx after the retries.
        """
        settings = self.settings
        problem = ""
        wait = 0.0
        for attempt in range(settings.retries + 1):
            time.sleep(wait)
            wait = settings.backoff * 2**attempt
            self._wait_turn(url)
            try:
                response = self._session.get(
                    url, stream=True, timeout=settings.timeout, allow_redirects=False
                )
            except (requests.ConnectionError, requests.Timeout) as err:
                problem = _connection_problem(err, settings.timeout)
                continue
            except requests.RequestException as err:
                raise FetchError(f"cannot be requested: {err}", "check the address") from None
            with response:
                if response.status_code in _RETRY_STATUSES:
                    problem = f"HTTP {response.status_code}"
                    wait = max(wait, _retry_after(response.headers.get("Retry-After", "")))
                    continue
                if response.is_redirect:
                    return _Answer(response.status_code, response.headers["Location"], "", b"")
                content_type = response.headers.get("Content-Type", "")
                try:
                    body = self._body(response, html=html and response.ok)
                except requests.RequestException as err:
                    # Cut off, reset, or too slow while sending the page.
                    problem = _connection_problem(err, settings.timeout)
                    continue
                return _Answer(response.status_code, "", content_type, body)
        tries = f"{settings.retries + 1} tries"
        if problem.startswith("HTTP"):
            raise FetchError(f"{problem} after {tries}", "the site is busy or failing; rerun later")
        raise _GoneError(f"{problem} ({tries})", unreachable=True)

    def _body(self, response: requests.Response, *, html: bool) -> bytes:
        limit = self.settings.max_bytes
        content_type = response.headers.get("Content-Type", "")
        kind = content_type.split(";")[0].strip().lower()
        if html and kind and kind not in _HTML_TYPES:
            raise FetchError(
                f"not a web page but {kind}", "give the address of the article's HTML page"
            )
        too_large = FetchError(
            f"the answer is over {limit:,} bytes", "is it an article page? save it and import it"
        )
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise too_large
        body = bytearray()
        for chunk in response.iter_content(chunk_size=64 * 1024):
            body += chunk
            if len(body) > limit:
                raise too_large
        if html and b"\x00" in body:
            raise FetchError(
                "the answer is binary (it holds NUL bytes), not a web page",
                "give the address of the article's HTML page",
            )
        if html and not kind and not bytes(body).lstrip().startswith(b"<"):
            raise FetchError(
                "not a web page (no content type, and no HTML)",
                "give the address of the article's HTML page",
            )
        return bytes(body)

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        interval = max(self.settings.delay, self._interval.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            pause = last + interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _same_site(host: str, site: str) -> bool:
    """``edition.cnn.com`` and ``cnn.com`` are one site; ``cnn.com`` and ``cnn.co.uk`` are not."""
    return host == site or host.endswith("." + site) or site.endswith("." + host)


def _retry_after(value: str) -> float:
    """Seconds a ``Retry-After`` header asks for (in seconds only; at most a minute)."""
    return min(float(value), _MAX_WAIT) if value.strip().isdigit() else 0.0


def _connection_problem(err: Exception, timeout: float) -> str:
    if isinstance(err, requests.Timeout) or "timed out" in str(err).lower():
        return f"no answer within {timeout:g} s"
    text = str(err)
    if "NameResolution" in text or "getaddrinfo" in text or "Name or service" in text:
        return "unreachable: the host name does not resolve"
    if "refused" in text.lower():
        return "unreachable: the connection was refused"
    return "unreachable: the connection failed"


def _utf8(body: bytes, content_type: str) -> bytes:
    """The page as UTF-8 (see the module's docstring for which charset wins).

    Raises
    ------
    FetchError
        If the page is neither UTF-8 nor in a charset it declares.
    """
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as err:
        first_bad = err.start
    else:
        return body.removeprefix(b"\xef\xbb\xbf")
    declared = [m.group(1) for m in [re.search(r"charset\s*=\s*\"?([\w:.-]+)", content_type)] if m]
    declared += [m.group(1).decode("ascii") for m in [_META_CHARSET.search(body[:4096])] if m]
    for charset in declared:
        if charset.lower().replace("_", "-") in ("utf-8", "utf8"):
            continue
        try:
            return body.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            continue
    said = f"declared {', '.join(declared)}" if declared else "no charset declared"
    raise FetchError(
        f"wrong charset: byte 0x{body[first_bad]:02x} at offset {first_bad} is not UTF-8, "
        f"and no charset the page declares reads it ({said})",
        _SAVE_ADVICE,
    )
