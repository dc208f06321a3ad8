"""The window's weight bars read the engine's waterfall back exactly: every column, level,
weight and the probability the engine wrote in match_reason (datatools/app/weights.py)."""

from __future__ import annotations

import numpy as np
import pytest

from datatools.app.weights import ColumnWeight, Waterfall, split_weights
from datatools.tools.dedupe import find_duplicates
from datatools.tools.linkage_model import EMPTY
from datatools.tools.reasons import describe_weights

from test_linkage import COLUMNS, person, with_cases


def test_the_bars_hold_each_weight_the_engine_describes():
    names = ["first", "last", "Vorname + Nachname", "email"]
    text = describe_weights(names, np.array([0, 3, 1, EMPTY]), np.array([9.34, -6.21, 0.04, 0.0]),
                            -5.26, 0.9972, np.array([False, False, False, False]))
    reason, waterfall = split_weights(f"row 5: agreed first 100; whole row 90; weights: {text}")
    assert reason == "row 5: agreed first 100; whole row 90"
    assert waterfall == Waterfall(-5.3, [ColumnWeight("first", "agrees", 9.3),
                                         ColumnWeight("last", "differs", -6.2),
                                         ColumnWeight("Vorname + Nachname", "nearly agrees", 0.0),
                                         ColumnWeight("email", "empty", 0.0)], 99.7)


def test_a_common_value_and_a_rounded_probability_are_kept():
    text = describe_weights(["last", "city"], np.array([0, 2]), np.array([2.04, 1.5]), -3.0,
                            0.99999, np.array([True, False]))
    _, waterfall = split_weights(f"row 2: agreed last 100; weights: {text}")
    assert waterfall.columns[0] == ColumnWeight("last", "agrees", 2.0, common=True)
    assert waterfall.columns[1] == ColumnWeight("city", "is similar", 1.5)
    assert (waterfall.percent, waterfall.bound) == (99.9, ">")


@pytest.mark.parametrize("reason", ["", "row 3: agreed name 100; whole row 100",
                                    "row 3 vetoed by first (anna vs maria); agreed last 100",
                                    "row 3: whole row 90; weights: garbled"])
def test_a_reason_without_weights_is_shown_as_it_is(reason):
    assert split_weights(reason) == (reason, None)


def test_every_grouped_row_of_a_learned_run_has_bars_for_every_column():
    table, start = with_cases([
        person("Jonas", "Brückner", "Amselstraße 12", "07743", "Jena", "03641 552211"),
        person("Jnoas", "Brückner", "Amselstr. 12", "07743", "Jena", "03641 552211")])
    result = find_duplicates(table, COLUMNS)
    assert result.model is not None
    grouped = [reason for reason, group in zip(result.frame["match_reason"], result.frame["cluster_id"])
               if group]
    assert grouped
    for reason in grouped:
        text, waterfall = split_weights(reason)
        assert waterfall is not None, reason
        assert [c.column for c in waterfall.columns] == list(result.model.names)
        assert reason.startswith(text + "; weights: ")
    _, typo = split_weights(result.frame["match_reason"][start + 1])
    assert typo.columns[0].column == "first" and typo.columns[0].level != "agrees"
    assert typo.columns[1] == ColumnWeight("last", "agrees", typo.columns[1].weight) and typo.columns[1].weight > 0
