"""Synonym tables (--synonyms, the desktop's `synonyms` option): read, normalised, applied."""

import io

import pandas as pd
import pytest

from datatools.cli import main
from datatools.errors import BadInput
from datatools.tools.dedupe import find_duplicates
from datatools.tools.match import match_tables
from datatools.tools.synonyms import normalize_synonyms, read_synonyms

MEMBERS = "first,last,street\nBob,Haines,41 Birch Rd\nRobert,Haines,41 Birch Rd\nLinda,Haines,41 Birch Rd\n"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_entries_are_normalised_like_cells_and_an_empty_target_removes_the_word():
    assert normalize_synonyms([("Bob", "Robert"), ("LTD.", "Limited"), ("Intl. Business Machines", "IBM"),
                               ("The", ""), ("Ltd", "ltd")]) == {
        "bob": "robert", "intl business machines": "ibm", "the": ""}


def test_a_word_replaced_two_ways_or_an_empty_source_is_refused_with_its_number():
    with pytest.raises(BadInput, match=r"Synonym 2: 'BOB' is already replaced by 'robert'"):
        normalize_synonyms([("Bob", "Robert"), ("BOB", "Bobby")])
    with pytest.raises(BadInput, match=r"Synonym 1 \('\.\.\.' → 'x'\) has nothing to replace"):
        normalize_synonyms([("...", "x")])


def test_a_file_is_read_with_its_header_and_needs_two_columns(tmp_path):
    good = tmp_path / "nicknames.csv"
    good.write_text("from;to\nBob;Robert\nBill;William\n", encoding="utf-8")
    assert read_synonyms(good) == {"bob": "robert", "bill": "william"}
    one = tmp_path / "one.csv"
    one.write_text("from\nBob\n", encoding="utf-8")
    with pytest.raises(BadInput, match="needs two columns \\(from, to\\); it has 1"):
        read_synonyms(one)


def test_a_nickname_no_longer_vetoes_and_the_pair_scores_100():
    people = pd.read_csv(io.StringIO(MEMBERS), dtype=str)
    without = find_duplicates(people, ["first", "last", "street"])
    assert without.frame["cluster_id"].tolist() == ["", "", ""]
    grouped = find_duplicates(people, ["first", "last", "street"], synonyms={"bob": "robert"})
    assert grouped.frame[["cluster_id", "match_score"]].values.tolist() == [
        ["1", "100"], ["1", "100"], ["", ""]]


def test_match_applies_phrases_to_both_tables():
    left = pd.DataFrame({"vendor": ["International Business Machines Corp", "Acme Ltd"]})
    right = pd.DataFrame({"vendor": ["IBM", "Zenith Ltd", "Acme Limited"]})
    plain = match_tables(left, right, ["vendor"])
    assert plain.frame["right_vendor"].tolist() == ["", "Acme Limited"]
    mapped = match_tables(left, right, ["vendor"],
                          synonyms=normalize_synonyms([("International Business Machines", "IBM")]))
    assert mapped.frame[["right_vendor", "match_score"]].values.tolist() == [
        ["IBM", "100"], ["Acme Limited", "100"]]


def test_cli_synonyms_option_for_dedupe_and_match(tmp_path):
    members = tmp_path / "members.csv"
    members.write_text(MEMBERS, encoding="utf-8")
    table = tmp_path / "nicknames.csv"
    table.write_text("from,to\nBob,Robert\n", encoding="utf-8")
    code, out, err = run("dedupe", str(members), "--columns", "first,last,street", "--synonyms",
                         str(table), "--json", "-q")
    assert (code, err) == (0, "") and '"clusters": 1' in out
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("first,last,street\nRobert,Haines,41 Birch Road\n", encoding="utf-8")
    code, out, err = run("match", str(members), str(lookup), "--on", "first,last,street",
                         "--synonyms", str(table), "--json", "-q")
    assert (code, err) == (0, "") and '"matched": 2' in out


def test_cli_bad_synonym_files_exit_1_with_one_line_and_write_nothing(tmp_path):
    members = tmp_path / "members.csv"
    members.write_text(MEMBERS, encoding="utf-8")
    one = tmp_path / "one.csv"
    one.write_text("from\nBob\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run("dedupe", str(members), "--columns", "first", "--synonyms", str(one), "-o", str(out),
               "-q") == (1, "", f"datatools: The synonym file {one} needs two columns (from, to); "
                                "it has 1.\n")
    code, _, err = run("dedupe", str(members), "--columns", "first", "--synonyms",
                       str(tmp_path / "gone.csv"), "-o", str(out), "-q")
    assert code == 1 and err.startswith("datatools: Cannot open") and "gone.csv" in err
    assert not out.exists()
