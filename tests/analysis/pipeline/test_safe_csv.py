from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.pipeline import safe_csv
from analysis.pipeline.safe_csv import neutralize_formulas, to_csv_rows, to_csv_text, write_csv


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


def test_parts_of_a_categorical_column_are_neutralized_as_the_whole_is():
    danger = "=cmd|' /C calc'!A0"
    # A table written in parts: every part shares the column's categories.
    risky = pd.DataFrame({"voice": pd.Categorical(["Kerry", danger, "Lavrov", danger])})
    safe = pd.DataFrame({"voice": pd.Categorical(["Kerry", "Lavrov", "Kerry"])})
    for frame in (risky, safe):
        whole = to_csv_text(frame)
        parts = [to_csv_text(frame.iloc[lo : lo + 2], header=lo == 0) for lo in (0, 2)]
        assert "".join(parts) == whole
    assert to_csv_text(risky) == f"voice\nKerry\n'{danger}\nLavrov\n'{danger}\n"
    # Categories that need no change are left as they are, not renamed for each part.
    assert neutralize_formulas(safe.iloc[1:])["voice"].dtype is safe["voice"].dtype


def test_a_categorical_whose_safe_form_is_already_a_category_still_exports():
    frame = pd.DataFrame({"label": pd.Categorical(["=x", "'=x"])})
    assert to_csv_text(frame) == "label\n'=x\n'=x\n"


def _spreadsheet_rows(text: str) -> list[list[str]]:
    """Rows as a spreadsheet reads them: any of CR, LF or CRLF outside quotes ends a row."""
    rows: list[list[str]] = [[]]
    cell, quoted, k = "", False, 0
    while k < len(text):
        char = text[k]
        if quoted:
            if char == '"' and text[k + 1 : k + 2] == '"':
                cell += '"'
                k += 1
            elif char == '"':
                quoted = False
            else:
                cell += char
        elif char == '"':
            quoted = True
        elif char == ",":
            rows[-1].append(cell)
            cell = ""
        elif char in "\r\n":
            rows[-1].append(cell)
            cell = ""
            if char == "\r" and text[k + 1 : k + 2] == "\n":
                k += 1
            rows.append([])
        else:
            cell += char
        k += 1
    if cell or rows[-1]:
        rows[-1].append(cell)
    else:
        rows.pop()
    return rows


def test_a_lone_carriage_return_is_quoted_so_the_row_stays_whole():
    frame = pd.DataFrame({"author": ["Jane\r@SUM(1+1)", "Ann"], "n": [1, 2]})
    text = to_csv_text(frame)
    assert text == '"author","n"\n"Jane\r@SUM(1+1)",1\n"Ann",2\n'
    assert _spreadsheet_rows(text) == [["author", "n"], ["Jane\r@SUM(1+1)", "1"], ["Ann", "2"]]


def test_a_table_without_carriage_returns_is_written_as_before():
    frame = pd.DataFrame({"term": ["a,b", 'say "x"', "line\nbreak", "plain"], "z": [1.5] * 4})
    assert to_csv_text(frame) == (
        'term,z\n"a,b",1.5\n"say ""x""",1.5\n"line\nbreak",1.5\nplain,1.5\n'
    )


_HOSTILE = st.text(
    alphabet=st.sampled_from(list("=+-@\t\r\n\",;'\x85\u2028ab1 ")), min_size=0, max_size=12
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(_HOSTILE, _HOSTILE), min_size=1, max_size=6))
def test_every_written_cell_reads_back_whole_and_inert(cells):
    frame = pd.DataFrame(cells, columns=["first", "second"])
    text = to_csv_text(frame)
    expected = [["first", "second"]] + [
        [str(neutralize_formulas(frame)[c][k]) for c in ("first", "second")]
        for k in range(len(frame))
    ]
    assert list(csv.reader(io.StringIO(text, newline=""))) == expected
    rows = _spreadsheet_rows(text)
    assert rows == expected
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_list_cells_are_written_joined_and_guarded():
    frame = pd.DataFrame({"authors": [("Ann", "Bo"), (), ("=cmd",)], "n": [1, 2, 3]})
    assert to_csv_text(frame) == "authors,n\nAnn; Bo,1\n,2\n'=cmd,3\n"


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "string[python]", object])
def test_text_columns_of_every_kind_are_neutralized_alike(dtype):
    frame = pd.DataFrame(
        {"cell": pd.Series(["=SUM(A1)", "plain", None, "-2", "@x", "a=b"], dtype=dtype)}
    )
    assert to_csv_text(frame).splitlines() == [
        "cell",
        "'=SUM(A1)",
        "plain",
        '""',  # a missing cell, quoted so a one-column row is not a blank line
        "'-2",
        "'@x",
        "a=b",
    ]


def test_rows_cut_from_the_csv_bytes_are_each_rows_own_csv():
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "sentence": ["one line", "two\nlines", "=1+1", None],
            "cue": pd.Categorical(["x", "y\nz", "x", "x"]),
            "names": [("Kerry", "Lavrov"), (), ("a\nb",), ("Putin",)],
            "share": [0.5, 1.0, 2.0, float("nan")],
        }
    )
    data, ends = to_csv_rows(frame, quote_all=False)
    assert data.decode() == to_csv_text(frame, header=False)
    starts = [0, *ends[:-1]]
    assert [data[lo:hi].decode() for lo, hi in zip(starts, ends, strict=True)] == [
        to_csv_text(frame.iloc[i : i + 1], header=False) for i in range(4)
    ]
    assert data[starts[1] : ends[1]] == b'b,"two\nlines","y\nz",,1\n'
    quoted, _ = to_csv_rows(frame.iloc[:1], quote_all=True)
    assert quoted == b'"a","one line","x","Kerry; Lavrov","0.5"\n'


