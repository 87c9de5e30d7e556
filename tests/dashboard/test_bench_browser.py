"""The browser benchmark times the dashboard as an analyst runs it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import last_line_of_python


def test_benchmark_servers_skip_the_test_suites_figure_checks(tmp_path: Path) -> None:
    # The test suite checks every figure against its schema (tests/conftest.py sets
    # NARRATIVES_CHECK_FIGURES, and this process has it); a benchmark's server would
    # inherit that from the browser tests' helpers it imports, and time the checks too.
    code = (
        "import os; import tests.benchmarks.bench_browser; "
        "print(os.environ.get('NARRATIVES_CHECK_FIGURES', 'unset'))"
    )
    assert last_line_of_python(code, cache=tmp_path) == "unset"
