"""``narratives fetch`` against a local web server serving hand-written pages.

Nothing here touches the internet: the server listens on 127.0.0.1 and plays
the Internet Archive's availability API too. Settings are tiny (no delay,
half-second timeouts, one retry) so that the whole file runs in seconds.
"""

from __future__ import annotations

import contextlib
import io
import json
import shlex
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from analysis.cli import main
from analysis.corpus.article_file import parse_article
from analysis.corpus.articles import load_corpus
from analysis.ingest.fetch import STATE_FILE, fetch_articles, render_fetch_report
from analysis.ingest.web import FetchSettings

REPO = Path(__file__).resolve().parents[3]
PAGES = REPO / "tests" / "fixtures" / "fetch"
#: The header of corpus/sources/kerry-putin.csv: the lists here have the same shape.
SOURCE_HEADER = (REPO / "corpus" / "sources" / "kerry-putin.csv").read_text().splitlines()[0]
SNAPSHOT = "20151216083000"


class FixtureSite:
    """What the server serves, and every path it was asked for."""

    def __init__(self) -> None:
        self.port = 0
        self.requested: list[str] = []
        self.archive_queries: list[dict[str, list[str]]] = []
        self.busy_answers = 1

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        path = parts.path
        self.requested.append(path)
        page = {
            "/news/sochi.html": "sochi.html",
            "/news/sochi-again.html": "sochi.html",
            "/news/kremlin-talks.html": "moved.html",
            "/news/cyrillic.html": "cyrillic.html",
            "/news/no-text.html": "no-text.html",
            "/private/leak.html": "sochi.html",
            f"/web/{SNAPSHOT}id_/{self.url('/news/gone.html')}": "archived.html",
        }.get(path)
        if path == "/robots.txt":
            _send(handler, 200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
        elif path == "/news/busy.html":
            if self.busy_answers:
                self.busy_answers -= 1
                _send(handler, 429, "text/plain", b"slow down", {"Retry-After": "0"})
            else:
                _send(handler, 200, "text/html; charset=utf-8", (PAGES / "busy.html").read_bytes())
        elif path == "/old/kremlin-talks":
            _send(handler, 301, "text/plain", b"", {"Location": "/news/kremlin-talks.html"})
        elif path == "/news/elsewhere.html":
            location = self.url("/news/sochi.html", host="localhost")
            _send(handler, 302, "text/plain", b"", {"Location": location})
        elif path == "/news/gone.html":
            _send(handler, 404, "text/html", b"<h1>Not found</h1>")
        elif path == "/news/vanished.html":
            _send(handler, 410, "text/html", b"<h1>Gone</h1>")
        elif path == "/news/down.html":
            _send(handler, 503, "text/html", b"<h1>Service unavailable</h1>")
        elif path == "/news/slow.html":
            time.sleep(2)
            _send(handler, 200, "text/html", (PAGES / "sochi.html").read_bytes())
        elif path == "/news/photo.png":
            _send(handler, 200, "image/png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        elif path == "/news/huge.html":
            # No Content-Length: the client learns the size only by reading.
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(100):
                    handler.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>\n")
        elif path == "/news/cut.html":
            # The connection closes before the promised length has come.
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", "5000")
            handler.end_headers()
            handler.wfile.write(b"<html><p>Kerry")
            handler.close_connection = True
        elif path == "/news/cp1251.html":
            data = (PAGES / "cyrillic.html").read_text(encoding="utf-8").encode("cp1251")
            _send(handler, 200, "text/html; charset=utf-8", data)
        elif path == "/news/cyrillic.html":
            # UTF-8 bytes under a server's wrong default charset.
            _send(handler, 200, "text/html; charset=iso-8859-1", (PAGES / page).read_bytes())
        elif path == "/wayback/available":
            query = parse_qs(parts.query)
            self.archive_queries.append(query)
            closest = {}
            if query["url"] == [self.url("/news/gone.html")]:
                snapshot = self.url(f"/web/{SNAPSHOT}/{query['url'][0]}")
                closest = {"closest": {"available": True, "url": snapshot, "status": "200"}}
            body = json.dumps({"archived_snapshots": closest}).encode()
            _send(handler, 200, "application/json", body)
        elif page is not None:
            _send(handler, 200, "text/html; charset=utf-8", (PAGES / page).read_bytes())
        else:
            _send(handler, 404, "text/html", b"<h1>Not found</h1>")


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    content_type: str,
    body: bytes,
    headers: dict[str, str] | None = None,
) -> None:
    with contextlib.suppress(OSError):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    served = FixtureSite()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.answer(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    served.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


def _settings(site: FixtureSite) -> FetchSettings:
    return FetchSettings(
        delay=0,
        timeout=0.5,
        retries=1,
        backoff=0.01,
        max_bytes=100_000,
        archive_api=site.url("/wayback/available"),
    )


def _list(path: Path, site: FixtureSite, rows: list[tuple[str, ...]]) -> Path:
    """A list shaped like corpus/sources/kerry-putin.csv: url, outlet, ..., language, date,
    meeting, then the reference labels."""
    lines = [SOURCE_HEADER]
    for url_path, outlet, language, published, meeting in rows:
        url = url_path if "//" in url_path else site.url(url_path)
        lines.append(f"{url},{outlet},,{language},{published},{meeting},,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _article(root: Path, article_id: str):
    path = root / "articles" / f"{article_id}.md"
    return parse_article(path.read_bytes(), path=path.name)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".narratives")
    }


EVERY_CASE = [
    ("/news/sochi.html", "Sochi Herald", "en", "2015-05-12", "2015-05-sochi"),
    ("/old/kremlin-talks", "Kremlin Watch", "en", "2013-05-08", "2013-05-moscow"),
    ("/news/elsewhere.html", "Elsewhere", "en", "2015-05-12", ""),
    ("/news/gone.html", "Gone Daily", "en", "2015-12-16", "2015-12-moscow"),
    ("/news/vanished.html", "Vanished", "en", "2015-12-16", ""),
    ("/news/slow.html", "Slow Post", "en", "", ""),
    ("/news/photo.png", "Photo Agency", "en", "", ""),
    ("/news/huge.html", "Huge Times", "en", "", ""),
    ("/news/cyrillic.html", "Novosti Test", "", "", ""),
    ("/news/cp1251.html", "Vesti Test", "ru", "", ""),
    ("/private/leak.html", "Leak", "en", "", ""),
    ("/news/sochi.html", "Sochi Herald", "en", "2015-05-12", "2015-05-sochi"),
    ("/news/busy.html", "Busy Wire", "en", "2016-07-15", "2016-07-moscow"),
    ("/news/no-text.html", "Empty Page", "en", "", ""),
    ("/news/cut.html", "Cut Short", "en", "", ""),
    ("http://[::1", "Broken", "en", "", ""),
]


def test_every_kind_of_page_is_added_or_named_with_its_reason(site, registry_corpus, tmp_path):
    listed = _list(tmp_path / "list.csv", site, EVERY_CASE)
    before = _snapshot(registry_corpus)

    report = fetch_articles(listed, registry_corpus, settings=_settings(site))

    added = {a.source.rsplit(":", 1)[1]: a for a in report.imported.added}
    assert sorted(added, key=int) == ["2", "3", "5", "10", "14"]
    assert [(a.outlet, a.published, a.language, a.meetings) for a in added.values()] == [
        ("sochi-herald", "2015-05-12", "en", ("2015-05-sochi",)),
        ("kremlin-watch", "2013-05-08", "en", ("2013-05-moscow",)),
        ("gone-daily", "2015-12-16", "en", ("2015-12-moscow",)),
        ("novosti-test", "2016-03-24", "ru", ("2016-03-moscow",)),
        ("busy-wire", "2016-07-15", "en", ("2016-07-moscow",)),
    ]
    failures = {f.where.rsplit(":", 1)[1]: f.reason for f in report.failures}
    assert failures == {
        "4": f"redirected to {site.url('/news/sochi.html', host='localhost')}, on another domain",
        "6": "HTTP 410 (gone), and the Internet Archive has no copy",
        "7": "no answer within 0.5 s (2 tries), and the Internet Archive has no copy",
        "8": "not a web page but image/png",
        "9": "the answer is over 100,000 bytes",
        "11": "wrong charset: byte 0xcf at offset 47 is not UTF-8, and no charset the page "
        "declares reads it (declared utf-8)",
        "12": f"robots.txt of {site.url('')} disallows fetching it",
        "13": f"duplicate URL in the list: {listed}:2 has it already",
        "15": "no extractable article text in the page",
        "16": "unreachable: the connection failed (2 tries), and the Internet Archive has no copy",
        "17": "is not an http(s) address",
    }
    assert report.listed == 16
    assert report.fetched == 6
    assert "/private/leak.html" not in site.requested
    assert site.requested.count("/news/sochi.html") == 1
    assert site.requested.count("/news/busy.html") == 2

    # The row's values win; the page gives the text; what came from elsewhere is recorded.
    moved = _article(registry_corpus, added["3"].id)
    assert moved.url == site.url("/old/kremlin-talks")
    assert moved.extra["fetched_from"] == site.url("/news/kremlin-talks.html")
    assert moved.title == "Kerry brings Syria plan to the Kremlin"
    archived = _article(registry_corpus, added["5"].id)
    assert archived.url == site.url("/news/gone.html")
    assert archived.extra["fetched_from"] == site.url(
        f"/web/{SNAPSHOT}id_/{site.url('/news/gone.html')}"
    )
    assert archived.text.startswith("Kerry and Putin agree to push Syria peace talks forward")
    assert site.archive_queries[0] == {
        "url": [site.url("/news/gone.html")],
        "timestamp": ["20151216"],
    }
    cyrillic = _article(registry_corpus, added["10"].id)
    assert cyrillic.title == "Путин и Керри обсудили Сирию в Кремле"
    assert "Президент России Владимир Путин" in cyrillic.text
    assert [i.field for i in cyrillic.inferred] == ["published", "language", "meetings", "outlet"]

    # Nothing that was there changed (the new outlets are added after the others); the
    # corpus still loads without problems.
    after = _snapshot(registry_corpus)
    assert after.pop("outlets.yaml").startswith(before.pop("outlets.yaml"))
    assert {k: v for k, v in after.items() if k in before} == before
    assert load_corpus(registry_corpus, use_cache=False).problems == []

    text = render_fetch_report(report)
    assert "16 address(es) listed: 0 done before (skipped), 6 fetched, 11 failed" in text
    assert f"{listed}:9 {site.url('/news/huge.html')}: the answer is over 100,000 bytes" in text
    assert "what to do: if that is the same article, put its address in the list" in text


def test_a_rerun_skips_what_is_done_and_failed_for_good_and_tries_the_rest_again(
    site, registry_corpus, tmp_path
):
    first = _list(
        tmp_path / "first.csv",
        site,
        [
            ("/news/sochi.html", "Sochi Herald", "en", "2015-05-12", "2015-05-sochi"),
            ("/news/sochi-again.html", "Sochi Herald", "en", "2015-05-12", "2015-05-sochi"),
            ("/news/vanished.html", "Vanished", "en", "", ""),
            ("/news/down.html", "Down Daily", "en", "", ""),
            ("/news/no-text.html", "Empty Page", "en", "", ""),
            ("/private/leak.html", "Leak", "en", "", ""),
        ],
    )
    report = fetch_articles(first, registry_corpus, settings=_settings(site))
    assert len(report.imported.added) == 1
    assert [(d.kind, d.source) for d in report.imported.duplicates] == [("exact", f"{first}:3")]
    assert [(f.where.rsplit(":", 1)[1], f.permanent) for f in report.failures] == [
        ("4", True),
        ("5", False),
        ("7", True),
        ("6", True),
    ]
    down = report.failures[1]
    assert down.reason == "HTTP 503 after 2 tries"
    assert report.failures[0].advice.endswith(
        "a rerun skips it unless asked to retry failures (--retry-failed)"
    )
    assert (registry_corpus / STATE_FILE).is_file()
    files = _snapshot(registry_corpus)
    site.requested.clear()

    longer = tmp_path / "longer.txt"
    longer.write_text(
        "# the first list's addresses, and one more\n"
        + "".join(
            f"{site.url(p)}\n"
            for p in (
                "/news/sochi.html",
                "/news/sochi-again.html",
                "/news/vanished.html",
                "/news/down.html",
                "/news/no-text.html",
                "/private/leak.html",
                "/old/kremlin-talks",
            )
        ),
        encoding="utf-8",
    )
    report = fetch_articles(longer, registry_corpus, settings=_settings(site))

    assert report.done_before == 2
    assert [(f.where, f.reason) for f in report.failed_before] == [
        (f"{longer}:4", "HTTP 410 (gone), and the Internet Archive has no copy"),
        (f"{longer}:6", "no extractable article text in the page"),
        (f"{longer}:7", f"robots.txt of {site.url('')} disallows fetching it"),
    ]
    assert [a.source for a in report.imported.added] == [f"{longer}:8"]
    # The server error is tried again (twice: a retry within the run), and fails again.
    assert [f.where for f in report.failures] == [f"{longer}:5"]
    assert site.requested.count("/news/down.html") == 2
    for path in ("/news/sochi.html", "/news/sochi-again.html", "/news/vanished.html",
                 "/news/no-text.html"):  # fmt: skip
        assert path not in site.requested
    assert _snapshot(registry_corpus).items() >= files.items()
    text = render_fetch_report(report)
    assert (
        "7 address(es) listed: 2 done before (skipped), 3 failed for good before (skipped), "
        "1 fetched, 1 failed" in text
    )
    assert "Failed for good before, not tried again: 3" in text

    site.requested.clear()
    report = fetch_articles(longer, registry_corpus, settings=_settings(site), retry_failed=True)
    assert report.failed_before == []
    assert report.done_before == 3
    assert {"/news/vanished.html", "/news/no-text.html", "/news/down.html"} <= set(site.requested)
    assert [f.where.rsplit(":", 1)[1] for f in report.failures] == ["4", "5", "7", "6"]


def test_a_dry_run_says_what_would_be_fetched_and_fetches_and_writes_nothing(
    site, registry_corpus, tmp_path
):
    first = _list(
        tmp_path / "first.csv",
        site,
        [
            ("/news/sochi.html", "Sochi Herald", "en", "2015-05-12", "2015-05-sochi"),
            ("/news/vanished.html", "Vanished", "en", "", ""),
        ],
    )
    fetch_articles(first, registry_corpus, settings=_settings(site))
    files = _snapshot(registry_corpus)
    state = (registry_corpus / STATE_FILE).read_bytes()
    site.requested.clear()
    listed = _list(
        tmp_path / "second.csv",
        site,
        [
            ("/news/sochi.html", "Sochi Herald", "en", "2015-05-12", "2015-05-sochi"),
            ("/news/vanished.html", "Vanished", "en", "", ""),
            ("/old/kremlin-talks", "Kremlin Watch", "en", "2013-05-08", "2013-05-moscow"),
            ("/old/kremlin-talks#top", "Kremlin Watch", "en", "2013-05-08", "2013-05-moscow"),
            ("/news/busy.html", "Busy Wire", "en", "", ""),
            ("ftp://example.org/a", "Broken", "en", "", ""),
        ],
    )

    report = fetch_articles(listed, registry_corpus, settings=_settings(site), dry_run=True)

    assert site.requested == []
    assert _snapshot(registry_corpus) == files
    assert (registry_corpus / STATE_FILE).read_bytes() == state
    assert report.would_fetch == [
        (f"{listed}:4", site.url("/old/kremlin-talks")),
        (f"{listed}:6", site.url("/news/busy.html")),
    ]
    assert (report.listed, report.done_before, report.duplicates_in_list) == (6, 1, 1)
    assert [f.where for f in report.failed_before] == [f"{listed}:3"]
    assert [f.where for f in report.failures] == [f"{listed}:5", f"{listed}:7"]
    assert render_fetch_report(report).splitlines()[:5] == [
        "Dry run: nothing was fetched or written.",
        "6 address(es) listed: 1 duplicate(s) in the list, 1 done before (skipped), "
        "1 failed for good before (skipped), 2 to fetch",
        "Would fetch: 2",
        f"  {listed}:4 {site.url('/old/kremlin-talks')}",
        f"  {listed}:6 {site.url('/news/busy.html')}",
    ]

    # A corpus folder that does not exist yet is not created by a dry run.
    new = tmp_path / "new-corpus"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["fetch", str(listed), "--corpus", str(new), "--dry-run", "--quiet"])
    assert not new.exists()
    assert site.requested == []
    assert status == 1, out.getvalue()
    assert "6 address(es) listed: 1 duplicate(s) in the list, 0 done before (skipped), " in (
        out.getvalue()
    )
    assert "Not fetched (problems in the list): 2" in out.getvalue()


