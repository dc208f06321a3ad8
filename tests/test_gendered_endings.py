"""A brother and sister or a couple whose given names are one name's Italian or French male and
female forms (`Simone`/`Simona`, `Giovanni`/`Giovanna`, `Luca`/`Lucia`, `Frédéric`/
`Frédérique`), at one address and landline, are two people at defaults (issue 30; a trial found
ten such pairs merged by `dedupe --keep`, the window's Save and `match`). Two spellings of one
woman's name (`Anna`/`Anne`, both a woman's in the given-name lists) still merge."""

from __future__ import annotations

import csv

from tests.cli_process import datatools

HEADER = ["prenom", "nom", "adresse", "ville", "telephone"]
PAIRS = [("Simone", "Simona"), ("Giovanni", "Giovanna"), ("Luca", "Lucia"),
         ("Michele", "Michela"), ("Gabriele", "Gabriella"), ("Emanuele", "Emanuela"),
         ("Daniele", "Daniela"), ("Raffaele", "Raffaella"), ("Stefano", "Stefania"),
         ("Frédéric", "Frédérique")]
SURNAMES = ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
            "Marino", "Durand"]


def _rows(pairs) -> list[list[str]]:
    rows = []
    for k, ((one, other), surname) in enumerate(zip(pairs, SURNAMES)):
        where = [f"{10 + 3 * k} rue Pasteur", "Lyon", f"04 78 {20 + k} 79 {30 + 2 * k}"]
        rows += [[one, surname, *where], [other, surname, *where]]
    return rows


