"""The field cases of issue 13 (copied from shared/field-cases into tests/data/field_cases) give
the right answers named in that folder's README."""

from pathlib import Path

import pytest

from datatools.io import read_table
from datatools.tools.dedupe import find_duplicates

CASES = Path(__file__).resolve().parent / "data" / "field_cases"


def table(name):
    return read_table(CASES / name).frame


def test_names_without_decomposition_are_one_group_with_name_score_100():
    result = find_duplicates(table("names_without_decomposition.csv"), ["name"])
    assert result.frame["cluster_id"].tolist() == ["1", "1"]
    assert result.frame["match_score"].tolist() == ["100", "100"]
    assert result.frame["match_reason"].tolist() == ["row 2: name 100; whole row 100",
                                                     "row 1: name 100; whole row 100"]


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