def _pandas_text(frame: pd.DataFrame, *, quote_all: bool = False) -> str:
    """What pandas writes for ``frame`` made formula-safe, every cell through the csv module."""
    buffer = io.StringIO()
    neutralize_formulas(frame).to_csv(
        buffer,
        index=False,
        quoting=csv.QUOTE_NONNUMERIC if quote_all else csv.QUOTE_MINIMAL,
        lineterminator="\n",
        float_format="%.10g",
        date_format="%Y-%m-%d",
    )
    return buffer.getvalue()


#: A column of each kind the column-by-column writer takes, with the cells that are easy
#: to get wrong: signed zero, infinities, floats past 10 digits, missing cells, quotes.
_EVERY_KIND = pd.DataFrame(
    {
        "term": ["a,b", 'say "x"', "two\nlines", None, "-1", "plain"],
        "group": pd.Series(["x", None, "y", "x", "=1", "ü"], dtype="str"),
        "cue": pd.Categorical(["k", "k,l", None, "m", "k", "m"]),
        "count": [0, -3, 12, 2**40, 7, 1],
        "big": pd.Series([0, 1, 2, 3, 4, 2**63], dtype="uint64"),
        "small": [True, False, True, True, False, False],
        "z": [-0.0, float("nan"), float("inf"), -float("inf"), 1e-7, 0.1 + 0.2],
        "share": pd.Series([1.5, 3.0, 123456789012.5, 2 / 3, float("nan"), 0.0], dtype="float32"),
        "half": pd.Series([0.5, -0.0, 1 / 3, 65504.0, float("nan"), 2.0], dtype="float16"),
        "none": [None] * 6,
        "day": pd.Series(
            ["2015-05-12 09:30", None, "1999-12-31", "2016-02-29", "1000-01-01", "9999-12-31"],
            dtype="datetime64[s]",
        ),
        "start": pd.array([0, None, 279, -1, 2**62, 5], dtype="Int64"),
        "flagged": pd.array([True, None, False, True, None, False], dtype="boolean"),
    }
)


def test_the_column_by_column_writer_writes_what_pandas_writes():
    assert safe_csv._fast_rows(neutralize_formulas(_EVERY_KIND)) is not None
    text = to_csv_text(_EVERY_KIND)
    assert text == _pandas_text(_EVERY_KIND)
    assert text.splitlines()[1:3] == [
        '"a,b",x,k,0,0,True,-0,1.5,0.5,,2015-05-12,0,True',
        '"say ""x""",,"k,l",-3,1,False,,3,-0,,,,',
    ]
    data, ends = to_csv_rows(_EVERY_KIND, quote_all=False)
    assert data.decode() == to_csv_text(_EVERY_KIND, header=False)
    assert len(ends) == len(_EVERY_KIND)


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"only": ["a", "", None]}),  # an empty one-cell row is written ""
        # Years before 1000 and times with a zone: pandas and Arrow may write them apart.
        pd.DataFrame({"day": pd.Series(["0999-12-31", None], dtype="datetime64[s]"), "n": [1, 2]}),
        pd.DataFrame({"day": pd.to_datetime(["2015-05-12", None], utc=True), "n": [1, 2]}),
        pd.DataFrame({"mixed": ["a", 1], "n": [1, 2]}),
        pd.DataFrame({"text": ["a\rb", "c"], "n": [1, 2]}),
    ],
)
def test_tables_the_column_writer_does_not_take_are_written_by_pandas(frame):
    assert safe_csv._fast_rows(neutralize_formulas(frame)) is None
    assert to_csv_text(frame, quote_all=False) == _pandas_text(frame)


def test_a_table_quoted_whole_is_written_by_pandas_with_its_floats_formatted_once():
    assert to_csv_text(_EVERY_KIND, quote_all=True) == _pandas_text(_EVERY_KIND, quote_all=True)


_CELL = st.text(alphabet=st.sampled_from(list("=+-@\n\",;'ab1 é")), max_size=6)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), _CELL),
            st.integers(min_value=-(2**62), max_value=2**62),
            st.floats(allow_nan=True, allow_infinity=True),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_table_of_text_numbers_and_flags_is_written_as_pandas_writes_it(rows):
    frame = pd.DataFrame(rows, columns=["text", "count", "value", "flag"])
    assert to_csv_text(frame) == _pandas_text(frame)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.datetimes(dt.datetime(1000, 1, 1), dt.datetime(9999, 12, 31))),
            st.one_of(st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1)),
            st.one_of(st.none(), st.booleans()),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_table_of_dates_and_numbers_or_flags_with_gaps_is_written_as_pandas_writes_it(rows):
    days, starts, flags = zip(*rows, strict=True)
    frame = pd.DataFrame(
        {
            "day": pd.Series(days, dtype="datetime64[s]"),
            "start": pd.array(starts, dtype="Int64"),
            "flag": pd.array(flags, dtype="boolean"),
        }
    )
    assert safe_csv._fast_rows(neutralize_formulas(frame)) is not None
    assert to_csv_text(frame) == _pandas_text(frame)


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "string[python]", object, "category"])
def test_text_columns_of_every_kind_are_written_alike_beside_numbers(dtype):
    frame = pd.DataFrame(
        {
            "cell": pd.Series(["=SUM(A1)", "a,b", None, 'q"', "two\nlines", ""], dtype=dtype),
            "n": range(6),
        }
    )
    assert safe_csv._fast_rows(neutralize_formulas(frame)) is not None
    assert to_csv_text(frame) == _pandas_text(frame)
    assert to_csv_text(frame).splitlines()[1:4] == ["'=SUM(A1),0", '"a,b",1', ",2"]
