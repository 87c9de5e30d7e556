"""Every kind of bad input in :mod:`tests.analysis.bad_inputs` gets a clear error, not a traceback.

And every odd but good input there gets in and reads back exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analysis.bad_inputs import CASES, GOOD_EDGES, run_case, run_good_edge


def test_at_least_a_hundred_and_twenty_kinds_are_tried() -> None:
    assert len({case.kind for case in CASES}) == len(CASES) >= 120


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.command}: {c.kind}") for c in CASES])
def test_bad_input_gets_a_clear_error_and_changes_nothing(case, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    assert outcome.failures == [], outcome.output


@pytest.mark.parametrize("edge", [pytest.param(e, id=e.kind) for e in GOOD_EDGES])
def test_odd_but_good_input_gets_in_and_reads_back_exactly(edge, tmp_path: Path) -> None:
    assert run_good_edge(edge, tmp_path) == []
