"""The recipe format and its replay: unknown fields and versions refused by name, row keys from
a key column or the row's content, missing columns named (or mapped), decisions placed on the
groups now holding their rows and the others listed."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from datatools.errors import BadOption
from datatools.tools.dedupe import find_duplicates
from datatools.tools.recipe import Recipe, Step, check_columns, row_keys
from datatools.tools.recipe_replay import replay_decisions

pytestmark = pytest.mark.filterwarnings("error")

PEOPLE = """no,name,city
K1,Ann Lee,Derby
K2,Ann Lee,Derby
K3,Raj Patel,Leicester
K4,Raj Patel,Leicester
K5,Tom Wong,Hull
"""


def recipe(**step) -> dict:
    return {"recipe": 1, "import": {"header": True},
            "steps": [{"tool": "dedupe", "options": {"columns": ["name", "city"]}, **step}]}


@pytest.mark.parametrize("data, message", [
    ({**recipe(), "author": "me"}, "The recipe has a field this DataTools does not know: author."),
    ({**recipe(), "recipe": 2}, "This recipe is version 2; this DataTools reads version 1."),
    (recipe(colour="red"), "Step 1 has a field this DataTools does not know: colour."),
    ({"recipe": 1, "steps": [{"tool": "profile"}]},
     "Step 1: a recipe replays clean, dedupe, match, compare, not 'profile'."),
    (recipe(tool="match", options={"on": ["name"]}, decisions=[{"rows": ["K1"], "decision": "different"}]),
     "Step 1: a match decision takes a match back"),
    (recipe(decisions=[{"rows": [3], "decision": "same"}]), "Step 1: a decision needs its rows' keys"),
    (recipe(decisions=[{"rows": ["K1"], "decision": "same", "row": 1}]),
     "A decision of step 1 has a field this DataTools does not know: row."),
])
def test_a_recipe_with_an_unknown_field_or_version_is_refused_by_name(data, message):
    with pytest.raises(BadOption, match=message.replace("(", r"\(").replace(")", r"\)")) as refused:
        Recipe.from_json(data)
    assert refused.value.code == "bad_recipe"


def test_row_keys_come_from_the_key_column_or_the_rows_content():
    frame = pd.read_csv(io.StringIO(PEOPLE), dtype=str)
    assert row_keys(frame, "no")[:2] == ["K1", "K2"]
    hashed = row_keys(frame)
    assert hashed[0].startswith("h:") and len(hashed[0]) == 18 and len(set(hashed)) == 5
    assert row_keys(frame.iloc[::-1].reset_index(drop=True)) == hashed[::-1]   # content, not position


def test_missing_columns_are_named_and_a_mapping_renames_every_reference():
    read = Recipe.from_json(recipe(key="no", decisions=[{"rows": ["K1", "K2"], "decision": "same",
                                                         "values": {"city": "K2"}}]))
    with pytest.raises(BadOption, match="this file does not have: city") as missing:
        check_columns(read, ["no", "name", "town"], {})
    assert (missing.value.code, missing.value.params["columns"]) == ("recipe_columns_missing", "city")
    mapped = check_columns(read, ["no", "name", "town"], {"city": "town"})
    assert mapped.steps[0].options["columns"] == ["name", "town"]
    assert mapped.steps[0].decisions[0]["values"] == {"town": "K2"}
    with pytest.raises(BadOption) as wrong:
        check_columns(read, ["no", "name", "town"], {"city": "Stadt"})
    assert wrong.value.code == "bad_map"


def test_decisions_follow_their_rows_and_the_unplaceable_ones_are_listed():
    frame = pd.read_csv(io.StringIO(PEOPLE), dtype=str)
    result = find_duplicates(frame, ["name", "city"])
    step = Step("dedupe", key="no", review={"keep": "first"}, decisions=[
        {"rows": ["K1", "K2"], "decision": "different"},
        {"rows": ["K3", "K4"], "decision": "same", "keep": "K4"},
        {"rows": ["K8", "K9"], "decision": "different"},
        {"rows": ["K5"], "decision": "same"}])
    replayed = replay_decisions(step, result, row_keys(frame, "no"))
    assert replayed.applied == 2
    assert replayed.gone == [{"rows": ["K8", "K9"], "decision": "different", "why": "rows_gone"},
                             {"rows": ["K5"], "decision": "same", "why": "not_grouped"}]
    kept = replayed.review.apply(result).frame
    assert kept["no"].tolist() == ["K1", "K2", "K4", "K5"]


# With row 2, row 1 is only possibly the same (two cells empty); rows 3 and 4 are certain.
POSSIBLE = """no,name,street,city,postcode
K1,Ann Lee,,Derby,
K2,Ann Lee,2 Ash Road,Derby,DE1 2AB
K3,Bob Stone,9 Yew Lane,York,YO1 7HH
K4,Bob Stone,9 Yew Lane,York,YO1 7HH
K5,Cara Diaz,5 Oak Street,Leeds,LS1 1AA
"""


def test_a_replayed_recipe_keeps_a_possible_group_whole_unless_a_decision_names_it(tmp_path):
    from datatools.cli import main

    source = tmp_path / "people.csv"
    source.write_text(POSSIBLE, encoding="utf-8")
    saved = {"recipe": 1, "import": {"header": True}, "steps": [{
        "tool": "dedupe", "options": {"columns": ["name", "street", "city", "postcode"]},
        "key": "no", "review": {"keep": "first", "default": "same"}, "decisions": []}]}
    path = tmp_path / "people.recipe.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["run", str(path), str(source), "-o", str(out), "-q"], io.StringIO(), io.StringIO()) == 0
    assert pd.read_csv(out, dtype=str)["no"].tolist() == ["K1", "K2", "K3", "K5"]
    # Deciding the possible group in the window puts its decision in the recipe: then it merges.
    saved["steps"][0]["decisions"] = [{"rows": ["K1", "K2"], "decision": "same", "keep": "K2"}]
    path.write_text(json.dumps(saved), encoding="utf-8")
    assert main(["run", str(path), str(source), "-o", str(out), "-q", "--force"],
                io.StringIO(), io.StringIO()) == 0
    assert pd.read_csv(out, dtype=str)["no"].tolist() == ["K2", "K3", "K5"]


def test_a_unique_city_or_amount_column_does_not_name_the_rows_of_a_short_list():
    """A short list's cities are often all different: naming its rows by city would tie a
    decision to "Berlin", and next month to the wrong Berlin customer. Identifiers hold a
    digit or an @; a column whose name says it holds them comes first."""
    from datatools.tools.recipe import key_column

    people = pd.DataFrame({"name": ["Hans Mueller", "Thomas Schmidt"], "city": ["Berlin", "Muenchen"]})
    assert key_column(people, list(people.columns)) is None
    orders = pd.DataFrame({"total": ["19.99", "5.00"], "city": ["Berlin", "Köln"], "Kunden-Nr": ["K-1", "K-2"]})
    assert key_column(orders, list(orders.columns)) == "Kunden-Nr"
    mails = pd.DataFrame({"email": ["a@example.org", "b@example.org"]})
    assert key_column(mails, ["email"]) == "email"
