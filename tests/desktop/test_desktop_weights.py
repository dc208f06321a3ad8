"""In real Chromium, each grouped row's explanation shows the model's weights as bars: the start
and every compared column, evidence for the same to one side and in one colour, against to the
other, each with its words and number, adding up to the probability the engine wrote."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from review_window import licensed_window, run_tool
from test_linkage import COLUMNS, person, with_cases

pytestmark = pytest.mark.filterwarnings("error")


@contextmanager
def brueckner_group(chromium, keys, tmp_path, cases):
    """(tab, start): Find duplicates in the window on 1,152 customers with common German names
    (so the engine learns its weights) and the Brückner `cases` after them (the first at row
    start + 1), the review filtered to their one group."""
    table, start = with_cases(cases)
    source = tmp_path / "kunden.csv"
    table.to_csv(source, index=False)
    with licensed_window(chromium, keys, tmp_path) as tab:
        run_tool(tab, "dedupe", [source], "columns", COLUMNS, "#review-groups .group")
        tab.fill("#review-text", "Brückner")
        tab.click("#review-apply")
        tab.wait_for_selector("#review-page:has-text('(1 group)')")
        yield tab, start


def test_a_groups_explanation_shows_each_columns_weight_as_a_bar_with_its_words(
        chromium, keys, tmp_path, screenshot):
    # 1,152 customers with common German names, so the engine learns its weights; the last two
    # rows are one person, the given name mistyped and the street type abbreviated.
    with brueckner_group(chromium, keys, tmp_path, [
            person("Jonas", "Brückner", "Amselstraße 12", "07743", "Jena", "03641 552211"),
            person("Jnoas", "Brückner", "Amselstr. 12", "07743", "Jena", "03641 552211")]) as (tab, start):
        # One pair holds the group (Jonas and Jnoas): its weights under the rows, once.
        details = tab.locator("#review-groups .group .pair-weights details.weights")
        assert details.count() == 1
        summary = details.locator("summary").inner_text()
        assert summary.startswith(f"Weights of rows {start + 1:,} and {start + 2:,}: ") \
            and summary.endswith(" sure"), summary
        details.locator("summary").click()
        bars = details.locator("li.weight")
        assert bars.count() == 1 + len(COLUMNS)
        labels = bars.locator(".weight-label").all_inner_texts()
        assert labels[0] == "Start: how rare a match is"
        assert [label.split(": ")[0] for label in labels[1:]] == COLUMNS
        assert labels[1] != "first: agrees"                               # Jonas / Jnoas
        assert labels[2] == "last: agrees" and labels[7] == "email: empty"
        for k in range(bars.count()):
            bar = bars.nth(k)
            value = bar.locator(".weight-value").inner_text()
            words = bar.locator(".visually-hidden").text_content().strip()
            side = bar.get_attribute("class").split()[-1]
            # the number, the words a screen reader reads and the colour's side agree
            assert (value[0], words, side) in {("+", "for the same", "for"),
                                               ("−", "against the same", "against"),
                                               ("0", "no evidence", "none")}, (value, words, side)
            assert bar.locator("svg.weight-track").get_attribute("aria-hidden") == "true"
        assert bars.nth(0).get_attribute("class") == "weight against"      # a match is rare
        assert bars.nth(2).get_attribute("class") == "weight for"          # the surname agrees
        # The bars' right and left: a positive bar starts at the middle, a negative one ends there.
        last = bars.nth(2).locator("rect")
        assert float(last.get_attribute("x")) == 50 and float(last.get_attribute("width")) > 0
        assert details.locator(".weight-total").inner_text().startswith("Together: ")
        screenshot(tab, "desktop-review-weights", at="#review-groups .group")


def _shown(weight: float) -> str:
    """A weight as the bar writes it: "+9.3", "−6.2", "0" (no evidence, −0.04 too)."""
    weight = round(weight, 1)
    return "0" if weight == 0 else f"{'−' if weight < 0 else '+'}{abs(weight):.1f}"


def test_a_household_held_possible_says_so_beside_its_high_weights(chromium, keys, tmp_path):
    # Paul and Paula Brückner, one address and landline, among 1,152 customers: the columns
    # alone make them one person at over 99 %, the names two people. The weights' summary and
    # total must say what holds them back, in the window's language, never a bare "99.9 % sure
    # they are the same" beside a possible group (a trial's spouses invited "the same").
    with brueckner_group(chromium, keys, tmp_path, [
            person("Paul", "Brückner", "Amselstraße 12", "07743", "Jena", "03641 552211"),
            person("Paula", "Brückner", "Amselstraße 12", "07743", "Jena", "03641 552211")]) as (tab, start):
        group = tab.locator("#review-groups .group")
        assert group.locator("tbody td.why").first.inner_text().startswith(
            f"like row {start + 2:,}: possible: their names read as two people")
        details = group.locator(".pair-weights details.weights")
        summary = details.locator("summary").inner_text()
        assert summary.startswith(f"Weights of rows {start + 1:,} and {start + 2:,}: the columns "
                                  "alone say "), summary
        assert summary.endswith(" sure, but possible: their names read as two people"), summary
        details.locator("summary").click()
        total = details.locator(".weight-total").inner_text()
        assert total.startswith("The columns alone: ") and "Together" not in total, total
        assert total.endswith("But possible: their names read as two people: they are taken "
                              "as the same only if you decide so."), total
        tab.select_option("#language", "de")
        tab.wait_for_selector("html[lang=de]", state="attached")
        tab.wait_for_selector("#review-groups .group .pair-weights summary:has-text('aber möglich')")


def test_a_matchs_explanation_shows_the_engines_weight_for_each_column(chromium, keys, tmp_path):
    # One order (Jnoas Brückner, a typo) matched at defaults against 1,151 customers, so the
    # engine learns its weights: the match's Why cell holds the bars, one per paired column,
    # each with the number the engine weighed (the saved file says the same in words).
    import pandas as pd

    from datatools.tools.match import match_tables

    table, start = with_cases([
        person("Jonas", "Brückner", "Amselstraße 12", "07743", "Jena", "03641 552211"),
        person("Jnoas", "Brückner", "Amselstr. 12", "07743", "Jena", "03641 552211")])
    left, right = table.iloc[[start + 1]], table.drop(index=start + 1)
    left.to_csv(tmp_path / "orders.csv", index=False)
    right.to_csv(tmp_path / "kunden.csv", index=False)
    engine = match_tables(*(pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)
                            for name in ("orders.csv", "kunden.csv")), COLUMNS)
    expected = engine.waterfalls.to_json(0)
    assert engine.frame["match_certainty"][0] == "certain"
    with licensed_window(chromium, keys, tmp_path) as tab:
        run_tool(tab, "match", [tmp_path / "orders.csv", tmp_path / "kunden.csv"], "on", COLUMNS,
                 "#matches-list tbody tr")
        details = tab.locator("#matches-list tbody tr .why details.weights")
        assert details.count() == 1
        assert details.locator("summary").inner_text() == (
            f"Weights of row 1 and row {start + 1:,} of the second table: "
            f"{expected['bound']}{expected['percent']:.1f} % sure")
        details.locator("summary").click()
        bars = details.locator("li.weight")
        assert bars.count() == 1 + len(expected["columns"])
        labels = bars.locator(".weight-label").all_inner_texts()
        assert labels[1:] == [f"{c['column']}: {c['level']}" for c in expected["columns"]]
        assert labels[1] == "first: nearly agrees" or labels[1] == "first: is similar"   # Jnoas
        values = bars.locator(".weight-value").all_inner_texts()
        assert values == [_shown(expected["start"])] + [_shown(c["weight"]) for c in expected["columns"]]
        # the reason beside them keeps its words but not the weights' (the bars say them)
        why = tab.locator("#matches-list tbody tr .why").inner_text()
        assert "weights:" not in why and "Together: " in why
