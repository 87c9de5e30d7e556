"""Applying the analyst's corrections to computed labels."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.review.overrides import OVERRIDE_COLUMNS, apply_overrides


def _computed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["a1", "a1", "a2"],
            "target": ["russia", "us_west", "russia"],
            "label": ["favorable", "neutral", "unfavorable"],
            "confidence": [0.61, 0.52, 0.74],
        }
    )


def test_a_correction_changes_only_its_row_and_leaves_the_computed_frame_as_it_was():
    computed = _computed()
    before = computed.copy(deep=True)
    overrides = pd.DataFrame(
        [["a2", "russia", "neutral", "quotes Moscow, does not side with it", "Ann", "2026-12-01"]],
        columns=OVERRIDE_COLUMNS,
    )
    result = apply_overrides(computed, overrides, task="stance")
    assert result["label"].tolist() == ["favorable", "neutral", "neutral"]
    assert result["computed_label"].tolist() == ["favorable", "neutral", "unfavorable"]
    assert result["source"].tolist() == ["rules", "rules", "override"]
    assert result["override_note"].tolist() == [
        "",
        "",
        "Ann, 2026-12-01: quotes Moscow, does not side with it",
    ]
    pd.testing.assert_frame_equal(computed, before)
    # Writing into the result does not reach the computed frame either.
    result.loc[0, "confidence"] = 0.0
    assert computed.loc[0, "confidence"] == pytest.approx(0.61)


def test_without_corrections_every_label_is_the_computed_one():
    computed = _computed()
    result = apply_overrides(computed, None, task="stance")
    assert result["label"].tolist() == computed["label"].tolist()
    assert set(result["source"]) == {"rules"}
    assert list(computed.columns) == ["article_id", "target", "label", "confidence"]
