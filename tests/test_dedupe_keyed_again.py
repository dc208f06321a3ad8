"""A title keyed again with a typo is a certain duplicate when the vendor is compared too
(issue 30, DECISIONS 429): a shop's catalogue deduped on its title alone found most listings
keyed twice, on title and vendor (a learned model, 1,000 rows or more) the typo'd ones stayed
possible or were not grouped at all. Two words a shop uses both (`Shirt`/`Skirt`) and model
numbers a digit apart stay two products. Run through the installed `datatools` script."""

from __future__ import annotations

import random
from collections import Counter

from tests.cli_process import groups_by_certainty
from tests.test_dedupe_variants import datatools
from tests.test_group_conflicts import groups

GARMENTS = ["Linen Shirt", "Linen Skirt", "Zip Hoodie", "Cargo Pants", "Rain Jacket",
            "Fleece Vest", "Sweatpants", "Bomber Jacket", "Wool Socks", "Denim Jacket"]
# The commonest vendor holds half the rows: agreeing on it is little evidence.
VENDORS = ["Northwind Outfitters"] * 3 + ["Acme Apparel", "Fjell Supply", "Urban Thread"]
LINES = ["", "Premium ", "Everyday ", "Heritage ", "Organic ", "Essential "]


def mistyped(title: str, n: int) -> str:
    """The title keyed again with one error in a word of five letters or more (two neighbouring
    letters swapped, or one dropped; word and place drawn by `n`), every third in capitals."""
    draw = random.Random(n)
    words = title.split(" ")
    k = draw.choice([k for k, word in enumerate(words) if len(word) >= 5])
    word = words[k]
    at = draw.randrange(1, len(word) - 1)
    if draw.random() < 0.5 and word[at] != word[at + 1]:
        words[k] = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    else:
        words[k] = word[:at] + word[at + 1:]
    typed = " ".join(words)
    return typed.upper() if n % 3 == 0 else typed


def catalogue() -> tuple[list[list[str]], set[str]]:
    """(rows of title and vendor, the keyed-again pairs as `R1|R9` refs)."""
    rows = [[f"{LINES[v]}{garment} - {colour} / {size}", vendor]
            for v, vendor in enumerate(VENDORS) for g, garment in enumerate(GARMENTS)
            for colour in ("Black", "Navy", "Olive", "Sand", "Burgundy", "Grey")
            for size in ("S", "M", "L")]
    rows += [[f"Northwind Kettle KX-{2040 + n} - {colour}", "Northwind Outfitters"]
             for n in range(3) for colour in ("Black", "White")]
    twice = list(range(0, len(rows) - 6, 7))
    pairs = {"|".join(sorted((f"R{k + 1}", f"R{len(rows) + n + 1}"))) for n, k in enumerate(twice)}
    typos: Counter = Counter()
    draw = 0
    for k in twice:
        # A typo three rows share is a word of the shop (keyed_again.py): drawn anew until at
        # most one other row holds it.
        while True:
            draw += 1
            title = mistyped(rows[k][0], draw)
            new = set(title.lower().split()) - set(rows[k][0].lower().split())
            if all(typos[word] < 2 for word in new):
                break
        typos.update(new)
        rows.append([title, rows[k][1]])
    return rows, pairs


def test_a_title_keyed_again_with_a_typo_is_certain_with_its_vendor(tmp_path):
    rows, pairs = catalogue()
    assert len(rows) >= 1000       # a learned run
    found = groups(tmp_path, ["Title", "Vendor"], rows, "Title,Vendor")
    assert found["certain"] == pairs
    assert found["possible"] == set()
    # the duckdb engine levels its batches' pairs the same way (linkage_batches.py)
    datatools("dedupe", "products.csv", "--columns", "Title,Vendor", "--engine", "duckdb",
              "-o", "duckdb.csv", cwd=tmp_path)
    assert groups_by_certainty(tmp_path / "duckdb.csv", "ref") == found


def test_two_words_of_the_shop_or_two_model_numbers_are_never_one_listing(tmp_path):
    rows, _ = catalogue()
    ref = {row[0]: f"R{k + 1}" for k, row in enumerate(rows) if row[1] == VENDORS[0]}
    found = groups(tmp_path, ["Title", "Vendor"], rows, "Title,Vendor")
    grouped = [set(group.split("|")) for group in found["certain"] | found["possible"]]
    for one, other in [("Linen Shirt - Navy / M", "Linen Skirt - Navy / M"),
                       ("Northwind Kettle KX-2040 - Black", "Northwind Kettle KX-2041 - Black")]:
        assert not any({ref[one], ref[other]} <= group for group in grouped)


def test_two_words_of_a_small_list_a_letter_apart_are_two_products(tmp_path):
    """On the small-table rules too (DECISIONS 430): `Shirt` and `Skirt` are each the word of
    three rows, so `Linen Skirt - Navy / M` is another product than `Linen Shirt - Navy / M`
    (main merged them as certain); the same title keyed again in capitals is one listing."""
    rows = [["Linen Shirt - Navy / M"], ["Linen Shirt - Sand / L"], ["Linen Shirt - Black / S"],
            ["Linen Skirt - Navy / M"], ["Linen Skirt - Sand / M"], ["Linen Skirt - Black / L"],
            ["LINEN SHIRT - NAVY / M"]]
    found = groups(tmp_path, ["Title"], rows, "Title")
    assert found["certain"] == {"R1|R7"}
    assert not any("R4" in group for group in found["certain"])
