"""Two colours in a column of colours are two variants (issue 30, DECISIONS 362): a trial's shoe
list with `--columns product,colour,size` grouped `Adidas Superstar, Grau, 39` and `…, Grün, 39`
as certain (the colours scored 75, a letter or two apart), and `--keep` would have removed one.
They stay possible at most, like other variants (DECISIONS 319). One colour in two languages
(`Blau`/`Blue`) is one colour; a colour keyed twice still merges."""

from __future__ import annotations

import csv

import pytest

from tests.cli_process import datatools, groups_by_certainty

SHOES = [["Adidas Superstar", "Grau", "39"], ["Adidas Superstar", "Grün", "39"],
         ["Adidas Superstar", "Schwarz", "39"], ["Nike Air Max 90", "Rot", "42"],
         ["Nike Air Max 90", "Rost", "42"], ["Nike Air Max 90", "Blau", "42"],
         ["Nike Air Max 90", "Blue", "42"], ["Nike Air Max 90", "Weiß", "42"],
         ["Nike Air Max 90", "Weiss ", "42"], ["Puma Suede Classic", "Beige", "40"]]


def _groups(tmp_path, header: list[str]) -> dict[str, set[str]]:
    source, out = tmp_path / "shoes.csv", tmp_path / "out.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(SHOES)
    done = datatools("dedupe", str(source), "--columns", ",".join(header), "-o", str(out),
                     "--force", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return groups_by_certainty(out, header[1])


@pytest.mark.parametrize("colour", ["colour", "Farbe", "Couleur", "Option1"])
def test_two_colours_are_never_certain_one_colour_in_two_languages_is(tmp_path, colour):
    """Named for colours in English, German or French, or named otherwise with colours for
    values (`Option1`, as a shop's export names it)."""
    groups = _groups(tmp_path, ["product", colour, "size"])
    assert groups["certain"] == {"Blau|Blue", "Weiss |Weiß"}
    # Two colours a letter or two apart are left for a person to review, like other variants.
    assert groups["possible"] <= {"Grau|Grün", "Rost|Rot"}
