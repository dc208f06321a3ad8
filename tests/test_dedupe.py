"""find_duplicates and keep_one_per_cluster on small hand-made tables with known answers."""

import threading

import pandas as pd
import pytest

from datatools.errors import BadInput, Cancelled
from datatools.progress import Progress
from datatools.tools.dedupe import find_duplicates, keep_one_per_cluster

COLUMNS = ["name", "street", "city", "postcode"]
PEOPLE = [
    ("François Dupont", "12 Rue de la Paix", "Paris", "75002"),
    ("Francois Dupont", "12 rue de la paix", "PARIS", "75002"),    # accents, case
    ("Dupont François", "12 Rue de la Paix", "Paris", ""),         # swapped words, empty cell
    ("Acme Corporation", "400 Industrial Avenue", "Leeds", "LS1 4AB"),
    ("ACME Corp.", "400 Industrial Ave", "Leeds", "LS1 4AB"),      # abbreviations, punctuation
    ("Jane Miller", "8 Elm Street", "Bristol", "BS1 5TR"),
    ("Jane Muller", "8 Elm St", "Bristol", "BS1 5TR"),             # typo
    ("John Miller", "14 Oak Drive", "Cardiff", "CF10 1AA"),        # shares a surname only
    ("Greta Holm", "3 Birch Court", "Malmo", "21119"),
]


def frame(rows, columns=COLUMNS):
    return pd.DataFrame(rows, columns=columns, dtype=object)


def test_typos_accents_swapped_words_and_empty_cells_are_grouped_with_reasons():
    result = find_duplicates(frame(PEOPLE), COLUMNS)
    assert result.frame[["cluster_id", "match_score", "match_reason"]].values.tolist() == [
        ["1", "100", "row 2: agreed name 100, street 100, city 100, postcode 100; whole row 100; "
                     "rare words francois, dupont, paris"],
        ["1", "100", "row 1: agreed name 100, street 100, city 100, postcode 100; whole row 100; "
                     "rare words francois, dupont, paris"],
        ["1", "93", "row 1: agreed name 100, street 100, city 100; empty postcode; whole row 93; "
                    "rare words francois, dupont, paris"],
        ["2", "100", "row 5: agreed name 100, street 100, city 100, postcode 100; whole row 100; "
                     "rare words industrial, leeds, acme"],
        ["2", "100", "row 4: agreed name 100, street 100, city 100, postcode 100; whole row 100; "
                     "rare words industrial, leeds, acme"],
        ["3", "94", "row 7: agreed name 91, street 100, city 100, postcode 100; whole row 97; "
                    "rare words bristol, jane, elm"],
        ["3", "94", "row 6: agreed name 91, street 100, city 100, postcode 100; whole row 97; "
                    "rare words bristol, jane, elm"],
        ["", "", ""],
        ["", "", ""],
    ]
    assert [(c.id, c.rows) for c in result.clusters] == [("1", [0, 1, 2]), ("2", [3, 4]), ("3", [5, 6])]
    assert result.report.to_dict()["duplicates"] == 4


def test_output_keeps_every_input_column_in_order_and_leaves_the_input_alone():
    people = frame(PEOPLE)
    before = people.copy()
    result = find_duplicates(people, ["name"])
    assert list(result.frame.columns) == COLUMNS + ["cluster_id", "match_score", "match_certainty", "match_reason"]
    assert result.frame[COLUMNS].equals(before)
    assert people.equals(before)


def test_rows_linked_through_a_row_with_empty_cells_do_not_chain():
    # The middle row, its city empty, is like both others (88 each, above the default 54), so
    # connected components would make one group of three; but Leeds against York vetoes the
    # outer pair, and average linkage keeps the middle row with one side only.
    rows = [
        ("Anna Berg", "1 Lake Road", "Leeds"),
        ("Anna Berg", "1 Lake Road", ""),
        ("Anna Berg", "1 Lake Road", "York"),
        ("Maria Lopez", "77 Harbour Street", "Valencia"),
        ("Tom Fischer", "5 Mill Lane", "Hamburg"),
        ("Sara Novak", "23 Castle Hill", "Prague"),
    ]
    result = find_duplicates(frame(rows, ["name", "street", "city"]), ["name", "street", "city"])
    assert result.frame["cluster_id"].tolist() == ["", "1", "1", "", "", ""]
    assert result.frame["match_reason"].tolist()[:3] == [
        "row 3 vetoed by city (leeds vs york); agreed name 100, street 100; whole row 82",
        "row 3: agreed name 100, street 100; empty city; whole row 88; rare words anna, berg, lake",
        "row 2: agreed name 100, street 100; empty city; whole row 88; rare words anna, berg, lake",
    ]


def test_a_higher_threshold_keeps_only_the_closest_pairs():
    result = find_duplicates(frame(PEOPLE), COLUMNS, threshold=99)
    assert result.frame["cluster_id"].tolist() == ["1", "1", "", "2", "2", "", "", "", ""]


def test_unrelated_rows_give_no_clusters():
    result = find_duplicates(frame(PEOPLE[5:]), COLUMNS, threshold=98)
    assert result.clusters == []
    assert set(result.frame["cluster_id"]) == {""}


