"""What keeps the learned match probability right as lists grow: a prior over all row pairs
(the model's count of matches equals the duplicates), columns that move together counted once
(a postcode and its city), and households that a half swap does not merge."""

import random

import pandas as pd
import pytest

from datatools.tools.dedupe import find_duplicates
from datatools.tools.dependence import dependent_columns
from datatools.tools.similarity import prepare_columns
from datatools.tools.vetoes import disagreeing_words
from test_linkage import COLUMNS, GIVEN, SURNAMES, customer_list, group_of, person, with_cases

PEOPLE = ["first", "last", "street", "city", "postcode", "born"]


def people_list(seed: int = 5) -> tuple[pd.DataFrame, list[tuple[int, int]]]:
    """1,400 people in 40 towns, each town with one postcode (the postcode names the town and
    the town the postcode), 200 duplicates with a typo or a missing cell; the true pairs."""
    rng = random.Random(seed)
    towns = [(f"Ort{chr(65 + k // 8)}{'aeiouyxz'[k % 8]}feld", f"{10000 + 1733 * k}")
             for k in range(40)]
    rows = []
    for _ in range(1_400):
        town, code = rng.choice(towns)
        rows.append({"first": rng.choice(GIVEN), "born": f"19{rng.randint(40, 99)}-"
                     f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     "last": SURNAMES[min(int(rng.paretovariate(1.0)) - 1, len(SURNAMES) - 1)],
                     "street": f"{rng.randint(1, 200)} {rng.choice(['Ahornweg', 'Ulmenweg', 'Am Bach', 'Feldweg', 'Ringstraße', 'Mühlgasse'])}",
                     "city": town, "postcode": code})
    truth = []
    for source in rng.sample(range(len(rows)), 200):
        copy = dict(rows[source])
        column = rng.choice(["first", "last", "street", "born"])
        if rng.random() < 0.5:
            word = copy[column]
            k = rng.randrange(1, len(word) - 1)
            copy[column] = word[:k] + word[k + 1] + word[k] + word[k + 2:]
        else:
            copy[column] = ""
        truth.append((source, len(rows)))
        rows.append(copy)
    return pd.DataFrame(rows, columns=PEOPLE, dtype=object), truth


def test_the_prior_is_the_share_of_matches_among_all_row_pairs():
    # 150 duplicates among 1,300 rows: the model's expected matches over all pairs are about
    # 150 (a prior over the candidate pairs only would count thousands of pairs as matches).
    rows, truth = customer_list()
    table = pd.DataFrame(rows, columns=COLUMNS, dtype=object).fillna("")
    model = find_duplicates(table, COLUMNS).model
    expected = model.prior * len(table) * (len(table) - 1) / 2
    assert 0.8 * len(truth) <= expected <= 1.25 * len(truth)


def test_a_postcode_and_its_town_are_one_agreement_not_two():
    table, truth = people_list()
    prepared = prepare_columns(PEOPLE, [table[name] for name in PEOPLE])
    found = {(PEOPLE[i], PEOPLE[j]) for i, j, _ in dependent_columns(prepared)}
    assert found == {("city", "postcode"), ("postcode", "city")}
    # Strangers who share a town, its postcode and a birthday, and nothing else.
    strangers = [
        {"first": "Gudrun", "last": "Albrecht", "street": "12 Ahornweg", "city": "OrtAafeld",
         "postcode": "10000", "born": "1961-04-17"},
        {"first": "Tobias", "last": "Lorenz", "street": "88 Feldweg", "city": "OrtAafeld",
         "postcode": "10000", "born": "1961-04-17"},
        {"first": "Clara", "last": "Winkler", "street": "3 Mühlgasse", "city": "OrtBefeld",
         "postcode": "23864", "born": "1977-09-02"},
        {"first": "Florian", "last": "Roth", "street": "140 Am Bach", "city": "OrtBefeld",
         "postcode": "23864", "born": "1977-09-02"},
    ]
    start = len(table)
    table = pd.concat([table, pd.DataFrame(strangers, columns=PEOPLE)], ignore_index=True)
    result = find_duplicates(table, PEOPLE)
    assert group_of(result, start) is None and group_of(result, start + 2) is None
    # ... while the duplicates, each with one typo or missing cell, are found and certain.
    pairs = {(c.rows[i], c.rows[j]) for c in result.clusters if c.certain
             for i in range(len(c.rows)) for j in range(i + 1, len(c.rows))}
    assert len(pairs & set(truth)) >= 0.95 * len(truth)
    assert len(pairs - set(truth)) <= 0.01 * len(pairs)


@pytest.fixture(scope="module")
def households():
    table, start = with_cases([
        # Emilia Keil; a housemate whose names were typed the wrong way round; her own row with
        # the names swapped
        person("Emilia", "Keil", "Ulmenweg 9", "34119", "Kassel", "0561 4455667"),
        person("Keil", "Jonathan", "Ulmenweg 9", "34119", "Kassel", "0561 4455667"),
        person("Keil", "Emilia", "Ulmenweg 9", "34119", "Kassel", "0561 4455667"),
        # a typo of a name nobody else holds
        person("Gundolf", "Ostheim", "Lindenstraße 4", "07743", "Jena", "03641 112233"),
        person("Gundlof", "Ostheim", "Lindenstraße 4", "07743", "Jena", "03641 112233"),
    ])
    return find_duplicates(table, COLUMNS), start


def test_a_half_swapped_housemate_stays_apart_and_the_swapped_duplicate_groups(households):
    result, start = households
    group = group_of(result, start)
    assert group is not None and group.rows == [start, start + 2]
    assert group_of(result, start + 1) is None
    # The veto finds the two given names although each row's surname is in the other's given
    # name column.
    table = result.frame[COLUMNS]
    prepared = prepare_columns(COLUMNS, [table[name] for name in COLUMNS])
    assert disagreeing_words(prepared, 0, start, start + 1) == ("emilia", "jonathan")
    assert disagreeing_words(prepared, 0, start, start + 2) is None


def test_a_typo_of_a_name_nobody_else_holds_still_groups(households):
    result, start = households
    typo = group_of(result, start + 3)
    assert typo is not None and typo.rows == [start + 3, start + 4] and typo.certain
