"""The CLI's bar moves through the reading phase by the bytes of the input read, on both engines
(issue 27, item 3: a trial user saw "0 % checking encoding" and then one jump, or "50 % 118,257
rows read" on a file of 2.5 M rows). Without a terminal the bar writes a line per tenth reached."""

from __future__ import annotations

import re

import pytest

from tests.cli_process import datatools

LINE = re.compile(r"^profile \[[#.]+\]\s+(\d+)% (.*)$")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """About 30 MB of CSV: four of the parser's 8 MB blocks."""
    path = tmp_path_factory.mktemp("reading") / "orders.csv"
    rows = (f"{i},customer {i % 9_973},city {i % 211},{i * 7 % 100_000}.{i % 100:02d}\n"
            for i in range(850_000))
    path.write_text("id,customer,city,amount\n" + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_the_reading_phase_reports_progress_as_the_file_is_read(big, engine, tmp_path):
    done = datatools("profile", str(big), "--engine", engine, "-o", str(tmp_path / "p.json"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    bar = [LINE.match(line) for line in done.stderr.splitlines()]
    reading = [(int(m.group(1)), m.group(2)) for m in bar if m and re.search(r"rows read|^reading ", m.group(2))]
    percents = [p for p, _ in reading]
    # Several steps while the file is read, never back, before its end.
    assert len(set(percents)) >= 3, done.stderr
    assert percents == sorted(percents), done.stderr
    assert percents[-1] < 100, done.stderr
    # A step shown before the end is a share of the file, not a first block counted as half.
    assert percents[0] < percents[-1] / 2, done.stderr
