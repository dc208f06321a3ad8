"""`match --estimate` on a sample counts what the full run writes as certain: each sampled row is
decided by the run's own rules after the learned model (two people of one household, a date of
birth that differs, ties), not by its match probability alone. Trial A (session 9): newsletter
against customers, the estimate said about 1,700 where the run wrote 385 certain matches."""

from __future__ import annotations

import random

import pandas as pd

from datatools.tools.match import match_tables
from datatools.tools.match_estimate import estimate_matches, sample_rows

GIVEN = ["Anna", "Birgit", "Claus", "Dieter", "Elke", "Frank", "Gerd", "Heike", "Ingo", "Jutta",
         "Karl", "Lena", "Maik", "Nina", "Olaf", "Petra", "Rolf", "Sven", "Tanja", "Uwe"]
COUPLES = [("Paul", "Paula"), ("Stefan", "Stefanie"), ("Christian", "Christina"),
           ("Simon", "Simone"), ("Michael", "Michaela"), ("Daniel", "Daniela")]
SURNAMES = ["Bauer", "Becker", "Fischer", "Hahn", "Hoffmann", "Koch", "Krause", "Lange", "Meyer",
            "Neumann", "Richter", "Schmitz", "Schulz", "Vogel", "Wagner", "Weber", "Wolf",
            "Zimmer", "Berger", "Brandt", "Krüger", "Lorenz", "Kaiser", "Fuchs", "Peters"]
STREETS = ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schulstraße", "Ringweg"]
CITIES = [("10115", "Berlin"), ("20095", "Hamburg"), ("50667", "Köln"), ("80331", "München")]
ON = ["first", "last", "street", "zip", "city"]


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Customers (1,000: 700 people, 300 husbands) and orders (600: 300 from customers, 300
    from the husbands' wives, who are no customers)."""
    pick = random.Random(11)
    customers, orders = [], []
    for n in range(700):
        zip_code, city = pick.choice(CITIES)
        customers.append([pick.choice(GIVEN), SURNAMES[n % len(SURNAMES)],
                          f"{pick.choice(STREETS)} {n // len(SURNAMES) + 1}", zip_code, city])
    for n in range(300):
        husband, wife = COUPLES[n % len(COUPLES)]
        zip_code, city = pick.choice(CITIES)
        home = [SURNAMES[n % len(SURNAMES)], f"Am Markt {n + 1}", zip_code, city]
        customers.append([husband, *home])
        orders.append([wife, *home])
    orders += [list(row) for row in pick.sample(customers[:700], 300)]
    pick.shuffle(orders)
    return pd.DataFrame(orders, columns=ON), pd.DataFrame(customers, columns=ON)


def test_a_sampled_estimate_counts_only_what_the_run_writes_as_certain():
    orders, customers = _tables()
    run = match_tables(orders, customers, ON)
    estimate = estimate_matches(orders, customers, ON, sample=200)
    assert estimate.learned and not estimate.exact and estimate.sample_rows == 200
    # The wives' orders are probable (their husbands' rows agree on all but one letter or two
    # of the given name) but the run keeps them possible: two people of one household.
    assert 280 <= run.report.certain <= 310
    assert estimate.low <= run.report.certain <= estimate.high
    sampled = sample_rows(len(orders), 200, 0)
    certain = (run.frame["match_certainty"].to_numpy()[sampled] == "certain").sum()
    assert abs(estimate.sample_matched - int(certain)) <= 4
