"""Input files for the large-file engine's tests: odd real-world shapes, and a medium table.

The medium table mixes what the tools decide on (day-first dates, decimal commas, e-mail
addresses, phone numbers, codes with leading zeros) with the debris real exports carry (edge
spaces, NBSP, mojibake, control characters, empty markers), on repeated values with tied
counts, so both engines must agree on every count, tie and example.
"""

from __future__ import annotations

import random
from pathlib import Path

FIELD_CASES = Path(__file__).parent / "data" / "field_cases"
FIXTURES = Path(__file__).parent / "desktop" / "fixtures"
SURNAMES = ["Smith", "Müller", "García", "Nowak", "Rossi", "Dubois", "Jansen", "Novák", "Silva", "Kowalski",
            "Schmidt", "Martin", "López", "Hansen", "Virtanen", "Papadopoulos", "Yılmaz", "Horvat"]
GIVEN = ["Anna", "Jan", "María", "Luca", "Sophie", "Ben", "Chloé", "Lars", "Eva", "Tomás", "Zoë", "Ana"]
CITIES = ["Leeds", "  leeds", "Köln", "MÜNCHEN", "Sevilla ", "Lyon", "Gent", "Porto", "Malmö", "n/a", ""]


def medium_rows(count: int, seed: int = 5) -> list[list[str]]:
    """`count` rows of id, name, city, joined, amount, email, phone, code, note; header first."""
    rng = random.Random(seed)
    rows = [["id", "name", "city", "joined", "amount", "email", "phone", "code", "note"]]
    for i in range(count):
        # Zipf-like: low ranks far more common, as surnames and cities are.
        surname = SURNAMES[min(int(rng.paretovariate(1.2)) - 1, len(SURNAMES) - 1)]
        given = rng.choice(GIVEN)
        name = f"{given} {surname}"
        if rng.random() < 0.03:
            name = name.encode("utf-8").decode("latin-1")        # mojibake: Ã¼ for ü
        if rng.random() < 0.02:
            name = f" {name}  "
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        joined = f"{day:02d}/{month:02d}/{rng.randint(1990, 2024)}" if rng.random() > 0.05 else ""
        amount = f"{rng.randint(0, 9999)},{rng.randint(0, 99):02d}"
        email = f"{given.lower()}.{surname.lower()}@example.org" if rng.random() > 0.1 else "N/A"
        phone = f"+44 20 7946 {rng.randint(0, 9999):04d}"
        code = f"{rng.randint(0, 99999):05d}"
        note = rng.choice(["", "", "vip", "call\u00a0back", "x\u200by", "late\x07", "ok"])
        rows.append([str(i + 1), name, rng.choice(CITIES), joined, amount, email, phone, code, note])
    return rows


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",",
              sep_line: bool = False) -> Path:
    """`rows` as a CSV file the way a spreadsheet exports it (CRLF, minimal quoting)."""
    import csv
    import io

    text = io.StringIO()
    if sep_line:
        text.write(f"sep={delimiter}\r\n")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding, errors="replace"))  # "?" where the code page has no letter
    return path


STREETS = ["Hauptstraße", "Birch Road", "Rue de la Paix", "Calle Mayor", "Kerkstraat", "Via Roma",
           "Station Road", "Lindenallee", "Ulica Długa", "Main Street"]


def _typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: a letter dropped, doubled or swapped with the next."""
    if len(text) < 3:
        return text
    k = rng.randrange(len(text) - 1)
    return rng.choice([text[:k] + text[k + 1:], text[:k] + text[k] + text[k:],
                       text[:k] + text[k + 1] + text[k] + text[k + 2:]])


def people_rows(count: int, seed: int = 11) -> list[list[str]]:
    """`count` people (first, last, street, city, born, email; header first) of whom about a
    fifth are second entries of an earlier person: a typo, a changed case, an emptied cell, or
    first and last name swapped — what a CRM export of one person typed twice looks like."""
    rng = random.Random(seed)
    rows = [["first", "last", "street", "city", "born", "email"]]
    people: list[list[str]] = []
    for _ in range(count):
        if people and rng.random() < 0.2:
            row = list(rng.choice(people))
            change = rng.randrange(4)
            column = rng.randrange(4)
            if change == 0:
                row[column] = _typo(rng, row[column])
            elif change == 1:
                row[column] = row[column].upper()
            elif change == 2:
                row[rng.randrange(6)] = ""
            else:
                row[0], row[1] = row[1], row[0]
        else:
            first, last = rng.choice(GIVEN), SURNAMES[min(int(rng.paretovariate(1.1)) - 1, len(SURNAMES) - 1)]
            row = [first, last, f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                   rng.choice(CITIES).strip() or "Leeds",
                   f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                   f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@example.org"]
            people.append(row)
        rows.append(row)
    return rows
