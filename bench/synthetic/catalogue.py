"""A shop's product catalogue: SKUs that are size and colour variants of one product, and true
duplicate listings of one SKU (issue 30: a trial user's 1,860-SKU list found no group).

- vendors drawn Zipf-wise (exponent 1 over the rank), so a few vendors hold most SKUs;
- products of two kinds: clothing (`Classic Crew T-Shirt - Navy / M`, sizes XS–XXL and
  colours) and goods with a model number (`Northwind Kettle KX-2040 1.7 L - Black`, colours
  and capacities);
- each product listed in several variants, each variant one SKU (never a duplicate of another);
- a few hundred SKUs listed a second time: its title with one to three of a typo, another case,
  the variant words reordered (`M / Navy`), `T-Shirt` as `T Shirt`, a model number's hyphen
  dropped, doubled spaces; the vendor now and then in other case.

`catalogue(rows, duplicates, seed)` returns (table, truth) like people.generate: columns sku,
title, vendor; truth the duplicate pairs as sorted row-number tuples.
"""

from __future__ import annotations

import random

import numpy as np

from synthetic.people import _typo
from synthetic.shapes import _shuffled

COLUMNS = ["title", "vendor"]
VENDORS = ["Northwind Outfitters", "Acme Apparel", "Blue Harbor Co", "Fjell Supply",
           "Urban Thread", "Kessler Home", "Pinecrest Goods", "Lumen Living", "Atlas Gear",
           "Maple & Moss", "Brightway Kitchen", "Sundial Studio", "Harbor Lane", "Iron Oak Tools",
           "Velo Sport", "Nordkap Wear", "Copper Kettle Co", "Wildflower Basics", "Summit Trail",
           "Greyhound Denim", "Lotus Yoga", "Meridian Electric", "Foxglove Home", "Tidewater",
           "Riverbend Ceramics", "Oakridge Leather", "Polar Peak", "Saffron Table",
           "Quarry Stone", "Bluebird Kids"]
GARMENTS = ["Classic Crew T-Shirt", "V-Neck T-Shirt", "Zip Hoodie", "Pullover Hoodie",
            "Slim Fit Chino", "Merino Crew Sweater", "Rain Jacket", "Running Shorts",
            "Yoga Leggings", "Denim Jacket", "Polo Shirt", "Fleece Vest", "Oxford Shirt",
            "Puffer Jacket", "Cargo Pants", "Tank Top", "Linen Shirt", "Sweatpants",
            "Quarter Zip Pullover", "Bomber Jacket", "Rib Knit Beanie", "Wool Socks"]
LINES = ["", "Essential ", "Heritage ", "Organic ", "Everyday ", "Performance ", "Premium "]
GOODS = ["Kettle", "Blender", "Toaster", "Desk Lamp", "Coffee Grinder", "Cordless Drill",
         "Water Bottle", "Travel Mug", "Hand Mixer", "Food Processor", "Floor Lamp",
         "Electric Toothbrush", "Hair Dryer", "Bluetooth Speaker", "Air Purifier",
         "Impact Driver", "Rice Cooker", "Stand Mixer", "Wall Clock", "Lunch Box"]
COLOURS = ["Black", "White", "Navy", "Red", "Grey", "Olive", "Sand", "Blue", "Green",
           "Burgundy", "Charcoal", "Pink"]
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
CAPACITIES = ["0.5 L", "0.75 L", "1 L", "1.5 L", "1.7 L", "2 L"]


def _zipf(count: int) -> np.ndarray:
    weights = 1 / np.arange(1, count + 1)
    return weights / weights.sum()


def _model(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEFGHKLMPRSTVXZ") for _ in range(rng.randint(1, 3)))
    return f"{letters}-{rng.randint(100, 9999)}"


def _products(rng: random.Random, gen: np.random.Generator) -> list[tuple[str, list[str]]]:
    """Products without end: (vendor, [every variant's title])."""
    vendors = _zipf(len(VENDORS))
    seen = set()
    while True:
        vendor = VENDORS[int(gen.choice(len(VENDORS), p=vendors))]
        if rng.random() < 0.65:
            name = f"{rng.choice(LINES)}{rng.choice(GARMENTS)}"
            colours = rng.sample(COLOURS, rng.randint(1, 4))
            sizes = SIZES[rng.randint(0, 2):rng.randint(4, 6)]
            titles = [f"{name} - {c} / {s}" for c in colours for s in sizes]
        else:
            name = f"{vendor.split()[0]} {rng.choice(GOODS)} {_model(rng)}"
            colours = rng.sample(COLOURS, rng.randint(1, 3))
            if rng.random() < 0.4:
                capacities = rng.sample(CAPACITIES, rng.randint(1, 3))
                titles = [f"{name} {v} - {c}" for c in colours for v in capacities]
            else:
                titles = [f"{name} - {c}" for c in colours]
        if (vendor, name) in seen:
            continue
        seen.add((vendor, name))
        yield vendor, titles


def _relisted(rng: random.Random, title: str) -> str:
    """A title keyed again: one to three of the changes the module docstring lists."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.3:
            words = title.split(" ")
            k = rng.randrange(len(words))
            if len(words[k]) > 3 and words[k].isalpha():
                words[k] = _typo(rng, words[k])
            title = " ".join(words)
        elif kind < 0.5:
            title = rng.choice([title.lower(), title.upper(), title.title()])
        elif kind < 0.65 and " / " in title:
            head, _, size = title.rpartition(" / ")
            base, _, colour = head.rpartition(" - ")
            title = f"{base} - {size} / {colour}"
        elif kind < 0.75:
            title = title.replace("T-Shirt", "T Shirt").replace("-Neck", " Neck")
        elif kind < 0.88:
            title = " ".join(w.replace("-", "") if any(c.isdigit() for c in w) else w
                             for w in title.split(" "))
        else:
            title = title.replace(" - ", "  -  ", 1)
    return title


def catalogue(rows: int = 1_860, duplicates: int = 300, seed: int = 30):
    """(table, truth): `rows` SKUs of which `duplicates` list another SKU again (module
    docstring). Columns sku, title, vendor."""
    rng = random.Random(seed)
    gen = np.random.default_rng(seed)
    listed: list[dict] = []
    products = _products(rng, gen)
    while len(listed) < rows - duplicates:
        vendor, titles = next(products)
        for title in titles[:rows - duplicates - len(listed)]:
            listed.append({"title": title, "vendor": vendor})
    groups = [[k] for k in range(len(listed))]
    for k in rng.sample(range(len(listed)), duplicates):
        row = listed[k]
        vendor = row["vendor"] if rng.random() < 0.85 else row["vendor"].upper()
        groups[k].append(len(listed))
        listed.append({"title": _relisted(rng, row["title"]), "vendor": vendor})
    table, truth = _shuffled(listed, [g for g in groups if len(g) > 1], seed)
    table.insert(0, "sku", [f"SKU-{k + 10001}" for k in range(len(table))])
    return table, truth


if __name__ == "__main__":
    import sys

    frame, _ = catalogue()
    frame.to_csv(sys.argv[1] if len(sys.argv) > 1 else sys.stdout, index=False)
