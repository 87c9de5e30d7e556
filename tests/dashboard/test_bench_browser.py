"""The browser benchmark times the dashboard as an analyst runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, last_line_of_python


def test_benchmark_servers_skip_the_test_suites_figure_checks(tmp_path: Path) -> None:
    # The test suite checks every figure against its schema (tests/conftest.py sets
    # NARRATIVES_CHECK_FIGURES, and this process has it); a benchmark's server would
    # inherit that from the browser tests' helpers it imports, and time the checks too.
    code = (
        "import os; import tests.benchmarks.bench_browser; "
        "print(os.environ.get('NARRATIVES_CHECK_FIGURES', 'unset'))"
    )
    assert last_line_of_python(code, cache=tmp_path) == "unset"


def test_a_comparison_with_a_folder_that_is_not_a_checkout_says_so(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "tests" / "benchmarks" / "bench_browser.py"),
         "--against", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert f"--against {tmp_path}: no dashboard/app.py there; give a checkout" in done.stderr
