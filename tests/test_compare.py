"""compare_tables: key given, key inferred, rows aligned by content, and bad keys."""

import pandas as pd
import pytest

from datatools.errors import BadInput
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
        "key_candidates": [{"column": "sku", "rows_paired": 2, "equal_cells": 3, "counter": False},
                           {"column": "item", "rows_paired": 2, "equal_cells": 3, "counter": False}],
        "counters": [], "renumbered": {},
        "notes": ["Rows paired by key sku (inferred: 3 other cells equal; also considered: item, "
                  "3 cells equal)."]}
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
    with pytest.raises(BadInput, match="The key item is not unique in the new table: 'Apple' appears 2 times"):
        compare_tables(OLD, doubled, ["item"])
    with pytest.raises(BadInput, match="no column name in common"):
        compare_tables(OLD, frame([("x",)], ["other"]))
