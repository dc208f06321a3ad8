"""`datatools compare` on files of a few rows: a column that happens to be unique there (a
quantity) is not taken as the key; a column named or shaped like an identifier still is, and
when none is, rows pair by content and the summary says why. Both engines, through the
installed `datatools` console script."""

from __future__ import annotations

import json

import pytest

from tests.cli_process import datatools


def _compare(tmp_path, engine: str, old: str, new: str) -> dict:
    (tmp_path / "old.csv").write_text(old, encoding="utf-8")
    (tmp_path / "new.csv").write_text(new, encoding="utf-8")
    done = datatools("compare", "old.csv", "new.csv", "--engine", engine, "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_three_rows_whose_quantities_are_unique_pair_by_content(tmp_path, engine):
    # Paired by qty, Cap (5 → 6) was one row removed and one added, and the renamed
    # products were paired by their quantity by chance.
    report = _compare(tmp_path, engine, "product,qty\nShirt,3\nCap,5\nSocks,2\n",
                      "product,qty\nT-Shirt,3\nCap,6\nSock,2\n")
    assert (report["key"], report["aligned_by"]) == ([], "content")
    assert (report["added"], report["removed"], report["changed"]) == (0, 0, 3)
    assert report["keys_passed_over"] == ["qty"]
    assert [n for n in report["notes"] if n.startswith("Rows paired")] == [
        "Rows paired by content (too few rows to take a column as the key only because it is "
        "unique, and none of the unique ones (qty) looks like an identifier; name a key with "
        "--key)."]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
@pytest.mark.parametrize("header, codes", [("article_no", ("17", "4", "9")),
                                           ("article", ("A-1001", "A-1002", "A-1003"))])
def test_a_column_named_or_shaped_like_an_identifier_is_still_the_key(tmp_path, engine, header,
                                                                       codes):
    rows = [("Shirt", "3"), ("Cap", "5"), ("Socks", "2")]
    old = "".join(f"{c},{p},{q}\n" for c, (p, q) in zip(codes, rows))
    new = "".join(f"{c},{p},{q}\n" for c, (p, q) in zip(codes, [("Shirt", "4"), *rows[1:]]))
    report = _compare(tmp_path, engine, f"{header},product,qty\n" + old,
                      f"{header},product,qty\n" + new)
    assert (report["key"], report["changed"], report["unchanged"]) == ([header], 1, 2)


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_running_id_on_few_rows_is_weighed_against_the_content_on_both_engines(tmp_path, engine):
    # Once `name` was passed over, the duckdb engine refused a running row number as the best
    # key; it weighs it against the content as the in-memory engine does.
    report = _compare(tmp_path, engine, "id,name,city\n1,Anna,Ulm\n2,Ben,Bonn\n3,Cem,Kiel\n",
                      "id,name,city\n1,Ben,Bonn\n2,Cem,Kiel\n")
    assert (report["key"], report["aligned_by"], report["key_inferred"]) == ([], "content", False)
    assert (report["removed"], report["changed"], report["unchanged"]) == (1, 0, 2)
    assert report["key_candidates"][0]["column"] == "id" and report["renumbered"] == {"id": 2}


_PEOPLE = ("name,street,city,phone,email\n"
           "Ana García,Calle Mayor 3,Madrid,911 111 111,ana@x.es\n"
           "João Silva,Rua Augusta 10,Lisboa,213 222 222,joao@x.pt\n")


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
@pytest.mark.parametrize("old, new, column", [
    (_PEOPLE + "Jan de Vries,Kerkstraat 8,Utrecht,030 333 3333,jan@x.nl\n",
     _PEOPLE + "Jan de Vries,Kerkstraat 8,Utrecht,030 333 3334,jan@x.nl\n", "phone"),
    ("first,last,city\nAna,García,Madrid\nLuis,García,Madrid\nLuisa,García,Madrid\n",
     "first,last,city\nLuisa,García,Sevilla\nAna,García,Madrid\nLuis,García,Madrid\n", "city")])
def test_a_row_changed_in_one_cell_pairs_with_its_old_version(tmp_path, engine, old, new, column):
    # Fuzzy matching vetoed the pair over its phone (a person's record linkage reads a
    # different phone as a different person) or found no pair between two lone rows whose
    # words all repeat, so the row was 1 added + 1 removed. The e-mail, unique in both, is
    # not taken as the key (DECISIONS 407).
    report = _compare(tmp_path, engine, old, new)
    assert (report["key"], report["aligned_by"]) == ([], "content")
    assert (report["added"], report["removed"], report["changed"], report["unchanged"]) == (0, 0, 1, 2)
    assert report["cells_changed"] == {column: 1}


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_two_unrelated_rows_stay_one_added_and_one_removed(tmp_path, engine):
    report = _compare(tmp_path, engine,
                      _PEOPLE + "Jan de Vries,Kerkstraat 8,Utrecht,030 333 3333,jan@x.nl\n",
                      _PEOPLE + "Ayşe Kaya,Atatürk Cd. 5,Ankara,312 444 4444,ayse@x.tr\n")
    assert (report["added"], report["removed"], report["changed"], report["unchanged"]) == (1, 1, 0, 2)