def test_keep_first_and_most_complete_write_one_row_per_group_and_a_merge_list():
    result = find_duplicates(frame(PEOPLE), COLUMNS)
    first = keep_one_per_cluster(result, "first")
    assert first.frame["name"].tolist() == ["François Dupont", "Acme Corporation", "Jane Miller",
                                            "John Miller", "Greta Holm"]
    assert first.merges.values.tolist() == [["1", "1", "2 3", "93"], ["2", "4", "5", "100"],
                                            ["3", "6", "7", "94"]]
    rows = [("Ann Lee", "", "Derby", ""), ("Ann Lee", "2 Ash Road", "Derby", "DE1 2AB"),
            ("Bob Stone", "9 Yew Lane", "York", "YO1 7HH")]
    found = find_duplicates(frame(rows), COLUMNS)
    # Two empty cells leave the Ann Lee pair a possible match: kept whole unless asked.
    assert [(c.rows, c.certain) for c in found.clusters] == [([0, 1], False)]
    safe = keep_one_per_cluster(found, "most-complete")
    assert safe.frame.values.tolist() == frame(rows).values.tolist()
    assert safe.report["possible_kept"] == 1 and safe.report["dropped"] == 0
    complete = keep_one_per_cluster(found, "most-complete", include_possible=True)
    assert complete.frame.values.tolist() == [["Ann Lee", "2 Ash Road", "Derby", "DE1 2AB"],
                                              ["Bob Stone", "9 Yew Lane", "York", "YO1 7HH"]]
    assert complete.report == {"rows": 3, "kept": 2, "dropped": 1, "clusters": 1, "merged": 1,
                               "keep": "most-complete", "possible_kept": 0, "cells_lost": {}}


def test_a_reviewers_chosen_survivor_overrides_the_keep_policy_for_its_group_only():
    result = find_duplicates(frame(PEOPLE), COLUMNS)
    kept = keep_one_per_cluster(result, "first", survivors={"1": 2, "3": 6})
    assert kept.frame["name"].tolist() == ["Dupont François", "Acme Corporation", "Jane Muller",
                                           "John Miller", "Greta Holm"]
    assert kept.merges.values.tolist() == [["1", "3", "1 2", "93"], ["2", "4", "5", "100"],
                                           ["3", "7", "6", "94"]]
    with pytest.raises(BadInput, match="Row 4 is not in group 1"):
        keep_one_per_cluster(result, "first", survivors={"1": 3})


def test_bad_columns_threshold_and_keep_are_refused_with_a_clear_message():
    people = frame(PEOPLE)
    with pytest.raises(BadInput, match="No column 'nmae'; the columns are: name, street, city, postcode"):
        find_duplicates(people, ["nmae"])
    with pytest.raises(BadInput, match="between 0 and 100, not 120"):
        find_duplicates(people, ["name"], threshold=120)
    with pytest.raises(BadInput, match="already has a column named 'cluster_id'"):
        find_duplicates(people.assign(cluster_id=""), ["name"])
    with pytest.raises(BadInput, match="--keep must be 'first' or 'most-complete'"):
        keep_one_per_cluster(find_duplicates(people, ["name"]), "last")


def test_a_cancelled_run_stops_with_cancelled():
    rows = [(f"Person {k} Name{k % 97}", f"{k} Road {k % 13}", f"Town{k % 50}", str(k)) for k in range(3000)]
    cancel = threading.Event()
    seen = []

    def listener(fraction, message):
        seen.append(fraction)
        if fraction > 0.3:
            cancel.set()

    with pytest.raises(Cancelled):
        find_duplicates(frame(rows), COLUMNS, progress=Progress(listener, cancel))
    assert max(seen) < 0.9


def test_policy_kept_names_the_rows_keep_one_per_cluster_keeps_and_a_split_groups_own():
    """The window's review asks the engine which row a group keeps without building the merge
    list (DECISIONS 366): the same rows `keep_one_per_cluster` keeps, ties to the first; asked
    for some rows of a group (a reviewer split one out), the rows' own."""
    from datatools.tools.dedupe import Cluster, policy_kept

    rows = [("Ann Lee", "", "Derby", ""), ("Ann Lee", "2 Ash Road", "Derby", "DE1 2AB"),
            ("Ann Lee", "2 Ash Road", "Derby", "DE1 2AB"), ("Bob Stone", "9 Yew Lane", "York", "YO1 7HH")]
    found = find_duplicates(frame(rows), COLUMNS)
    assert [c.rows for c in found.clusters] == [[0, 1, 2]]
    for keep in ("first", "most-complete"):
        merges = keep_one_per_cluster(found, keep, include_possible=True).merges
        assert policy_kept(found, keep) == {cid: int(kept) - 1 for cid, kept
                                            in zip(merges["cluster_id"], merges["kept_row"])}
    assert policy_kept(found, "first") == {"1": 0}
    assert policy_kept(found, "most-complete") == {"1": 1}       # rows 1 and 2 tie: the first
    assert policy_kept(found, "most-complete", [Cluster("1", [0, 2], 90)]) == {"1": 2}
    with pytest.raises(BadInput, match="--keep must be 'first' or 'most-complete'"):
        policy_kept(found, "last")
