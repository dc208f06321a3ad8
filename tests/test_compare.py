"""compare_tables: key given, key inferred, rows aligned by content, and bad keys."""

import pandas as pd
import pytest

from datatools.errors import BadInput, BadOption
from datatools.tools.compare import compare_tables


def frame(rows, columns):
    return pd.DataFrame(rows, columns=columns, dtype=object)


OLD = frame([("1", "Apple", "1.00"), ("2", "Pear", "2.00"), ("3", "Plum", "3.00")], ["sku", "item", "price"])
NEW = frame([("1", "Apple", "1.10"), ("3", "Plum", "3.00"), ("4", "Kiwi", "0.50")], ["sku", "item", "price"])
EXPECTED_DIFF = [
    ["changed", "price", "1", "1", "1", "Apple", "1.10", "1.00"],
    ["unchanged", "", "3", "2", "3", "Plum", "3.00", ""],
    ["added", "", "", "3", "4", "Kiwi", "0.50", ""],
    ["removed", "", "2", "", "2", "Pear", "2.00", ""],
]


def test_rows_pair_by_the_given_key_and_changed_cells_show_old_values():
    result = compare_tables(OLD, NEW, ["sku"])
    assert (result.summary.added, result.summary.removed, result.summary.changed,
            result.summary.unchanged) == (1, 1, 1, 1)
    assert list(result.diff.columns) == ["status", "changed_columns", "old_row", "new_row", "sku",
                                         "item", "price", "price (old)"]
    assert result.diff.values.tolist() == EXPECTED_DIFF
    assert not result.summary.key_inferred


def test_an_identifying_column_is_inferred_when_no_key_is_given():
    result = compare_tables(OLD, NEW)
    assert result.summary.to_dict() == {
        "columns_renamed": [], "columns_added": [], "columns_removed": [], "columns_moved": [],
        "added": 1, "removed": 1, "changed": 1, "unchanged": 1, "cells_changed": {"price": 1},
        "key": ["sku"], "key_inferred": True, "aligned_by": "key",
        "key_candidates": [{"column": "sku", "rows_paired": 2, "equal_cells": 3, "counter": False,
                            "columns": ["sku"]}],
        "counters": [], "renumbered": {}, "repeated_key": {}, "keys_passed_over": [],
        "numbers_respelled": {}, "notes": ["Rows paired by key sku (inferred)."]}
    assert result.diff.values.tolist() == EXPECTED_DIFF


def test_without_any_key_rows_are_aligned_by_content():
    old = frame([("Apple", "red"), ("Apple", "green"), ("Pear", "green"), ("Plum", "blue")],
                ["item", "colour"])
    new = frame([("Aple", "red"), ("Apple", "green"), ("Plum", "blue"), ("Kiwi", "brown")],
                ["item", "colour"])
    result = compare_tables(old, new)
    assert result.summary.aligned_by == "content" and result.summary.key == []
    assert result.diff[["status", "old_row", "new_row", "item", "item (old)"]].values.tolist() == [
        ["changed", "1", "1", "Aple", "Apple"],
        ["unchanged", "2", "2", "Apple", ""],
        ["unchanged", "4", "3", "Plum", ""],
        ["added", "", "4", "Kiwi", ""],
        ["removed", "3", "", "Pear", ""],
    ]


def test_added_and_removed_columns_are_reported_and_kept_in_the_diff():
    result = compare_tables(OLD, NEW.drop(columns=["item"]).assign(stock="5"), ["sku"])
    assert (result.summary.columns_added, result.summary.columns_removed) == (["stock"], ["item"])
    assert list(result.diff.columns)[4:] == ["sku", "price", "stock", "item", "price (old)"]


def test_inputs_are_not_modified():
    old, new = OLD.copy(), NEW.copy()
    compare_tables(old, new)
    assert old.equals(OLD) and new.equals(NEW)


