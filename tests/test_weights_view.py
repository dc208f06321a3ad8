"""Each explained pair's weights are data the engine carries to the window (datatools/tools/
waterfall.py): every grouped row of a learned run has one bar per model column, the reason in the
file ends with those same weights in words, the window gets the numbers (no text read back), and
the large engine gives the same numbers as the in-memory one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from datatools.app.review import DuplicateReview, GroupFilter
from datatools.tools.dedupe import find_duplicates, reject_clusters
from datatools.tools.linkage_model import EMPTY, LEVEL_NAMES
from datatools.tools.match import match_tables, reject_matches
from datatools.tools.reasons import describe_weights

from test_linkage import COLUMNS, person, with_cases

CASES = [person("Jonas", "Brückner", "Amselstraße 12", "07743", "Jena", "03641 552211"),
         person("Jnoas", "Brückner", "Amselstr. 12", "07743", "Jena", "03641 552211")]


def test_every_grouped_row_of_a_learned_run_has_a_weight_for_every_column():
    table, start = with_cases(CASES)
    result = find_duplicates(table, COLUMNS)
    waterfalls = result.waterfalls
    assert result.model is not None and waterfalls is not None
    grouped = np.flatnonzero(result.frame["cluster_id"].to_numpy() != "")
    assert len(grouped) and (waterfalls.slot[grouped] >= 0).all()
    assert (waterfalls.slot[result.frame["cluster_id"].to_numpy() == ""] == -1).all()
    for row in grouped.tolist():
        reason = result.frame["match_reason"][row]
        bars = waterfalls.to_json(row)
        assert [c["column"] for c in bars["columns"]] == list(result.model.names)
        # the file's words are made from the same numbers
        assert reason.endswith("; " + waterfalls.reason_of(row))
        assert reason.startswith(f"row {waterfalls.partner[row]}: ")
    typo = waterfalls.to_json(start + 1)
    assert typo["columns"][0]["column"] == "first" and typo["columns"][0]["level"] != "agrees"
    assert typo["columns"][1]["level"] == "agrees" and typo["columns"][1]["weight"] > 0
    assert waterfalls.partner[start + 1] == start + 1           # Jnoas with Jonas, 1-based
    total = typo["start"] + sum(c["weight"] for c in typo["columns"])
    assert abs(1 / (1 + 2 ** -total) - typo["probability"]) < 1e-3


def test_the_window_gets_the_engines_numbers_and_the_reason_without_its_words():
    table, start = with_cases(CASES)
    result = find_duplicates(table, COLUMNS)
    review = DuplicateReview(result)
    page = review.page(GroupFilter(text="Brückner"))
    rows = {row["row"]: row for group in page["groups"] for row in group["rows"]}
    shown = rows[start + 1]
    assert shown["weights"] == result.waterfalls.to_json(start + 1)
    assert shown["partner"] == start + 1
    assert "weights:" not in shown["reason"] and shown["reason"].startswith(f"row {start + 1}: agreed ")
    assert result.frame["match_reason"][start + 1] == \
        f"{shown['reason']}; {result.waterfalls.reason_of(start + 1)}"
    # a group a reviewer rejected loses its marks, its waterfalls with them
    rejected = reject_clusters(result, [result.frame["cluster_id"][start + 1]])
    assert rejected.waterfalls.slot[start + 1] == -1 and rejected.waterfalls.partner[start + 1] == 0


def test_a_words_waterfall_says_each_level_weight_and_the_rounded_probability():
    text = describe_weights(["first", "last", "Vorname + Nachname", "email"], np.array([0, 3, 1, EMPTY]),
                            np.array([9.34, -6.21, 0.04, 0.0]), -5.26, 0.9972,
                            np.array([True, False, False, False]))
    assert text == ("first agrees +9.3 (common value), last differs −6.2, Vorname + Nachname "
                    "nearly agrees +0.0, email empty; start −5.3 → 99.7 %")


def test_a_match_carries_each_rows_waterfall_and_a_fixed_threshold_none():
    table, start = with_cases(CASES)
    left = table.iloc[[start]].reset_index(drop=True)
    right = table.drop(index=start).reset_index(drop=True)
    result = match_tables(left, right, COLUMNS)
    assert result.waterfalls is not None
    bars = result.waterfalls.to_json(0)
    assert [c["column"] for c in bars["columns"]] == list(COLUMNS[:len(bars["columns"])])
    assert {c["level"] for c in bars["columns"]} <= {*LEVEL_NAMES, "empty"}
    assert result.frame["match_reason"][0].endswith("; " + result.waterfalls.reason_of(0))
    assert result.waterfalls.partner[0] == start + 1           # Jnoas, right row start + 1
    taken_back = reject_matches(result, [0])                    # a reviewer says: wrong
    assert taken_back.waterfalls.to_json(0) is None and result.waterfalls.to_json(0) is not None
    fixed = match_tables(left, right, COLUMNS, threshold=80)
    assert fixed.waterfalls is None and "weights:" not in fixed.frame["match_reason"][0]
    small = find_duplicates(pd.DataFrame([CASES[0], CASES[1]], dtype=object), COLUMNS)
    assert small.waterfalls is None                              # too few rows to learn from
