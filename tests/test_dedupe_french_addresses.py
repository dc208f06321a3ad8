"""French customer data (trial D, issue 30): street-type short forms fold before scoring
(`9 R. Garibaldi` is `9 rue Garibaldi`, not a flat `r`; `bd`, `av.`, `imp.`, `all.`, `ch.`,
`rte`, `fg`), a phone written with dots is the line written with spaces, and a typo in a
written-out street type (`booulevard`) vetoes nothing. Run through the installed `datatools`
console script at defaults, as a user does, on a small list and where a model is learned."""

from __future__ import annotations

import pytest

from datatools.tools.normalize import normalize_text
from tests.test_dedupe_house_numbers import groups_of
from tests.test_dedupe_small_lists import grouped_rows, varied_names

HEADER = ["prenom", "nom", "adresse", "code_postal", "ville", "tel"]
# Each pair one person written two ways, as the trial's customers were.
SAME_PERSON = [
    ["Michel", "Thomas", "9 rue Garibaldi", "69006", "Lyon", "04 78 19 68 78"],
    ["Michel", "Thomas", "9 R. Garibaldi", "69006", "Lyon", "04.78.19.68.78"],
    ["Anne-Marie", "Bourgeois", "3 booulevard des Belges", "69009", "Lyon", "07 70 95 15 85"],
    ["Anne-Marie", "Bourgeois", "3 bd des Belges", "69009", "Lyon", "07 70 95 15 85"],
    ["Hélène", "Laurent", "83 r. des Lilas", "69003", "Lyon", "+33 4.72.61.80.12"],
    ["Hélène", "Laurent", "83 rue des Lilas", "69003", "Lyon", "04 72 61 80 12"],
    ["Odile", "Garnier", "5 imp. du Moulin", "69005", "Lyon", "04 78 25 31 40"],
    ["Odile", "Garnier", "5 impasse du Moulin", "69005", "Lyon", "04.78.25.31.40"],
    # `St`/`Ste` for Saint/Sainte, in the street and the town (main: vetoed by ville, saint vs st)
    ["Claire", "Martin", "12 rue Saint-Denis", "93200", "Saint-Denis", "01 48 20 11 11"],
    ["Claire", "Martin", "12 r. St Denis", "93200", "St-Denis", "01.48.20.11.11"],
    ["Luc", "Bernard", "4 place Sainte-Anne", "35000", "Rennes", "02 99 11 22 33"],
    ["Luc", "Bernard", "4 pl. Ste Anne", "35000", "Rennes", "02 99 11 22 33"],
]
# Two flats of one building stay two homes.
FLATS = [["Ines", "Vogt", "Hauptstraße 12 a", "34117", "Kassel", "0561 402233"],
         ["Ines", "Vogt", "Hauptstraße 12 b", "34117", "Kassel", "0561 402233"]]


@pytest.mark.parametrize("rows", [0, 1200])
def test_a_french_street_type_or_dotted_phone_written_another_way_is_one_person(tmp_path, rows):
    background = [[first, last, street, postcode, city, phone] for first, last, street, postcode,
                  city, phone in varied_names(rows, phones=True)] if rows else []
    start = len(background)
    grouped = grouped_rows(tmp_path, background + SAME_PERSON + FLATS, HEADER)
    pairs = [([start + k, start + k + 1], {"certain"}) for k in range(0, len(SAME_PERSON), 2)]
    assert groups_of(grouped, start)[:len(pairs)] == pairs, [
        (row["nom"], row["match_certainty"], row["match_reason"][:120]) for row in grouped[start:]]
    reasons = [row["match_reason"] for row in grouped[start:start + len(SAME_PERSON)]]
    # no flat `r`, no veto by `booulevard`, the phone and the street agree in full
    # (main: `possible (two flats of one building)`, `tel 64`, `vetoed by adresse (booulevard vs blvd)`)
    assert not [reason for reason in reasons if "flat" in reason or "veto" in reason
                or "differ" in reason], reasons
    if not rows:
        for k, reason in enumerate(reasons):
            assert reason.startswith(f"row {start + (k ^ 1) + 1}: agreed prenom 100, nom 100, "
                                     "adresse 100, code_postal 100, ville 100, tel 100;"), reason
    flats = grouped[start + len(SAME_PERSON):]
    assert [row["match_certainty"] for row in flats] == ["possible", "possible"]
    assert all("possible (two flats of one building)" in row["match_reason"] for row in flats)


@pytest.mark.parametrize("raw, key", [
    ("9 R. Garibaldi", "9 rue garibaldi"),
    ("9 r Garibaldi", "9 rue garibaldi"),
    ("9bis, r. d'Alsace", "9bis rue dalsace"),
    ("12 all. des Pins", "12 allee des pins"),
    ("3 ch. des Vignes", "3 chemin des vignes"),
    ("3 bd des Belges", "3 blvd des belges"),
    ("3 Boulevrad des Belges", "3 blvd des belges"),
    ("12 Fg Saint-Antoine", "12 faubourg st antoine"),
    ("Saint-Denis", "st denis"),
    ("St. Denis", "st denis"),
    ("Sainte-Anne", "ste anne"),
    ("Sankt Augustin", "st augustin"),
    ("2 rte de Lyon", "2 route de lyon"),
    ("04.78.19.68.78", "0478196878"),
    ("+33.4.78.19.68.78", "33478196878"),
])
def test_french_short_forms_and_dotted_phones_read_as_written_out(raw, key):
    assert normalize_text([raw]).to_pylist() == [key]


def test_a_lone_r_elsewhere_and_names_near_a_street_type_stay_as_written():
    # an initial (not after a house number), a flat's letter with no name after it, a given
    # name one letter from `terrace`, a surname `Strasser`, a date still one number
    assert normalize_text(["R. Smith", "J. R. Tolkien", "Hauptstr. 12 r", "Terrance",
                           "Strasser", "12.03.1980"]).to_pylist() == [
        "r smith", "j r tolkien", "hauptstr 12 r", "terrance", "strasser", "12031980"]
