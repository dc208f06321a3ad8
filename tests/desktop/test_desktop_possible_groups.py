"""Find duplicates at defaults, then Save, in real Chromium: a group the engine is only possibly
sure of starts undecided and Save keeps all its rows; the status line's counts are the file's."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import TODAY, open_app
from datatools.app.server import start_server
from datatools.app.settings import BUILTIN_KEYRING, AppSettings

pytestmark = pytest.mark.filterwarnings("error")

ROWS = [("Ann Lee", "", "Derby", ""),                      # with row 2: possible (two cells empty)
        ("Ann Lee", "2 Ash Road", "Derby", "DE1 2AB"),
        ("Bob Stone", "9 Yew Lane", "York", "YO1 7HH"),    # rows 3 and 4: certain
        ("Bob Stone", "9 Yew Lane", "York", "YO1 7HH"),
        ("Cara Diaz", "5 Oak Street", "Leeds", "LS1 1AA"),
        ("Dev Patel", "1 Elm Close", "Bath", "BA1 1AA")]


def test_save_at_defaults_keeps_a_possible_group_whole_and_the_status_line_counts_the_file(
        chromium, keys, tmp_path):
    source = tmp_path / "customers.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "street", "city", "postcode"])
        writer.writerows(ROWS)
    settings = AppSettings(home=tmp_path / "home", keyrings=(BUILTIN_KEYRING, keys.keyring),
                           os_language="en", today=lambda: TODAY)
    running = start_server(settings)
    context, tab = open_app(chromium, running.url)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        tab.evaluate("""async (blob) => { await fetch('/api/license', {method: 'POST',
            headers: {'X-DataTools-Token': sessionStorage.getItem('datatools-token'),
                      'Content-Type': 'application/json'}, body: JSON.stringify({blob})}); }""",
                     keys.mint(tier="pro"))
        tab.reload()
        tab.wait_for_selector("body[data-ready]")
        tab.click("#tool-dedupe")
        tab.fill("#path-0", str(source))
        tab.press("#path-0", "Enter")
        tab.wait_for_selector("#input-0 .preview")
        for column in ("name", "street", "city", "postcode"):
            tab.check(f"#option-columns input[value='{column}']")
        tab.click("#run")
        tab.wait_for_selector("#review-groups .group", timeout=120_000)
        # The possible group (Ann Lee) starts undecided, the certain one (Bob Stone) the same.
        assert tab.locator("#group-1 input[value='undecided']").is_checked()
        assert tab.locator("#group-2 input[value='same']").is_checked()
        status = tab.locator("#review-counts").inner_text()
        assert status == ("When you save: 1 group becomes one row (1 row removed), 0 groups are "
                          "kept apart; the file will have 5 rows. 1 group is not decided yet: "
                          "all their rows are kept.")
        target = tmp_path / "customers-clean.csv"
        tab.fill("#save-path", str(target))
        tab.click("#save")
        tab.wait_for_selector("#save-message:not([hidden]), #save-error:not([hidden])",
                              timeout=60_000)
        assert tab.locator("#save-error").is_hidden(), tab.locator("#save-error").inner_text()
        saved = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
        assert saved[1:] == [list(ROWS[0]), list(ROWS[1]), list(ROWS[2]), list(ROWS[4]),
                             list(ROWS[5])]
        assert len(saved) - 1 == 5   # the status line's "the file will have 5 rows"
    finally:
        context.close()
        running.stop()
    assert errors == [], f"JavaScript errors on the page: {errors}"
