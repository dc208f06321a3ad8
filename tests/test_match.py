"""match_tables: best right row per left row, several candidates, one-to-one, and bad input."""

import pandas as pd
import pytest

from datatools.errors import BadInput
from datatools.tools.match import match_tables


def frame(rows, columns):
    return pd.DataFrame(rows, columns=columns, dtype=object)


LEFT = frame([("Jon Smith", "Springfield"), ("Mary Jones", "Shelbyville"), ("Zed Unknown", "Nowhere")],
             ["name", "city"])
RIGHT = frame([("C1", "John Smith", "Springfield"), ("C2", "Smith John", "Springfeld"),
               ("C3", "Jones Mary", "Shelbyville")], ["id", "customer", "town"])


def test_each_left_row_gets_its_best_right_row_or_empty_cells():
    result = match_tables(LEFT, RIGHT, ["name", "city"], ["customer", "town"])
    assert list(result.frame.columns) == ["name", "city", "right_id", "right_customer", "right_town",
                                          "match_score", "match_certainty", "match_reason"]
    assert result.frame.values.tolist() == [
        ["Jon Smith", "Springfield", "C1", "John Smith", "Springfield", "95", "certain",
         "right row 1: agreed name 95, city 100; whole row 98; rare words springfield"],
        ["Mary Jones", "Shelbyville", "C3", "Jones Mary", "Shelbyville", "100", "certain",
         "right row 3: agreed name 100, city 100; whole row 100; rare words shelbyville, jones, mary"],
        ["Zed Unknown", "Nowhere", "", "", "", "", "no partner", ""],
    ]
    assert (result.report.matched, result.report.unmatched) == (2, 1)


def test_top_lists_several_candidates_best_first():
    result = match_tables(LEFT, RIGHT, ["name", "city"], ["customer", "town"], top=2)
    assert result.frame[["name", "right_id", "match_score", "match_rank"]].values.tolist() == [
        ["Jon Smith", "C1", "95", "1"], ["Jon Smith", "C2", "90", "2"],
        ["Mary Jones", "C3", "100", "1"], ["Zed Unknown", "", "", ""]]


def test_unique_uses_each_right_row_once():
    left = frame([("John Smith", "Springfield"), ("Jon Smith", "Springfield")], ["name", "city"])
    many = match_tables(left, RIGHT, ["name", "city"], ["customer", "town"])
    assert many.frame[["right_id", "match_score"]].values.tolist() == [["C1", "100"], ["C1", "92"]]
    one_to_one = match_tables(left, RIGHT, ["name", "city"], ["customer", "town"], unique=True)
    assert one_to_one.frame[["right_id", "match_score"]].values.tolist() == [["C1", "100"], ["C2", "87"]]


def test_inputs_are_not_modified():
    left, right = LEFT.copy(), RIGHT.copy()
    match_tables(left, right, ["name", "city"], ["customer", "town"])
    assert left.equals(LEFT) and right.equals(RIGHT)


def test_bad_options_are_refused_with_a_clear_message():
    with pytest.raises(BadInput, match="No column 'customer' in the left table"):
        match_tables(LEFT, RIGHT, ["customer"])
    with pytest.raises(BadInput, match="--on names 2 columns but --right-on names 1"):
        match_tables(LEFT, RIGHT, ["name", "city"], ["customer"])
    with pytest.raises(BadInput, match="--top must be 1 or more"):
        match_tables(LEFT, RIGHT, ["name"], ["customer"], top=0)
    with pytest.raises(BadInput, match="cannot be combined with --top"):
        match_tables(LEFT, RIGHT, ["name"], ["customer"], top=2, unique=True)
    with pytest.raises(BadInput, match="already has a column named 'right_id'"):
        match_tables(LEFT.assign(right_id="x"), RIGHT, ["name"], ["customer"])


def test_a_rejected_match_leaves_its_left_row_unmatched_and_the_counts_follow():
    import pandas as pd

    from datatools.tools.match import reject_matches

    left = pd.DataFrame({"name": ["Acme Ltd", "Bolt Tools"]}, dtype=object)
    right = pd.DataFrame({"company": ["ACME Limited", "BOLT TOOLS"], "city": ["Leeds", "Köln"]}, dtype=object)
    result = match_tables(left, right, ["name"], ["company"], threshold=50)
    assert result.report.matched == 2
    taken = reject_matches(result, [1])
    assert taken.frame.iloc[1].tolist() == ["Bolt Tools", "", "", "", "", ""]
    assert taken.frame.iloc[0]["right_city"] == "Leeds"
    assert (taken.report.matched, taken.report.unmatched) == (1, 1)
    assert result.frame.iloc[1]["right_city"] == "Köln"      # the result itself is unchanged


def test_a_full_name_pairs_with_given_name_and_surname_joined():
    """`--right-on "Vorname + Nachname"`: one full-name column against two; the output keeps the
    right table's own columns."""
    import pandas as pd

    from datatools.tools.match import match_tables

    left = pd.DataFrame({"kunde": ["Anna Schmidt", "Jürgen Weiß"]})
    right = pd.DataFrame({"Vorname": ["Jürgen", "Anna", "Anna"], "Nachname": ["Weiss", "Schulz", "Schmidt"]})
    result = match_tables(left, right, ["kunde"], ["Vorname + Nachname"])
    assert list(result.frame.columns) == ["kunde", "right_Vorname", "right_Nachname", "match_score",
                                          "match_certainty", "match_reason"]
    assert result.frame["right_Nachname"].tolist() == ["Schmidt", "Weiss"]
    assert result.report.right_columns == ["Vorname + Nachname"]
