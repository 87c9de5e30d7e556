"""``narratives analyze`` on the seed corpus writes the very bytes recorded in outputs.json."""

from __future__ import annotations

import json
from pathlib import Path

from tests.benchmarks.check_outputs import ROOT, differing, seed_fingerprints

RECORDED = ROOT / "tests" / "benchmarks" / "outputs.json"


def test_seed_outputs_are_byte_identical_to_the_recorded_ones(tmp_path: Path):
    recorded = {
        run: files
        for run, files in json.loads(RECORDED.read_text(encoding="utf-8")).items()
        if run.startswith("seeds/")
    }
    assert sorted(recorded) == ["seeds/compare", "seeds/default", "seeds/filtered"]
    found = seed_fingerprints(tmp_path, in_process=True)
    assert differing(recorded, found) == []
