"""Save and Download are one write: for every tool, after one review decision where the tool has
a review, the file Save writes and the file Download returns have the same bytes — over real
HTTP, and in real Chromium for the two tools the window reviews (dedupe and match)."""

from __future__ import annotations

import csv
import json
import io
import urllib.request
import zipfile

import pytest

from conftest import FIXTURES, TOOL_CASES
from test_desktop_files_ui import licensed_page  # noqa: F401  (the window, licensed, in browser mode)
from test_desktop_tool_ui import choose_files, run_and_wait

pytestmark = pytest.mark.filterwarnings("error")

# One decision per tool with a review, as the window sends it (POST /api/jobs/<id>/review).
DECISIONS = {
    "dedupe": [{"group": "1", "decision": "different"}, {"group": "3", "split": {"row": 7, "out": True}}],
    "match": [{"row": 0, "rejected": True}],
}


def contents(data: bytes) -> bytes | dict[str, bytes]:
    """A file's bytes; a workbook's as its zip members' bytes, without the document properties
    (docProps/core.xml holds the time of writing, as the zip entries do)."""
    if not data.startswith(b"PK\x03\x04"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def download(desktop, job_id: str, fmt: str) -> bytes:
    url = f"{desktop.base_url}/api/jobs/{job_id}/download?token={desktop.app.token}&format={fmt}"
    with urllib.request.urlopen(url, timeout=30) as answer:
        assert answer.status == 200
        return answer.read()


@pytest.mark.parametrize("tool", list(TOOL_CASES))
def test_save_and_download_give_the_same_bytes_after_a_decision(licensed, desktop, tool, tmp_path):
    inputs, options = TOOL_CASES[tool]
    job = licensed.run_tool(tool, [FIXTURES / name for name in inputs], options)
    for decision in DECISIONS.get(tool, []):
        status, _, answer = licensed.call("POST", f"/api/jobs/{job['id']}/review", decision)
        assert status == 200, answer
    for fmt in job["result"]["formats"] or [""]:
        target = tmp_path / f"saved-{fmt or 'file'}" / job["result"]["suggested_name"]
        target.parent.mkdir()
        # What the window's Save sends: no review — the server applies the one it keeps.
        status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                         {"path": str(target), "format": fmt or None, "language": "en"})
        assert status == 201, saved
        assert contents(download(desktop, job["id"], fmt)) == contents((tmp_path / saved["path"]).read_bytes()), fmt


def test_the_download_of_a_dedupe_holds_the_review_not_the_raw_groups(licensed, desktop):
    """Group 1 kept apart: its two rows stay, unmarked; the other groups are merged."""
    job = licensed.run_tool("dedupe", [FIXTURES / "customers.csv"], {"columns": ["name", "email"]})
    licensed.call("POST", f"/api/jobs/{job['id']}/review", {"group": "1", "decision": "different"})
    rows = list(csv.reader(io.StringIO(download(desktop, job["id"], "csv").decode("utf-8"))))
    assert rows[0] == ["id", "name", "email", "city"]          # merged: no cluster marks
    names = [row[1] for row in rows[1:]]
    assert "Anna Schmidt" in names and "Anna Schmitt" in names  # the group kept apart
    assert len(rows) - 1 < 10                                    # the other groups merged


def browser_save_and_download(page, tmp_path):
    """Click Save (to a file in tmp_path) and Download; both files' bytes."""
    target = tmp_path / "saved" / page.input_value("#save-path").rsplit("/", 1)[-1]
    target.parent.mkdir()
    page.fill("#save-path", str(target))
    page.click("#save")
    page.wait_for_selector("#save-message:not([hidden]), #save-error:not([hidden])", timeout=60_000)
    assert page.locator("#save-error").is_hidden(), page.locator("#save-error").inner_text()
    with page.expect_download() as started:
        page.click("#download")
    downloaded = tmp_path / "downloaded"
    started.value.save_as(downloaded)
    return target.read_bytes(), downloaded.read_bytes()


def test_in_chromium_a_dedupe_download_is_the_reviewed_file_save_writes(licensed_page, tmp_path):
    page = licensed_page
    choose_files(page, "dedupe", [FIXTURES / "customers.csv"])
    page.check("#option-columns input[value=name]")
    page.check("#option-columns input[value=email]")
    run_and_wait(page)
    page.wait_for_selector("#review-groups .group")
    page.locator("#review-groups .group").first.locator("input[value=different]").check()
    page.wait_for_selector("#review-counts:has-text('1 group is kept apart')")
    assert page.input_value("#save-path").endswith("/customers-deduplicated.csv")   # what the file holds
    saved, downloaded = browser_save_and_download(page, tmp_path)
    assert downloaded == saved
    text = saved.decode("utf-8")
    assert "cluster_id" not in text.splitlines()[0]     # merged by the review, not the raw marks


