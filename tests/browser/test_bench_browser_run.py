"""The browser benchmark's own run (no comparison) goes end to end in real Chromium."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO

BENCH = REPO / "tests" / "benchmarks" / "bench_browser.py"


def test_restarts_are_timed_for_a_returning_browser_and_a_new_visitor_in_turn(browser, tmp_path):
    # The dashboard alone, on a small corpus: the rows, not the seconds, are checked.
    done = subprocess.run(
        [sys.executable, str(BENCH), "--articles", "30", "--runs", "1", "--restarts", "2",
         "--tabs", "1", "--no-floors"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    # Which kind of restart goes first alternates; the analysis page follows the first.
    restarts = re.findall(r"^restart (\d), (returning|new visitor): [\d.]+ s$", done.stderr, re.M)
    assert restarts == [
        ("1", "returning"), ("1", "new visitor"), ("2", "new visitor"), ("2", "returning"),
    ]  # fmt: skip
    assert re.search(r"^restart, analysis page [\d.]+ s$", done.stderr, re.M)
    # No floor was timed, so each figure stands alone.
    assert "bare page\n" not in done.stderr
    assert "30 articles, browser wall-clock seconds (no floors timed):" in done.stdout
    for name in ("second_tab", "new_visitor", "filter_change_median", "restart_median",
                 "restart_new_visitor_median", "restart_analysis_page"):  # fmt: skip
        assert re.search(rf"^  {name} +\d+\.\d\d$", done.stdout, re.M), (name, done.stdout)
    assert re.search(r"^  restarts, returning: \[[\d., ]+\]$", done.stdout, re.M)
    assert re.search(r"^  restarts, new visitor: \[[\d., ]+\]$", done.stdout, re.M)
