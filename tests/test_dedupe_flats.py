"""Two flats of one building are two homes (house_numbers.py, DECISIONS 355): namesakes at
`Appt 21`/`Appt 12`, `10/23`/`10/32`, `1º izq.`/`1º dcha.`, `Bât. A`/`Bât. B`, `12a`/`12b` are
never grouped as *certain*, so `--keep` never removes one, on a small list and where a model is
learned; the same flat written another way (`2ºB`/`2º B`, `12a`/`12 a`) still is. Run through
the installed `datatools` console script at defaults, as a user does."""

from __future__ import annotations

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


def people(rows: int) -> list[list[str]]:
    """Distinct people, one `Name` column (given name and surname), as HEADER."""
    return [[f"{first} {last}", street, postcode, city]
            for first, last, street, postcode, city in varied_names(rows)]


def check(tmp_path, rows: int) -> None:
    background = people(rows)
    start = len(background)
    grouped = grouped_rows(tmp_path, background + SAME_FLAT + FLATS, HEADER)
    groups = groups_of(grouped, start)
    same = [([start + k, start + k + 1], {"certain"}) for k in range(0, len(SAME_FLAT), 2)]
    assert groups[:len(same)] == same
    flats = grouped[start + len(SAME_FLAT):]
    assert [row["match_certainty"] for row in flats if row["match_certainty"] == "certain"] == [], \
        [(row["Name"], row["Straße"], row["match_reason"][:120]) for row in flats]


def test_namesakes_in_two_flats_of_a_small_list_are_never_certain(tmp_path):
    check(tmp_path, 150)


def test_namesakes_in_two_flats_are_never_certain_where_a_model_is_learned(tmp_path):
    check(tmp_path, 1200)