def test_in_chromium_a_rejected_match_stays_out_of_the_download(licensed_page, tmp_path):
    page = licensed_page
    choose_files(page, "match", [FIXTURES / "orders.csv", FIXTURES / "customers.csv"])
    page.check("#option-on input[value=customer]")
    page.select_option("#pair-0", "name")
    run_and_wait(page)
    page.wait_for_selector("#matches-list input[type=checkbox]")
    first = page.locator("#matches-list input[type=checkbox]").first
    row = int(first.get_attribute("id").removeprefix("match-"))
    first.check()
    page.wait_for_selector("#matches-counts:has-text('1 match is taken back')")
    saved, downloaded = browser_save_and_download(page, tmp_path)
    assert downloaded == saved
    rows = list(csv.DictReader(io.StringIO(saved.decode("utf-8"))))
    assert (rows[row]["right_name"], rows[row]["match_score"]) == ("", "")   # taken back
    assert sum(1 for r in rows if r["match_score"] != "") >= 1                # the others stay


@pytest.mark.parametrize("tool", ["dedupe", "match"])
def test_the_windows_review_replayed_by_the_cli_writes_the_file_save_wrote(licensed, tool, tmp_path):
    """GET /api/jobs/<id>/review is the engine's record: `--review` applies it the same way."""
    from datatools.cli import main

    inputs, options = TOOL_CASES[tool]
    paths = [str(FIXTURES / name) for name in inputs]
    job = licensed.run_tool(tool, paths, options)
    for decision in DECISIONS[tool]:
        licensed.call("POST", f"/api/jobs/{job['id']}/review", decision)
    status, _, record = licensed.call("GET", f"/api/jobs/{job['id']}/review")
    assert status == 200, record
    (tmp_path / "review.json").write_text(json.dumps(record), encoding="utf-8")
    saved = tmp_path / "saved.csv"
    assert licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(saved)})[0] == 201
    argv = {"dedupe": ["--columns", "name,email", "--threshold", "85"],   # the keep policy: the record's
            "match": ["--on", "customer", "--right-on", "name", "--threshold", "80"]}[tool]
    by_cli = tmp_path / "cli.csv"
    err = io.StringIO()
    assert main([tool, *paths, *argv, "--review", str(tmp_path / "review.json"), "-o", str(by_cli), "-q"],
                io.StringIO(), err) == 0, err.getvalue()
    assert by_cli.read_bytes() == saved.read_bytes()


def test_a_match_saved_as_a_workbook_holds_its_amounts_as_numbers(licensed, tmp_path):
    from openpyxl import load_workbook

    inputs, options = TOOL_CASES["match"]
    job = licensed.run_tool("match", [FIXTURES / name for name in inputs], options)
    target = tmp_path / "matched.xlsx"
    status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target), "format": "xlsx"})
    assert status == 201, saved
    sheet = load_workbook(target).active
    assert [c.value for c in sheet[1]][:3] == ["order", "customer", "amount"]
    assert (sheet["C2"].value, sheet["C2"].number_format) == (120.5, "0.00")    # 120.50 in orders.csv
    assert sheet["A2"].value == "A-100"


def test_an_undecided_group_keeps_every_row_and_the_counts_say_so(licensed, tmp_path):
    """Not sure yet: the safe side — the group's rows all stay, whatever the keep policy."""
    job = licensed.run_tool("dedupe", [FIXTURES / "customers.csv"], {"columns": ["name", "email"]})
    state = licensed.call("POST", f"/api/jobs/{job['id']}/review", {"group": "1", "decision": "undecided"})[2]
    assert (state["counts"]["undecided"], state["counts"]["merged"], state["counts"]["removed"]) == (1, 2, 2)
    target = tmp_path / "saved.csv"
    assert licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target)})[0] == 201
    ids = [row[0] for row in csv.reader(io.StringIO(target.read_text(encoding="utf-8")))][1:]
    assert ids == ["1", "2", "3", "4", "6", "7", "9", "10"]      # Anna's two rows (1, 3) both kept
