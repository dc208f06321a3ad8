"""A short, wide file is read by splitting it whole (datatools/io/short_wide.py): the same
frame, names and notes as pyarrow's parser gives, which reads every other file."""

from __future__ import annotations

import pytest

from datatools.io import read_table
from datatools.io import short_wide
from datatools.tools.profile import profile_read, profile_table

WIDTH = 150


def survey(rows: list[list[str]], delimiter: str = ",") -> str:
    """A header q0..q149, then `rows` (each row's cells repeated to WIDTH)."""
    lines = [delimiter.join(f"q{i}" for i in range(WIDTH))]
    lines += [delimiter.join((row * WIDTH)[:WIDTH]) if row else "" for row in rows]
    return "\n".join(lines) + "\n"


CASES = {
    "answers": survey([["1", "yes", "", "3.5"], ["007", "no", "x"], ["2024-01-05", ""]]),
    "empty lines and a blank row": survey([["1", "2"], [], [""], ["3", "Zoë"], []]),
    "letters lost to ?": survey([["Pawe?", "?ukasz"], ["Y?lmaz", "ok"], ["why?", "a"]]),
    "tabs": survey([["a b", "c;d"], ["1", "2"]], "\t"),
    "a repeated header": survey([["1", "2"]]) + survey([["3", "4"]]),
    "a ragged row": survey([["1", "2"]]) + "only,three,cells\n",
    "no trailing line end": survey([["1", "2"], ["3", "4"]]).rstrip("\n"),
}


def read_both(path, monkeypatch, **options):
    """The table read as a user reads it, and read with the split turned off (pyarrow)."""
    split = read_table(path, **options)
    with monkeypatch.context() as patch:
        patch.setattr(short_wide, "MIN_COLUMNS", 10**9)
        arrow = read_table(path, **options)
    return split, arrow


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("header", [True, False])
def test_a_short_wide_file_reads_as_pyarrow_reads_it(tmp_path, monkeypatch, name, header):
    path = tmp_path / "survey.csv"
    path.write_text(CASES[name], encoding="utf-8")
    split, arrow = read_both(path, monkeypatch, header=header)
    # The profile reads the split's stacked cells as they are, before any frame is built.
    assert profile_read(split).to_dict() == profile_table(arrow.frame).to_dict()
    assert split.frame.columns.tolist() == arrow.frame.columns.tolist()
    assert split.frame.to_csv(index=False) == arrow.frame.to_csv(index=False)
    assert [str(w) for w in split.warnings] == [str(w) for w in arrow.warnings]
    assert profile_table(split.frame).to_dict() == profile_table(arrow.frame).to_dict()


def test_the_split_keeps_each_cell_in_its_column(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(survey([["1", "2", "3"], ["4", "5", "6"]]), encoding="utf-8")
    frame = read_table(path).frame
    assert frame.shape == (2, WIDTH)
    assert frame["q0"].tolist() == ["1", "4"]
    assert frame["q1"].tolist() == ["2", "5"]
    assert frame["q149"].tolist() == ["3", "6"]     # 149 = 3 × 49 + 2


def test_letters_lost_to_question_marks_are_named_in_a_short_wide_file(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(CASES["letters lost to ?"], encoding="utf-8")
    notes = [w for w in read_table(path).warnings if "replaced by ? on export" in str(w)]
    assert len(notes) == 1
    # 150 cells Pawe? or ?ukasz, 75 Y?lmaz, 75 why? in the columns that lost letters elsewhere.
    assert str(notes[0]).startswith("300 cell(s) in q0, q1, q2,")
    assert "(e.g. 'Pawe?', 'Y?lmaz', 'why?')" in str(notes[0])


def test_the_split_is_used_only_where_nothing_needs_a_csv_parser(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(CASES["answers"], encoding="utf-8")
    assert short_wide.split_cells(path, ",", WIDTH, True) is not None
    path.write_text(CASES["answers"].replace("yes", '"yes"'), encoding="utf-8")
    assert short_wide.split_cells(path, ",", WIDTH, True) is None
    path.write_text(CASES["answers"].replace("\n", "\r\n"), encoding="utf-8")
    assert short_wide.split_cells(path, ",", WIDTH, True) is None


def test_the_profile_of_a_short_wide_file_builds_no_frame(tmp_path, monkeypatch):
    from datatools.io import tables

    path = tmp_path / "survey.csv"
    path.write_text(CASES["empty lines and a blank row"], encoding="utf-8")
    built = []
    monkeypatch.setattr(tables, "text_frame", lambda *a: built.append(1) or pytest.fail("built"))
    table = read_table(path)
    profile = profile_read(table)
    assert not built and table.cells is not None
    assert (profile.rows, len(profile.columns)) == (2, WIDTH)
    assert profile.columns[1].top_values == [("2", 1), ("Zoë", 1)]


def test_the_profile_command_reads_a_short_wide_file_as_the_frame_profiles(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "survey.csv"
    path.write_text(CASES["answers"], encoding="utf-8")
    script = Path(sys.executable).with_name("datatools")
    done = subprocess.run([str(script), "profile", str(path), "--json"], capture_output=True,
                          text=True, check=True)
    data = json.loads(done.stdout)
    expected = json.loads(json.dumps(profile_table(read_table(path).frame).to_dict()))
    assert data["columns"] == expected["columns"] and data["rows"] == 3
