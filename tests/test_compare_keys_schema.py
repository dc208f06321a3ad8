"""compare: the key that leaves most cells equal, never a row counter; schema changes first.

Issue 13, problems 5 and 8: the field case compare_rownum_* through the real command, row
counters of other shapes, keys that pair rows wrongly, renamed / moved / added / removed
columns, and the changed-rows-only diff.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from datatools.cli import main
from datatools.tools.compare import compare_tables
from datatools.tools.compare_columns import moved_columns

FIELD_CASES = Path(__file__).resolve().parent / "data" / "field_cases"


def frame(text: str) -> pd.DataFrame:
    """A table from CSV-like lines (no quoting), every cell text."""
    header, *rows = [line.split(",") for line in text.strip().splitlines()]
    return pd.DataFrame(rows, columns=header, dtype=object)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def rows(result, *columns: str) -> list[list[str]]:
    return result.diff[list(columns)].values.tolist()


# ---------------------------------------------------------------- the key


def test_field_case_a_row_number_is_not_the_key(tmp_path):
    target = tmp_path / "diff.csv"
    code, out, _ = run("compare", str(FIELD_CASES / "compare_rownum_old.csv"),
                       str(FIELD_CASES / "compare_rownum_new.csv"), "-o", str(target))
    assert code == 0
    assert out == ("1 added, 0 removed, 0 changed, 2 unchanged; rows paired by key sku (inferred: "
                   "0 other cells equal; also considered: No, a running row number).\n"
                   "No is a running row number: 2 paired rows renumbered, not counted as changes.\n"
                   f"Wrote {target}.\n")
    assert target.read_text("utf-8").splitlines() == [
        "status,changed_columns,old_row,new_row,No,sku,No (old)",
        "added,,,1,1,X,",
        "unchanged,,1,2,2,A,1",
        "unchanged,,2,3,3,B,2",
    ]


COUNTER_CASES = {
    "0-based, no telling header": ("seq_id", ["0", "1", "2"], ["0", "1", "2", "3"]),
    "hash header, with gaps": ("#", ["1", "2", "5"], ["1", "2", "3", "7"]),
    "Nr. header": ("Nr.", ["10", "20", "30"], ["10", "20", "30", "40"]),
    "Row header": ("Row", ["1", "2", "3"], ["1", "2", "3", "4"]),
}


@pytest.mark.parametrize("name, before, after", COUNTER_CASES.values(), ids=list(COUNTER_CASES))
def test_running_row_numbers_of_every_shape_lose_to_the_real_key(name, before, after):
    old = pd.DataFrame({name: before, "sku": ["A", "B", "C"], "price": ["1", "2", "2"]}, dtype=object)
    new = pd.DataFrame({name: after, "sku": ["X", "A", "B", "C"], "price": ["9", "1", "2", "2"]},
                       dtype=object)
    result = compare_tables(old, new)
    assert result.summary.key == ["sku"] and result.summary.counters == [name]
    assert [(c["column"], c["counter"]) for c in result.summary.key_candidates] == [
        ("sku", False), (name, True)]
    assert rows(result, "status", "sku") == [["added", "X"], ["unchanged", "A"], ["unchanged", "B"],
                                             ["unchanged", "C"]]
    assert (result.summary.added, result.summary.changed, result.summary.unchanged) == (1, 0, 3)


def test_the_key_whose_pairing_leaves_most_cells_equal_wins_over_the_first():
    # `code` is unique in both versions but was reassigned: pairing by it changes every row.
    old = frame("code,sku,price\nK1,A,1.00\nK2,B,2.00\nK3,C,1.00")
    new = frame("code,sku,price\nK2,A,1.00\nK3,B,2.50\nK1,C,1.00")
    result = compare_tables(old, new)
    assert result.summary.key == ["sku"]
    assert result.summary.key_candidates == [
        {"column": "sku", "rows_paired": 3, "equal_cells": 2, "counter": False,
                            "columns": ["sku"]},
        {"column": "code", "rows_paired": 3, "equal_cells": 1, "counter": False,
                            "columns": ["code"]}]
    assert rows(result, "status", "changed_columns") == [
        ["changed", "code"], ["changed", "code, price"], ["changed", "code"]]
    assert result.summary.notes == ["Rows paired by key sku (inferred: 2 other cells equal; also "
                                    "considered: code, 1 cell equal)."]


def test_with_only_a_row_counter_rows_pair_by_content():
    old = frame("No,name,city\n1,Ann,York\n2,Bob,York\n3,Ann,Hull")
    new = frame("No,name,city\n1,Cem,Bath\n2,Ann,York\n3,Bob,York\n4,Ann,Hull")
    result = compare_tables(old, new)
    assert (result.summary.key, result.summary.aligned_by) == ([], "content")
    assert rows(result, "status", "old_row", "new_row", "name") == [
        ["added", "", "1", "Cem"], ["unchanged", "1", "2", "Ann"], ["unchanged", "2", "3", "Bob"],
        ["unchanged", "3", "4", "Ann"]]
    assert result.summary.renumbered == {"No": 3}
    assert "Rows paired by content (a running row number left fewer cells equal)." in result.summary.notes


def test_a_given_key_is_used_even_when_it_is_a_counter():
    old = frame("No,sku\n1,A\n2,B")
    new = frame("No,sku\n1,X\n2,A\n3,B")
    result = compare_tables(old, new, ["No"])
    assert rows(result, "status", "changed_columns") == [["changed", "sku"], ["changed", "sku"],
                                                         ["added", ""]]


# ---------------------------------------------------------------- schema changes


def test_a_renamed_column_is_found_by_content_and_its_changes_count():
    old = frame("sku,stock\nA,5\nB,7\nC,9\nD,1")
    new = frame("sku,qty_on_hand\nA,5\nB,8\nC,9\nD,1")
    result = compare_tables(old, new)
    assert result.summary.columns_renamed == [
        {"old": "stock", "new": "qty_on_hand", "by": "content", "agreement": 0.75}]
    assert (result.summary.columns_added, result.summary.columns_removed) == ([], [])
    assert result.summary.cells_changed == {"qty_on_hand": 1}
    assert result.diff.values.tolist() == [
        ["unchanged", "", "1", "1", "A", "5", ""],
        ["changed", "qty_on_hand", "2", "2", "B", "8", "7"],
        ["unchanged", "", "3", "3", "C", "9", ""],
        ["unchanged", "", "4", "4", "D", "1", ""]]
    assert list(result.diff.columns)[4:] == ["sku", "qty_on_hand", "qty_on_hand (old)"]
    assert result.summary.notes[0] == ("Column stock is now qty_on_hand (renamed: 75% of paired "
                                       "rows hold the same value).")


def test_renamed_moved_added_and_removed_columns_together():
    old = frame("sku,name,stock,price,colour\nA,Apple,5,1.00,red\nB,Pear,7,2.00,green\nC,Plum,9,3.00,blue")
    new = frame("sku,Price,name,qty_on_hand,note\nA,1.00,Apple,5,\nB,2.20,Pear,7,new\nC,3.00,Plum,4,")
    result = compare_tables(old, new)
    summary = result.summary
    assert summary.columns_renamed == [
        {"old": "price", "new": "Price", "by": "name", "agreement": None},
        {"old": "stock", "new": "qty_on_hand", "by": "content", "agreement": 0.6667}]
    assert (summary.columns_added, summary.columns_removed, summary.columns_moved) == (
        ["note"], ["colour"], ["Price"])
    assert summary.cells_changed == {"Price": 1, "qty_on_hand": 1}
    assert rows(result, "status", "changed_columns", "Price", "Price (old)", "qty_on_hand (old)") == [
        ["unchanged", "", "1.00", "", ""], ["changed", "Price", "2.20", "2.00", ""],
        ["changed", "qty_on_hand", "3.00", "", "9"]]
    assert summary.notes[:5] == [
        "Column price is now Price (renamed: same name up to case and spacing).",
        "Column stock is now qty_on_hand (renamed: 67% of paired rows hold the same value).",
        "Column added: note.", "Column removed: colour.", "Column moved: Price."]


def test_a_key_column_renamed_in_case_only_still_pairs_the_rows():
    old = frame("No,SKU,price\n1,A,1\n2,B,2")
    new = frame("No,sku,price\n1,X,9\n2,A,1\n3,B,3")
    result = compare_tables(old, new)
    assert result.summary.key == ["sku"]
    assert result.summary.columns_renamed == [{"old": "SKU", "new": "sku", "by": "name", "agreement": None}]
    assert rows(result, "status", "changed_columns", "sku") == [
        ["added", "", "X"], ["unchanged", "", "A"], ["changed", "price", "B"]]


def test_columns_with_different_contents_stay_added_and_removed():
    old = frame("sku,colour\nA,red\nB,green\nC,blue")
    new = frame("sku,size\nA,S\nB,M\nC,blue")
    summary = compare_tables(old, new).summary
    assert (summary.columns_renamed, summary.columns_added, summary.columns_removed) == (
        [], ["size"], ["colour"])


@pytest.mark.parametrize("positions, moved", [
    ([0, 1, 2, 3], []),
    ([0, 3, 1, 2], ["b"]),
    ([1, 2, 3, 0], ["d"]),
    ([3, 2, 1, 0], ["a", "b", "c"]),
])
def test_the_fewest_moved_columns_are_reported(positions, moved):
    assert moved_columns(positions, ["a", "b", "c", "d"]) == moved


# ---------------------------------------------------------------- changed rows only


def test_changed_only_leaves_unchanged_rows_out_but_counts_them(tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text("sku,price\nA,1\nB,2\nC,3\n", "utf-8")
    new.write_text("sku,price\nA,1\nB,5\nD,4\n", "utf-8")
    target = tmp_path / "diff.csv"
    code, out, _ = run("compare", str(old), str(new), "--key", "sku", "--changed-only",
                       "-o", str(target), "--json", "-q")
    assert code == 0
    report = json.loads(out)
    assert {k: report[k] for k in ("added", "removed", "changed", "unchanged")} == {
        "added": 1, "removed": 1, "changed": 1, "unchanged": 1}
    assert target.read_text("utf-8").splitlines() == [
        "status,changed_columns,old_row,new_row,sku,price,price (old)",
        "changed,price,2,2,B,5,2", "added,,,3,D,4,", "removed,,3,,C,3,"]


def test_a_column_with_missing_cells_is_never_a_key_candidate():
    old = pd.DataFrame({"id": ["1", None, "3"], "sku": ["A", "B", "C"]}, dtype=object)
    new = pd.DataFrame({"id": ["1", "2", "3"], "sku": ["A", "B", "D"]}, dtype=object)
    result = compare_tables(old, new)
    assert result.summary.key == ["sku"]
    assert [c["column"] for c in result.summary.key_candidates] == ["sku"]


def test_field_case_notes_carry_codes_and_a_key_that_repeats_is_named_by_its_count(tmp_path):
    from datatools.io import read_table

    old, new = (read_table(FIELD_CASES / f"compare_rownum_{v}.csv").frame for v in ("old", "new"))
    notes = compare_tables(old, new).summary.notes
    assert [(n.code, n.params) for n in notes] == [
        ("compare_paired_by_key_inferred_others", {"key": "sku", "equal": 0, "others": "No, a running row number"}),
        ("compare_row_counter", {"column": "No", "rows": 2})]
    # The same new version with one row repeated: the message counts that row's value.
    doubled = tmp_path / "doubled.csv"
    doubled.write_text((FIELD_CASES / "compare_rownum_new.csv").read_text("utf-8") + "4,A\n", "utf-8")
    code, out, err = run("compare", str(FIELD_CASES / "compare_rownum_old.csv"), str(doubled), "--key", "sku")
    assert (code, out) == (2, "")
    assert "The key sku is not unique in doubled.csv: 'A' appears 2 times. Choose another key column." in err
