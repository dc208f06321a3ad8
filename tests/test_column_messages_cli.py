"""A wrong column name gets the same message from every tool, and `A+B` written without the
spaces of the joined-column form `A + B` is told how to write it (the trial's findings)."""

from __future__ import annotations

import pytest

from tests.cli_process import datatools


@pytest.fixture()
def people(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("first,last,city\nAnna,Meyer,Köln\nJonas,Schmidt,Bonn\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("argv, where", [(["clean", "{p}", "--columns", "frist"], ""),
                                         (["dedupe", "{p}", "--columns", "frist"], ""),
                                         (["compare", "{p}", "{p}", "--key", "frist"], " in people.csv"),
                                         (["match", "{p}", "{p}", "--on", "frist"], " in the left table")])
def test_every_tool_names_a_missing_column_and_the_columns_in_one_wording(people, tmp_path, argv, where):
    out = tmp_path / "out.csv"
    result = datatools(*[a.replace("{p}", str(people)) for a in argv], "-o", str(out), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"datatools: No column 'frist'{where}; the columns are: first, last, city." in result.stderr
    assert not out.exists()


def test_a_plus_without_spaces_is_told_how_to_join_columns(people, tmp_path):
    left = tmp_path / "left.csv"
    left.write_text("name\nAnna Meyer\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = datatools("match", str(left), str(people), "--on", "name", "--right-on", "first+last",
                       "-o", str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert "No column 'first+last' in the right table" in result.stderr
    assert "put spaces around the plus: 'first + last'" in result.stderr
    assert not out.exists()
    # written as told, it runs and finds Anna
    result = datatools("match", str(left), str(people), "--on", "name", "--right-on", "first + last",
                       "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Meyer" in out.read_text(encoding="utf-8-sig")


def test_a_plus_naming_no_columns_gets_no_hint(people, tmp_path):
    left = tmp_path / "left.csv"
    left.write_text("name\nAnna\n", encoding="utf-8")
    result = datatools("match", str(left), str(people), "--on", "name", "--right-on", "x+y",
                       "-o", str(tmp_path / "o.csv"), cwd=tmp_path)
    assert result.returncode == 2 and "plus" not in result.stderr


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_compare_names_the_file_whose_status_column_it_needs(tmp_path, engine):
    # a shop export's own lowercase `status` column: the user is told which file holds it and why
    old, new = tmp_path / "orders-old.csv", tmp_path / "orders-new.csv"
    old.write_text("id,name,status\n1,Anna,paid\n2,Ben,paid\n", encoding="utf-8")
    new.write_text("id,name,status\n1,Anna,paid\n2,Ben,open\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = datatools("compare", str(old), str(new), "--engine", engine, "-o", str(out), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert ("datatools: orders-old.csv already has a column named 'status', which the comparison "
            "adds to each row of its result") in result.stderr
    assert not out.exists()
