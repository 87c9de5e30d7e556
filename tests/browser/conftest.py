"""A running dashboard (``streamlit run`` on a free localhost port) and a headless Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from tests.conftest import REPO, SHIPPED_CORPUS

ARTIFACTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: Seconds between two asks whether a starting server answers. The benchmarks time a
#: restart from the server's start, so what they wait past its first answer is added to
#: it: at 0.3 s, restarts were up to 0.3 s late (0.15 s on average), and by steps.
_POLL_S = 0.02


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(_POLL_S)
    raise TimeoutError(f"the dashboard did not answer at {url} within {timeout} s")


@pytest.fixture(scope="session")
def browser_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped corpus the browser tests may write to."""
    root = tmp_path_factory.mktemp("browser") / "corpus"
    shutil.copytree(SHIPPED_CORPUS, root)
    return root


def start_server(
    corpus: Path,
    cache: Path,
    log: BinaryIO,
    *,
    app: Path | None = None,
    repo: Path = REPO,
    port: int | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``streamlit run`` of this checkout's dashboard on ``corpus``; returns it and its URL.

    ``cache`` is its ``NARRATIVES_CACHE_DIR``; its output goes to ``log``. ``app``
    is the script served (the benchmarks serve a bare page beside the dashboard),
    by default the dashboard of ``repo``: this checkout, or another one the
    browser benchmark compares it with. ``port`` is a free one unless given (a server
    restarted on the port of the one before is at the address a browser's tab has).
    """
    app = repo / "dashboard" / "app.py" if app is None else app
    port = _free_port() if port is None else port
    env = {
        **os.environ,
        # The dashboard of this checkout, not whichever one the environment has installed.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(repo), os.environ.get("PYTHONPATH")])),
        "NARRATIVES_CORPUS": str(corpus),
        "NARRATIVES_CACHE_DIR": str(cache),
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        # As ./dev dashboard serves it: no threads polling the source files for edits.
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    if app.parent != repo / "dashboard":
        # A page of the benchmarks', outside the dashboard's folder, does not read its
        # config (.streamlit/config.toml there); the dashboard is served by its own.
        command += ["--browser.gatherUsageStats", "false"]
    # Run from the checkout: `python -m` puts the working folder first on the path, so a
    # server started from another checkout would import that one's packages.
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=repo)
    return process, f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def serve(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run`` of this checkout's dashboard on ``corpus``; yields its URL."""
    log = (tmp_path_factory.mktemp("browser-log") / "streamlit.log").open("wb")
    process, url = start_server(corpus, tmp_path_factory.mktemp("browser-cache"), log)
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def dashboard_url(browser_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(browser_corpus, tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed; `./dev test` installs Debian's chromium package")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, dashboard_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # Streamlit scrolls inside its main container, not the page: grow the window to show it all.
    size = page.viewport_size
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer]')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size(
        {"width": size["width"], "height": min(max(height, size["height"]), 7000)}
    )
    page.wait_for_timeout(600)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
