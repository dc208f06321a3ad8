"""A house number keyed again with a letter typed into it does not keep one person's rows apart
(DECISIONS 453): on the generated US customer list (bench/synthetic/customers.py, 2,000 rows,
households and namesakes) `Roy Ayers` at `602g Oak St`, `6s023 Oak Street` and `6023 Oak Street`
(one phone, one postcode) is one person, but the first two were vetoed as two words that share
nothing, and the three were never one group. Run through the installed `datatools` script, both
engines; no certain group holds two people."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from tests.cli_process import groups_by_certainty  # noqa: E402
from tests.test_dedupe_variants import datatools  # noqa: E402


@pytest.fixture(scope="module")
def customers_csv(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """(the folder of the list's CSV, with a `ref` column R1…; each ref's person)."""
    from synthetic.customers import _customer_groups

    frame, groups = _customer_groups("us", 2000, 0.25, 11)
    frame.insert(0, "ref", [f"R{k + 1}" for k in range(len(frame))])
    folder = tmp_path_factory.mktemp("customers")
    frame.to_csv(folder / "customers.csv", index=False)
    person = {f"R{row + 1}": number for number, group in enumerate(groups) for row in group}
    return folder, person


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_house_number_keyed_with_a_letter_joins_its_person(customers_csv, engine):
    folder, person = customers_csv
    datatools("dedupe", "customers.csv", "--columns", "first,last,street,zip,city,phone,email",
              "--engine", engine, "-o", f"{engine}.csv", cwd=folder)
    found = groups_by_certainty(folder / f"{engine}.csv", "ref")
    assert "R1738|R564|R678" in found["certain"]
    # no certain group holds rows of two people (a row of no duplicate is its own person)
    assert [group for group in found["certain"]
            if len({person.get(ref, ref) for ref in group.split("|")}) > 1] == []
