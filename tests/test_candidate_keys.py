"""Rows sharing a rare e-mail or phone are always compared, however tight the pair budget
(issue 30: no true pair sharing a rare key is lost before scoring; DECISIONS 399). At a million
rows the budget keeps 4 pairs a row, chosen by the columns they agree on: a duplicate whose
name and street are keyed badly shares only its e-mail and phone, and was cut."""

from __future__ import annotations

import random

import pandas as pd

from datatools.tools import candidates
from datatools.tools.dedupe import find_duplicates
from datatools.tools.similarity import prepare_columns

COLUMNS = ["first", "last", "street", "zip", "city", "phone", "email"]


def _table() -> pd.DataFrame:
    """100 households of four (one surname, street, postcode, town and phone: 600 pairs agreeing
    on five columns), and one woman written twice, her surname and street spelled two ways, her
    postcode and phone on one row only, her e-mail on both."""
    rng = random.Random(3)
    given = ["Anna", "Jonas", "Petra", "Lukas", "Maria", "Felix", "Lea", "Paul", "Emma", "Ben"]
    surnames = ["Müller", "Schmidt", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch", "Richter"]
    rows = []
    for n in range(100):
        surname, street = rng.choice(surnames), f"{rng.choice(['Haupt', 'Berg', 'Wald'])}weg {n}"
        rows += [[name, surname, street, f"60{n:03d}", "Frankfurt", f"069 {100000 + n}",
                  f"{name.lower()}.{surname.lower()}{n}@web.de"] for name in rng.sample(given, 4)]
    rows.append(["Sabine", "Krüger", "Goethestraße 96", "60385", "Frankfurt am Main",
                 "0351 5913333", "sabine.krueger@freenet.de"])
    rows.append(["Sabine", "Krueger", "Goethestr. 96", "", "Frankfurt", "",
                 "sabine.krueger@freenet.de"])
    return pd.DataFrame(rows, columns=COLUMNS)


def test_rows_sharing_a_rare_email_and_phone_are_compared_beyond_the_budget(monkeypatch):
    frame = _table()
    monkeypatch.setattr(candidates, "pair_budget", lambda rows: rows)   # one pair a row
    prepared = prepare_columns(COLUMNS, [frame[c] for c in COLUMNS])
    a, b = candidates.candidate_pairs(prepared)
    assert (len(frame) - 2, len(frame) - 1) in set(zip(a.tolist(), b.tolist()))
    ids = find_duplicates(frame, COLUMNS).frame["cluster_id"].tolist()
    assert ids[-1] != "" and ids[-1] == ids[-2]
