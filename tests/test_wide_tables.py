"""A short, wide table is cleaned and written cell for cell as its columns would be alone.

Short tables run their per-cell steps once over all cells stacked (datatools/tools/stacked.py)
and the per-column work only where a step changed something; these tests hold that shortcut to
the column-by-column answer: the same cells, counts, samples and notes.
"""

from __future__ import annotations

import pandas as pd

from datatools.io.formula_cells import escape_formulas
from datatools.io.writing import _has_bare_cr
from datatools.tools.clean import CleanOptions, clean_table

# Cells as they come from real exports: NBSP and zero-width spaces, full-width forms, padded and
# doubled spaces, empty markers, protected and live formula cells, numbers, phones, e-mails, dates.
CELLS = [
    ["Müller\u00a0GmbH", "  anna  schmidt ", "N/A", "Łukasz\u200bNowak", "JOHN SMITH", "--"],
    ["'=SUM(A1)", " '=1+2", "=HYPERLINK(\"x\")", "-12.5", "@home", "Plain"],
    ["１２３", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "0301234567", "n/a", "", "4"],
    ["anna@example.org", "BEN@EXAMPLE.COM ", "c@d.de", "e@f.fr", "", "g@h.it"],
    ["1.234,5", "2.000,75", "17,25", "3,5", "", "12"],
    ["03/04/2021", "2021-04-05", "13.04.2021", "", "2021-06-07", "07/08/2021"],
    ["C-00123", "C-00124", "LS2 9HQ", "C-00125", "", "C-00126"],
    ["line one\r\nline two", "a\nb", "x", "y", "z", "w"],
    ["", "", "", "", "", ""],
    ["Cafe\u0301", "caf\u00e9", "e\u0301t\u00e9", "été", "", "Noël"],
    ["A1\u2060", "B2\ufeff", "C3", "D4", "", "E5"],
]


def wide_frame(copies: int = 8) -> pd.DataFrame:
    """CELLS' columns repeated `copies` times side by side, each copy under its own name."""
    return pd.DataFrame({f"c{copy}_{n}": cells for copy in range(copies) for n, cells in enumerate(CELLS)})


def test_each_column_of_a_wide_table_is_cleaned_as_it_would_be_alone():
    wide = wide_frame()
    options = CleanOptions(case="title", half_width=True)
    cleaned, report = clean_table(wide, options)
    changed_columns = 0
    for column in wide.columns:
        alone, alone_report = clean_table(wide[[column]], options)
        assert cleaned[column].tolist() == alone[column].tolist(), column
        assert report.columns[column] == alone_report.columns[column], column
        assert report.changes.get(column) == alone_report.changes.get(column), column
        changed_columns += bool(report.changes.get(column))
    assert 0 < changed_columns < len(wide.columns)     # some columns change, some do not
    assert cleaned["c3_0"].tolist() == ["Müller GmbH", "Anna Schmidt", "", "ŁukaszNowak", "John Smith", ""]
    assert cleaned["c5_1"].tolist() == ["'=SUM(A1)", "'=1+2", '=HYPERLINK("x")', "-12.5", "@home", "Plain"]


def test_a_wide_table_finds_and_escapes_the_same_formula_cells_as_column_by_column():
    wide = wide_frame()
    escaped, found = escape_formulas(wide, escape=True)
    assert found.count == 8 * 2                           # =HYPERLINK and @home in each copy
    assert found.examples == ('=HYPERLINK("x")', "@home", '=HYPERLINK("x")')
    for column in wide.columns:
        alone, alone_found = escape_formulas(wide[[column]], escape=True)
        assert escaped[column].tolist() == alone[column].tolist(), column
    assert escaped["c7_1"].tolist()[2:5] == ["'=HYPERLINK(\"x\")", "-12.5", "'@home"]


def test_a_carriage_return_in_any_column_of_a_wide_table_is_found():
    wide = wide_frame()
    assert _has_bare_cr(wide)
    assert not _has_bare_cr(wide.drop(columns=[c for c in wide.columns if c.endswith("_7")]))


def test_each_column_of_a_wide_table_profiles_as_it_would_alone():
    from datatools.tools.profile import _profile_column, profile_table

    wide = wide_frame(4)
    profiled = profile_table(wide).columns
    for column, found in zip(wide.columns, profiled):
        # The stacked pass (profile_stacked.py) against the column-by-column path.
        assert found == _profile_column(column, wide[column]), column
    by_name = {c.name: c for c in profiled}
    assert by_name["c2_0"].suspicious == {"invisible_characters": 2, "edge_spaces": 1}
    assert by_name["c1_10"].suspicious == {"invisible_characters": 2}
    assert by_name["c2_4"].suspicious == {"unlike_the_column": 1}     # 12 among 1.234,5


def test_letters_lost_to_question_marks_are_found_in_any_column_of_a_wide_table():
    from datatools.io.lossy import find_losses

    wide = wide_frame(6)
    wide["c3_2"] = ["Pawe?", "?ukasz", "Y?lmaz", "ok", "", "Nowak"]
    losses = find_losses(wide)
    assert (losses.cells, losses.columns) == (3, ["c3_2"])
    assert losses.examples == ["Pawe?", "?ukasz", "Y?lmaz"]


