"""Two flats of one building are two homes (house_numbers.py, DECISIONS 355): namesakes at
`Appt 21`/`Appt 12`, `10/23`/`10/32`, `1º izq.`/`1º dcha.`, `Bât. A`/`Bât. B`, `12a`/`12b` are
never grouped as *certain*, so `--keep` never removes one, on a small list and where a model is
learned; the same flat written another way (`2ºB`/`2º B`, `12a`/`12 a`) still is. Run through
the installed `datatools` console script at defaults, as a user does."""

from __future__ import annotations

import pytest

from tests.test_dedupe_house_numbers import groups_of
from tests.test_dedupe_small_lists import grouped_rows, varied_names

HEADER = ["Name", "Straße", "PLZ", "Ort"]
FLATS = [["Pierre Dubois", "5 avenue des Champs, Bât. B, Appt 21", "75008", "Paris"],
         ["Pierre Dubois", "5 avenue des Champs, Bât. B, Appt 12", "75008", "Paris"],
         ["Lucía Martín Sánchez", "Calle Mayor 3, 1º izq.", "41001", "Sevilla"],
         ["Lucía Martín Sánchez", "Calle Mayor 3, 1º dcha.", "41001", "Sevilla"],
         ["Marta Nowak", "ul. Słowackiego 10/23", "00-514", "Warszawa"],
         ["Marta Nowak", "ul. Słowackiego 10/32", "00-514", "Warszawa"],
         ["Claire Martin", "8 rue de la Gare, Bât. A", "69002", "Lyon"],
         ["Claire Martin", "8 rue de la Gare, Bât. B", "69002", "Lyon"],
         ["Jonas Wirth", "Lindenallee 12a", "50668", "Köln"],
         ["Jonas Wirth", "Lindenallee 12b", "50668", "Köln"],
         ["Mehmet Yılmaz", "Barbaros Bulvarı No: 45 Daire: 12", "34349", "İstanbul"],
         ["Mehmet Yılmaz", "Barbaros Bulvarı No: 45 Daire: 21", "34349", "İstanbul"]]
SAME_FLAT = [["Antonio Rodríguez", "Calle Mayor 31, 9ºB", "28002", "Madrid"],
             ["Antonio Rodríguez", "Calle Mayor 31, 9º B", "28002", "Madrid"],
             ["Greta Hahn", "Lindenallee 14a", "50668", "Köln"],
             ["Greta Hahn", "Lindenallee 14 a", "50668", "Köln"],
             ["Sophie Lefèvre", "30 rue Victor Hugo, Appt 69", "69007", "Lyon"],
             ["Sophie Lefèvre", "30 rue Victor Hugo, appt. 69", "69007", "Lyon"]]
# One row written without its flat names the building only: no second flat (trial F,
# DECISIONS 496: `possible (two flats of one building)` on one customer).
NO_FLAT_WRITTEN = [["José Alonso García", "Calle San Vicente Mártir, 54, 3º izq.", "46908", "Valencia"],
                   ["José Alonso García", "C. San Vicente Mártir, 54", "46908", "Valencia"]]


def people(rows: int) -> list[list[str]]:
    """Distinct people, one `Name` column (given name and surname), as HEADER."""
    return [[f"{first} {last}", street, postcode, city]
            for first, last, street, postcode, city in varied_names(rows)]


def check(tmp_path, rows: int) -> None:
    background = people(rows)
    start = len(background)
    grouped = grouped_rows(tmp_path, background + SAME_FLAT + FLATS + NO_FLAT_WRITTEN, HEADER)
    groups = groups_of(grouped, start)
    same = [([start + k, start + k + 1], {"certain"}) for k in range(0, len(SAME_FLAT), 2)]
    assert groups[:len(same)] == same
    flats = grouped[start + len(SAME_FLAT):start + len(SAME_FLAT) + len(FLATS)]
    unwritten = grouped[-2:]
    assert unwritten[0]["cluster_id"] and unwritten[0]["cluster_id"] == unwritten[1]["cluster_id"]
    assert "flat" not in unwritten[0]["match_reason"], unwritten[0]["match_reason"]
    assert [row["match_certainty"] for row in flats if row["match_certainty"] == "certain"] == [], \
        [(row["Name"], row["Straße"], row["match_reason"][:120]) for row in flats]


def test_namesakes_in_two_flats_of_a_small_list_are_never_certain(tmp_path):
    check(tmp_path, 150)


def test_namesakes_in_two_flats_are_never_certain_where_a_model_is_learned(tmp_path):
    check(tmp_path, 1200)


# A street keyed again with its direction word mistyped: `North` is written `n`
# (normalize.ABBREVIATIONS), and that letter before the street's name is the direction, not a
# flat's letter (house_numbers.COMPASS_LETTERS, DECISIONS 451); `Nroth` keeps its letters, so
# the two read as `754 | n` against `754` before. A letter after the street still names a flat.
DIRECTION_KEYED_AGAIN = [["James Porter", "754 North Street", "97793", "Portland"],
                         ["James Porter", "754 Nroth Street", "97793", "Portland"],
                         ["Dana Wells", "88 West Elm Avenue", "68994", "Omaha"],
                         ["Dana Wells", "88 Wset Elm Avenue", "68994", "Omaha"]]
LETTERED_FLATS = [["Ines Vogt", "Hauptstraße 12 a", "34117", "Kassel"],
                  ["Ines Vogt", "Hauptstraße 12 b", "34117", "Kassel"]]


@pytest.mark.parametrize("rows", [150, 1200])
def test_a_direction_keyed_again_before_the_street_is_one_home(tmp_path, rows):
    background = people(rows)
    start = len(background)
    grouped = grouped_rows(tmp_path, background + DIRECTION_KEYED_AGAIN + LETTERED_FLATS, HEADER)
    same = [([start + k, start + k + 1], {"certain"})
            for k in range(0, len(DIRECTION_KEYED_AGAIN), 2)]
    assert groups_of(grouped, start)[:len(same)] == same, [
        (row["Name"], row["match_reason"][:100]) for row in grouped[start:]]
    # each names its partner and what agreed, no rule keeping it possible (main: `possible
    # (two flats of one building)`)
    for k, row in enumerate(grouped[start:start + len(DIRECTION_KEYED_AGAIN)]):
        assert row["match_reason"].startswith(f"row {start + (k ^ 1) + 1}: agreed Name 100, Straße ")
    flats = grouped[start + len(DIRECTION_KEYED_AGAIN):]
    assert [row["match_certainty"] for row in flats] == ["possible", "possible"]
    assert all("possible (two flats of one building)" in row["match_reason"] for row in flats)
