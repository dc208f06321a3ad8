"""A product listing keyed twice identically is a certain duplicate at any list size (issue 30,
DECISIONS 433): the generated shop catalogue (bench/synthetic/catalogue.py, a Zipf share of
vendors, each garment title sold by several of them) deduplicated on title and vendor at
20,000 rows left listings keyed again in other case or spacing out of every group, the learned
model weighing each below a half. Run through the installed `datatools` script, both engines."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from tests.cli_process import groups_by_certainty  # noqa: E402
from tests.test_dedupe_variants import datatools  # noqa: E402

ROWS = 20_000


@pytest.fixture(scope="module")
def catalogue_csv(tmp_path_factory) -> tuple[Path, set[str], set[str]]:
    """(the catalogue's CSV with a `ref` column R1…, every listing pair keyed twice, those of
    them whose title and vendor are equal but for case and spacing)."""
    from synthetic.catalogue import catalogue

    frame, truth = catalogue(ROWS, ROWS // 6)
    frame.insert(0, "ref", [f"R{k + 1}" for k in range(len(frame))])
    folder = tmp_path_factory.mktemp("catalogue")
    frame.to_csv(folder / "products.csv", index=False)

    def plain(row: int) -> tuple[str, str]:
        return (" ".join(frame["title"][row].casefold().split()),
                frame["vendor"][row].casefold())

    pairs = {f"R{a + 1}|R{b + 1}" if f"R{a + 1}" < f"R{b + 1}" else f"R{b + 1}|R{a + 1}"
             for a, b in truth}
    alike = {f"R{a + 1}|R{b + 1}" if f"R{a + 1}" < f"R{b + 1}" else f"R{b + 1}|R{a + 1}"
             for a, b in truth if plain(a) == plain(b)}
    return folder, pairs, alike


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_every_listing_keyed_twice_identically_is_one_certain_group(catalogue_csv, engine):
    folder, pairs, alike = catalogue_csv
    assert len(alike) > 1000
    datatools("dedupe", "products.csv", "--columns", "title,vendor", "--engine", engine,
              "-o", f"{engine}.csv", cwd=folder)
    found = groups_by_certainty(folder / f"{engine}.csv", "ref")
    # every listing keyed twice identically is found, as a certain group of its two rows ...
    assert alike - found["certain"] == set()
    # ... and no certain group holds another size, colour or vendor's listing
    assert found["certain"] - pairs == set()
