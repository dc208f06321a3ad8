"""The window says which engine a run takes, as the CLI's engine line does (issue 27, item 3):
DuckDB for a file over the size rule, in memory below it, in the window's language.

The size rule is lowered to 1 KB through $DATATOOLS_LARGE_SIZE (datatools/large/engine.py),
which the in-process server reads at each run; the working copies go to a temporary cache.
"""

from __future__ import annotations

import pytest

from review_window import served_window
from tests.large_inputs import people_rows, write_csv

pytestmark = pytest.mark.filterwarnings("error")


def run_profile(tab) -> str:
    """Run the profile of the file already previewed; the engine line the window shows."""
    tab.click("#run")
    tab.wait_for_selector("#result-area:not([hidden]), #run-error:not([hidden])", timeout=120_000)
    assert tab.locator("#run-error").is_hidden(), tab.locator("#run-error").inner_text()
    assert tab.locator("#run-engine").is_visible()
    return tab.locator("#run-engine").inner_text()


def test_the_window_names_the_engine_a_run_takes(chromium, keys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = write_csv(tmp_path / "people.csv", people_rows(2_000))
    with served_window(chromium, keys, tmp_path) as (tab, _running):
        tab.click("#tool-profile")
        tab.fill("#path-0", str(source))
        tab.press("#path-0", "Enter")
        tab.wait_for_selector("#input-0 .preview")

        monkeypatch.setenv("DATATOOLS_LARGE_SIZE", "1KB")
        assert run_profile(tab).startswith("Engine: DuckDB, for large files")
        monkeypatch.delenv("DATATOOLS_LARGE_SIZE")
        assert run_profile(tab) == "Engine: in memory"

        tab.select_option("#language", "de")
        monkeypatch.setenv("DATATOOLS_LARGE_SIZE", "1KB")
        assert run_profile(tab).startswith("Engine: DuckDB, für große Dateien")
