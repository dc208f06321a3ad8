"""The large-file engine's clean: the same file, byte for byte, and the same report as in memory."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from datatools.cli import main
from tests.large_inputs import FIELD_CASES, FIXTURES, medium_rows, write_csv


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _clean(path: Path, engine: str, out: Path, *options: str) -> tuple[int, dict, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["clean", str(path), "--engine", engine, "--json", *options,
                 *(["-o", str(out)] if out else [])], stdout, stderr)
    report = json.loads(stdout.getvalue()) if stdout.getvalue() else {}
    report.pop("engine", None)
    report.pop("output", None)
    return code, report, stderr.getvalue()


def _assert_same(path: Path, tmp_path: Path, *options: str) -> dict:
    memory = _clean(path, "memory", tmp_path / "memory.csv", *options)
    large = _clean(path, "duckdb", tmp_path / "large.csv", *options)
    assert large == memory
    assert (tmp_path / "large.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert not list((tmp_path / "cache").rglob("job-*")), "the working copy outlived its job"
    return large[1]


EVERYTHING = ("--case", "title", "--dates", "auto", "--numbers", "auto", "--phones", "--emails")


@pytest.mark.parametrize("name", ["clean_mixed_customers.csv", "dayfirst_datetime.csv",
                                  "phones_trunk_prefix.csv", "excel_sep_line.csv",
                                  "utf8_one_cp1252_line.csv", "names_without_decomposition.csv"])
def test_odd_inputs_clean_to_the_same_bytes(name, tmp_path):
    _assert_same(FIELD_CASES / name, tmp_path, *EVERYTHING)


def test_latin1_fixture_cleans_to_the_same_bytes_with_a_bom(tmp_path):
    _assert_same(FIXTURES / "latin1.csv", tmp_path, "--case", "upper", "--bom")


@pytest.mark.parametrize("encoding,delimiter,sep_line", [("utf-8", ",", False), ("cp1252", ";", True)])
def test_medium_table_cleans_to_the_same_bytes_and_report(encoding, delimiter, sep_line, tmp_path):
    path = write_csv(tmp_path / "medium.csv", medium_rows(3_000), encoding=encoding,
                     delimiter=delimiter, sep_line=sep_line)
    report = _assert_same(path, tmp_path, *EVERYTHING, "--column", "code:case=upper",
                          "--date-format", "iso", "--number-format", "point")
    assert report["changes"]["joined"]["date"] > 2_500          # the dates were rewritten
    assert report["number_styles"]["amount"] == "decimal comma"


def test_medium_table_columns_and_rules_and_preview_match(tmp_path):
    path = write_csv(tmp_path / "medium.csv", medium_rows(4_000))
    _assert_same(path, tmp_path, "--columns", "name,city", "--column", "joined:dates=day-first")
    memory = _clean(path, "memory", None, "--preview", "5", "--case", "lower")
    large = _clean(path, "duckdb", None, "--preview", "5", "--case", "lower")
    assert large == memory and len(large[1]["preview"]) == 5
    memory = _clean(path, "memory", None, "--plan", "--case", "title")
    large = _clean(path, "duckdb", None, "--plan", "--case", "title")
    assert large == memory and large[1]["columns"]["code"]["kind"] == "code"


def test_an_unknown_column_is_refused_before_any_working_copy(tmp_path):
    path = write_csv(tmp_path / "medium.csv", medium_rows(100))
    code, _, err = _clean(path, "duckdb", tmp_path / "out.csv", "--columns", "nope")
    assert code == 2 and "No column 'nope'" in err
    assert not (tmp_path / "out.csv").exists()


def test_cli_process_cleans_a_large_file_under_a_small_memory_limit(tmp_path):
    path = write_csv(tmp_path / "medium.csv", medium_rows(20_000))
    before = path.read_bytes()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "datatools", "clean", str(path), "-o",
                           str(tmp_path / "out.csv"), "--engine", "duckdb", "--memory-limit", "64MB",
                           "--dates", "auto"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("datatools: engine duckdb (chosen with --engine")
    assert done.stdout.startswith("20,000 rows, ")
    assert path.read_bytes() == before
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("\n") == 20_001


def test_an_xlsx_output_holds_the_same_cells(tmp_path):
    from openpyxl import load_workbook

    path = FIELD_CASES / "clean_mixed_customers.csv"
    sheets = []
    for engine in ("memory", "duckdb"):
        code, _, err = _clean(path, engine, tmp_path / f"{engine}.xlsx", "--case", "upper")
        assert code == 0, err
        book = load_workbook(tmp_path / f"{engine}.xlsx", read_only=True)
        sheets.append([list(row) for row in book.active.iter_rows(values_only=True)])
    assert sheets[0] == sheets[1] and len(sheets[1]) > 3


def _late_evidence_rows(count: int) -> list[list[str]]:
    """Rows whose columns are decided only by their last rows: dates that read either way until
    a day above 12 near the end (and one date that does not exist), amounts grouped with a dot
    whose decimal comma shows last, a capitalised acronym written beside small letters only at
    the end, an unreadable phone number late, codes with leading zeros, notes that only the
    last rows give tidying work."""
    rows = [["id", "joined", "amount", "firm", "phone", "email", "code", "note"]]
    for i in range(count):
        late = i >= count - 5
        joined = f"{(i % 12) + 1:02d}/{(i % 11) + 1:02d}/{1990 + i % 30}" if not late else \
            ("31/02/2020" if i == count - 3 else f"{13 + i % 10}/03/2021")
        amount = f"{i % 7}.{100 + i % 900}" if not late else f"{i % 90},5"
        firm = ["IBM UK", "acme GMBH", " van der berg  ltd", "N/A"][i % 4] if not late else "IBM Deutschland"
        phone = f"+44 20 7946 {i % 10000:04d}" if i != count - 2 else "12345"
        email = f"Person{i % 50}@Example.ORG" if i % 9 else ""
        note = {count - 4: "N/A", count - 1: " late  call"}.get(i, "ok" if i % 3 else "")
        rows.append([str(i + 1), joined, amount, firm, phone, email, f"{i % 997:05d}", note])
    return rows


def test_small_batches_decide_on_the_whole_column_as_in_memory(tmp_path, monkeypatch):
    """Batches of 300 rows (and row groups of 1,000) over 4,000 rows: every decision that the
    last rows settle — the date order, the decimal mark, title case's acronyms, the unread
    phone and date — comes out as the in-memory clean of the whole file makes it."""
    from datatools.large import clean_column, groups

    monkeypatch.setattr(clean_column, "BATCH_ROWS", 300)
    monkeypatch.setattr(groups, "ROWS_PER_GROUP", 1_000)
    path = write_csv(tmp_path / "late.csv", _late_evidence_rows(4_000))
    report = _assert_same(path, tmp_path, *EVERYTHING)
    assert report["date_orders"]["joined"] == "day-first"
    assert report["number_styles"]["amount"] == "decimal comma"
    assert report["phones_unread"]["phone"] == 1
    assert any("31/02/2020" in str(note) for note in report["notes"])
    assert {"case": "not_words", "numbers": "codes"}.items() <= report["columns"]["code"]["held"].items()
    assert "IBM Uk" in (tmp_path / "large.csv").read_text(encoding="utf-8")    # IBM: an acronym
    assert {"whitespace": 1, "empty": 1}.items() <= report["changes"]["note"].items()
    (tmp_path / "again").mkdir()
    report = _assert_same(path, tmp_path / "again", "--case", "upper", "--emails", "--numbers", "point",
                          "--column", "code:numbers=auto", "--number-format", "comma")
    assert report["changes"]["email"]["email"] > 3_000


def _named_cells_rows(count: int, width: int) -> list[list[str]]:
    """`width` columns of text, dates, decimal-comma amounts and placeholders, each cell naming
    its row and column (a row or a column moved or lost changes the file) but the dates, which
    repeat every 60 rows; a date that does not exist comes every 100 rows."""
    rows = [[f"col{j}" for j in range(width)]]
    for i in range(count):
        row = []
        for j in range(width):
            kind = j % 4
            row.append(f" row {i}  col {j} " if kind == 0 else
                       "31/02/2020" if kind == 1 and i % 100 == 50 else
                       f"{1 + i % 60 % 28:02d}/{1 + i % 60 % 12:02d}/{1950 + i % 60 + j}" if kind == 1 else
                       f"{i * 10 + j},{i % 100:02d}" if kind == 2 else
                       ("N/A" if (i + j) % 7 == 0 else f"note {i}.{j}"))
        rows.append(row)
    return rows


def test_columns_cleaned_at_once_keep_every_row_and_column_in_place(tmp_path, monkeypatch):
    """The duckdb engine cleans several columns at once on threads of its own (one per core),
    in batches (here 150 rows) over row groups of 450: sixteen columns of 1,600 rows come out
    byte for byte as the in-memory clean writes them, with the same report (a date written in
    an earlier batch is written alike, a date that does not exist counted in every batch), and
    the work did run on more than one of those threads."""
    import threading

    from datatools.large import clean, clean_column, groups
    from datatools.large.job import large_job
    from datatools.progress import Progress
    from datatools.tools.clean import CleanOptions

    monkeypatch.setattr(clean_column, "BATCH_ROWS", 150)
    monkeypatch.setattr(groups, "ROWS_PER_GROUP", 450)
    path = write_csv(tmp_path / "wide.csv", _named_cells_rows(1_600, 16))
    report = _assert_same(path, tmp_path, "--dates", "auto", "--numbers", "auto",
                          "--date-format", "iso", "--number-format", "point")
    assert list(report["columns"]) == [f"col{j}" for j in range(16)]
    assert report["changes"]["col1"]["date"] == 1_584 and report["changes"]["col2"]["number"] == 1_600
    assert "col1: 16 value(s) are not real dates (e.g. '31/02/2020'); left unchanged." in report["notes"]
    assert report["changes"]["col0"]["whitespace"] == 1_600 and report["changes"]["col3"]["empty"] > 200
    lines = (tmp_path / "large.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1_601 and lines[1_600].startswith("row 1599 col 0,")
    threads = set()
    with large_job(path) as job:
        clean.clean_large(job, CleanOptions(dates="auto"),
                          Progress(lambda fraction, message: threads.add(threading.current_thread().name)))
    # As many threads as the engine starts (one per core, at most 4; one on a single core).
    from datatools.large.clean import clean_threads

    assert len({name for name in threads if name.startswith("datatools-clean")}) >= min(2, clean_threads())
