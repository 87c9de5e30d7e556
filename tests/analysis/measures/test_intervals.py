"""The Wilson score interval: the formula, and exact bounds at none and all."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.measures.intervals import wilson_interval


def test_wilson_interval_matches_the_formula():
    low, high = wilson_interval([5, 0], [10, 0])
    assert low[0] == pytest.approx(0.236593, abs=1e-6)
    assert high[0] == pytest.approx(0.763407, abs=1e-6)
    assert np.isnan(low[1])
    with pytest.raises(ValueError, match="confidence_level must be in"):
        wilson_interval([1], [2], confidence_level=1.0)


def test_wilson_bounds_at_none_and_all_are_exact():
    for n in range(1, 60):
        low, high = wilson_interval([0, n], [n, n])
        assert low[0] == 0.0
        assert high[1] == 1.0
        assert 0 < high[0] < 1
        assert 0 < low[1] < 1
    with pytest.raises(ValueError, match="confidence_level must be in"):
        wilson_interval([1], [2], confidence_level=1.0)
