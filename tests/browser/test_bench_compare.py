"""The browser benchmark's comparison of two checkouts runs end to end in real Chromium."""

from __future__ import annotations

import re
import subprocess
import sys

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
