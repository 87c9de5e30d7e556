from __future__ import annotations

import pandas as pd

from analysis.pipeline.safe_csv import neutralize_formulas, to_csv_text, write_csv


def test_cells_a_spreadsheet_would_run_are_neutralized():
    frame = pd.DataFrame(
        {
            "term": ['=HYPERLINK("x")', "+1", "-cmd", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"],
            "z": [1.5, -2.0, 0.0, 3.25, 1.0, 1.0, 1.0, 1.0],
        }
    )
    safe = neutralize_formulas(frame)
    assert safe["term"].tolist() == [
        '\'=HYPERLINK("x")',
        "'+1",
        "'-cmd",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "plain",
        "a=b",
    ]
    assert safe["z"].tolist() == [1.5, -2.0, 0.0, 3.25, 1.0, 1.0, 1.0, 1.0]
    assert frame["term"][0] == '=HYPERLINK("x")'


def test_csv_is_byte_identical_across_runs(tmp_path):
    frame = pd.DataFrame({"a": ["x", "=y"], "b": [0.1 + 0.2, 1 / 3]})
    first = write_csv(frame, tmp_path / "a.csv").read_bytes()
    second = write_csv(frame, tmp_path / "b.csv").read_bytes()
    assert first == second
    assert to_csv_text(frame) == "a,b\nx,0.3\n'=y,0.3333333333\n"


def test_categorical_cells_are_neutralized_too():
    danger = "=cmd|' /C calc'!A0"
    frame = pd.DataFrame({"voice": pd.Categorical([danger, "Kerry", danger])})
    assert to_csv_text(frame) == f"voice\n'{danger}\nKerry\n'{danger}\n"


def test_a_categorical_whose_safe_form_is_already_a_category_still_exports():
    frame = pd.DataFrame({"label": pd.Categorical(["=x", "'=x"])})
    assert to_csv_text(frame) == "label\n'=x\n'=x\n"
