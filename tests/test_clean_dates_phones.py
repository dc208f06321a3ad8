"""Date-times in day- or month-first form and phone numbers with trunk prefixes (issue 13, 6–7).

The field cases in tests/data/field_cases/ run through the real command; the kinds around them
(other separators, 12-hour clocks, mixed dates and date-times, other countries' trunk
prefixes, numbers that cannot be read) run through the engine on tables made here.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from datatools.cli import main
from datatools.errors import BadOption
from datatools.tools.clean import CleanOptions, clean_table
from datatools.tools.profile import profile_table

FIELD_CASES = Path(__file__).resolve().parent / "data" / "field_cases"


def frame(**columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(v, dtype="str") for k, v in columns.items()})


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- date-times


def test_field_case_day_first_date_times_are_profiled_and_cleaned(tmp_path):
    source = FIELD_CASES / "dayfirst_datetime.csv"
    code, out, _ = run("profile", str(source), "--json", "-q")
    assert code == 0 and json.loads(out)["columns"][0]["type"] == "datetime"
    target = tmp_path / "clean.csv"
    code, out, _ = run("clean", str(source), "-o", str(target), "--dates", "auto", "--date-format", "iso", "--json", "-q")
    assert code == 0
    assert target.read_text("utf-8") == "t\n2024-02-13 10:30\n2024-02-28 17:05\n"
    assert json.loads(out)["date_orders"] == {"t": "day-first"}


def test_a_month_first_file_is_read_month_first_by_the_command(tmp_path):
    source, target = tmp_path / "us.csv", tmp_path / "clean.csv"
    source.write_text("id,when\n1,2/13/2024 3:05 PM\n2,12/31/2024 11:59 PM\n3,1/2/2024 9:00 AM\n", "utf-8")
    code, out, _ = run("profile", str(source), "--json", "-q")
    assert code == 0 and json.loads(out)["columns"][1]["type"] == "datetime"
    code, out, _ = run("clean", str(source), "-o", str(target), "--dates", "auto", "--date-format", "iso", "--json", "-q")
    assert code == 0 and json.loads(out)["date_orders"] == {"when": "month-first"}
    assert target.read_text("utf-8") == ("id,when\n1,2024-02-13 15:05\n2,2024-12-31 23:59\n"
                                         "3,2024-01-02 09:00\n")


@pytest.mark.parametrize("values, decided, cleaned", [
    (["02/13/2024 10:30", "03/01/2024 09:00"], "month-first", ["2024-02-13 10:30", "2024-03-01 09:00"]),
    (["2/13/2024 3:05 PM", "3/1/2024 11:59am"], "month-first", ["2024-02-13 15:05", "2024-03-01 11:59"]),
    (["13.02.2024 10:30:15", "01.03.24 00:00:00"], "day-first", ["2024-02-13 10:30:15", "2024-03-01 00:00:00"]),
    (["13/02/2024", "14/02/2024 08:15"], "day-first", ["2024-02-13", "2024-02-14 08:15"]),
])
def test_date_times_keep_their_time_and_precision(values, decided, cleaned):
    after, report = clean_table(frame(t=values), CleanOptions(date_format="iso", dates="auto"))
    assert report.date_orders == {"t": decided}
    assert after["t"].tolist() == cleaned


def test_date_times_that_read_either_way_are_reported_not_guessed():
    values = ["01/02/2024 10:30", "03/04/2024 11:00"]
    after, report = clean_table(frame(t=values), CleanOptions(date_format="iso", dates="auto"))
    assert after["t"].tolist() == values
    assert report.date_orders == {"t": "ambiguous"}
    assert report.notes == ["t: every date would read either way (e.g. 03/04); left unchanged "
                            "(choose --dates day-first or month-first)."]
    chosen, _ = clean_table(frame(t=values), CleanOptions(date_format="iso", dates="month-first"))
    assert chosen["t"].tolist() == ["2024-01-02 10:30", "2024-03-04 11:00"]


def test_a_date_time_that_does_not_exist_stays_and_is_noted():
    after, report = clean_table(frame(t=["31/02/2024 10:30", "13/02/2024 25:00", "13/02/2024 10:30"]),
                                CleanOptions(date_format="iso", dates="auto"))
    assert after["t"].tolist() == ["31/02/2024 10:30", "13/02/2024 25:00", "2024-02-13 10:30"]
    assert report.notes == ["t: 2 value(s) are not real dates (e.g. '31/02/2024 10:30'); left unchanged.",
                            "Dates in t were written as YYYY-MM-DD."]


@pytest.mark.parametrize("values, kind", [
    (["02/13/2024 10:30", "3/1/2024 9:05 PM"], "datetime"),
    (["2024-02-13 10:30", "2024-02-14T08:15:00"], "datetime"),
    (["2024-02-13", "2024-02-14 08:15"], "datetime"),
    (["13/02/2024", "2024-02-14"], "date"),
])
def test_profile_types_date_times_in_every_order(values, kind):
    assert profile_table(frame(t=values * 3)).columns[0].type == kind


# ---------------------------------------------------------------- phone numbers


def test_field_case_uk_trunk_prefix_is_dropped(tmp_path):
    target = tmp_path / "clean.csv"
    code, _, _ = run("clean", str(FIELD_CASES / "phones_trunk_prefix.csv"), "-o", str(target),
                     "--phones", "-q")
    assert code == 0 and target.read_text("utf-8") == "phone\n+442079460018\n"


@pytest.mark.parametrize("value, region, e164", [
    ("+33 (0)1 23 45 67 89", None, "+33123456789"),      # France drops its trunk 0
    ("+49 (0)30 1234567", None, "+49301234567"),         # Germany
    ("+39 06 1234 5678", None, "+390612345678"),         # Italy keeps the 0 …
    ("+39 (0)6 1234 5678", None, "+390612345678"),       # … even written as a trunk prefix
    ("+61 (0)2 9876 5432", None, "+61298765432"),        # Australia
    ("+81 (0)3-1234-5678", None, "+81312345678"),        # Japan
    ("0044 20 7946 0018", None, "+442079460018"),        # 00: the international prefix
    ("01 23 45 67 89", "FR", "+33123456789"),            # national forms in the given region
    ("030 1234567", "de", "+49301234567"),
    ("06 1234 5678", "IT", "+390612345678"),
    ("(02) 9876 5432", "AU", "+61298765432"),
    ("03-1234-5678", "JP", "+81312345678"),
    ("0044 20 7946 0018", "DE", "+442079460018"),        # Germany's international prefix
])
def test_phone_numbers_become_e164_by_each_countrys_rules(value, region, e164):
    after, report = clean_table(frame(tel=[value]), CleanOptions(phones=True, phone_region=region))
    assert after["tel"].tolist() == [e164]
    assert report.notes == [] and report.phones_unread == {}


def test_numbers_that_cannot_be_read_stay_and_are_reported():
    values = ["+44 20 7946 0018", "030 1234567", "+1 555 0100", "+44 20 7946 0018", "12-34-56"]
    after, report = clean_table(frame(tel=values), CleanOptions(phones=True))
    assert after["tel"].tolist() == ["+442079460018", "030 1234567", "+1 555 0100",
                                     "+442079460018", "12-34-56"]
    assert report.phones_unread == {"tel": 3}
    assert report.notes == [
        "tel: 2 value(s) have no country code; choose a phone region (e.g. '030 1234567'); left unchanged.",
        "tel: 1 value(s) are not valid phone numbers (e.g. '+1 555 0100'); left unchanged.",
    ]


def test_the_phone_region_comes_from_the_command_line_and_is_checked(tmp_path):
    source = tmp_path / "tel.csv"
    source.write_text("tel\n030 1234567\n+44 (0)20 7946 0018\n", "utf-8")
    code, out, _ = run("clean", str(source), "--phones", "--phone-region", "DE", "--preview", "5", "-q")
    assert code == 0
    assert "row 1, tel: '030 1234567' → '+49301234567'" in out
    assert "row 2, tel: '+44 (0)20 7946 0018' → '+442079460018'" in out
    code, out, err = run("clean", str(source), "--phones", "--phone-region", "XY", "--preview", "1")
    assert (code, out) == (2, "")
    assert err == ("datatools: Unknown phone region 'XY'; give a two-letter country code such as "
                   "GB, DE or US.\n")
    with pytest.raises(BadOption, match="Unknown phone region 'Britain'"):
        clean_table(frame(tel=["1"]), CleanOptions(phones=True, phone_region="Britain"))
