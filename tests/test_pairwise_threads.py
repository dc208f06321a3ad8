"""rapidfuzz's threads are used only for large calls (datatools/tools/pairwise.py, DECISIONS
454) and change no score: a dedupe of a German customer list of real name frequencies
(bench/synthetic/customers.py) writes the same bytes whether every call, none, or the large
ones score on threads."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from datatools.cli import main  # noqa: E402
from datatools.tools import pairwise  # noqa: E402

COLUMNS = "first,last,street,zip,city,phone,email"


@pytest.fixture(scope="module")
def customers_csv(tmp_path_factory) -> Path:
    from synthetic.customers import customers

    frame, _ = customers("de", 4_000, seed=5)
    path = tmp_path_factory.mktemp("customers") / "kunden.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_dedupe_writes_the_same_groups_scores_and_reasons_with_or_without_threads(
        customers_csv, tmp_path, monkeypatch):
    written = {}
    for name, threads_from in (("every call", 0), ("none", 10 ** 12),
                               ("large calls", pairwise.THREADS_FROM)):
        monkeypatch.setattr(pairwise, "THREADS_FROM", threads_from)
        out = tmp_path / f"{threads_from}.csv"
        assert main(["dedupe", str(customers_csv), "--columns", COLUMNS, "-o", str(out), "-q"]) == 0
        written[name] = out.read_bytes()
    assert written["none"] == written["every call"] == written["large calls"]
    assert b",certain," in written["none"]         # groups were found, with their reasons
