"""The large engine reads every kind of odd file the in-memory reader handles, the same way.

Each input goes through the real command twice, `--engine memory` and `--engine duckdb`, and
both runs must give the same report, notes and output bytes: letters lost to `?` by a lossy
export, headers repeated midway (with a BOM, after a `sep=` line, in a later block of a big
file), keys that differ only by invisible characters, and tables wider than a spreadsheet.
The field cases (tests/data/field_cases/README.md) give the right answers checked here too.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from datatools.cli import main
from datatools.io.lossy import LossCounter, arrow_text, find_losses
from datatools.large import reading
from tests.large_inputs import FIELD_CASES
from tests.test_reading_field_cases import LOSSY


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _run(engine: str, *argv: str) -> tuple[int, dict, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main([*argv, "--engine", engine, "--json", "-q"], stdout, stderr)
    report = json.loads(stdout.getvalue()) if stdout.getvalue() else {}
    report.pop("engine", None)
    report.pop("output", None)
    return code, report, stderr.getvalue()


def _both(tmp_path, *argv: str) -> dict:
    """The report of `argv` on both engines, asserted equal (and the output files, with -o)."""
    outputs = []
    runs = []
    for engine in ("memory", "duckdb"):
        extra = ()
        if argv[0] in ("clean", "compare"):
            outputs.append(tmp_path / f"{engine}.csv")
            extra = ("-o", str(outputs[-1]), "--force")
        runs.append(_run(engine, *argv, *extra))
    assert runs[1] == runs[0]
    if outputs:
        assert outputs[1].read_bytes() == outputs[0].read_bytes()
    assert not list((tmp_path / "cache").rglob("job-*")), "a working copy outlived its job"
    return runs[1][1]


def _warnings(report: dict) -> list[str]:
    return report["warnings"]


# --- letters lost to `?` -------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_question_mark_losses_are_flagged_alike_by_profile_and_clean(tmp_path, encoding):
    path = tmp_path / "export.csv"
    path.write_bytes(LOSSY.encode(encoding))
    report = _both(tmp_path, "profile", str(path))
    (note,) = [w for w in _warnings(report) if "where a letter should be" in w]
    assert note.startswith("11 cell(s) in first, last, city hold '?' where a letter should be "
                           "(e.g. 'Pawe?', '?ukasz', 'Ay?e')")
    cleaned = _both(tmp_path, "clean", str(path), "--case", "title")
    assert note in _warnings(cleaned)


def test_losses_proved_only_in_a_later_block_are_counted_over_the_whole_file(tmp_path, monkeypatch):
    """`Pawe?` ends a word (a question could too) in the first blocks; `Y?lmaz` in the last one
    proves the column lossy: the word-end cells of the earlier blocks count, as in memory."""
    monkeypatch.setattr(reading, "BLOCK", 1 << 12)
    rows = [f"{i},Pawe?,Nowak" if i % 7 == 0 else f"{i},Anna,Smith" for i in range(3_000)]
    rows.append("3000,Y?lmaz,Kaya")
    path = tmp_path / "late.csv"
    path.write_text("id,first,last\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = _both(tmp_path, "profile", str(path))
    (note,) = [w for w in _warnings(report) if "where a letter should be" in w]
    assert note.startswith(f"{3_000 // 7 + 1 + 1:,} cell(s) in first hold '?' where a letter should be "
                           "(e.g. 'Pawe?', 'Y?lmaz')")


def test_the_streamed_count_equals_the_whole_table_count_for_any_batching():
    frame = pd.read_csv(io.StringIO(LOSSY), dtype=str, keep_default_na=False)
    frame = pd.concat([frame.iloc[::-1], frame], ignore_index=True)
    whole = find_losses(frame)
    for size in (1, 2, 3, 7):
        counter = LossCounter(list(frame.columns))
        for start in range(0, len(frame), size):
            for index, (_, series) in enumerate(frame.iloc[start:start + size].items()):
                counter.add(index, arrow_text(series))
        assert counter.result() == whole
    assert (whole.cells, whole.columns) == (22, ["first", "last", "city"])


def test_questions_and_web_addresses_are_no_losses_on_either_engine(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("comment,link,score\nWhy?,https://example.com/a?id=3,?\n"
                    "Really? Yes,www.example.com/?q=b,10\nok,page.php?lang=de,?\n", encoding="utf-8")
    report = _both(tmp_path, "profile", str(path))
    assert not [w for w in _warnings(report) if "where a letter should be" in w]


# --- headers repeated midway -------------------------------------------------------------

def test_the_repeated_header_field_case_reads_alike(tmp_path):
    report = _both(tmp_path, "profile", str(FIELD_CASES / "repeated_header.csv"))
    assert report["rows"] == 4
    types = {c["name"]: c["type"] for c in report["columns"]}
    assert (types["order_id"], types["total"]) == ("integer", "decimal")
    assert _warnings(report) == ["1 row(s) repeat the header and were dropped (line 4): files "
                                 "joined one after another, each with its header?"]
    _both(tmp_path, "clean", str(FIELD_CASES / "repeated_header.csv"), "--case", "upper")


def test_headers_repeated_with_their_byte_order_marks_are_dropped_by_both(tmp_path):
    part = "\ufeffid;name;city\r\n{rows}"
    text = (part.format(rows="1;Ann;Graz\r\n2;Bo;Linz\r\n") + part.format(rows="3;Cy;Wien\r\n")
            + part.format(rows="4;Di;Enns\r\n"))
    path = tmp_path / "joined.csv"
    path.write_bytes(text.encode("utf-8"))
    report = _both(tmp_path, "clean", str(path))
    assert _warnings(report) == ["2 row(s) repeat the header and were dropped (line 4, 6): files "
                                 "joined one after another, each with its header?"]
    assert (tmp_path / "duckdb.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "1;Ann;Graz", "2;Bo;Linz", "3;Cy;Wien", "4;Di;Enns"]     # the input's `;` is kept


def test_a_repeated_header_after_a_sep_line_names_the_files_own_lines(tmp_path):
    path = tmp_path / "sep.csv"
    path.write_bytes(b"sep=;\r\nid;name\r\n1;Ann\r\nID ; Name\r\n2;Bo;x\r\n3\r\n")
    report = _both(tmp_path, "profile", str(path))
    assert _warnings(report)[1:] == [
        "1 row(s) repeat the header and were dropped (line 4): files joined one after another, "
        "each with its header?",
        "1 row(s) have fewer than 2 fields and were padded with empty cells (line 6).",
        "1 row(s) have more than 2 fields; the extra values are kept in added columns (line 5)."]


def test_a_header_repeated_deep_in_a_big_file_is_found_in_its_block(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "BLOCK", 1 << 12)
    lines = [f"{i},name {i % 97},{i % 13}.50" for i in range(1, 2_001)]
    lines.insert(1_500, "Order_ID, Customer ,TOTAL")
    path = tmp_path / "joined.csv"
    path.write_text("order_id,customer,total\n" + "\n".join(lines) + "\n", encoding="utf-8")
    report = _both(tmp_path, "profile", str(path))
    assert report["rows"] == 2_000
    assert _warnings(report) == ["1 row(s) repeat the header and were dropped (line 1502): files "
                                 "joined one after another, each with its header?"]


def test_a_single_column_keeps_a_value_equal_to_its_name_on_both(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("status\nopen\nstatus\nclosed\n", encoding="utf-8")
    report = _both(tmp_path, "profile", str(path))
    assert report["rows"] == 3 and _warnings(report) == []


# --- invisible characters in compare keys ------------------------------------------------

def test_the_invisible_keys_field_case_compares_alike(tmp_path):
    report = _both(tmp_path, "compare", str(FIELD_CASES / "invisible_keys_old.csv"),
                   str(FIELD_CASES / "invisible_keys_new.csv"), "--key", "account")
    assert (report["added"], report["removed"], report["changed"], report["unchanged"]) == (0, 0, 0, 3)
    assert [n.split(" differed")[0] for n in report["notes"][1:]] == ["2 keys in account",
                                                                       "1 cell in holder"]
    assert "e.g. 'AC-1001\\xa0', '\\u200bAC-1002'; they were paired" in report["notes"][1]


def test_word_joiner_bom_nbsp_and_end_spaces_pair_alike_and_the_key_is_inferred(tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("id,v\nK1,a\nK2,b\nK3,c\nK4,d\nK5,e\n", encoding="utf-8")
    new.write_text("id,v\nK\u20601,a\n\ufeffK2,b\nK3\u00a0,c\n K4 ,x\nK5,e\n", encoding="utf-8")
    for key in (("--key", "id"), ()):
        report = _both(tmp_path, "compare", str(old), str(new), *key)
        assert (report["changed"], report["unchanged"], report["key"]) == (1, 4, ["id"])
        assert [n for n in report["notes"] if "invisible" in n][0].startswith(
            "4 keys in id differed only by invisible characters")


def test_keys_equal_as_seen_in_one_version_are_refused_alike(tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_bytes("k,v\nA1,1\nA1\u00a0,2\nB,3\n".encode("utf-8"))
    new.write_text("k,v\nA1,1\nB,4\n", encoding="utf-8")
    runs = [_run(engine, "compare", str(old), str(new), "--key", "k", "-o",
                 str(tmp_path / f"{engine}.csv")) for engine in ("memory", "duckdb")]
    assert runs[0] == runs[1]
    assert runs[1][0] == 2 and "The key k is not unique in old.csv: 'A1' appears 2 times." in runs[1][2]


# --- tables wider than a spreadsheet -----------------------------------------------------

@pytest.mark.parametrize("columns", [16_385, 200_000])
def test_a_table_wider_than_a_spreadsheet_is_refused_alike(tmp_path, columns):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(columns)) + "\n" + ",".join("1" * columns) + "\n",
                    encoding="utf-8")
    runs = [_run(engine, "profile", str(path)) for engine in ("memory", "duckdb")]
    assert runs[0] == runs[1]
    assert runs[1][0] == 1
    assert f"{columns:,} or more columns; DataTools reads tables of up to 16,384 columns" in runs[1][2]
    assert not list((tmp_path / "cache").rglob("*.parquet"))


def test_rows_widened_past_the_limit_are_refused_alike(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b\n1,2\n" + ",".join("x" * 16_385) + "\n", encoding="utf-8")
    runs = [_run(engine, "profile", str(path)) for engine in ("memory", "duckdb")]
    assert runs[0] == runs[1] and runs[1][0] == 1
    assert "16,385 or more columns" in runs[1][2]
