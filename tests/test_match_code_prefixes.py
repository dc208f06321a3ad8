"""Match on product titles (trial A, session 9): a number two product lines reuse after
different series prefixes (`GWS-547E`, a circular saw, against `GBH 547E`, a hammer drill) names
two products, not one; a match a model number decides says so in its reason; and a certain
match's match_score is never below a possible one's bar (75), however little its words agree —
a user who sorts by match_score and drops the low ones keeps every certain match. Through the
installed `datatools` script on both engines, which write the same file."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from test_dedupe_variants import write

SCRIPT = Path(sys.executable).with_name("datatools")
LEFT = [["B1", "Bosch Handkreissäge GWS-547E 1.100 W inkl. Koffer"],
        ["B2", "Metabo Dampfreiniger KS-131N 1.100 W"],
        ["B3", "Kärcher Schlagbohrmaschine WD-239P2 1.100 W"],
        ["B4", "Einhell Tauchsäge TE-CS-630Z 1.400 W inkl. Koffer"],
        ["B5", "Ryobi Akku-Bohrschrauber RCS-947X 18 V, solo inkl. Koffer"],
        ["B6", "Makita Winkelschleifer GA-5030 720 W"]]
RIGHT = [["S1", "Bosch GBH 547E Akku-Bohrschrauber 36 V 2x 2,0 Ah"],
         ["S2", "Metabo W-131N Akku-Schlagschrauber 18 V 1x 5,0 Ah"],
         ["S3", "RYOBI R18AG-239P2 Akku-Schlagschrauber 12 V 1x 5,0 Ah"],
         ["S4", "Einhell Tauchsäge TECS630Z - 1.400 W"],
         ["S5", "Ryobi Akku-Bohrschrauber RCS947X - 18 V (ohne Akku, ohne Ladegerät)"],
         ["S6", "Makita GA-5030 Winkelschleifer 720 W"]]


def _match(tmp_path: Path, engine: str) -> tuple[str, dict[str, dict]]:
    done = subprocess.run([str(SCRIPT), "match", "preise.csv", "shop.csv", "--on", "Bezeichnung",
                           "--right-on", "Produkttitel", "--engine", engine, "-o", f"{engine}.csv",
                           "-q"], cwd=tmp_path, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / f"{engine}.csv").read_text(encoding="utf-8")
    with open(tmp_path / f"{engine}.csv", encoding="utf-8", newline="") as handle:
        return text, {row["Nr"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def matched(tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("prefixes")
    write(folder / "preise.csv", ["Nr", "Bezeichnung"], LEFT)
    write(folder / "shop.csv", ["Artikel", "Produkttitel"], RIGHT)
    memory, rows = _match(folder, "memory")
    duckdb, _ = _match(folder, "duckdb")
    assert memory == duckdb
    return rows


def test_a_shared_number_after_two_series_prefixes_is_no_certain_match(matched):
    """main: B1–B3 were certain, their scores lifted to 75 by the shared `547E`, `131N`,
    `239P2`, their reasons `differed Bezeichnung 37; whole row 37`."""
    for nr in ("B1", "B2", "B3"):
        assert (matched[nr]["match_certainty"], matched[nr]["right_Artikel"]) != ("certain", f"S{nr[1]}"), matched[nr]


def test_a_match_a_model_number_decides_says_so_and_scores_as_certain(matched):
    """main: B4's reason did not name the code that made it certain (`agreed Bezeichnung 58;
    whole row 58`, match_score 75), and B5 was certain with match_score 16."""
    assert matched["B4"]["match_certainty"] == "certain"
    assert matched["B4"]["match_reason"].startswith("right row 4: the same model number 630Z in both; ")
    assert matched["B5"]["match_certainty"] == "certain"
    assert matched["B5"]["match_reason"].startswith("right row 5: the same model number RCS947X, ")
    certain = [int(row["match_score"]) for row in matched.values() if row["match_certainty"] == "certain"]
    assert len(certain) >= 3 and min(certain) >= 75
