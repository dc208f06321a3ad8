"""`datatools match` on a default run never writes two parties as a certain match (issue 30):
sister firms at one address (`… UG (haftungsbeschränkt)`, a legal form that says nothing), two
members of a household, and the printed counts equal what the written file holds."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

SURNAMES = ["Krämer", "Seidel", "Lehmann", "Brandt", "Vogel", "Keller", "Franke", "Berger", "Haas",
            "Kuhn", "Roth", "Graf", "Beck", "Lorenz", "Baumann", "Pohl", "Sauer", "Arnold",
            "Ziegler", "Kraft", "Jäger", "Otto", "Simon", "Böhm", "Winkler", "Voigt", "Busch",
            "Kühn", "Brunner", "Engel"]
TRADES = ["Logistik", "Holzbau", "Software", "Metallbau", "Druckerei", "Elektrotechnik",
          "Gartenbau", "Spedition", "Immobilien", "Fliesenleger", "Dachdeckerei", "Reinigung",
          "Malerbetrieb", "Kfz-Technik", "Tischlerei", "Optik", "Apotheke", "Werbeagentur",
          "Zahntechnik", "Bauelemente"]
FORMS = ["UG (haftungsbeschränkt)", "GmbH", "AG", "KG", "e.K.", "GmbH & Co. KG"]
STREETS = ["Hauptstr.", "Bahnhofstr.", "Gartenweg", "Lindenallee", "Schulstr.", "Ringstr.",
           "Mozartstr.", "Kirchplatz", "Am Markt", "Feldweg"]
CITIES = [("10115", "Berlin"), ("80331", "München"), ("50667", "Köln"), ("20095", "Hamburg"),
          ("01067", "Dresden"), ("04109", "Leipzig"), ("70173", "Stuttgart"), ("28195", "Bremen")]


def datatools(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed `datatools` console script, run as a user runs it."""
    script = Path(sys.executable).parent / "datatools"
    return subprocess.run([str(script), *argv], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def address(k: int) -> list[str]:
    postcode, city = CITIES[k % len(CITIES)]
    return [f"{STREETS[k // len(CITIES) % len(STREETS)]} {k // 80 + 1}", postcode, city]


@pytest.fixture(scope="module")
def firms(tmp_path_factory) -> Path:
    """600 suppliers and the CRM's 600 firms (enough rows that a model is learned): the same
    firms, `haftungsbeschraenkt` spelled out in some, but at rows 0-5 a sister firm at the
    supplier's address instead: same surname, same legal form, another trade."""
    folder = tmp_path_factory.mktemp("firms")
    left, right = [], []
    for k in range(600):
        surname, trade = SURNAMES[k % 30], TRADES[k // 30 % 20]
        form = FORMS[k % len(FORMS)] if k >= 6 else FORMS[0] if k < 5 else "AG"
        name = f"{surname} {trade} {form}"
        left.append([f"L{k}", name, *address(k)])
        if k < 6:
            other = TRADES[(k // 30 + 7) % 20] if k else "Holzbau"
            if k == 5:
                name, other = "Seidel Software AG", "IT-Service"
                left[-1][1] = name
            right.append([f"C{k}", f"{name.split()[0]} {other} {form}", *address(k)])
        else:
            right.append([f"C{k}", name.replace("beschränkt", "beschraenkt") if k % 12 == 0 else name,
                          *address(k)])
    write(folder / "lieferanten.csv", ["LNr", "Lieferant", "Strasse", "PLZ", "Ort"], left)
    write(folder / "crm.csv", ["CNr", "Firma", "Anschrift", "PLZ", "Stadt"], right)
    return folder


def test_sister_firms_at_one_address_are_not_certain_matches(firms):
    done = datatools("match", "lieferanten.csv", "crm.csv", "--on", "Lieferant,Strasse,PLZ,Ort",
                     "--right-on", "Firma,Anschrift,PLZ,Stadt", "-o", "out.csv", cwd=firms)
    assert done.returncode == 0, done.stderr
    rows = read(firms / "out.csv")
    sisters = [row for row in rows if row["LNr"] in {f"L{k}" for k in range(6)}]
    assert [row["Lieferant"] for row in sisters][:2] == [
        "Krämer Logistik UG (haftungsbeschränkt)", "Seidel Logistik UG (haftungsbeschränkt)"]
    assert all(row["match_certainty"] != "certain" and row["right_CNr"] == "" for row in sisters)
    # the same firm with `haftungsbeschraenkt` spelled out agrees whole and stays certain
    spelled = next(row for row in rows if row["LNr"] == "L12")
    assert spelled["right_Firma"].endswith("UG (haftungsbeschraenkt)")
    assert (spelled["match_certainty"], spelled["match_score"]) == ("certain", "100")


@pytest.fixture(scope="module")
def households(tmp_path_factory) -> Path:
    """600 customers in two lists; at rows 0-9 the second list holds the other member of the
    household (`Mila`/`Mia`, `Jana`/`Jan`: both names held by other rows too)."""
    folder = tmp_path_factory.mktemp("households")
    given = ["Mila", "Mia", "Jana", "Jan", "Lukas", "Sophie", "Felix", "Emma", "Noah", "Hanna",
             "Elias", "Lina", "Moritz", "Clara", "Jonas"]
    left, right = [], []
    for k in range(600):
        first, last = given[k % len(given)], SURNAMES[k % 29]
        postcode, city = CITIES[k % len(CITIES)]
        left.append([first, last, f"{STREETS[k % len(STREETS)]} {k % 97 + 1}", postcode, city])
        other = {"Mila": "Mia", "Mia": "Mila", "Jana": "Jan", "Jan": "Jana"}.get(first, first)
        right.append([other if k < 40 else first, *left[-1][1:]])
    write(folder / "left.csv", ["Vorname", "Nachname", "Strasse", "PLZ", "Ort"], left)
    write(folder / "right.csv", ["Vorname", "Nachname", "Strasse", "PLZ", "Ort"], right)
    return folder


def test_the_other_member_of_a_household_is_not_a_certain_match(households):
    done = datatools("match", "left.csv", "right.csv", "--on", "Vorname,Nachname,Strasse,PLZ,Ort",
                     "-o", "out.csv", cwd=households)
    assert done.returncode == 0, done.stderr
    rows = read(households / "out.csv")
    crossed = [row for row in rows[:40] if row["Vorname"] in ("Mila", "Mia", "Jana", "Jan")]
    assert len(crossed) == 12
    assert all(row["match_certainty"] != "certain" for row in crossed)
    assert all(row["right_Vorname"] == "" for row in crossed)
    same = [row for row in rows[40:] if row["Vorname"] in ("Mila", "Jan")]
    assert same and all(row["match_certainty"] == "certain" for row in same)


@pytest.fixture
def small(tmp_path) -> Path:
    """Four customers; L2's postcode differs from its partner's, so that match is possible."""
    rows = [["Anna Schmidt", "Hauptstr. 5", "10115", "Berlin"],
            ["Bernd Keller", "Gartenweg 3", "80331", "München"],
            ["Carla Wolf", "Ringstr. 9", "50667", "Köln"],
            ["Dieter Brandt", "Lindenallee 12", "20095", "Hamburg"]]
    write(tmp_path / "left.csv", ["Nr", "Name", "Strasse", "PLZ", "Ort"],
          [[f"L{k + 1}", *row] for k, row in enumerate(rows)])
    rows[1][2] = "80333"
    write(tmp_path / "right.csv", ["K", "Name", "Strasse", "PLZ", "Ort"],
          [[f"R{k + 1}", *row] for k, row in enumerate(rows)])
    return tmp_path


def test_a_recipe_run_counts_the_rows_written_with_a_partner(small):
    step = {"tool": "match", "options": {"on": ["Name", "Strasse", "PLZ", "Ort"], "top": 1,
                                         "unique": False},
            "key": "Nr", "right_key": "K", "review": {},
            "decisions": [{"rows": ["L1"], "right": "R1", "decision": "different"}]}
    (small / "m.recipe.json").write_text(json.dumps({"recipe": 1, "steps": [step]}), "utf-8")
    done = datatools("run", "m.recipe.json", "left.csv", "--with", "right.csv", "-o", "out.csv",
                     cwd=small)
    assert done.returncode == 0, done.stderr
    rows = read(small / "out.csv")
    written = sum(1 for row in rows if row["right_K"])
    assert written == 2                       # L3 and L4; L1 taken back, L2 only possible
    assert f"{written} of 4 rows matched" in done.stdout + done.stderr


def test_top_does_not_say_possible_matches_are_left_out(small):
    done = datatools("match", "left.csv", "right.csv", "--on", "Name,Strasse,PLZ,Ort", "--top", "3",
                     "-o", "out.csv", cwd=small)
    assert done.returncode == 0, done.stderr
    rows = read(small / "out.csv")
    assert any(row["match_certainty"] == "possible" and row["right_K"] == "R2" for row in rows)
    assert "left for review" not in done.stdout + done.stderr