def test_the_readme_command_fetches_a_list_shaped_like_the_kerry_putin_sources(
    site, tmp_path, monkeypatch
):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = next(
        line.split("#")[0]
        for line in readme.splitlines()
        if line.startswith("narratives fetch ") and "kerry-putin" in line
    )
    argv = shlex.split(command)[1:]
    assert argv == ["fetch", "corpus/sources/kerry-putin.csv", "--corpus", "my-corpus"]
    listed = _list(
        tmp_path / "kerry-putin.csv",
        site,
        [
            ("/news/sochi.html", "Sochi Herald", "en", "2015-05-12", "2015-05-sochi"),
            ("/news/cyrillic.html", "Новости", "ru", "2016-03-24", "2016-03-moscow"),
            ("/news/busy.html", "Busy Wire", "en", "2016-07", "none"),
        ],
    )
    corpus = tmp_path / "my-corpus"
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("NARRATIVES_CORPUS", raising=False)
    site.busy_answers = 0
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main([argv[0], str(listed), argv[2], str(corpus), "--quiet"])

    assert status == 0, out.getvalue()
    articles = load_corpus(corpus, use_cache=False).articles.sort_values("published")
    assert articles[["outlet", "language", "meetings"]].to_dict("records") == [
        {"outlet": "sochi-herald", "language": "en", "meetings": ("2015-05-sochi",)},
        # A name in Cyrillic gives no key, and the domain is Sochi Herald's already.
        {"outlet": "127-0-0-1", "language": "ru", "meetings": ("2016-03-moscow",)},
        {"outlet": "busy-wire", "language": "en", "meetings": ()},
    ]
    assert articles["date_precision"].tolist() == ["day", "day", "month"]
    assert "3 address(es) listed: 0 done before (skipped), 3 fetched, 0 failed" in out.getvalue()


def test_a_list_without_a_url_column_is_refused_naming_the_file(registry_corpus, tmp_path):
    listed = tmp_path / "export.csv"
    listed.write_text("title,link_text\nTalks,https://example.org/a\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"export\.csv:1: \(header\): no url column"):
        fetch_articles(listed, registry_corpus)
    assert not (registry_corpus / STATE_FILE).exists()
