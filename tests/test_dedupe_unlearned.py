"""A catalogue past 1,000 rows, where a match model is learned, whose values each recur (a
product in many colours and sizes): the model learned that no pair is a match and the run
found nothing, though 150 rows repeat another but for case or a trailing space (issue 30).
Such a model is not used: the small table's rules decide, and the summary says so. Also a
phone written with and without its country code, beside an address written two ways, keeps a
pair certain on a small table. The duckdb engine drops such a model too. Run through the installed `datatools` console script."""

from __future__ import annotations

import csv
import random

from tests.cli_process import datatools, groups_by_certainty

PRODUCTS = ["Adidas Superstar", "Adidas Gazelle", "Nike Air Max 90", "Puma Suede Classic",
            "Levi's 501 Original Jeans", "Hanes Sweatshirt Crew", "Converse Chuck Taylor",
            "Vans Old Skool", "New Balance 574", "Reebok Club C 85"]
COLOURS = ["Rot", "Blau", "Grau", "Weiß", "Schwarz", "Orange", "Navy", "Beige"]
SIZES = ["S", "M", "L", "XL", "38", "39", "40", "41", "42", "43", "44", "45"]


def _catalogue() -> tuple[list[list[str]], list[tuple[int, int]]]:
    """1,020 rows (id, product, colour, size, price): 870 distinct variants, then 150 copies of
    some of them in capitals, lower case or with a trailing space; and the (original, copy)
    pairs, as row ids."""
    chance = random.Random(30)
    variants = [(p, c, s) for p in PRODUCTS for c in COLOURS for s in SIZES]
    chance.shuffle(variants)
    rows = [[str(k + 1), *variant, f"{chance.randint(20, 150)},99"]
            for k, variant in enumerate(variants[:870])]
    copies = []
    for k, original in enumerate(chance.sample(rows, 150)):
        product, colour = original[1], original[2]
        spelt = [(product.upper(), colour.lower()), (product.lower(), colour),
                 (product + " ", colour.upper())][k % 3]
        rows.append([str(len(rows) + 1), *spelt, original[3], original[4]])
        copies.append((int(original[0]), len(rows)))
    return rows, copies


def test_a_catalogue_the_model_cannot_learn_from_still_groups_its_copies(tmp_path):
    rows, copies = _catalogue()
    with open(tmp_path / "catalogue.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "product", "colour", "size", "price"], *rows])
    done = datatools("dedupe", "catalogue.csv", "--columns", "product,colour,size",
                     "-o", "grouped.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    groups = groups_by_certainty(tmp_path / "grouped.csv", "id")
    wanted = {"|".join(sorted(map(str, pair))) for pair in copies}
    assert groups == {"certain": wanted, "possible": set()}
    assert "No match model could be learned from these 1,020 rows" in done.stderr + done.stdout


def test_the_duckdb_engine_drops_the_model_as_the_in_memory_run_does(tmp_path):
    # The large engine learned the same model, kept it and found 0 groups (DECISIONS 388).
    rows, _ = _catalogue()
    with open(tmp_path / "catalogue.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "product", "colour", "size", "price"], *rows])
    said = {}
    for engine in ("memory", "duckdb"):
        done = datatools("dedupe", "catalogue.csv", "--columns", "product,colour,size",
                         "--engine", engine, "-o", f"{engine}.csv", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        said[engine] = done.stderr + done.stdout
    assert (tmp_path / "duckdb.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert "No match model could be learned from these 1,020 rows" in said["duckdb"]


def test_a_phone_held_as_one_number_on_one_row_keeps_a_small_lists_pair_certain(tmp_path):
    # `612345678` was read as a product code that `+34 612 345 678` lacks: capped at 74
    rows = [["id", "name", "street", "city", "phone"],
            ["1", "María José García López", "Calle de Alcalá 45, 3º B", "Madrid",
             "+34 612 345 678"],
            ["2", "Maria Jose Garcia Lopez", "C/ Alcalá 45 3B", "Madrid", "612345678"],
            ["3", "Emre Demir", "Bağdat Cad. 200/5", "İstanbul", "+90 555 123 45 67"],
            ["4", "Emre Demir", "Bagdat Caddesi 200 D.5", "Istanbul", "05551234567"],
            ["5", "Ute Lang", "Domstraße 3", "Köln", "+49 221 806 874"],
            ["6", "Ute Lang", "Domstraße 3", "Köln", "0221 806875"],      # another line
            ["7", "Sofia Rossi", "Via Roma 12", "Roma", "+39 06 678 90 12"],
            ["8", "Lars Andersson", "Storgatan 4", "Stockholm", "+46 8 123 45 67"]]
    with open(tmp_path / "people.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    done = datatools("dedupe", "people.csv", "--columns", "name,street,city,phone",
                     "-o", "grouped.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert groups_by_certainty(tmp_path / "grouped.csv", "id") == {
        "certain": {"1|2", "3|4"}, "possible": set()}
