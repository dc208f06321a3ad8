"""The field cases of issue 13 (copied from shared/field-cases into tests/data/field_cases) give
the right answers named in that folder's README."""

from pathlib import Path

import pytest

from datatools.io import read_table
from datatools.tools.dedupe import find_duplicates, keep_one_per_cluster
from datatools.tools.match import match_tables

CASES = Path(__file__).resolve().parent / "data" / "field_cases"


def table(name):
    return read_table(CASES / name).frame


def test_names_without_decomposition_are_one_group_with_name_score_100():
    result = find_duplicates(table("names_without_decomposition.csv"), ["name"])
    assert result.frame["cluster_id"].tolist() == ["1", "1"]
    assert result.frame["match_score"].tolist() == ["100", "100"]
    assert result.frame["match_reason"].tolist() == ["row 2: agreed name 100; whole row 100",
                                                     "row 1: agreed name 100; whole row 100"]


@pytest.mark.parametrize("name, other", [
    ("Đorđe Đukić", "Dorde Dukic"),
    ("Łucja Wałęsa", "Lucja Walesa"),
    ("Jürgen Strauß", "Jurgen Strauss"),
    ("Æsa Þórsdóttir", "Aesa Thorsdottir"),
    ("Œdipe Cœurdacier", "Oedipe Coeurdacier"),
    ("Işıl Yıldız", "Isil Yildiz"),
])
def test_other_undecomposable_letters_score_100_against_their_plain_spelling(name, other):
    import pandas as pd

    frame = pd.DataFrame({"name": [name, other, "Maria Lopez"]}, dtype=object)
    result = find_duplicates(frame, ["name"])
    assert result.frame["cluster_id"].tolist() == ["1", "1", ""]
    assert result.frame["match_score"].tolist() == ["100", "100", ""]


def test_couples_are_not_grouped_and_the_reason_names_the_vetoing_column():
    result = find_duplicates(table("couples.csv"), ["first", "last", "street"])
    assert result.frame[["cluster_id", "match_score", "match_reason"]].values.tolist() == [
        ["", "", "row 2 vetoed by first (robert vs linda); agreed last 100, street 100; whole row 78"],
        ["", "", "row 1 vetoed by first (linda vs robert); agreed last 100, street 100; whole row 78"],
    ]
    kept = keep_one_per_cluster(result, "first")
    assert kept.frame["first"].tolist() == ["Robert", "Linda"]  # nobody is deleted


def test_vendors_sharing_only_generic_words_do_not_match():
    result = match_tables(table("vendors_left.csv"), table("vendors_right.csv"), ["vendor"])
    assert result.frame.values.tolist() == [
        ["Birchwood Energy Production Corporation", "", "", "no partner", ""]]
    assert (result.report.matched, result.report.unmatched) == (0, 1)
