"""Two colours in a column of colours are two variants (issue 30, DECISIONS 362): a trial's shoe
list with `--columns product,colour,size` grouped `Adidas Superstar, Grau, 39` and `…, Grün, 39`
as certain (the colours scored 75, a letter or two apart), and `--keep` would have removed one.
They stay possible at most, like other variants (DECISIONS 319). One colour in two languages
(`Blau`/`Blue`) is one colour; a colour keyed twice still merges."""

from __future__ import annotations

import pytest

from tests.test_uncompared_evidence import _dedupe

SHOES = [["Adidas Superstar", "Grau", "39"], ["Adidas Superstar", "Grün", "39"],
         ["Adidas Superstar", "Schwarz", "39"], ["Nike Air Max 90", "Rot", "42"],
         ["Nike Air Max 90", "Rost", "42"], ["Nike Air Max 90", "Blau", "42"],
         ["Nike Air Max 90", "Blue", "42"], ["Nike Air Max 90", "Weiß", "42"],
         ["Nike Air Max 90", "Weiss ", "42"], ["Puma Suede Classic", "Beige", "40"]]


@pytest.mark.parametrize("colour", ["colour", "Farbe", "Couleur", "Option1"])
def test_two_colours_are_never_certain_one_colour_in_two_languages_is(tmp_path, colour):
    """Named for colours in English, German or French, or named otherwise with colours for
    values (`Option1`, as a shop's export names it)."""
    header = ["product", colour, "size"]
    groups = _dedupe(tmp_path, header, SHOES, header, colour)
    assert groups["certain"] == {"Blau|Blue", "Weiss |Weiß"}
    # Two colours a letter or two apart are left for a person to review, like other variants.
    assert groups["possible"] <= {"Grau|Grün", "Rost|Rot"}
