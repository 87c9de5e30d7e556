"""The schemas of the human-label files: a bad row is named by file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.review.hand_labels import LABEL_COLUMNS, load_labels
from analysis.review.overrides import load_overrides, save_override

ARTICLE = "---\nid: a1\n---\nText\n"


def _corpus(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a1.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "labels").mkdir()
    return tmp_path


def test_a_label_row_in_an_unknown_split_is_named_by_line_and_field(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    path = root / "labels" / "stance_labels.csv"
    path.write_text(
        ",".join(LABEL_COLUMNS) + "\n"
        "a1,,russia,neutral,tuning,Ann,2024-01-02,\n"
        "a1,,us_west,neutral,training,Ann,2024-01-02,\n",
        encoding="utf-8",
    )
    expected = f"{path}, line 3: split 'training' is not one of ('tuning', 'frozen')"
    with pytest.raises(ValueError, match=re.escape(expected)):
        load_labels(root)


def test_the_first_bad_field_of_a_label_row_is_the_one_reported(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    path = root / "labels" / "stance_labels.csv"
    path.write_text(
        ",".join(LABEL_COLUMNS) + "\na1,,china,positive,training,Ann,2024-01-02,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=re.escape(f"{path}, line 2: target 'china' is not")):
        load_labels(root)


def test_an_override_with_an_unknown_label_is_named_by_line_and_field(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    path = root / "overrides.csv"
    path.write_text(
        "article_id,target,label,note,who,when\na1,outcome,Russia won,,Ann,2024-01-02\n",
        encoding="utf-8",
    )
    expected = f"{path}, line 2: label 'Russia won' for target 'outcome' is not one of ("
    with pytest.raises(ValueError, match=re.escape(expected)):
        load_overrides(root)


def test_overrides_keep_their_columns_as_text(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    (root / "overrides.csv").write_text(
        "article_id,target,label,note,who,when,extra\na1,russia,neutral,,Ann,2024-01-02,x\n",
        encoding="utf-8",
    )
    assert load_overrides(root).to_dict("records") == [
        {
            "article_id": "a1",
            "target": "russia",
            "label": "neutral",
            "note": "",
            "who": "Ann",
            "when": "2024-01-02",
        }
    ]


def test_a_note_with_a_carriage_return_keeps_the_overrides_readable(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    save_override(root, article_id="a1", target="russia", label="neutral", who="Ann", note="a\rb")
    save_override(root, article_id="a1", target="outcome", label="neutral report", who="Bo")
    overrides = load_overrides(root)
    assert overrides[["target", "who", "note"]].values.tolist() == [
        ["outcome", "Bo", ""],
        ["russia", "Ann", "a\rb"],
    ]
