"""A short table's columns are tested for numbers and dates all at once (clean_shapes): each
column must come out as it does cleaned alone, cell for cell and report for report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from cli_process import datatools

COLUMNS = {
    "few": ["1", "yes", "no", "2", "3"],                        # too few numbers, no dates
    "whole": ["1", "22", "333", "", "4444"],                    # numbers with nothing to rewrite
    "amount": ["1.234,5", "2,25", "7", "", "10.000"],           # decimal commas: read
    "mixed": ["1,5", "2.5", "3", "4", "5"],                     # both marks: a conflict notice
    # Read with the others at once (clean_batch): grouped by space, apostrophe, comma; signed.
    "spaced": ["1 234,5", "12 345,75", "3,5", "", "-1 000,25"],
    "swiss": ["1'234.50", "2'000.25", "3.5", "10'000.00", "+4.75"],
    "grouped": ["1,234.5", "2,000", "1,234.5", "7.25", "-12,345.5"],
    "thousands": ["1,234", "2,345", "3", "4", "5"],             # either mark: an ambiguous notice
    "iso": ["2024-01-02", "2024-02-03", "", "2024-03-04", "2024-05-06"],   # nothing to read
    "joined": ["13/02/2024", "5/3/24", "", "31/02/2024", "01/12/1999"],    # read, one not real
    "dotted": ["31.12.2024", "1.2.2024", "05.06.24", "", "29.02.2023"],   # layout kept, one not real
    "loose": ["5.3.2024", "9.2.2024", "25.3.2024", "01.02.2024", "7.8.2024"],   # kept unpadded
    "when": ["03/04/2024", "2024-01-02", "x", "05/06/2024", "07/08/2024"],  # either order
    "name": ["Ann", "Bo", "Cy", "", "Di"],
    "ref": ["01,5", "02,5", "03,25", "04,5", "05,75"],          # a code: numbers held, but noted
    "blank": ["", "", "", "", ""],
}


def write(path: Path, columns: dict[str, list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(columns)
        out.writerows(zip(*columns.values()))


def clean(folder: Path, name: str, columns: dict[str, list[str]], *options: str) -> tuple[dict, dict]:
    """`clean` with numbers and dates read, on a file with an `id` column and `columns`."""
    write(folder / f"{name}.csv", {"id": [chr(ord("a") + i) for i in range(5)], **columns})
    done = datatools("clean", f"{name}.csv", "--numbers", "auto", "--dates", "auto", *options,
                     "-o", f"{name}.out.csv", "--json", "--quiet", "--force", cwd=folder)
    assert done.returncode == 0, done.stderr
    with open(folder / f"{name}.out.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return json.loads(done.stdout), {c: [r[i] for r in rows[1:]] for i, c in enumerate(rows[0])}


def test_each_column_of_a_wide_table_is_cleaned_as_it_is_alone(tmp_path):
    for options in (["--number-format", "comma"], [], ["--number-format", "point", "--date-format", "iso"]):
        report, cells = clean(tmp_path, "wide", COLUMNS, *options)
        assert report["columns"]["amount"]["steps"] or options == []
        notes = []
        for column, values in COLUMNS.items():
            # Alone: `id` has a tidy rule of its own, so the column is not stacked with it.
            alone, alone_cells = clean(tmp_path, column, {column: values}, *options,
                                       "--column", "id:trim=off")
            assert cells[column] == alone_cells[column], column
            # As JSON: the order of the held rules shows in the output too.
            assert json.dumps(report["columns"][column]) == json.dumps(alone["columns"][column]), column
            for key in ("changes", "cells", "date_orders", "number_styles"):
                assert report[key].get(column) == alone[key].get(column), (column, key)
            notes += alone["notes"]
        # The notes on the written format name every such column in one: compared apart.
        def own(all_notes):
            return sorted(n for n in all_notes if not n.startswith(("Numbers in ", "Dates in ")))
        assert own(report["notes"]) == own(notes)
    assert cells["spaced"] == ["1234.5", "12345.75", "3.5", "", "-1000.25"]
    assert report["number_styles"]["thousands"] == "ambiguous"
    assert cells["dotted"] == ["2024-12-31", "2024-02-01", "2024-06-05", "", "29.02.2023"]
    assert cells["amount"] == ["1234.5", "2.25", "7", "", "10000"]
    assert cells["joined"] == ["2024-02-13", "2024-03-05", "", "31/02/2024", "1999-12-01"]
    assert report["columns"]["few"]["held"] == {"numbers": "few_numbers", "dates": "no_dates"}
    assert report["number_styles"]["mixed"] == "conflict"
    assert report["columns"]["ref"]["held"]["numbers"] == "codes"
    assert report["columns"]["ref"]["spared"] == {"numbers": [5, "01,5"]}
