"""The surviving row of a duplicate group: values chosen per column, empty cells filled, every
value taken recorded in the merge list, and bad choices refused with their code."""

import pandas as pd
import pytest

from datatools.errors import BadOption
from datatools.tools.dedupe import find_duplicates, keep_one_per_cluster
from datatools.tools.survivors import TakenValue, surviving_row

pytestmark = pytest.mark.filterwarnings("error")

COLUMNS = ["name", "phone", "email", "city"]
CELLS = {2: ["Ann Lee", "", "ann@old.example", "Derby"],
         5: ["Ann Lee", "01332 111", "", "Derby"],
         7: ["Anne Lee", "01332 222", "ann@new.example", ""]}


def test_the_kept_row_survives_unchanged_without_choices():
    survivor = surviving_row("4", CELLS, COLUMNS, kept=2)
    assert survivor.values == CELLS[2]
    assert survivor.sources == [2, 2, 2, 2]
    assert survivor.taken == []


def test_a_chosen_row_gives_its_value_for_that_column_only_and_each_value_taken_is_recorded():
    survivor = surviving_row("4", CELLS, COLUMNS, kept=2, choices={"phone": 5, "email": 7})
    assert survivor.values == ["Ann Lee", "01332 111", "ann@new.example", "Derby"]
    assert survivor.sources == [2, 5, 7, 2]
    assert survivor.taken == [TakenValue("4", "phone", 5, "", "01332 111"),
                              TakenValue("4", "email", 7, "ann@old.example", "ann@new.example")]
    assert survivor.taken[1].describe() == 'email from row 8: "ann@old.example" → "ann@new.example"'


def test_filling_empty_cells_takes_the_first_filled_value_in_file_order_and_never_overwrites():
    survivor = surviving_row("4", CELLS, COLUMNS, kept=7, fill_empty=True)
    # Row 7 lacks only the city: it comes from row 2 (the first row that has one); the name,
    # phone and e-mail of row 7 stay although the other rows hold other values.
    assert survivor.values == ["Anne Lee", "01332 222", "ann@new.example", "Derby"]
    assert survivor.taken == [TakenValue("4", "city", 2, "", "Derby", filled=True)]


def test_choosing_the_kept_row_keeps_an_empty_cell_empty_even_when_filling():
    survivor = surviving_row("4", CELLS, COLUMNS, kept=2, choices={"phone": 2}, fill_empty=True)
    assert survivor.values == CELLS[2]
    assert survivor.taken == []


def test_a_column_or_row_that_is_not_in_the_group_is_refused_with_its_code():
    with pytest.raises(BadOption, match="There is no column 'fax'") as bad_column:
        surviving_row("4", CELLS, COLUMNS, kept=2, choices={"fax": 5})
    assert (bad_column.value.code, bad_column.value.params) == ("bad_value_column", {"column": "fax", "group": "4"})
    with pytest.raises(BadOption, match="Row 4 is not in group 4, so its phone cannot be taken") as bad_row:
        surviving_row("4", CELLS, COLUMNS, kept=2, choices={"phone": 3})
    assert bad_row.value.code == "bad_value_row"
    with pytest.raises(BadOption) as not_a_row:
        surviving_row("4", CELLS, COLUMNS, kept=2, choices={"phone": "5"})
    assert not_a_row.value.code == "bad_value_row"
    with pytest.raises(BadOption) as bad_kept:
        surviving_row("4", CELLS, COLUMNS, kept=3)
    assert bad_kept.value.code == "bad_survivor"


PEOPLE = pd.DataFrame([("Ann Lee", "", "ann@old.example", "Derby"),
                       ("Bob Stone", "0113 555", "bob@example", "Leeds"),
                       ("Ann Lee", "01332 111", "", "Derby"),
                       ("Ann Lee", "01332 222", "ANN@NEW.EXAMPLE", "Derby")], columns=COLUMNS, dtype=object)


def test_keep_one_per_cluster_saves_the_chosen_values_and_lists_them_in_the_merge_list():
    result = find_duplicates(PEOPLE, ["name", "city"])
    kept = keep_one_per_cluster(result, "first", values={"1": {"email": 3}, "9": {"email": 0}})
    assert kept.frame.values.tolist() == [["Ann Lee", "", "ANN@NEW.EXAMPLE", "Derby"],
                                          ["Bob Stone", "0113 555", "bob@example", "Leeds"]]
    assert kept.merges.to_dict("records") == [
        {"cluster_id": "1", "kept_row": "1", "dropped_rows": "3 4", "match_score": "100",
         "values_taken": 'email from row 4: "ann@old.example" → "ANN@NEW.EXAMPLE"'}]
    assert kept.report["values_taken"] == 1


def test_keep_one_per_cluster_fills_empty_cells_only_when_asked():
    result = find_duplicates(PEOPLE, ["name", "city"])
    plain = keep_one_per_cluster(result, "first")
    assert plain.frame.values.tolist()[0] == ["Ann Lee", "", "ann@old.example", "Derby"]
    assert list(plain.merges.columns) == ["cluster_id", "kept_row", "dropped_rows", "match_score"]
    filled = keep_one_per_cluster(result, "first", fill_empty=True)
    assert filled.frame.values.tolist()[0] == ["Ann Lee", "01332 111", "ann@old.example", "Derby"]
    assert filled.merges["values_taken"].tolist() == ['phone from row 3: "" → "01332 111"']
    # The input is never modified.
    assert PEOPLE.iloc[0].tolist() == ["Ann Lee", "", "ann@old.example", "Derby"]


def test_keep_one_per_cluster_refuses_a_value_from_a_row_outside_its_group():
    result = find_duplicates(PEOPLE, ["name", "city"])
    with pytest.raises(BadOption) as bad:
        keep_one_per_cluster(result, "first", values={"1": {"email": 1}})
    assert (bad.value.code, bad.value.params["row"]) == ("bad_value_row", "2")
