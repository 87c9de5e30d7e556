from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus.selection import Selection, filter_articles, per_meeting

ARTICLES = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d"],
        "outlet": ["osw", "euromaidan-press", "euromaidan-press", "mcu-times"],
        "outlet_group": ["think tank", "Ukrainian", "Ukrainian", "content farm"],
        "year": pd.array([2013, 2015, None, 2022], dtype="Int64"),
        "meetings": [
            ("2013-05-moscow",),
            ("2015-05-sochi",),
            ("2015-05-sochi", "2015-12-moscow"),
            (),
        ],
        "language": ["en", "en", "uk", "en"],
    }
)


def _ids(selection: Selection) -> list[str]:
    return filter_articles(ARTICLES, selection)["id"].tolist()


def test_empty_selection_keeps_everything():
    assert _ids(Selection()) == ["a", "b", "c", "d"]
    assert Selection().describe() == "all articles"


def test_each_filter():
    assert _ids(Selection(outlets=("euromaidan-press",))) == ["b", "c"]
    assert _ids(Selection(groups=("think tank", "content farm"))) == ["a", "d"]
    assert _ids(Selection(years=(2014, 2022))) == ["b", "d"]
    assert _ids(Selection(meetings=("2015-12-moscow",))) == ["c"]
    assert _ids(Selection(meetings=("none",))) == ["d"]
    assert _ids(Selection(languages=("uk",))) == ["c"]
    assert _ids(Selection(outlets=("osw",), meetings=("2015-05-sochi",))) == []


def test_filtering_does_not_touch_the_input():
    before = ARTICLES.copy()
    filter_articles(ARTICLES, Selection(outlets=("osw",)))
    pd.testing.assert_frame_equal(ARTICLES, before)


def test_an_inverted_year_range_is_a_clear_error():
    with pytest.raises(ValueError, match="year range 2016–2013 is empty"):
        filter_articles(ARTICLES, Selection(years=(2016, 2013)))


def test_describe_names_the_filters():
    selection = Selection(outlets=("osw",), years=(2013, 2015))
    assert selection.describe() == "outlets: osw; years: 2013–2015"


def test_describe_writes_names_and_a_single_year_as_one_year():
    selection = Selection(
        outlets=("osw", "unknown-key"), years=(2015, 2015), meetings=("2015-12-moscow",)
    )
    described = selection.describe(
        outlet_names={"osw": "Centre for Eastern Studies (OSW)"},
        meeting_names={"2015-12-moscow": "Moscow, Dec 2015"},
    )
    assert described == (
        "outlets: Centre for Eastern Studies (OSW), unknown-key; year: 2015; "
        "meetings: Moscow, Dec 2015"
    )


# Cells as the table holds them (tuples), as a hand-made frame may (a list, a string),
# and none.
_MEETINGS = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d", "e", "f"],
        "meetings": [("m1", "m2"), (), ["m2"], "m3", None, ("m1", "m2")],
    }
)


def test_per_meeting_gives_each_article_a_row_per_meeting_and_none_only_if_asked():
    kept = per_meeting(_MEETINGS, keep_none=True)
    assert kept[["id", "meeting"]].values.tolist() == [
        ["a", "m1"], ["a", "m2"], ["b", "none"], ["c", "m2"], ["d", "m3"], ["e", "none"],
        ["f", "m1"], ["f", "m2"],
    ]  # fmt: skip
    left_out = per_meeting(_MEETINGS)
    assert left_out[["id", "meeting"]].values.tolist() == [
        ["a", "m1"], ["a", "m2"], ["c", "m2"], ["d", "m3"], ["f", "m1"], ["f", "m2"],
    ]  # fmt: skip
    assert "meeting" not in _MEETINGS.columns


def test_a_meeting_filter_reads_every_shape_of_cell_and_none_for_no_meeting():
    # _MEETINGS has a list cell (no hashing: each cell read on its own); without it every
    # cell is a tuple, a string or missing (each distinct cell read once).
    for frame in (_MEETINGS, _MEETINGS[_MEETINGS["id"] != "c"]):
        kept = filter_articles(frame, Selection(meetings=("m2",)))
        assert kept["id"].tolist() == [i for i in ("a", "c", "f") if i in set(frame["id"])]
        none = filter_articles(frame, Selection(meetings=("none", "m3")))
        assert none["id"].tolist() == ["b", "d", "e"]
