"""`datatools dedupe|match|compare` from the command line: files, reports, exit codes, errors."""

import io
import json

import pytest

from datatools.cli import main

PEOPLE = """name,street,city
Jöhn Smith,12 Main Street,Springfield
john smith,12 main st.,Springfield
Mary Jones,4 Oak Road,Shelbyville
Peter Brown,9 Elm Lane,Ogdenville
"""


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def people(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    return path


def test_dedupe_writes_the_annotated_table_and_leaves_the_input_alone(people, tmp_path):
    before = people.read_bytes()
    code, out, err = run("dedupe", str(people), "--columns", "name,street,city",
                         "-o", str(tmp_path / "out.csv"), "-q")
    assert (code, out, err) == (0, "", "")
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines() == [
        "name,street,city,cluster_id,match_score,match_certainty,match_reason",
        'Jöhn Smith,12 Main Street,Springfield,1,100,certain,"row 2: agreed name 100, street 100, '
        'city 100; whole row 100; rare words springfield, smith, john"',
        'john smith,12 main st.,Springfield,1,100,certain,"row 1: agreed name 100, street 100, '
        'city 100; whole row 100; rare words springfield, smith, john"',
        "Mary Jones,4 Oak Road,Shelbyville,,,,",
        "Peter Brown,9 Elm Lane,Ogdenville,,,,",
    ]
    assert people.read_bytes() == before


def test_dedupe_keep_writes_one_row_per_group_and_a_merge_report_and_json(people, tmp_path):
    code, out, _ = run("dedupe", str(people), "--columns", "name,street", "--keep", "first",
                       "-o", str(tmp_path / "clean.csv"), "--json", "-q")
    assert code == 0
    report = json.loads(out)
    assert {k: report[k] for k in ("rows", "clusters", "kept", "dropped")} == {
        "rows": 4, "clusters": 1, "kept": 3, "dropped": 1}
    assert (tmp_path / "clean.csv").read_text(encoding="utf-8").count("\n") == 4
    assert (tmp_path / "clean.merges.csv").read_text(encoding="utf-8").splitlines() == [
        "cluster_id,kept_row,dropped_rows,match_score", "1,1,2,100"]


def test_dedupe_prints_a_summary_and_progress_goes_to_stderr(people):
    code, out, err = run("dedupe", str(people), "--columns", "name")
    assert code == 0
    assert out == ("4 rows: 1 group of duplicates covering 2 rows (1 could go).\n"
                   "1 certain, 0 possible (to review).\n")
    assert "100%" in err


@pytest.mark.parametrize("argv, code, message", [
    (["--columns", "nmae"], 2, "datatools: No column 'nmae'; the columns are: name, street, city.\n"),
    (["--columns", "name", "--threshold", "150"], 2,
     "datatools: The threshold must be between 0 and 100, not 150.\n"),
    (["--columns", "name", "--keep", "first"], 1, "datatools: --keep writes a new file: add -o OUT.\n"),
])
def test_dedupe_bad_options_exit_with_one_line(people, argv, code, message):
    assert run("dedupe", str(people), *argv, "-q") == (code, "", message)


def test_missing_file_and_existing_or_input_output_exit_1_and_write_nothing(people, tmp_path):
    code, _, err = run("dedupe", str(tmp_path / "nope.csv"), "--columns", "name")
    assert code == 1 and err.startswith("datatools: Cannot open")
    taken = tmp_path / "taken.csv"
    taken.write_text("keep me", encoding="utf-8")
    code, _, err = run("dedupe", str(people), "--columns", "name", "-o", str(taken))
    assert (code, err) == (1, f"datatools: {taken} already exists; choose another name or use --force.\n")
    assert taken.read_text(encoding="utf-8") == "keep me"
    code, _, err = run("dedupe", str(people), "--columns", "name", "-o", str(people), "--force")
    assert code == 1 and "is an input file" in err
    assert people.read_text(encoding="utf-8") == PEOPLE


def test_usage_errors_exit_2(people):
    assert run("dedupe", str(people))[0] == 2
    assert run("match", str(people))[0] == 2
    assert run("dedupe", str(people), "--columns", ",")[0] == 2


def test_match_writes_left_rows_with_right_columns(people, tmp_path):
    customers = tmp_path / "customers.csv"
    customers.write_text("id,customer,town\nC1,Smith John,Springfield\nC2,Mary Jones,Shelbyville\n",
                         encoding="utf-8")
    code, out, _ = run("match", str(people), str(customers), "--on", "name,city",
                       "--right-on", "customer,town", "-o", str(tmp_path / "m.csv"), "--json", "-q")
    assert code == 0
    assert json.loads(out)["matched"] == 3
    lines = (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("name,street,city,right_id,right_customer,right_town,match_score,"
                        "match_certainty,match_reason")
    assert lines[3] == ("Mary Jones,4 Oak Road,Shelbyville,C2,Mary Jones,Shelbyville,100,certain,"
                        '"right row 2: agreed name 100, city 100; whole row 100; rare words shelbyville, jones, mary"')
    assert lines[4] == "Peter Brown,9 Elm Lane,Ogdenville,,,,,no partner,"


def test_compare_prints_counts_and_writes_the_diff(tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("sku,price\n1,1.00\n2,2.00\n", encoding="utf-8")
    new.write_text("sku,price\n1,1.50\n3,3.00\n", encoding="utf-8")
    code, out, _ = run("compare", str(old), str(new), "--key", "sku", "-o", str(tmp_path / "d.csv"), "-q")
    assert (code, out) == (0, "")
    assert (tmp_path / "d.csv").read_text(encoding="utf-8").splitlines() == [
        "status,changed_columns,old_row,new_row,sku,price,price (old)",
        "changed,price,1,1,1,1.50,1.00", "added,,,2,3,3.00,", "removed,,2,,2,2.00,"]
    code, out, _ = run("compare", str(old), str(new), "--json", "-q")
    assert code == 0
    assert json.loads(out) == {
        "columns_renamed": [], "columns_added": [], "columns_removed": [], "columns_moved": [],
        # by content, `1,1.00` and `1,1.50` read `1 1` and `1 1.5` (DECISIONS 265): too little
        # alike to pair, so both rows are removed and added
        "added": 2, "removed": 2, "changed": 0, "unchanged": 0, "cells_changed": {},
        "key": [], "key_inferred": False, "aligned_by": "content", "key_candidates": [],
        "counters": [], "renumbered": {}, "repeated_key": {}, "keys_passed_over": [],
        "numbers_respelled": {}, "engine": {"name": "memory"}, "warnings": [],
        "notes": ["Rows paired by content (no column identifies rows in both versions)."]}


def test_reading_options_reach_the_reader_for_every_input(tmp_path):
    # A cp1252 file read as cp1250 on purpose: "ñ" becomes "ń", proving --encoding is honoured
    # (detection alone would have read it right). Semicolons and no header row, stated explicitly.
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_bytes("Peña;Málaga\nSmith;Leeds\n".encode("cp1252"))
    right.write_bytes("Peña;Málaga\nJones;York\n".encode("cp1252"))
    options = ["--encoding", "cp1250", "--delimiter", ";", "--no-header", "-q"]
    code, _, err = run("match", str(left), str(right), "--on", "column_1", *options, "-o", str(tmp_path / "m.csv"))
    assert code == 0, err
    rows = (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("Peńa;Málaga;Peńa;Málaga;100")      # the input's `;` kept
    code, out, err = run("compare", str(left), str(right), *options, "--json")
    assert code == 0, err
    assert json.loads(out)["unchanged"] == 1
    code, out, err = run("dedupe", str(left), "--columns", "column_1,column_2", *options, "--json")
    assert code == 0, err


@pytest.mark.parametrize("empty_side", ["left", "right"])
def test_match_against_an_empty_table_writes_every_row_with_no_partner(tmp_path, empty_side):
    # 3,000 rows are enough for the learned model, whose random pairs once drew from an empty side.
    names = ["Anna", "Peter", "Maria", "Jonas", "Lena", "Paul"]
    surnames = ["Müller", "Schmidt", "Meyer", "Weber", "Wagner"]
    full = tmp_path / "full.csv"
    full.write_text("name,city\n" + "".join(
        f"{names[i % 6]} {surnames[i % 5]} {i},City{i % 50}\n" for i in range(3000)), encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_text("name,city\n", encoding="utf-8")
    left, right = (empty, full) if empty_side == "left" else (full, empty)
    code, out, err = run("match", str(left), str(right), "--on", "name,city",
                         "-o", str(tmp_path / "out.csv"), "-q")
    assert code == 0, err
    written = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert written[0] == "name,city,right_name,right_city,match_score,match_certainty,match_reason"
    rows = written[1:]
    assert len(rows) == (0 if empty_side == "left" else 3000)
    assert all(row.endswith(",,no partner,") for row in rows)
