"""The schemas of the lexicons in analysis/data: a bad value names the file and the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from analysis import DATA_DIR
from analysis.labels.cues import load_cue_lexicon
from analysis.labels.outcome import load_outcome_cues
from analysis.labels.stance_lexicon import load_stance_lexicon
from analysis.labels.targets import load_targets
from analysis.review.evaluation import load_sentiment_words


def _edited(tmp_path: Path, name: str, edit) -> Path:
    data = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_stance_cue_with_a_negative_weight_is_named_by_its_place(tmp_path: Path) -> None:
    path = _edited(tmp_path, "stance_lexicon.yaml", lambda d: d["gains"][0].update(weight=-1))
    with pytest.raises(ValueError, match=re.escape(f"{path}: gains.0.weight: must be a positive")):
        load_stance_lexicon(path)


def test_a_stance_lexicon_with_an_unknown_section_is_refused(tmp_path: Path) -> None:
    path = _edited(tmp_path, "stance_lexicon.yaml", lambda d: d.update(gainz=[]))
    expected = f"{path}: gainz: is not a known field; check its spelling"
    with pytest.raises(ValueError, match=re.escape(expected)):
        load_stance_lexicon(path)


def test_an_outcome_cue_that_is_not_a_pattern_is_named(tmp_path: Path) -> None:
    path = _edited(
        tmp_path, "outcome_cues.yaml", lambda d: d["stalemate_or_failure"][0].update(cue="(")
    )
    expected = f"{path}: stalemate_or_failure.0.cue: '(' is not a valid pattern: missing ), "
    with pytest.raises(ValueError, match=re.escape(expected)):
        load_outcome_cues(path)


def test_outcome_min_weight_of_the_wrong_type_is_a_value_error(tmp_path: Path) -> None:
    path = _edited(tmp_path, "outcome_cues.yaml", lambda d: d.update(min_weight="high"))
    with pytest.raises(ValueError, match=re.escape(f"{path}: min_weight: Input should be")):
        load_outcome_cues(path)


def test_a_frame_without_cues_is_named(tmp_path: Path) -> None:
    path = _edited(tmp_path, "frames.yaml", lambda d: d["frames"]["economic"].update(cues=5))
    expected = f"{path}: label 'economic' needs 'cues', a non-empty list of texts"
    with pytest.raises(ValueError, match=re.escape(expected)):
        load_cue_lexicon(path, section="frames")


def test_a_target_with_people_who_are_not_aliases_is_named(tmp_path: Path) -> None:
    path = _edited(
        tmp_path, "targets.yaml", lambda d: d["targets"]["assad"].update(people=["Nobody"])
    )
    expected = f"{path}: target 'assad': people ['Nobody'] are not among its aliases"
    with pytest.raises(ValueError, match=re.escape(expected)):
        load_targets(path)


def test_target_aliases_of_the_wrong_type_are_named(tmp_path: Path) -> None:
    path = _edited(tmp_path, "targets.yaml", lambda d: d["targets"]["russia"].update(aliases=7))
    expected = f"{path}: target 'russia': aliases must be a list of non-empty strings"
    with pytest.raises(ValueError, match=re.escape(expected)):
        load_targets(path)


def test_a_sentiment_list_that_is_not_words_is_named(tmp_path: Path) -> None:
    path = _edited(tmp_path, "sentiment_baseline.yaml", lambda d: d.update(negative="bad"))
    with pytest.raises(ValueError, match=re.escape(f"{path}: negative: must be a non-empty list")):
        load_sentiment_words(path)


@pytest.mark.parametrize(
    ("name", "load"),
    [
        ("stance_lexicon.yaml", load_stance_lexicon),
        ("outcome_cues.yaml", load_outcome_cues),
        ("targets.yaml", load_targets),
        ("sentiment_baseline.yaml", load_sentiment_words),
        ("frames.yaml", lambda path: load_cue_lexicon(path, section="frames")),
    ],
)
def test_a_lexicon_that_is_not_yaml_is_named_not_raised_as_a_parser_error(
    tmp_path: Path, name, load
) -> None:
    path = tmp_path / name
    path.write_text("language: en\ncues: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"{path}: not valid YAML: ")):
        load(path)
