"""`clean_table` and `profile_table` on small frames with known answers; cancelling long work."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from datatools.errors import BadInput, Cancelled
from datatools.progress import Progress
from datatools.tools.clean import CleanOptions, clean_table
from datatools.tools.encoding import fix_encoding
from datatools.tools.profile import profile_table


def frame(**columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(v, dtype="str") for k, v in columns.items()})


def test_default_clean_fixes_spaces_invisibles_unicode_and_placeholders():
    before = frame(name=["  Ann\u00a0 Lee ", "Bo\u200bb", "Cafe\u0301", "null", "ok"])
    after, report = clean_table(before, CleanOptions())
    assert after["name"].tolist() == ["Ann Lee", "Bob", "Café", "", "ok"]
    assert report.changes == {"name": {"invisible": 2, "unicode": 1, "whitespace": 1, "empty": 1}}
    assert before["name"].tolist()[0] == "  Ann\u00a0 Lee "    # the input frame is untouched


def test_case_emails_and_phones_on_request():
    after, report = clean_table(
        frame(who=["ann SMITH"], mail=[" Ann@Example.COM"], tel=["0049 (30) 123-4567"]),
        CleanOptions(case="title", emails=True, phones=True, columns=None))
    assert after.iloc[0].tolist() == ["Ann Smith", "ann@example.com", "+49301234567"]
    assert report.cells_changed == 3      # "mail" changed by three steps is one cell


@pytest.mark.parametrize("values, decided, cleaned", [
    (["13/02/2024", "01/03/2024"], "day-first", ["2024-02-13", "2024-03-01"]),
    (["02/13/2024", "03/01/2024"], "month-first", ["2024-02-13", "2024-03-01"]),
    (["01/02/2024", "03/04/2024"], "ambiguous", ["01/02/2024", "03/04/2024"]),
    (["13/02/2024", "02/13/2024"], "conflict", ["13/02/2024", "02/13/2024"]),
    (["5.6.24", "31.12.99"], "day-first", ["2024-06-05", "1999-12-31"]),
])
def test_date_order_is_decided_per_column_and_reported(values, decided, cleaned):
    after, report = clean_table(frame(d=values), CleanOptions(date_format="iso", dates="auto"))
    assert report.date_orders == {"d": decided}
    assert after["d"].tolist() == cleaned


def test_impossible_dates_stay_and_are_noted():
    after, report = clean_table(frame(d=["31/02/2024", "13/01/2024"]), CleanOptions(date_format="iso", dates="auto"))
    assert after["d"].tolist() == ["31/02/2024", "2024-01-13"]
    assert "1 value(s) are not real dates (e.g. '31/02/2024')" in report.notes[0]


@pytest.mark.parametrize("values, style, decided, cleaned", [
    (["1.234,50", "12,5"], "auto", "decimal comma", ["1234.50", "12.5"]),
    (["1,234.50", "12.5"], "auto", "decimal point", ["1234.50", "12.5"]),
    (["1,234", "5,678"], "auto", "ambiguous", ["1,234", "5,678"]),
    (["1,234", "5,678"], "comma", "decimal comma", ["1.234", "5.678"]),
    (["1 234,5", "7"], "auto", "decimal comma", ["1234.5", "7"]),
])
def test_numbers_follow_the_column_decimal_mark(values, style, decided, cleaned):
    after, report = clean_table(frame(n=values), CleanOptions(number_format="point", numbers=style))
    assert report.number_styles == {"n": decided}
    assert after["n"].tolist() == cleaned


def test_clean_rejects_unknown_columns_and_options():
    with pytest.raises(BadInput, match="No column 'x'"):
        clean_table(frame(a=["1"]), CleanOptions(columns=["x"]))
    with pytest.raises(BadInput, match="case must be one of"):
        clean_table(frame(a=["1"]), CleanOptions(case="shouty"))


def test_profile_reports_types_fill_distinct_shapes_and_suspicions():
    profile = profile_table(frame(
        zip=["01234", "00501", "", "99999"],
        name=["Ann", " Bob", "CafÃ©", "Ann"],
        amount=["1.5", "2", "3,25", "4"],
        when=["2024-01-02", "2024-02-03", "03/04/2024", ""],
        empty=["", "", "", ""],
        mixed=["1", "two", "3", "four"],
    ))
    by_name = {c.name: c for c in profile.columns}
    assert profile.rows == 4
    assert (by_name["zip"].type, by_name["zip"].fill_rate, by_name["zip"].distinct) == ("code", 0.75, 3)
    assert by_name["zip"].patterns == [("99999", 3)]
    assert (by_name["zip"].minimum, by_name["zip"].maximum) == ("00501", "99999")
    assert by_name["name"].top_values[0] == ("Ann", 2)
    assert by_name["name"].suspicious == {"edge_spaces": 1, "encoding_debris": 1}
    assert by_name["name"].examples["encoding_debris"] == "CafÃ©"
    assert by_name["amount"].type == "decimal"
    assert by_name["when"].type == "date"
    assert (by_name["empty"].type, by_name["empty"].filled) == ("empty", 0)
    assert by_name["mixed"].type == "mixed"
    assert "Suspicious values:" in profile.to_text()


@pytest.mark.parametrize("values, smallest, largest", [
    (["28/02/2024", "01/03/2024", "15/01/2023"], "15/01/2023", "01/03/2024"),
    (["13/02/2024 10:30", "02/03/2024 08:00", "28/02/2024 17:05"], "13/02/2024 10:30", "02/03/2024 08:00"),
    (["02/28/2024 5:00 PM", "03/01/2024 9:00 AM", "12/13/2023 1:00 PM"], "12/13/2023 1:00 PM", "03/01/2024 9:00 AM"),
    (["10,5", "9,25", "1.234,5"], "9,25", "1.234,5"),
    (["10.5", "9.25", "-3.75"], "-3.75", "10.5"),
    (["2024-03-01", "2023-12-31"], "2023-12-31", "2024-03-01"),
], ids=["day-first dates", "day-first date-times", "month-first AM/PM", "decimal comma",
        "decimal point", "ISO dates"])
def test_profile_smallest_and_largest_follow_the_calendar_and_the_numbers(values, smallest, largest):
    (column,) = profile_table(frame(v=values)).columns
    assert (column.minimum, column.maximum) == (smallest, largest)


def test_profile_text_keeps_its_columns_aligned_under_japanese_column_names():
    text = profile_table(frame(**{"顧客番号": ["1001"], "氏名": ["山田"], "顧客番号顧客番号顧客番号": ["x"]})).to_text()
    lines = text.splitlines()[4:7]
    assert [line[:line.index("integer" if i == 0 else "text")] for i, line in enumerate(lines)] == [
        "顧客番号" + " " * 13, "氏名" + " " * 17, "顧客番号顧客番号顧客 "]


def test_profile_lists_control_and_replacement_characters_as_suspicious():
    profile = profile_table(frame(name=["Ann\x85e", "Bo\ufffd", "Cy\x01", "Dee", "Ed\tF"]))
    [column] = profile.columns
    assert column.suspicious == {"control_characters": 2, "encoding_debris": 1,
                                 "replacement_characters": 1}
    assert column.examples["control_characters"] in ("Ann\x85e", "Cy\x01")
    assert column.examples["replacement_characters"] == "Bo\ufffd"
    assert "control characters" in profile.to_text()


def test_cancelling_a_fix_stops_it_and_writes_nothing(tmp_path):
    source = tmp_path / "big.csv"
    source.write_bytes(("name;city\nJosé;Málaga\n" * 200_000).encode("cp1252"))
    cancel = threading.Event()
    seen: list[float] = []

    def listener(fraction: float, message: str) -> None:
        seen.append(fraction)
        if fraction > 0.5:
            cancel.set()

    with pytest.raises(Cancelled):
        fix_encoding(source, tmp_path / "out.csv", source_encoding="cp1252",
                     progress=Progress(listener, cancel))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]
    assert seen and max(seen) < 1.0


def test_profile_text_never_cuts_a_top_values_count(tmp_path):
    """`datatools profile` prints whole 'value'×count entries: a street column whose third top
    value appeared 70 times once read "'Schulstraße 75'×7" (the line was cut at 60 characters)."""
    from tests.cli_process import datatools

    streets = ["Hauptstraße 10"] * 73 + ["Schulstraße 29"] * 71 + ["Schulstraße 75"] * 70 + ["Am Markt 4"]
    (tmp_path / "kunden.csv").write_text("strasse\n" + "\n".join(streets) + "\n", encoding="utf-8")
    done = datatools("profile", "kunden.csv", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("strasse"))
    top = line.split("  ")[-1]
    assert top.startswith("'Hauptstraße 10'×73, 'Schulstraße 29'×71")
    assert all(entry.rsplit("×", 1)[1] in ("73", "71", "70") for entry in top.split(", "))
