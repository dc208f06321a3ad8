"""Notices stay plain English strings for the CLI and carry a code for the desktop's catalogs."""

import json

from datatools.notices import Notice, about_file, to_json


def test_a_notice_is_its_english_sentence_everywhere_a_string_goes():
    notice = Notice("Column city is now town.", "column_renamed", old="city", new="town")
    assert notice == "Column city is now town."
    assert json.dumps([notice]) == '["Column city is now town."]'
    assert f"note: {notice}" == "note: Column city is now town."


def test_the_desktop_gets_code_and_params_and_plain_strings_pass_through():
    notice = Notice("2 lines were cp1252.", "mixed_lines", lines=2)
    data = to_json({"warnings": [about_file("orders.csv", notice), about_file("b.csv", "plain")]})
    assert data == {"warnings": [
        {"text": "orders.csv: 2 lines were cp1252.", "code": "mixed_lines",
         "params": {"lines": 2, "file": "orders.csv"}},
        "b.csv: plain"]}


def test_a_notice_survives_copying_pickling_and_dataclasses_asdict():
    import copy
    import dataclasses
    import pickle

    notice = Notice("Column a is now b.", "column_renamed", old="a", new="b")

    @dataclasses.dataclass
    class Report:
        notes: list

    for again in (copy.copy(notice), copy.deepcopy(notice), pickle.loads(pickle.dumps(notice)),
                  dataclasses.asdict(Report([notice]))["notes"][0]):
        assert (again, again.code, again.params) == (notice, "column_renamed", {"old": "a", "new": "b"})
