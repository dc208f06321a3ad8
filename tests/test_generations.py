"""A father and his son of one name at one address, told apart by a generational suffix in any
name column (`Andreas jun.`/`Andreas sen.`, `Schmidt jun.`, `Hans Müller d. J.`/`d. Ä.`, `II`/
`III`), are two people even on a family e-mail address they share (trial A, session 9:
`schmidt.andreas@t-online.de` on both made them certain and `--keep` deleted one); and
`Guenter` is `Günter` written without umlauts (DECISIONS 400)."""

from __future__ import annotations

import csv

import pytest

from tests.cli_process import datatools


def _run(tmp_path, header: list[str], rows: list[list[str]], *extra: str) -> list[dict[str, str]]:
    """The rows the installed `datatools dedupe` writes (every column but the first compared)."""
    source = tmp_path / "kunden.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    out = tmp_path / "out.csv"
    done = datatools("dedupe", str(source), "--columns", ",".join(header[1:]), *extra,
                     "-o", str(out), "--force", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


HEADER = ["Kundennr", "Vorname", "Nachname", "Straße", "PLZ", "Ort", "Telefon", "E-Mail"]
OTHERS = [["K9", "Maria", "Keller", "Lindenweg 4", "60385", "Frankfurt am Main", "069 112233", ""],
          ["K8", "Jonas", "Wagner", "Bergstraße 12", "60311", "Frankfurt am Main", "", ""],
          ["K7", "Petra", "Hoffmann", "Am Markt 3", "60385", "Frankfurt am Main", "069 998877", ""]]
HOME = ["Ringstraße 107", "60385", "Frankfurt am Main", "040 4509967", "schmidt.andreas@t-online.de"]


@pytest.mark.parametrize("son, father", [
    (["Andreas jun.", "Schmidt"], ["Andreas sen.", "Schmidt"]),      # in the given-name column
    (["Andreas", "Schmidt jun."], ["Andreas", "Schmidt sen."]),      # in the surname column
    (["Andreas", "Schmidt d. J."], ["Andreas", "Schmidt d. Ä."]),    # der Jüngere, der Ältere
    (["Andreas", "Schmidt II"], ["Andreas", "Schmidt III"]),
    (["Andreas Jr.", "Schmidt"], ["Andreas Sr.", "Schmidt"]),
])
def test_a_father_and_son_on_one_family_mailbox_are_two_people(tmp_path, son, father):
    rows = [["K1", *son, *HOME], ["K2", *father, *HOME], *OTHERS]
    kept = _run(tmp_path, HEADER, rows, "--keep", "first")
    assert {"K1", "K2"} <= {row["Kundennr"] for row in kept}
    grouped = {row["Kundennr"]: row["cluster_id"] for row in _run(tmp_path, HEADER, rows)}
    assert not grouped["K1"] or grouped["K1"] != grouped["K2"]


def test_a_father_and_son_in_one_whole_name_column_are_two_people(tmp_path):
    header = ["Nr", "Name", "Straße", "Ort", "E-Mail"]
    rows = [["1", "Hans Müller d. J.", "Lindenstraße 4", "München", "familie.mueller@web.de"],
            ["2", "Hans Müller d. Ä.", "Lindenstraße 4", "München", "familie.mueller@web.de"],
            ["3", "Anna Keller", "Bergweg 7", "München", ""],
            ["4", "Jonas Wagner", "Am Markt 3", "München", ""]]
    kept = _run(tmp_path, header, rows, "--keep", "first")
    assert {"1", "2"} <= {row["Nr"] for row in kept}


def test_fathers_and_sons_on_family_mailboxes_stay_on_a_learned_run(tmp_path):
    """On 1,000 rows and more a model is learned; 30 fathers `… sen.` and sons `… jun.` of one
    address, phone-less and sharing a family e-mail, are never removed by --keep."""
    from tests.test_household_identifiers import _people

    people, _ = _people()
    rows = [[*row[:6], ""] for row in people]
    families = set()
    for k, row in enumerate(people[:30]):
        mail = f"{row[2].lower()}.{row[1].lower()}@t-online.de"
        rows.append([f"S{k}", row[1] + " sen.", *row[2:6], mail])
        rows.append([f"J{k}", row[1] + " jun.", *row[2:6], mail])
        families.add(frozenset((f"S{k}", f"J{k}")))
    header = ["Kundennr", "Vorname", "Nachname", "Strasse", "PLZ", "Ort", "E-Mail"]
    kept = {row["Kundennr"] for row in _run(tmp_path, header, rows, "--keep", "first")}
    assert all(pair <= kept for pair in families)


def test_a_given_name_written_without_umlauts_is_the_same_name(tmp_path):
    """`Guenter Mueller` and `Günter Müller` at one address with one phone are one man, though
    both spellings of the given name are held by other rows of the list too."""
    rows = [["K1", "Guenter", "Mueller", "Waldstrasse 108a", "60385", "Frankfurt am Main",
             "0341 2427787", ""],
            ["K2", "Günter", "Müller", "Waldstraße 108a", "60385", "Frankfurt am Main",
             "0341 2427787", ""],
            ["K3", "Guenter", "Schulz", "Am Markt 3", "60311", "Frankfurt am Main", "", ""],
            ["K4", "Günter", "Bauer", "Bergweg 9", "60311", "Frankfurt am Main", "", ""],
            *OTHERS]
    kept = {row["Kundennr"] for row in _run(tmp_path, HEADER, rows, "--keep", "first")}
    assert len(kept) == len(rows) - 1 and {"K3", "K4"} <= kept
