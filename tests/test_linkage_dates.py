"""Match and dedupe compare a date column as dates (date_values.py, DECISIONS 394): a German
CSV's `25.09.1964` or `25.9.1964` and a shop export's `1964-09-25` are one date of birth, on
both engines; two different dates stay a difference, and so does a day and month swapped
(trial A: newsletter ISO against a Windows-1252 customer list, certain recall 0.122)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from datatools.cli import main

LEFT = [["Abonnent-ID", "Name", "Geburtsdatum", "PLZ"],
        ["N1", "Werner Schneider", "1964-09-25", "44787"],
        ["N2", "Ursula Richter", "1975-08-01", "50667"],
        ["N3", "Peter Vogel", "1961-04-04", "33602"],
        ["N4", "Jürgen Fischer", "1993-06-17", "06108"],
        ["N5", "Anna Maier", "1990-12-03", "80469"]]
RIGHT = [["Kundennr", "Vorname", "Nachname", "Geburtsdatum", "PLZ"],
         ["K1", "Werner", "Schneider", "25.09.1964", "44787"],
         ["K2", "Ursula", "Richter", "1.8.1975", "50667"],
         ["K3", "Peter", "Vogel", "04.04.1961", "33602"],
         ["K4", "Jürgen", "Fischer", "13.01.1950", "06108"],    # the father of N4
         ["K5", "Anna", "Maier", "03.12.1990", "80469"],
         ["K6", "Hans", "Berg", "13.01.1950", "10115"]]


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _write(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8",
           excel: bool = False) -> Path:
    text = io.StringIO()
    if excel:
        text.write(f"sep={delimiter}\r\n")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def _run(args: list[str], out: Path) -> dict[str, dict[str, str]]:
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main([*args, "-q", "--force", "-o", str(out)], stdout, stderr) == 0, stderr.getvalue()
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {next(iter(row.values())): row for row in rows}


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_date_written_two_ways_matches_certain_and_another_date_does_not(engine, tmp_path):
    left = _write(tmp_path / "newsletter.csv", LEFT)
    right = _write(tmp_path / "kunden.csv", RIGHT, ";", "cp1252", excel=True)
    rows = _run(["match", str(left), str(right), "--engine", engine, "--on", "Name,Geburtsdatum,PLZ",
                 "--right-on", "Vorname + Nachname,Geburtsdatum,PLZ"], tmp_path / "out.csv")
    for left_id, right_id in (("N1", "K1"), ("N2", "K2"), ("N3", "K3"), ("N5", "K5")):
        assert rows[left_id]["match_certainty"] == "certain", rows[left_id]
        assert rows[left_id]["right_Kundennr"] == right_id
        assert "Geburtsdatum 100" in rows[left_id]["match_reason"]
    # Written as in its own file: the output keeps each table's dates as they were.
    assert (rows["N1"]["Geburtsdatum"], rows["N1"]["right_Geburtsdatum"]) == ("1964-09-25", "25.09.1964")
    # Father and son of one name and postcode: their dates differ, so not certain.
    assert rows["N4"]["match_certainty"] != "certain"
    assert "Geburtsdatum 100" not in rows["N4"]["match_reason"]


DEDUPE = [["id", "Vorname", "Nachname", "Straße", "Geburtsdatum"],
          ["1", "Werner", "Schneider", "Marktplatz 47", "25.09.1964"],
          ["2", "Werner", "Schneider", "Marktplatz 47", "1964-09-25"],
          ["3", "Ursula", "Richter", "Amselweg 40", "01.08.1975"],
          ["4", "Ursula", "Richter", "Amselweg 40", "1.8.1975"],
          ["5", "Hans", "Berg", "Lindenweg 2", "13.01.1950"],
          ["6", "Hans", "Berg", "Lindenweg 2", "1983-06-17"],
          ["7", "Karl", "Weber", "Ringstraße 9", "1964-03-04"],
          ["8", "Karl", "Weber", "Ringstraße 9", "1964-04-03"]]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_dedupe_groups_one_date_written_two_ways_and_not_two_dates(engine, tmp_path):
    table = _write(tmp_path / "kunden.csv", DEDUPE)
    rows = _run(["dedupe", str(table), "--engine", engine, "--columns",
                 "Vorname,Nachname,Straße,Geburtsdatum"], tmp_path / "out.csv")
    for first, second in (("1", "2"), ("3", "4")):
        assert rows[first]["match_certainty"] == rows[second]["match_certainty"] == "certain", rows[first]
        assert rows[first]["cluster_id"] == rows[second]["cluster_id"]
        assert "Geburtsdatum 100" in rows[first]["match_reason"]
    # Father and son; and day and month swapped (`1964-03-04` was three words to the word
    # sorting score, which read them as one date): neither is certain.
    for first in ("5", "7"):
        assert rows[first]["match_certainty"] != "certain", rows[first]
        assert "Geburtsdatum 100" not in rows[first]["match_reason"]


def test_each_table_s_dates_are_read_in_its_own_order_and_unreadable_ones_stay_text():
    import pyarrow as pa

    from datatools.tools.date_values import dates_as_digits

    # Left month-first (a US export), right day-first: each side decides its own order.
    values = pa.array(["09/25/1964", "01/02/1980", "25.09.1964", "02.01.1980", None, ""])
    assert dates_as_digits(values, split=2).to_pylist() == [
        "19640925", "19800102", "19640925", "19800102", None, ""]
    # Every date reads either way: left as text, as clean --dates auto leaves it.
    assert dates_as_digits(pa.array(["03.04.1970", "05.06.1980"])).to_pylist() == [
        "03.04.1970", "05.06.1980"]
    # Not a date column (names), a two-digit year, a date that does not exist: as they were.
    assert dates_as_digits(pa.array(["Anna", "Bob", "25.09.1964"])).to_pylist() == [
        "Anna", "Bob", "25.09.1964"]
    assert dates_as_digits(pa.array(["25.09.64", "31.02.1964", "13.01.1950", "1950-01-13",
                                     "1960-02-02"])).to_pylist() == [
        "25.09.64", "31.02.1964", "19500113", "19500113", "19600202"]
    # Dates written one way already meet: left as text, so a typo in one stays a typo
    # (`987-06-26` is no second way of writing them).
    assert dates_as_digits(pa.array(["1964-09-25", "1964-03-04", "987-06-26"])).to_pylist() == [
        "1964-09-25", "1964-03-04", "987-06-26"]
