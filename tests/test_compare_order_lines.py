"""`compare` without `--key` on an order export, whose rows an order number and a line number
identify together (no column alone does): the installed script finds that two-column key, in
both engines, and counts the orders added and removed as such (trial 6: a removed order was
shown as "changed" into a new one, paired by content)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

DATATOOLS = Path(sys.executable).with_name("datatools")
HEADER = "Bestellnr;Position;Artikelnr;Menge;Preis;Datum\n"


def _lines(orders: list[str], day: str) -> list[str]:
    """Two lines per order: the same two articles, so orders differ in their number and date."""
    return [f"{order};{line};{article};{line};{price};{day}\n"
            for order in orders for line, article, price in ((1, "BO-GSR12", "129,00"),
                                                             (2, "KA-1000", "1.299,00"))]


def _compare(tmp_path: Path, engine: str) -> tuple[dict, list[dict]]:
    kept = [f"A{n}" for n in range(10001, 10041)]
    old = _lines(kept + ["A10103"], "02.01.2024")
    new = _lines(kept, "02.01.2024") + _lines(["A20001"], "03.01.2024")
    new[3] = new[3].replace("1.299,00", "1.199,00")          # A10002 line 2: a real price change
    (tmp_path / "v1.csv").write_text(HEADER + "".join(old), encoding="utf-8")
    (tmp_path / "v2.csv").write_text(HEADER + "".join(new), encoding="utf-8")
    out = tmp_path / f"diff-{engine}.csv"
    run = subprocess.run([str(DATATOOLS), "compare", str(tmp_path / "v1.csv"), str(tmp_path / "v2.csv"),
                          "--engine", engine, "--changed-only", "--json", "-o", str(out)],
                         capture_output=True, text=True,
                         env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        return json.loads(run.stdout), list(csv.DictReader(handle, delimiter=";"))


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_an_order_number_and_its_line_number_pair_the_rows(tmp_path, engine):
    report, diff = _compare(tmp_path, engine)
    assert report["key"] == ["Bestellnr", "Position"] and report["key_inferred"]
    status = {(row["Bestellnr"], row["Position"]): row["status"] for row in diff}
    assert status == {("A10103", "1"): "removed", ("A10103", "2"): "removed",
                      ("A20001", "1"): "added", ("A20001", "2"): "added",
                      ("A10002", "2"): "changed"}
    changed = next(row for row in diff if row["status"] == "changed")
    assert changed["changed_columns"] == "Preis"
