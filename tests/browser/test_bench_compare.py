"""The browser benchmark's comparison of two checkouts runs end to end in real Chromium."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.browser.conftest import _wait_until_up, start_server
from tests.conftest import REPO

BENCH = REPO / "tests" / "benchmarks" / "bench_browser.py"


def test_two_dashboards_are_timed_in_turn_and_their_ratio_printed(browser, tmp_path):
    # This checkout against itself, on a small corpus: the rows, not the seconds, are checked.
    done = subprocess.run(
        [sys.executable, str(BENCH), "--articles", "30", "--against", str(REPO),
         "--rounds", "2", "--tabs", "2"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    rounds = re.findall(
        r"round (\d), (this|against): restart [\d.]+ s, new tabs ([\d., ]+) s", done.stderr
    )
    # Which one goes first alternates from round to round.
    assert [(turn, name) for turn, name, _ in rounds] == [
        ("1", "this"), ("1", "against"), ("2", "against"), ("2", "this"),
    ]  # fmt: skip
    assert all(len(tabs.split(", ")) == 2 for _, _, tabs in rounds)
    cell = r"\d+\.\d\d \(\d+\.\d\d-\d+\.\d\d\)"
    for label in ("restart to the Overview", "a server's first new tab", "every new tab"):
        assert re.search(rf"{re.escape(label)} +{cell} +{cell} +\d+\.\d\d$", done.stdout, re.M), (
            label,
            done.stdout,
        )
    assert "over 2 servers of each dashboard, alternating" in done.stdout


def test_a_server_of_another_checkout_runs_that_checkouts_code(browser, tmp_path):
    """The comparison serves each checkout's own packages, whatever folder it is run from
    (`python -m streamlit` puts the working folder first on the path)."""
    other = tmp_path / "checkout"
    (other / "dashboard").mkdir(parents=True)
    (other / "analysis").mkdir()
    (other / "analysis" / "__init__.py").write_text("", encoding="utf-8")
    (other / "dashboard" / "app.py").write_text(
        "import analysis\nimport streamlit as st\n\n"
        "st.text('analysis from ' + analysis.__file__)\n",
        encoding="utf-8",
    )
    with (tmp_path / "log").open("wb") as log:
        process, url = start_server(REPO / "corpus", tmp_path / "cache", log, repo=other)
        try:
            _wait_until_up(url, process)
            page = browser.new_page()
            page.goto(url)
            shown = page.get_by_text("analysis from").first
            shown.wait_for(timeout=60_000)
            assert str(other / "analysis" / "__init__.py") in shown.inner_text()
            page.close()
        finally:
            process.terminate()
            process.wait(timeout=20)
