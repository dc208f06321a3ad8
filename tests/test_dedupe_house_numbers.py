"""A house number mistyped in a way no house number is written (`Talstr. h7` for 57, two
digits swapped, `1y1`) or split by a space (`Friedhofstr.3 2`) leaves a small list's duplicate
certain; a digit typed for another (`13`/`15`, next door) or one digit more (`113`/`13`) keeps
the pair possible (house_numbers.py, DECISIONS 302). Run through the installed `datatools`
console script at defaults, as a user does."""

from __future__ import annotations

from tests.test_dedupe_small_lists import grouped_rows, varied_names

TYPOS = [["Levi", "Burkard", "Talstraße 57", "80933", "München"],
         ["Levi", "Burkard", "Talstr. h7", "80933", "München"],
         ["Rosmarie", "Haak", "Mühlenweg 137", "60424", "Frankfurt am Main"],
         ["Rosmarie", "Haak", "Mühlenweg 173", "60424", "Frankfurt am Main"],
         ["Ariana", "Stelter", "Schulstraße 1y1", "10999", "Berlin"],
         ["Ariana", "Stelter", "Schulstraße 111", "10999", "Berlin"],
         ["Leilani", "Rohde", "Friedhofstr.3 2", "10442", "Berlin"],
         ["Leilani", "Rohde", "Friedhofstraße 32", "10442", "Berlin"]]
OTHER_HOUSES = [["Theodor", "Zeiler", "Waldstraße 13", "10155", "Berlin"],
                ["Theodor", "Zeiler", "Waldstraße 15", "10155", "Berlin"],
                ["Meike", "Georg", "Mozartstraße 113", "10483", "Berlin"],
                ["Meike", "Georg", "Mozartstraße 13", "10483", "Berlin"]]


def groups_of(grouped: list[dict[str, str]], first: int) -> list[tuple[list[int], set[str]]]:
    """From row `first` on: each group's row numbers and certainties, in order of first row."""
    found: dict[str, tuple[list[int], set[str]]] = {}
    for number, row in enumerate(grouped):
        if number >= first and row["cluster_id"]:
            rows, certainty = found.setdefault(row["cluster_id"], ([], set()))
            rows.append(number)
            certainty.add(row["match_certainty"])
    return list(found.values())


def test_a_mistyped_or_split_house_number_is_certain_and_next_door_is_not(tmp_path):
    people = varied_names()
    start = len(people)
    grouped = grouped_rows(tmp_path, people + TYPOS + OTHER_HOUSES)
    groups = groups_of(grouped, start)
    assert groups[:4] == [([start + k, start + k + 1], {"certain"}) for k in (0, 2, 4, 6)]
    # the neighbours and the number with a digit more: grouped for review at most
    others = [row["match_certainty"] for row in grouped[start + len(TYPOS):]]
    assert "certain" not in others, others
