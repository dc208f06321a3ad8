"""`match --estimate` over every left row says exactly how many certain matches the run writes,
also where the checks that follow the learned model keep a probable pair possible (a wife's
order against her husband's customer row: Paula and Paul Bauer at one address). Trial 6: the
estimate said 324 where the run wrote 320, because it counted probabilities only."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

DATATOOLS = Path(sys.executable).with_name("datatools")
GIVEN = ["Anna", "Birgit", "Claus", "Dieter", "Elke", "Frank", "Gerd", "Heike", "Ingo", "Jutta",
         "Karl", "Lena", "Maik", "Nina", "Olaf", "Petra", "Rolf", "Sven", "Tanja", "Uwe", "Vera",
         "Wolf", "Yvonne", "Zora", "Bernd", "Doris", "Egon", "Gisela", "Horst", "Ilse"]
SURNAMES = ["Bauer", "Becker", "Fischer", "Hahn", "Hoffmann", "Koch", "Krause", "Lange", "Meyer",
            "Neumann", "Richter", "Schmitz", "Schulz", "Vogel", "Wagner", "Weber", "Wolf", "Zimmer",
            "Berger", "Brandt"]
COUPLES = [("Paul", "Paula"), ("Stefan", "Stefanie"), ("Christian", "Christina"), ("Simon", "Simone"),
           ("Michael", "Michaela"), ("Daniel", "Daniela"), ("Alexander", "Alexandra"), ("Andreas", "Andrea")]
STREETS = ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schulstraße", "Ringstraße"]
CITIES = [("10115", "Berlin"), ("20095", "Hamburg"), ("50667", "Köln"), ("80331", "München")]


def _tables(tmp_path: Path) -> tuple[Path, Path]:
    pick = random.Random(7)
    customers, orders = [], []
    for n, (given, surname) in enumerate((g, s) for s in SURNAMES for g in GIVEN):
        zip_code, city = pick.choice(CITIES)
        customers.append([given, surname, f"{pick.choice(STREETS)} {n % 97 + 1}", zip_code, city])
    for k, (husband, wife) in enumerate(COUPLES):     # only the husband is a customer
        customers.append([husband, "Krüger", f"Am Markt {k + 1}", "30159", "Hannover"])
        orders.append([wife, "Krüger", f"Am Markt {k + 1}", "30159", "Hannover"])
    for row in pick.sample(customers[:600], 450):     # real customers' orders, some mistyped
        given, at = row[0], pick.randrange(1, len(row[0]) - 1)
        if pick.random() < 0.3:                       # two neighbouring letters swapped
            given = given[:at] + given[at + 1] + given[at] + given[at + 2:]
        orders.append([given, *row[1:]])
    header = "first;last;street;zip;city\n"
    left, right = tmp_path / "orders.csv", tmp_path / "customers.csv"
    left.write_text(header + "".join(";".join(r) + "\n" for r in orders), encoding="utf-8")
    right.write_text(header + "".join(";".join(r) + "\n" for r in customers), encoding="utf-8")
    return left, right


def _run(*argv: str, cache: Path) -> subprocess.CompletedProcess:
    run = subprocess.run([str(DATATOOLS), "match", *argv], capture_output=True, text=True,
                         env={"XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    return run


def test_the_estimate_over_every_row_equals_the_runs_certain_count(tmp_path):
    left, right = _tables(tmp_path)
    on = ["--on", "first,last,street,zip,city"]
    estimate = json.loads(_run(str(left), str(right), *on, "--estimate", "--json", cache=tmp_path).stdout)
    report = json.loads(_run(str(left), str(right), *on, "--json", "-q", "-o", str(tmp_path / "out.csv"),
                             cache=tmp_path).stdout)
    assert estimate["exact"] and estimate["learned"]
    assert report["possible"] >= len(COUPLES)          # the wives' orders wait for review
    assert estimate["sample_matched"] == report["certain"]