def _write(path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def _read(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _dedupe(tmp_path, rows, *options) -> list[dict[str, str]]:
    source, out = tmp_path / "people.csv", tmp_path / "out.csv"
    _write(source, rows)
    done = datatools("dedupe", str(source), "--columns", ",".join(HEADER), *options,
                     "-o", str(out), "--force", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return _read(out)


def _certainties(found: list[dict[str, str]]) -> list[tuple[str, str]]:
    """Per pair of rows (0–1, 2–3, …): (one group of both or "", its certainty)."""
    return [("same" if a["cluster_id"] and a["cluster_id"] == b["cluster_id"] else "",
             a["match_certainty"] if a["cluster_id"] == b["cluster_id"] else "")
            for a, b in zip(found[::2], found[1::2])]


def test_male_and_female_forms_at_one_address_are_never_certain(tmp_path):
    found = _certainties(_dedupe(tmp_path, _rows(PAIRS)))
    assert [certainty for _, certainty in found] == ["possible"] * len(PAIRS)
    kept = _dedupe(tmp_path, _rows(PAIRS), "--keep", "most-complete")
    assert [row["prenom"] for row in kept] == [name for pair in PAIRS for name in pair]


def test_two_spellings_of_one_womans_name_still_merge(tmp_path):
    """Two women's forms (`Agatha`/`Agathe`, `Adriana`/`Adriane`): one sex, so the ending is no
    second person. `Anna`/`Anne` stays possible all the same, for another reason: both are names
    in common use a letter apart (datatools/tools/given_names.py, DECISIONS 385)."""
    typos = [("Agatha", "Agathe"), ("Adriana", "Adriane")]
    found = _certainties(_dedupe(tmp_path, _rows(typos)))
    assert found == [("same", "certain")] * len(typos)


def test_match_takes_no_sister_for_certain(tmp_path):
    """Each sister on the left, her brother (and the other households) on the right: none is
    matched for certain; `--include-possible` shows each for review."""
    rows = _rows(PAIRS)
    left, right, out = tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "matched.csv"
    _write(left, rows[1::2])
    _write(right, rows[::2])
    done = datatools("match", str(left), str(right), "--on", ",".join(HEADER),
                     "--include-possible", "-o", str(out), "--force", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    matched = _read(out)
    assert [(row["prenom"], row["right_prenom"], row["match_certainty"]) for row in matched] == [
        (other, one, "possible") for one, other in PAIRS]


def _households(couples) -> list[list[str]]:
    """Two rows per (given name, given name, surname), each pair at its own address and landline."""
    rows = []
    for k, (one, other, surname) in enumerate(couples):
        where = [f"Rua Augusta {30 + 7 * k}", "Lisboa", f"058 248 {7000 + 131 * k}"]
        rows += [[one, surname, *where], [other, surname, *where]]
    return rows


def test_dutch_forms_typed_forms_and_a_name_like_the_surname_are_two_people(tmp_path):
    """A trial's couples merged with `--keep first` (issue 30): Dutch `-is`/`-ia` and a doubled
    vowel (`Adriaan`/`Adriana`), a male or female form with one more typo (`Francisca`/
    `Fiancisco`), and `Fernanda`/`Fernando Fernandes`, whose given names are two letters from
    the surname and so read as the two columns typed into each other (DECISIONS 404, 405). A
    typo at a name's end (`Jonas`/`Jonsa`) and a crossed pair (`Hermann Hofmann`/`Hofmann
    Hermann`) are still one person."""
    couples = [("Fernanda", "Fernando", "Fernandes"), ("Cornelis", "Cornelia", "Bakker"),
               ("Adriaan", "Adriana", "Visser"), ("Francisca", "Fiancisco", "Rodríguez"),
               ("Francisco", "Frnncisca", "Silva"), ("Fernanda", "Fernnado", "Moreira")]
    typos = [("Jonas", "Jonsa", "Lindqvist")]
    rows = _households(couples + typos)
    rows += [["Hermann", "Hofmann", "Lindenstraße 4", "Kassel", "0561 71 2290"],
             ["Hofmann", "Hermann", "Lindenstraße 4", "Kassel", "0561 71 2290"]]
    found = _certainties(_dedupe(tmp_path, rows))
    assert [certainty for _, certainty in found] == ["possible"] * len(couples) + ["certain"] * 2
    kept = _dedupe(tmp_path, rows, "--keep", "first")
    assert [row["prenom"] for row in kept] == [name for one, other, _ in couples
                                               for name in (one, other)] + ["Jonas", "Hermann"]


def test_forms_a_final_letter_or_es_apart_are_two_people_when_the_lists_say_so(tmp_path):
    """`Johannes`/`Johanna` (`-es`/`-a`, `-es`/`-e`) and one final vowel for another (`Bruno`/
    `Bruni`, `Mario`/`Marie`) at one address and landline are two people, as the given-name
    lists give the two opposite sexes (DECISIONS 391); a woman's or a man's name written two
    ways (`Hilde`/`Hildi`, `Benno`/`Benni`: one sex in the lists) still merges."""
    couples = [("Johannes", "Johanna", "Hartmann"), ("Hannes", "Hanne", "Krause"),
               ("Jules", "Jule", "Brandt"), ("Bruno", "Bruni", "Vogt"),
               ("Mario", "Marie", "Seidel"), ("Julio", "Julie", "Keller")]
    typos = [("Hilde", "Hildi", "Arnold"), ("Benno", "Benni", "Kühn")]
    found = _certainties(_dedupe(tmp_path, _households(couples + typos)))
    assert [certainty for _, certainty in found] == ["possible"] * len(couples) + ["certain"] * 2


def test_match_takes_no_sister_for_certain_in_a_whole_name_written_surname_first(tmp_path):
    """`Hartmann Johannes`/`Hartmann Johanna` at one address was a certain match: the given
    name stood second, where a word a letter or two apart may be a surname's typo, and `-es`/
    `-a` was no male and female form (DECISIONS 391)."""
    names = [("Hartmann Johannes", "Hartmann Johanna"), ("Vogt Bruno", "Vogt Bruni"),
             ("Seidel Mario", "Seidel Marie")]
    left, right, out = tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "matched.csv"
    for path, side in ((left, 0), (right, 1)):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Name", "Strasse", "Ort"])
            writer.writerows([pair[side], f"Lindenweg {k + 2}", "Kassel"]
                             for k, pair in enumerate(names))
    done = datatools("match", str(left), str(right), "--on", "Name,Strasse,Ort",
                     "--include-possible", "-o", str(out), "--force", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [(row["Name"], row["right_Name"], row["match_certainty"]) for row in _read(out)] == [
        (one, other, "possible") for one, other in names]
