"""The large-file engine's compare: the same summary and diff file as in memory."""

from __future__ import annotations

import functools
import io
import json
import random

import pytest

from datatools.cli import main
from tests.large_inputs import FIELD_CASES, medium_rows, write_csv


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _compare(old, new, engine: str, out, *options: str) -> tuple[int, dict, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["compare", str(old), str(new), "--engine", engine, "--json", *options,
                 *(["-o", str(out)] if out else [])], stdout, stderr)
    report = json.loads(stdout.getvalue()) if stdout.getvalue() else {}
    report.pop("engine", None)
    report.pop("output", None)
    return code, report, stderr.getvalue()


def _assert_same(old, new, tmp_path, *options: str) -> dict:
    memory = _compare(old, new, "memory", tmp_path / "memory.csv", *options)
    large = _compare(old, new, "duckdb", tmp_path / "large.csv", *options)
    assert large == memory
    assert (tmp_path / "large.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert not list((tmp_path / "cache").rglob("job-*")), "a working copy outlived its job"
    return large[1]


def _versions(tmp_path, rows: int = 6_000, **csv):
    """Two versions: 2 % of amounts changed, 1 % of rows removed, as many added at the end."""
    first = medium_rows(rows)
    rng = random.Random(9)
    second = [first[0]]
    for row in first[1:]:
        if rng.random() < 0.01:
            continue
        row = list(row)
        if rng.random() < 0.02:
            row[4] = row[4] + "5"
        second.append(row)
    second += [[str(rows + i + 1), *row[1:]] for i, row in enumerate(first[1:len(first) - len(second) + 2])]
    return (write_csv(tmp_path / "old.csv", first, **csv), write_csv(tmp_path / "new.csv", second, **csv))


@pytest.mark.parametrize("changed_only", [False, True])
def test_two_versions_compare_to_the_same_summary_and_file(changed_only, tmp_path):
    old, new = _versions(tmp_path)
    report = _assert_same(old, new, tmp_path, "--key", "id", *(["--changed-only"] if changed_only else []))
    assert report["changed"] > 50 and report["removed"] > 20 and report["added"] > 20
    assert report["unchanged"] > 5_000


def test_code_page_versions_with_a_sep_line_compare_the_same(tmp_path):
    old, new = _versions(tmp_path, 2_000, encoding="cp1252", delimiter=";", sep_line=True)
    _assert_same(old, new, tmp_path, "--key", "id,code")


def test_a_running_row_number_is_found_over_the_whole_files(tmp_path):
    report = _assert_same(FIELD_CASES / "compare_rownum_old.csv", FIELD_CASES / "compare_rownum_new.csv",
                          tmp_path, "--key", "sku")
    assert report["counters"] == ["No"] and report["renumbered"]


def test_a_repeated_key_is_refused_the_same_way(tmp_path):
    old, new = _versions(tmp_path, 500)
    memory = _compare(old, new, "memory", None, "--key", "city")
    large = _compare(old, new, "duckdb", None, "--key", "city")
    assert large == memory and large[0] == 2          # an option the input cannot take
    assert "The key city is not unique in old.csv" in large[2]


@pytest.mark.parametrize("changed_only", [False, True])
def test_the_key_is_inferred_as_in_memory(changed_only, tmp_path):
    old, new = _versions(tmp_path, 3_000)
    report = _assert_same(old, new, tmp_path, *(["--changed-only"] if changed_only else []))
    assert report["key"] == ["id"] and report["key_inferred"]
    assert [c["column"] for c in report["key_candidates"]][0] == "id"


def _keyless_versions(tmp_path, rows: int = 1_500):
    """Two versions no column identifies: repeated rows, some removed, changed (a letter, or
    only an invisible character), added, and moved; a third of the rows appear twice."""
    rng = random.Random(4)
    first = [["name", "city", "note", "qty"]]
    for row in medium_rows(rows)[1:]:
        first.append([row[1], row[2], row[8], str(rng.randint(1, 3))])
        if rng.random() < 0.3:
            first.append(list(first[-1]))
    second = [first[0]]
    for row in first[1:]:
        roll = rng.random()
        if roll < 0.02:
            continue
        row = list(row)
        if roll < 0.05:
            row[0] = row[0] + "e"
        elif roll < 0.07:
            row[1] = row[1] + "\u00a0" if row[1] else "\u200b"
        elif roll < 0.08:
            row[3] = "9"
        second.append(row)
    second[1:] = second[1:][5:] + second[1:][:5]
    second += [["Zed Quinn", "Porto", "", "1"], ["Zed Quinn", "Porto", "", "1"]]
    return (write_csv(tmp_path / "old.csv", first), write_csv(tmp_path / "new.csv", second))


@pytest.mark.parametrize("changed_only", [False, True])
def test_versions_no_column_identifies_pair_by_content_as_in_memory(changed_only, tmp_path):
    old, new = _keyless_versions(tmp_path)
    report = _assert_same(old, new, tmp_path, *(["--changed-only"] if changed_only else []))
    assert report["aligned_by"] == "content" and not report["key"]
    assert report["changed"] > 10 and report["removed"] > 10 and report["added"] >= 2
    assert report["unchanged"] > 1_000
    assert any("differed only by invisible characters" in n for n in report["notes"]), report["notes"]


def test_the_duckdb_engine_pairs_by_content_when_no_column_identifies_rows(tmp_path):
    old, new = _versions(tmp_path, 200)
    (tmp_path / "a.csv").write_text("city,n\nLeeds,1\nLeeds,2\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("city,n\nLeeds,1\nLeeds,3\n", encoding="utf-8")
    report = _assert_same(tmp_path / "a.csv", tmp_path / "b.csv", tmp_path)
    assert report["aligned_by"] == "content"
    other = tmp_path / "other.csv"
    other.write_text("id,name\n1,Ann\n", encoding="utf-8")
    code, _, err = _compare(old, other, "duckdb", None, "--key", "id")
    assert code == 2 and "the same columns in the same order" in err
    assert not list((tmp_path / "cache").rglob("job-*"))


def test_the_visible_macro_gives_the_in_memory_visible_form():
    import duckdb
    import pandas as pd

    from datatools.large import queries
    from datatools.tools.invisible import visible_form

    cells = ["", "abc", " abc", "abc ", "a  b", "\tabc", "abc\t", "a\u00a0", "\u00a0a", "x\u200by",
             "\ufeffid", "a\x1c", "\x85a", "a\u3000", "鈴木\u3000修", "Köln ", " Müller", "~!", " ", "\u2009", "a\nb",
             "a\n", "\u200b"]
    db = duckdb.connect()
    db.execute(queries.sql("visible_macro"))
    got = [db.execute("SELECT visible($x)", {"x": c}).fetchone()[0] for c in cells]
    assert got == visible_form(pd.Series(cells, dtype="str")).tolist()


def _many_changes(tmp_path, rows: int = 3_000):
    """Two versions keyed by `id` in shuffled order, a running row number `No` first (moved
    rows are renumbered, so nearly every row differs as written): about a third of the rows
    changed (each column in some), some removed, 200 added; some names and keys differ only by
    invisible characters."""
    rng = random.Random(27)
    ids = rng.sample(range(1, 10 * rows), rows)
    first = [["No", "id", "name", "city", "amount"]]
    first += [[str(n + 1), str(i), rng.choice(["Ann Lee", "Bo Wu", "Cy Po"]),
               rng.choice(["Leeds", "Porto", "Oslo"]), str(rng.randint(0, 999))]
              for n, i in enumerate(ids)]
    second = []
    for row in first[1:]:
        roll = rng.random()
        if roll < 0.05:
            continue
        row = list(row)
        if roll < 0.35:
            column = rng.choice([2, 3, 4])
            row[column] += "x"
        elif roll < 0.40:
            row[2] += "\u00a0"                 # differs only by an invisible character
        elif roll < 0.42:
            row[1] += " "                      # so does the key
        second.append(row)
    rng.shuffle(second)
    second += [["", str(10 * rows + k), "New Row", "Oslo", "1"] for k in range(200)]
    second = [first[0]] + [[str(n + 1), *row[1:]] for n, row in enumerate(second)]
    return (write_csv(tmp_path / "old.csv", first), write_csv(tmp_path / "new.csv", second))


@pytest.mark.parametrize("changed_only", [False, True])
def test_many_changed_rows_compared_in_batches_give_the_in_memory_file(changed_only, tmp_path,
                                                                        monkeypatch):
    from datatools.large import compare as large
    from datatools.tools import compare as memory

    batches = []

    compare_tables = memory.compare_tables

    @functools.wraps(compare_tables)      # the registry reads compare's defaults from its signature
    def counted(*args, **kwargs):
        batches.append(len(args[1]))
        return compare_tables(*args, **kwargs)

    monkeypatch.setattr(large, "BATCH_ROWS", 100)       # about 3,000 differing rows: 30 batches
    monkeypatch.setattr(memory, "compare_tables", counted)
    old, new = _many_changes(tmp_path)
    report = _assert_same(old, new, tmp_path, "--key", "id", *(["--changed-only"] if changed_only else []))
    in_memory, *batched = batches
    assert in_memory > 3_000 and len(batched) >= 25 and max(batched) < 200, batches
    assert report["changed"] > 700 and report["removed"] > 100 and report["added"] == 200
    assert set(report["cells_changed"]) == {"name", "city", "amount"} and report["renumbered"]
    invisible = [n for n in report["notes"] if "only by invisible characters" in n]
    assert [n.split(" differed")[0].split(" ", 1)[1] for n in invisible] == ["keys in id", "cells in name"]


def test_batches_of_any_size_give_the_same_file(tmp_path, monkeypatch):
    from datatools.large import compare as large

    old, new = _versions(tmp_path, 3_000)
    files = []
    for size in (7, 64, 150_000):          # rows compared, and read back from disk, at a time
        monkeypatch.setattr(large, "BATCH_ROWS", size)
        monkeypatch.setattr(large, "READ_ROWS", size)
        _compare(old, new, "duckdb", tmp_path / f"{size}.csv", "--key", "id")
        files.append((tmp_path / f"{size}.csv").read_bytes())
    assert files[0] == files[1] == files[2]



def _colliding_hashes(monkeypatch) -> None:
    """Every row of either version hashes alike: only the cell-by-cell check tells them apart."""
    from datatools.large import queries

    stored = queries.queries()
    monkeypatch.setitem(stored, "hashed_pairs", stored["hashed_pairs"].replace("hash({every})", "0"))


@pytest.mark.parametrize("near", [0, 1, 4])
def test_pairs_checked_over_many_row_groups_in_either_order_give_the_in_memory_file(near, tmp_path,
                                                                                    monkeypatch):
    """Pairs whose hashes agree are checked cell by cell: by walking both copies when the old
    rows of a row group of the new copy lie within `near` row groups, else in SQL (versions
    in another order); both tell every changed row from the unchanged ones."""
    from datatools.large import groups, verify

    monkeypatch.setattr(groups, "ROWS_PER_GROUP", 150)        # about 20 row groups a version
    monkeypatch.setattr(verify, "NEAR_GROUPS", near)
    _colliding_hashes(monkeypatch)
    shuffled, in_order = tmp_path / "shuffled", tmp_path / "in order"
    shuffled.mkdir(), in_order.mkdir()
    old, new = _many_changes(shuffled)                        # old rows far apart
    report = _assert_same(old, new, shuffled, "--key", "id")
    assert report["changed"] > 700 and report["unchanged"] > 1_000
    old, new = _versions(in_order, 3_000)                     # old rows near
    report = _assert_same(old, new, in_order, "--key", "id,code", "--changed-only")
    assert report["changed"] > 50 and report["unchanged"] > 2_000
