"""In real Chromium: a trial's Save says that the file holds only the trial's first rows, and why."""

from __future__ import annotations

from test_desktop_files_ui import save
from test_desktop_tool_ui import choose_files, run_and_wait


def test_a_trial_save_says_it_wrote_only_the_first_1000_rows(page, tmp_path):
    source = tmp_path / "orders.csv"
    source.write_text("order,name\n" + "".join(f"{n}, Ana {n} \n" for n in range(1, 1501)),
                      encoding="utf-8")
    choose_files(page, "clean", [source])
    run_and_wait(page)
    target = tmp_path / "orders-clean.csv"
    page.fill("#save-path", str(target))

    save(page)

    assert page.locator("#save-message").inner_text() == (
        f"Saved: {target} Trial version: Save wrote only the first 1,000 rows of orders.csv; "
        "without a license every tool uses the first 1,000 rows of each file. Enter your license "
        "to save whole files.")
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1 + 1000