def test_a_short_table_profiles_each_kind_of_column_as_the_column_by_column_path():
    """Signed and padded integers, numbers past 64 bits, decimals and dates in either order,
    empty columns and empty tables: the stacked pass gives what each column gives alone."""
    from datatools.tools.profile import _profile_column, profile_table

    columns = {"signed": ["+4", "5", "-3"], "padded": [" 7", "12", "-1"], "huge": ["1", "99999999999999999999", "2"],
               "ids": ["3", "-0", "11"], "comma": ["10,5", "9,25", "1.234,5"], "dmy": ["01/03/2024", "28/02/2024", ""],
               "empty": ["", "", ""], "flags": ["yes", "no", "yes"], "odd": [" a", "b\u00a0", "Ã©"],
               "points": ["3.5", "-1.25", "10"], "ties": ["2.50", "+2.5", "1.5"],
               "thousands?": ["1.234", "5", "12"], "long": ["0.1234567890123456789", "3.5", "1"],
               "iso": ["2024-03-01", "2023-12-31", "2024-01-05"],
               "iso times": ["2024-03-01 10:00", "2024-03-01T09:30:00Z", "2023-12-31"]}
    frame = pd.DataFrame(columns, dtype="str")
    profiled = {c.name: c for c in profile_table(frame).columns}
    for column in frame.columns:
        assert profiled[column] == _profile_column(column, frame[column]), column
    assert (profiled["signed"].type, profiled["signed"].minimum, profiled["signed"].maximum) == ("integer", "+4", "5")
    assert (profiled["ids"].minimum, profiled["ids"].maximum) == ("0", "11")
    assert (profiled["comma"].minimum, profiled["comma"].maximum) == ("9,25", "1.234,5")
    assert (profiled["dmy"].minimum, profiled["dmy"].maximum) == ("28/02/2024", "01/03/2024")
    assert (profiled["points"].minimum, profiled["points"].maximum) == ("-1.25", "10")
    assert (profiled["iso"].minimum, profiled["iso"].maximum) == ("2023-12-31", "2024-03-01")
    assert (profiled["ties"].minimum, profiled["ties"].maximum) == ("1.5", "2.50")
    assert (profiled["thousands?"].minimum, profiled["thousands?"].maximum) == ("1.234", "5")
    assert profiled["odd"].suspicious == {"edge_spaces": 1, "encoding_debris": 1, "invisible_characters": 1}
    assert profile_table(frame.iloc[:0]).columns[0].type == "empty"


def test_signed_integers_profile_in_a_long_column_too():
    """A `+` sign pyarrow does not read as a number: the column still profiles (it stopped
    the profile with ArrowInvalid), its extremes in text order."""
    from datatools.tools.profile import profile_table

    (column,) = profile_table(pd.DataFrame({"n": ["+4", "5", "-3"] * 1000}, dtype="str")).columns
    assert (column.type, column.minimum, column.maximum) == ("integer", "+4", "5")


def test_a_wide_table_is_written_byte_for_byte_as_pandas_writes_it(tmp_path):
    """The writer's own pass for text tables (quotes, delimiters, line breaks in cells, an empty
    single cell, missing values) gives the bytes `to_csv` gives."""
    from datatools.io.writing import write_table

    wide = wide_frame(2).drop(columns=["c0_7", "c1_7"])       # bare CRs take the quoting writer
    wide["c0_0"] = ['a "quoted" word', "semi;colon", "com,ma", None, "", "line\nbreak"]
    for delimiter in (",", ";"):
        out = tmp_path / f"out{delimiter == ';'}.csv"
        write_table(wide, out, delimiter=delimiter)
        assert out.read_bytes() == wide.to_csv(index=False, sep=delimiter, lineterminator="\n").encode()
    single = pd.DataFrame({"only": ["", "x", None]}, dtype="str")
    write_table(single, tmp_path / "single.csv")
    assert (tmp_path / "single.csv").read_bytes() == b'only\n""\nx\n""\n'


def test_cleaning_a_wide_table_keeps_its_row_labels_and_leaves_the_input_alone():
    wide = wide_frame(2)
    wide.index = range(100, 100 + len(wide))
    before = wide.copy()
    cleaned, _ = clean_table(wide, CleanOptions())
    assert list(cleaned.index) == list(wide.index) and list(cleaned.columns) == list(wide.columns)
    assert cleaned["c0_0"].tolist()[:3] == ["Müller GmbH", "anna schmidt", ""]
    pd.testing.assert_frame_equal(wide, before)


def test_a_text_table_written_in_parts_finds_quotes_carriage_returns_and_formulas_column_by_column(tmp_path):
    # The writer stacks a text part once and searches each column's bytes at once
    # (stacked.columns_holding, columns_starting); only columns holding such a byte are read
    # cell by cell. The file is still pandas' to_csv, the formula cells still counted alike.
    from datatools.io.writing import write_csv_parts
    from datatools.tools.stacked import text_stacked

    wide = wide_frame(3).astype(pd.StringDtype("pyarrow"))
    wide.iloc[2, 4] = None
    plain = wide.drop(columns=[c for c in wide.columns if c.endswith("_7")])
    assert text_stacked(wide).holding("\r") == [c.endswith("_7") for c in wide.columns]
    assert text_stacked(wide).starting("=@") == [c.endswith("_1") for c in wide.columns]
    assert _has_bare_cr(wide, text_stacked(wide))
    assert not _has_bare_cr(plain, text_stacked(plain))
    for delimiter in (",", ";", "\t"):
        target = tmp_path / f"out{ord(delimiter)}.csv"
        parts = [(plain.iloc[start:start + 4], 1.0) for start in range(0, len(plain), 4)]
        written = write_csv_parts(parts, target, delimiter=delimiter)
        assert target.read_bytes() == plain.to_csv(index=False, sep=delimiter,
                                                   lineterminator="\n").encode("utf-8")
        assert written.formulas.count == escape_formulas(plain, escape=False)[1].count == 3 * 2
        assert written.formulas.examples[0] == '=HYPERLINK("x")'
    escaped, found = escape_formulas(plain, escape=True, cells=text_stacked(plain))
    assert (escaped.equals(escape_formulas(plain, escape=True)[0])
            and found == escape_formulas(plain, escape=True)[1])