def test_bad_keys_are_refused_with_a_clear_message():
    with pytest.raises(BadInput, match="No column 'id' in the old table"):
        compare_tables(OLD, NEW, ["id"])
    doubled = pd.concat([NEW, NEW.iloc[[0]]], ignore_index=True)
    with pytest.raises(BadOption, match="The key item is not unique in the new table: 'Apple' appears 2 times"):
        compare_tables(OLD, doubled, ["item"])
    with pytest.raises(BadInput, match="no column name in common") as caught:
        compare_tables(OLD, frame([("x",)], ["other"]), names=("june.csv", "july.csv"))
    assert (caught.value.code, caught.value.params) == ("compare_no_shared_column", {"old": "june.csv", "new": "july.csv"})
    with pytest.raises(BadInput, match="already has a column named 'status'") as caught:
        compare_tables(OLD, NEW.assign(status="x"))
    assert (caught.value.code, caught.value.params) == ("compare_reserved_column",
                                                         {"column": "status", "file": "the new table"})
    assert caught.value.message.startswith("The new table already has a column named 'status'")


def key_error(old, new, key, names=("old.csv", "new.csv")) -> BadOption:
    with pytest.raises(BadOption) as caught:
        compare_tables(old, new, key, names=names)
    return caught.value


def test_a_repeated_key_value_is_reported_with_how_often_that_value_appears():
    # 2,363 rows repeat a city: 1,180 cities twice and one three times. The first repeated
    # value, Leeds-0, appears twice: the message once said "appears 2363 times".
    cities = [f"Leeds-{k // 2}" for k in range(2360)] + ["York"] * 3 + [f"Solo-{k}" for k in range(50)]
    new = frame([(str(k), city) for k, city in enumerate(cities)], ["sku", "city"])
    error = key_error(new.iloc[:1], new, ["city"])
    assert error.message == ("The key city is not unique in new.csv: 'Leeds-0' appears 2 times. "
                             "Choose another key column.")
    assert (error.code, error.params) == ("key_not_unique", {
        "column": "city", "file": "new.csv", "value": "Leeds-0", "count": 2})
    # The value that repeats first is the one named, with its own count.
    york_first = frame([("1", "York"), ("2", "Bath"), ("3", "York"), ("4", "Bath"), ("5", "York")], ["sku", "city"])
    error = key_error(york_first, york_first, ["city"], names=("prices-june.csv", "prices-july.csv"))
    assert error.message == ("The key city is not unique in prices-june.csv: 'York' appears 3 times. "
                             "Choose another key column.")
    assert "--key" not in error.message


def test_a_repeated_key_of_several_columns_counts_that_combination():
    rows = frame([("A", "1"), ("A", "2"), ("A", "1"), ("B", "1"), ("A", "1"), ("B", "1")], ["shop", "sku"])
    error = key_error(rows.iloc[:2], rows, ["shop", "sku"])
    assert error.params == {"column": "shop, sku", "file": "new.csv", "value": "A / 1", "count": 3}
    assert error.message.startswith("The key shop, sku is not unique in new.csv: 'A / 1' appears 3 times.")


def test_the_command_line_names_the_file_and_exits_as_a_usage_error(tmp_path):
    import io

    from datatools.cli import main

    old, new = tmp_path / "june.csv", tmp_path / "july.csv"
    old.write_text("sku,city\n1,Ulm\n", "utf-8")
    new.write_text("sku,city\n1,Ulm\n2,Bonn\n3,Bonn\n4,Ulm\n5,Ulm\n6,Ulm\n", "utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["compare", str(old), str(new), "--key", "city"], out, err) == 2
    assert "The key city is not unique in july.csv: 'Ulm' appears 4 times." in err.getvalue()
    assert out.getvalue() == ""


def test_every_note_is_a_notice_with_a_known_code_and_the_english_text_unchanged():
    from datatools.tools.compare import NOTICE_CODES

    result = compare_tables(OLD, NEW.rename(columns={"item": "Item"}).assign(stock="1"))
    notes = result.summary.notes
    assert [(n.code, n.params) for n in notes] == [
        ("compare_renamed_by_name", {"old": "item", "new": "Item"}),
        ("compare_columns_added", {"columns": "stock", "count": 1}),
        ("compare_paired_by_key_inferred", {"key": "sku"}),
    ]
    assert notes == ["Column item is now Item (renamed: same name up to case and spacing).",
                     "Column added: stock.",
                     "Rows paired by key sku (inferred)."]
    assert {n.code for n in notes} <= set(NOTICE_CODES)
    # The report's notes stay the sentences, Notices still (their codes survive to_dict).
    assert [n.code for n in result.summary.to_dict()["notes"]] == [n.code for n in notes]
