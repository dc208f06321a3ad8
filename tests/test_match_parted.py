"""A left row whose best right row went to another left row (`--unique`) says so in its
match_reason, in the words the other reasons use, instead of leaving it empty (issue 30); both
engines write the same file."""

from __future__ import annotations

from tests.large_inputs import write_csv
from tests.test_match_ties import matched


def test_a_row_parted_from_its_candidate_by_unique_names_it_and_who_took_it(tmp_path):
    left = write_csv(tmp_path / "left.csv", [["Name", "Ort"], ["Anna Vogel", "Fulda"],
                                             ["Anna Vogel", "Fulda"], ["Jan Hoffmann", "Gießen"]],
                     delimiter=";")
    right = write_csv(tmp_path / "right.csv", [["Name", "Ort"], ["Anna Vogel", "Fulda"],
                                               ["Jan Hofmann", "Gießen"]],
                      delimiter=";")
    first, second, jan = matched(tmp_path, left, right, "--on", "Name,Ort", "--unique")
    assert (first["right_Name"], first["match_certainty"]) == ("Anna Vogel", "certain")
    assert (second["right_Name"], second["match_certainty"]) == ("", "no partner")
    assert second["match_reason"] == ("right row 1: matched to left row 1 (--unique); agreed Name "
                                      "100, Ort 100; whole row 100; rare words fulda, vogel, anna")
    assert jan["match_certainty"] == "certain"
