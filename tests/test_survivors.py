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


GUIDE_PEOPLE = """name,street,city,postcode
Jane Miller,8 Elm Street,Bristol,
Jane Muller,8 Elm St,Bristol,BS1 5TR
John Miller,14 Oak Drive,Cardiff,CF10 1AA
"""


def run_cli(*argv) -> tuple[int, str, str]:
    import io

    from datatools.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_the_cli_takes_chosen_values_from_a_values_file_and_fills_empty_cells(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_text(GUIDE_PEOPLE, encoding="utf-8")
    (tmp_path / "choices.csv").write_text("cluster_id,column,row\n1,name,2\n", encoding="utf-8")
    code, out, err = run_cli("dedupe", "people.csv", "--columns", "name,street,city", "--keep", "first",
                             "--values", "choices.csv", "--fill-empty", "-o", "clean.csv")
    assert code == 0, err
    assert out.splitlines()[-1] == "Values taken from other rows into the kept rows: 2."
    assert (tmp_path / "clean.csv").read_text(encoding="utf-8").splitlines() == [
        "name,street,city,postcode", "Jane Muller,8 Elm Street,Bristol,BS1 5TR",
        "John Miller,14 Oak Drive,Cardiff,CF10 1AA"]
    assert (tmp_path / "clean.merges.csv").read_text(encoding="utf-8").splitlines() == [
        "cluster_id,kept_row,dropped_rows,match_score,values_taken",
        '1,1,2,93,"name from row 2: ""Jane Miller"" → ""Jane Muller""; '
        'postcode from row 2: """" → ""BS1 5TR"""']


@pytest.mark.parametrize("choices, message", [
    ("group,column,row\n1,name,2\n", "needs the columns cluster_id, column and row; cluster_id is missing"),
    ("cluster_id,column,row\n1,name,two\n", "Line 2 of choices.csv: the row must be a row number from 1, not 'two'"),
    ("cluster_id,column,row\n1,name,2\n1,name,1\n", "Line 3 of choices.csv: group 1's name is chosen twice"),
    ("cluster_id,column,row\n7,name,2\n", "choices.csv names group 7, which this run did not find (it found 1)"),
    ("cluster_id,column,row\n1,name,3\n", "Row 3 is not in group 1, so its name cannot be taken"),
])
def test_a_bad_values_file_is_refused_with_one_message_and_nothing_written(tmp_path, monkeypatch, choices, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_text(GUIDE_PEOPLE, encoding="utf-8")
    (tmp_path / "choices.csv").write_text(choices, encoding="utf-8")
    code, _, err = run_cli("dedupe", "people.csv", "--columns", "name,street,city", "--keep", "first",
                           "--values", "choices.csv", "-o", "clean.csv", "-q")
    assert code == 2 and message in err       # every problem of the choices file is a usage error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["choices.csv", "people.csv"]


def test_values_without_keep_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_text(GUIDE_PEOPLE, encoding="utf-8")
    code, _, err = run_cli("dedupe", "people.csv", "--columns", "name", "--fill-empty", "-o", "out.csv", "-q")
    assert (code, err.strip()) == (2, "datatools: --values and --fill-empty choose what a kept row holds: add --keep.")
