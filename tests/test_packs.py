"""A single item against a pack of several of it (DECISIONS 576): never certainly one article,
in match or dedupe, and the match_reason says why; dimensions, processors, magnifications and
model numbers written with an `x` are no packs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.cli_process import datatools

ITEMS = ["Duracell AA Alkaline Battery", "Sharpie Fine Point Permanent Marker Black",
         "Kingston DataTraveler USB Flash Drive", "Logitech Wireless Mouse M185",
         "Pilot G2 Retractable Gel Pen Blue", "Crayola Washable Markers Broad Line",
         "Scotch Magic Tape Refill", "Post-it Super Sticky Notes Yellow"]
PACKS = ["{} (Pack of 10)", "{} 10-Pack", "{} 10 pk", "{} x10", "10 x {}", "{} Set of 10",
         "{} Box of 12", "{} 10x"]
WHY = "possible (a pack of several on one side only)"


def normalised(*values: str) -> list[str]:
    from datatools.tools.normalize import normalize_text

    return normalize_text(list(values)).to_pylist()


def write(path: Path, column: str, values: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([[column], *[[value] for value in values]])


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("pack", PACKS)
def test_every_way_of_writing_a_pack_differs_from_the_single_item(pack):
    from datatools.tools.packs import packs_differ

    assert packs_differ(*normalised(ITEMS[0], pack.format(ITEMS[0])))


@pytest.mark.parametrize("one, other", [
    ("Timber Batten 2 x 4 m", "Timber Batten"),                 # a dimension
    ("2 x 4 m Timber Batten", "Timber Batten"),
    ("Timber Batten 2 x 4", "Timber Batten"),
    ("Windows 7 Professional x64", "Windows 7 Professional"),    # a processor
    ("Fujifilm X10 Digital Camera", "Fujifilm Digital Camera"),   # a model inside the title
    ("Sony Xperia Mini X10", "Sony X10 Xperia Mini"),            # a model both titles hold
    ("10x Zoom Digital Camera", "Digital Camera"),               # a magnification
    ("Back Pack Blue", "Back Pack"), ("Battery Pack", "Battery"),  # `pack` with no count
    ("Duracell AA Battery Pack of 10", "Duracell AA Battery 10-Pack"),   # one count
    ("Canon PG-40 Twin Pack", "Canon PG-40 2 pack")])
def test_what_is_no_pack_or_the_same_pack_does_not_differ(one, other):
    from datatools.tools.packs import packs_differ

    assert not packs_differ(*normalised(one, other))


def test_two_counts_differ():
    from datatools.tools.packs import packs_differ

    assert packs_differ(*normalised("Duracell AA Battery Pack of 10", "Duracell AA Battery 12 pk"))


def test_a_match_of_a_single_item_to_its_pack_is_possible_and_says_why(tmp_path):
    """On a small table `… Pack of 10` scored 90 against the single item and was certain;
    `x10` and `10x` were read as no count at all."""
    write(tmp_path / "left.csv", "title", ITEMS)
    write(tmp_path / "right.csv", "title", [p.format(i) for i, p in zip(ITEMS, PACKS)])
    done = datatools("match", "left.csv", "right.csv", "--on", "title", "-o", "out.csv", "-q",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = read(tmp_path / "out.csv")
    assert [row["match_certainty"] for row in rows] == ["possible"] * len(ITEMS)
    assert all(row["match_reason"].startswith(f"right row {k}: {WHY}; ")
               for k, row in enumerate(rows, start=1))


@pytest.mark.parametrize("column", ["title", "name"])
def test_dedupe_groups_a_single_item_and_its_pack_only_for_review(tmp_path, column):
    """In a column named `name` (no product word) the pairs were certain, and --keep would have
    dropped the single item for the pack."""
    write(tmp_path / "in.csv", column, ITEMS + [p.format(i) for i, p in zip(ITEMS, PACKS)])
    done = datatools("dedupe", "in.csv", "--columns", column, "-o", "out.csv", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = read(tmp_path / "out.csv")
    assert [row["cluster_id"] for row in rows] == [str(k) for k in range(1, 9)] * 2
    assert {row["match_certainty"] for row in rows} == {"possible"}
    assert all(row["match_reason"].split(": ", 1)[1].startswith(WHY) for row in rows)
