"""The match estimate: a sample of left rows matched as the full run matches them, scaled up."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cli_process import datatools
from company_tables import company_tables
from datatools.errors import BadOption
from datatools.tools.match import match_tables
from datatools.tools.match_estimate import estimate_count, estimate_matches, score_sample


def frames(tables):
    return (pd.DataFrame(tables.left[1:], columns=tables.left[0]),
            pd.DataFrame(tables.right[1:], columns=tables.right[0]))


@pytest.fixture(scope="module")
def companies():
    """2,000 companies, 70 % of them with a respelled copy among 2,000 suppliers."""
    return frames(company_tables(2_000, 0.7))


@pytest.fixture(scope="module")
def full_run(companies):
    left, right = companies
    # At defaults both count certain matches, by the model learned from the data.
    return match_tables(left, right, ["company", "city"])


def test_a_sample_of_every_row_gives_the_full_runs_exact_count(companies, full_run):
    left, right = companies
    estimate = estimate_matches(left, right, ["company", "city"], sample=len(left))
    assert estimate.exact and estimate.learned and estimate.threshold == 99
    assert estimate.sample_rows == 2_000
    assert estimate.estimate == estimate.low == estimate.high == estimate.about == full_run.report.matched


def test_every_threshold_answered_from_one_sample_agrees_with_a_full_run_at_it(companies):
    left, right = companies
    scores = score_sample(left, right, ["company", "city"], sample=len(left))
    for threshold in (30, 75, 95):
        assert scores.at(threshold).estimate == \
            match_tables(left, right, ["company", "city"], threshold=threshold).report.matched
    # Scores that skipped the vetoes of pairs below 60 answer from 60 up, and refuse below.
    from_60 = score_sample(left, right, ["company", "city"], sample=len(left), vetoes_from=60)
    assert from_60.at(75) == scores.at(75) and not from_60.answers(54)
    with pytest.raises(ValueError):
        from_60.at(54)


def test_the_estimate_holds_the_full_runs_count_in_its_interval(companies, full_run):
    left, right = companies
    estimate = estimate_matches(left, right, ["company", "city"], sample=300, seed=4)
    assert not estimate.exact and estimate.sample_rows == 300
    assert estimate.low <= full_run.report.matched <= estimate.high
    # An interval of the width a 300-row sample supports, not "somewhere between 0 and 2,000".
    assert estimate.high - estimate.low < 0.15 * len(left)
    assert estimate.low < estimate.estimate < estimate.high


def test_a_wrong_pairing_shows_up_as_almost_no_match(companies):
    left, right = companies
    right_first = estimate_matches(left, right, ["company", "city"], ["city", "company"], sample=300)
    assert right_first.share < 0.02
    assert right_first.high < 0.05 * len(left)
    assert right_first.examples == []


def test_examples_are_real_sampled_matches(companies):
    left, right = companies
    estimate = estimate_matches(left, right, ["company", "city"], sample=300, seed=1)
    assert len(estimate.examples) == 3
    for example in estimate.examples:
        assert example["left"] == left.loc[example["left_row"] - 1, ["company", "city"]].tolist()
        assert example["right"] == right.loc[example["right_row"] - 1, ["company", "city"]].tolist()
        assert example["score"] >= 54


def test_the_same_seed_draws_the_same_sample_and_another_seed_another(companies):
    left, right = companies
    first = estimate_matches(left, right, ["company", "city"], sample=200, seed=8)
    again = estimate_matches(left, right, ["company", "city"], sample=200, seed=8)
    other = estimate_matches(left, right, ["company", "city"], sample=200, seed=9)
    assert first == again
    assert first.examples != other.examples


def test_the_interval_is_wilsons_with_the_finite_population_correction():
    # Nothing matched in 1,000 of a million rows: the estimate is 0, the interval still says up
    # to about 0.38 %: Wilson's upper bound for 0 of n is z²/(n + z²), and the correction makes
    # the 1,000 rows count as 1,001 draws: 3.8415 / 1004.84 of a million.
    assert estimate_count(0, 1_000, 1_000_000) == (0, 0, 3_823)
    assert estimate_count(500, 1_000, 1_000_000)[1] == 500_000
    low, _, high = estimate_count(500, 1_000, 1_000_000)
    assert (low, high) == (469_084, 530_916)
    # Half the table sampled: the interval narrows by about √(1 − ½).
    low_half, _, high_half = estimate_count(500, 1_000, 2_000)
    assert 0.68 < (high_half - low_half) / 2_000 / ((high - low) / 1_000_000) < 0.73
    # What the sample saw is certain: 9 of 10 sampled matched in 12 rows → at least 9, at most 11.
    assert estimate_count(9, 10, 12)[0] >= 9 and estimate_count(9, 10, 12)[2] <= 11


def test_bad_columns_and_thresholds_are_refused_before_any_work(companies):
    left, right = companies
    with pytest.raises(BadOption, match="No column 'town'"):
        estimate_matches(left, right, ["company", "town"])
    with pytest.raises(BadOption, match="between 0 and 100"):
        estimate_matches(left, right, ["company"], threshold=120)
    with pytest.raises(BadOption, match="at least 1 row"):
        estimate_matches(left, right, ["company"], sample=0)


def test_the_command_prints_the_estimate_and_writes_nothing(tmp_path):
    left, right = company_tables(400, 0.5).write(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    done = datatools("match", str(left), str(right), "--on", "company,city", "--estimate",
                     "--sample", "100", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("About ") and "of 400 left rows" in done.stdout
    assert "estimated from 100 rows (95% interval " in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == before

    exact = datatools("match", str(left), str(right), "--on", "company,city", "--estimate", "--json",
                      "-q", cwd=tmp_path)
    report = json.loads(exact.stdout)
    # 800 rows: too few to learn from, so both count the pairs scoring 75 or more as certain.
    full = datatools("match", str(left), str(right), "--on", "company,city", "--json", "-q",
                     cwd=tmp_path)
    assert report["exact"] and report["estimate"] == json.loads(full.stdout)["matched"]
    assert exact.stdout and report["sample_rows"] == 400
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_the_command_refuses_an_output_file_with_the_estimate(tmp_path):
    left, right = company_tables(50, 0.5).write(tmp_path)
    done = datatools("match", str(left), str(right), "--on", "company", "--estimate",
                     "-o", str(tmp_path / "out.csv"), cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert "--estimate writes nothing; leave out -o." in done.stderr
    assert not (tmp_path / "out.csv").exists()
    alone = datatools("match", str(left), str(right), "--on", "company", "--sample", "10", cwd=tmp_path)
    assert alone.returncode == 2 and "add --estimate" in alone.stderr


def test_a_small_tables_default_estimate_counts_only_what_the_run_writes_as_matched():
    # The user trial's CRM list against its 674 customers (too few rows to learn a model): a
    # pair scoring 75 or more is written as matched only when no column clearly differs
    # (certainty.py): Stefan Schmidt of Lindenstraße 30, 01067 scores 75 with another Stefan
    # Schmidt at 04109 and is held back. The estimate of every row says what the run writes.
    from test_dedupe_small_lists import HEADER, trial_lists

    rows, crm = trial_lists()
    left = pd.DataFrame(crm, columns=["Name", "Adresse", "Postleitzahl"])
    right = pd.DataFrame(rows, columns=HEADER)
    on, right_on = ["Name", "Adresse", "Postleitzahl"], ["Vorname + Nachname", "Straße", "PLZ"]
    run = match_tables(left, right, on, right_on)
    estimate = estimate_matches(left, right, on, right_on, sample=len(left))
    assert estimate.exact and not estimate.learned
    assert estimate.estimate == run.report.matched == 200
    # ... and a threshold given counts every pair reaching it, as such a run writes them
    at_75 = estimate_matches(left, right, on, right_on, threshold=75, sample=len(left))
    assert at_75.estimate == match_tables(left, right, on, right_on, threshold=75).report.matched == 201
