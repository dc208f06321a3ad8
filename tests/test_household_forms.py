"""Two people of one household the default run must never merge on a small table (issue 30),
found by a user trial: a couple whose given names are one name's male and female forms beyond
an added `-a` (`Daniel`/`Danielle`, `Francis`/`Frances`, `Jesse`/`Jessie`,
`Alexander`/`Alexandra`), and a father and son written `Robert` and `Robert Jr.`. `--keep`
removes neither, while a typo in a given name and one person's `Jr.` beside one customer number
still merge."""

from __future__ import annotations

import csv

import pytest

from tests.cli_process import datatools

HEADER = ["first", "last", "street", "zip"]


def _kept(tmp_path, header: list[str], rows: list[list[str]]) -> list[list[str]]:
    """The rows the installed `datatools dedupe --keep first` writes, comparing every column."""
    source = tmp_path / "people.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    out = tmp_path / "out.csv"
    done = datatools("dedupe", str(source), "--columns", ",".join(header), "--keep", "first",
                     "-o", str(out), "--force", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))[1:]


def _household(one: str, other: str) -> list[list[str]]:
    return [[one, "Walker", "845 Oak Ave", "60601"], [other, "Walker", "845 Oak Ave", "60601"],
            ["Mary", "Jones", "12 Elm St", "60601"], ["Ann", "Lee", "7 Pine Rd", "60601"]]


@pytest.mark.parametrize("male, female", [("Daniel", "Danielle"), ("Gabriel", "Gabrielle"),
                                          ("Francis", "Frances"), ("Jesse", "Jessie"),
                                          ("Alexander", "Alexandra")])
def test_a_names_male_and_female_forms_are_two_people(tmp_path, male, female):
    assert len(_kept(tmp_path, HEADER, _household(male, female))) == 4


@pytest.mark.parametrize("name, typo", [("Jonas", "Jnoas"), ("Jonas", "Jonsa"),
                                        ("Daniel", "Danniel")])
def test_a_typo_in_a_given_name_still_merges(tmp_path, name, typo):
    assert len(_kept(tmp_path, HEADER, _household(name, typo))) == 3


def test_a_junior_beside_his_father_is_two_people(tmp_path):
    rows = [["Robert", "Smith", "9200 Main St", "Boston", "02134"],
            ["Robert Jr.", "Smith", "9200 Main St", "Boston", "02134"],
            ["Linda", "Haines", "41 Birch Rd", "Boston", "02134"],
            ["James", "Brown", "12 Oak Ave", "Austin", "73301"]]
    assert len(_kept(tmp_path, ["first_name", "last_name", "address", "city", "zip"], rows)) == 4
    whole = [["Robert Smith", "9200 Main St", "Boston", "02134"],
             ["Robert Smith Jr.", "9200 Main St", "Boston", "02134"],
             ["Hans Müller jun.", "Lindenstraße 4", "München", "80331"],
             ["Hans Müller", "Lindenstraße 4", "München", "80331"]]
    assert len(_kept(tmp_path, ["name", "address", "city", "zip"], whole)) == 4


def test_a_junior_with_his_own_customer_number_twice_still_merges(tmp_path):
    rows = [["10045781", "Robert", "Smith", "9200 Main St", "02134"],
            ["10045781", "Robert Jr.", "Smith", "9200 Main St", "02134"],
            ["20045782", "Linda", "Haines", "41 Birch Rd", "02134"],
            ["30045783", "James", "Brown", "12 Oak Ave", "73301"]]
    kept = _kept(tmp_path, ["customer_id", "first_name", "last_name", "address", "zip"], rows)
    assert len(kept) == 3


def test_a_junior_beside_his_father_is_two_people_on_a_learned_run(tmp_path):
    """On 1,000 rows and more a model is learned; a father and his son `… jun.` of one address
    and no date of birth stay two people there too."""
    from tests.test_household_identifiers import _people, _removed_by_keep

    rows, same = _people()
    rows = [row[:6] for row in rows]
    families = set()
    for k, row in enumerate(rows[:30]):
        son = [f"J{k}", row[1] + " jun.", *row[2:]]
        rows.append(son)
        families.add(frozenset((row[0], son[0])))
    removed = _removed_by_keep(tmp_path, rows, ["Kundennr", "Vorname", "Nachname", "Strasse",
                                                "PLZ", "Ort"])
    assert not any(pair & removed for pair in families)
