"""In real Chromium: compare's key may be several columns (order + line), as `--key order,line` is."""

from __future__ import annotations

import json

from test_desktop_tool_ui import choose_files, compare_counts, licensed_page, run_and_wait  # noqa: F401
from tests.cli_process import datatools

OLD = "order,line,qty\n1001,1,5\n1001,2,3\n1002,1,7\n"
NEW = "order,line,qty\n1001,1,5\n1001,2,4\n1002,1,7\n1002,2,1\n"


def cli_counts(tmp_path, old, new) -> dict[str, int]:
    """The command line's counts for `--key order,line` (the installed script, as a user runs it)."""
    done = datatools("compare", old.name, new.name, "--key", "order,line", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    return {k: report[k] for k in ("added", "removed", "changed", "unchanged")}


def test_two_key_columns_pair_rows_by_order_and_line_as_the_command_line_does(licensed_page, tmp_path):
    page = licensed_page
    old, new = tmp_path / "lines-june.csv", tmp_path / "lines-july.csv"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    choose_files(page, "compare", [old, new])

    page.select_option("#option-key", "order")
    page.click("#option-key-add")
    assert page.evaluate("document.activeElement.id") == "option-key-2"
    page.select_option("#option-key-2", "line")
    run_and_wait(page)

    assert compare_counts(page) == {"Rows added": "1", "Rows removed": "0", "Rows changed": "1",
                                    "Rows unchanged": "2"}
    assert cli_counts(tmp_path, old, new) == {"added": 1, "removed": 0, "changed": 1, "unchanged": 2}
    # two columns are "the columns" in the note under the counts
    assert page.locator("#compare-rows-title ~ p.notice").all_inner_texts() == [
        "Rows paired by the columns order, line."]
