"""Every tool through the local server's job API, on fixture files: results, saving, the trial."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import urllib.request

import pytest

from conftest import FIXTURES, TOOL_CASES

from datatools.cli import main


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def licensed(client, keys):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client


@pytest.mark.parametrize("tool", list(TOOL_CASES))
def test_each_tool_runs_saves_a_new_file_and_leaves_inputs_alone(licensed, tool, tmp_path):
    inputs, options = TOOL_CASES[tool]
    paths = [FIXTURES / name for name in inputs]
    before = [digest(p) for p in paths]
    job = licensed.run_tool(tool, paths, options)
    assert job["state"] == "done", job
    assert job["fraction"] == 1.0
    result = job["result"]
    assert result["trial"] == []
    assert result["summary"]
    out = tmp_path / "out"
    out.mkdir()
    target = out / result["suggested_name"]
    status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target)})
    # A dedupe save applies the window's review: merged to one row per group, merges listed beside.
    merges = target.with_name(target.stem + ".merges.csv") if tool == "dedupe" else None
    assert (status, saved) == (201, {"path": str(target), "merge_report": merges and str(merges), "notes": []})
    assert target.stat().st_size > 0
    assert [digest(p) for p in paths] == before
    assert sorted(p.name for p in out.iterdir()) == sorted([target.name] + ([merges.name] if merges else []))


def test_compare_reports_the_changed_rows(licensed):
    job = licensed.run_tool("compare", [FIXTURES / "customers.csv", FIXTURES / "customers-new.csv"], {"key": "id"})
    assert job["result"]["summary"] == {"added": 1, "removed": 3, "changed": 1, "unchanged": 6}


def test_dedupe_shows_groups_with_reasons_and_the_review_decides_what_is_saved(licensed, tmp_path):
    job = licensed.run_tool("dedupe", [FIXTURES / "customers.csv"], {"columns": ["name", "email"]})
    clusters = licensed.call("GET", f"/api/jobs/{job['id']}/groups?sort=file")[2]["groups"]
    grouped = sorted(sorted(row["cells"][0] for row in c["rows"]) for c in clusters)
    assert ["1", "3"] in grouped and ["2", "5"] in grouped and ["7", "8"] in grouped
    assert all(row["reason"] for c in clusters for row in c["rows"])
    rejected = next(c["id"] for c in clusters if sorted(r["cells"][0] for r in c["rows"]) == ["7", "8"])
    target = tmp_path / "reviewed.csv"
    licensed.call("POST", f"/api/jobs/{job['id']}/save",
                  {"path": str(target), "review": {"rejected": [rejected], "keep": "first"}})
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    ids = [row["id"] for row in rows]
    assert "3" not in ids and "5" not in ids          # the second row of accepted groups went
    assert "7" in ids and "8" in ids                  # the rejected group kept both rows
    # One row per group is the engine's keep_one_per_cluster: the input's columns, as the CLI's
    # `dedupe --keep first` writes them.
    assert list(rows[0]) == ["id", "name", "email", "city"]
    unmarked = tmp_path / "unmarked.csv"
    licensed.call("POST", f"/api/jobs/{job['id']}/save",
                  {"path": str(unmarked), "review": {"rejected": [rejected], "keep": "all"}})
    rows = list(csv.DictReader(io.StringIO(unmarked.read_text(encoding="utf-8"))))
    assert len(rows) == 10
    assert {row["cluster_id"] for row in rows if row["id"] in ("7", "8")} == {""}
    assert {row["cluster_id"] for row in rows if row["id"] in ("1", "3")} != {""}


def test_the_review_keeps_the_most_complete_row_the_engine_way(licensed, tmp_path):
    job = licensed.run_tool("dedupe", [FIXTURES / "customers.csv"], {"columns": ["name", "email"]})
    target = tmp_path / "complete.csv"
    status, _, _ = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                 {"path": str(target), "review": {"keep": "most-complete"}})
    assert status == 201
    cli = tmp_path / "cli.csv"
    assert main(["dedupe", str(FIXTURES / "customers.csv"), "--columns", "name,email", "-q",
                 "--keep", "most-complete", "-o", str(cli)]) == 0
    assert target.read_bytes() == cli.read_bytes()
    # With the merge report, the desktop writes the same two files as the command.
    both = tmp_path / "both" / "complete.csv"
    both.parent.mkdir()
    status, _, _ = licensed.call("POST", f"/api/jobs/{job['id']}/save", {
        "path": str(both), "review": {"keep": "most-complete", "merge_report": True}})
    assert status == 201
    assert sorted(p.name for p in both.parent.iterdir()) == ["complete.csv", "complete.merges.csv"]
    assert (both.parent / "complete.merges.csv").read_bytes() == (tmp_path / "cli.merges.csv").read_bytes()
    # The merge list names the rows by the table's key column too (id), not only by number.
    assert (both.parent / "complete.merges.csv").read_text(encoding="utf-8").splitlines() == [
        "cluster_id,kept_row,kept_id,dropped_rows,dropped_id,match_score",
        "1,1,1,3,3,93", "2,2,2,5,5,100", "3,7,7,8,8,100"]
    status, _, body = licensed.call("POST", f"/api/jobs/{job['id']}/save", {
        "path": str(both), "review": {"keep": "most-complete", "merge_report": True}})
    assert (status, body["error"]["code"]) == (409, "output_exists")
    status, _, body = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                    {"path": str(tmp_path / "x.csv"), "review": {"keep": "best"}})
    assert (status, body["error"]["code"], body["error"]["params"]) == (
        400, "bad_choice", {"option": "keep", "value": "best"})


def test_saving_refuses_to_overwrite_an_input_or_an_existing_file(licensed, tmp_path):
    source = tmp_path / "mine.csv"
    source.write_bytes((FIXTURES / "messy.csv").read_bytes())
    job = licensed.run_tool("clean", [source], {})
    status, _, body = licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(source), "force": True})
    assert (status, body["error"]["code"]) == (400, "would_overwrite_input")
    assert source.read_bytes() == (FIXTURES / "messy.csv").read_bytes()
    existing = tmp_path / "existing.csv"
    existing.write_text("keep me\n")
    status, _, body = licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(existing)})
    assert (status, body["error"]["code"]) == (409, "output_exists")
    assert existing.read_text() == "keep me\n"
    status, _, _ = licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(existing), "force": True})
    assert status == 201 and existing.read_text() != "keep me\n"
    status, _, body = licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(tmp_path / "no" / "x.csv")})
    assert (status, body["error"]["code"]) == (400, "no_folder")


def test_browser_mode_can_upload_a_file_and_download_the_result(licensed, desktop):
    upload = urllib.request.Request(desktop.base_url + "/api/upload?name=messy.csv", method="POST",
                                    data=(FIXTURES / "messy.csv").read_bytes(),
                                    headers={"X-DataTools-Token": desktop.app.token})
    with urllib.request.urlopen(upload, timeout=10) as answer:
        uploaded = json.loads(answer.read())
    assert uploaded["name"] == "messy.csv"
    job = licensed.run_tool("clean", [uploaded["path"]], {"trim": True})
    url = f"{desktop.base_url}/api/jobs/{job['id']}/download?token={desktop.app.token}"
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.headers["Content-Disposition"] == 'attachment; filename="messy-clean.csv"'
        rows = list(csv.reader(io.StringIO(answer.read().decode("utf-8"))))
    assert rows[1][0] == "Anna Schmidt"


def test_trial_uses_the_first_1000_rows_and_says_so(client, tmp_path):
    source = tmp_path / "big.csv"
    source.write_text("n,word\n" + "".join(f"{i},w{i % 7}\n" for i in range(1500)), encoding="utf-8")
    job = client.run_tool("profile", [source], {})
    assert job["result"]["summary"]["rows"] == 1000
    assert job["result"]["trial"] == [{"file": "big.csv", "used": 1000, "total": 1500}]
    job = client.run_tool("encoding", [source], {"target": "utf-8"})
    assert job["state"] == "done", job
    assert job["result"]["trial"] == [{"file": "big.csv", "used": 1000, "total": None}]
    target = tmp_path / "fixed.csv"
    client.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target)})
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1001   # header + 1000 rows


def test_tool_errors_come_back_in_plain_words(licensed, tmp_path):
    status, _, body = licensed.call("POST", "/api/jobs", {
        "tool": "dedupe", "options": {"columns": ["name"], "threshold": "lots"},
        "inputs": [{"path": str(FIXTURES / "customers.csv")}]})
    assert (status, body["error"]["code"]) == (400, "bad_threshold")   # refused before any work
    status, _, body = licensed.call("POST", "/api/jobs", {"tool": "dedupe", "options": {},
                                                         "inputs": [{"path": str(tmp_path / "gone.csv")}]})
    assert (status, body["error"]["code"]) == (400, "file_not_found")
    status, _, body = licensed.call("POST", "/api/jobs", {"tool": "dedupe", "options": {"columns": ["nope"]},
                                                         "inputs": [{"path": str(FIXTURES / "customers.csv")}]})
    assert (status, body["error"]) == (400, {"code": "column_not_in_file",
                                             "params": {"columns": "nope", "file": "customers.csv"},
                                             "message": "customers.csv has no column named nope."})
    # A tool's own refusal, found while it runs, fails the job with the same shape.
    status, _, body = licensed.call("POST", "/api/jobs", {
        "tool": "match", "options": {"on": ["customer", "customer"], "right_on": ["name"]},
        "inputs": [{"path": str(FIXTURES / "orders.csv")}, {"path": str(FIXTURES / "customers.csv")}]})
    assert status == 202
    job = licensed.wait_for(body["id"])
    assert (job["state"], job["error"]["code"], job["error"]["params"]) == \
        ("failed", "pairing_count", {"left": 2, "right": 1})


def test_preview_shows_how_the_file_was_read_and_can_be_reread(client):
    status, preview = client.preview({"path": str(FIXTURES / "latin1.csv")})
    assert status == 202
    assert (preview["encoding"], preview["delimiter"]) == ("cp1252", ",")
    assert preview["columns"] == ["name", "city"]
    assert preview["rows"][0] == ["José Müller", "Köln"]
    _, forced = client.preview({"path": str(FIXTURES / "latin1.csv"), "encoding": "utf-8",
                                "header": False})
    # Both forced choices are obeyed: UTF-8 (the cp1252 letters become U+FFFD), no header row.
    assert (forced["encoding"], forced["columns"]) == ("utf-8", ["column_1", "column_2"])
    assert forced["rows"][:2] == [["name", "city"], ["Jos\ufffd M\ufffdller", "K\ufffdln"]]


def test_dedupe_and_match_read_the_synonym_table_named_in_the_options(licensed, tmp_path):
    members = tmp_path / "members.csv"
    members.write_text("first,last,street\nBob,Haines,41 Birch Rd\nRobert,Haines,41 Birch Rd\n"
                       "Linda,Haines,41 Birch Rd\n", encoding="utf-8")
    table = tmp_path / "nicknames.csv"
    table.write_text("from,to\nBob,Robert\n", encoding="utf-8")
    options = {"columns": ["first", "last", "street"]}
    plain = licensed.run_tool("dedupe", [members], options)
    assert plain["result"]["summary"]["clusters"] == 0
    mapped = licensed.run_tool("dedupe", [members], {**options, "synonyms": str(table)})
    groups = licensed.call("GET", f"/api/jobs/{mapped['id']}/groups?sort=file")[2]["groups"]
    assert [[r["cells"] for r in g["rows"]] for g in groups] == [
        [["Bob", "Haines", "41 Birch Rd"], ["Robert", "Haines", "41 Birch Rd"]]]
    matched = licensed.run_tool("match", [members, members], {"on": ["first", "last"],
                                                              "synonyms": str(table)})
    assert matched["result"]["summary"]["matched"] == 3
    missing = licensed.run_tool("dedupe", [members], {**options, "synonyms": str(tmp_path / "gone.csv")})
    assert missing["state"] == "failed" and "gone.csv" in missing["error"]["message"]


def test_a_preview_is_a_job_polled_apart_from_the_tools_jobs(client):
    status, _, job = client.call("POST", "/api/preview", {"path": str(FIXTURES / "latin1.csv")})
    assert status == 202 and job["tool"] == "preview"
    done = client.wait_for(job["id"], kind="preview")
    assert done["state"] == "done" and done["result"]["encoding"] == "cp1252"
    # Not a tool result: nothing to save, and the tools' job list does not know it.
    assert client.call("GET", f"/api/jobs/{job['id']}")[0] == 404
    status, _, after = client.call("POST", f"/api/preview/{job['id']}/cancel")
    assert (status, after["state"]) == (202, "done")
    status, _, missing = client.call("GET", "/api/preview/0123456789abcdef")
    assert (status, missing["error"]["code"]) == (404, "no_such_job")


def test_every_tool_result_carries_what_the_reader_noticed(client, tmp_path):
    """Formula cells without a saved result are named in the result, not only in the preview."""
    import shutil

    cases = FIXTURES.parents[1] / "data" / "field_cases"
    book = tmp_path / "book.xlsx"
    shutil.copyfile(cases / "formulas_no_cached_values.xlsx", book)
    job = client.run_tool("profile", [book], {})
    assert job["state"] == "done", job
    [warning] = job["result"]["warnings"]
    assert warning["text"].startswith("book.xlsx: ") and "column 'total' (cell C2)" in warning["text"]
    assert (warning["code"], warning["params"]) == ("formulas_without_results", {
        "count": 1, "columns": "total", "cells": "total (C2)", "file": "book.xlsx"})
    mixed = tmp_path / "mixed.csv"
    shutil.copyfile(cases / "utf8_one_cp1252_line.csv", mixed)
    job = client.run_tool("encoding", [mixed], {"target": "utf-8"})
    assert job["state"] == "done", job
    assert [(w["code"], w["params"]) for w in job["result"]["warnings"]] == [
        ("mixed_lines_converted", {"count": 1, "encodings": "cp1252", "lines": "3", "file": "mixed.csv"})]
    assert "line 3 is cp1252" in job["result"]["warnings"][0]["text"]


def test_fix_encoding_on_a_workbook_says_it_has_no_encoding(client):
    book = FIXTURES.parents[1] / "data" / "field_cases" / "formulas_no_cached_values.xlsx"
    job = client.run_tool("encoding", [book], {})
    assert (job["state"], job["error"]["code"]) == ("failed", "spreadsheet_not_text")
    assert job["error"]["message"].endswith(
        "is a spreadsheet, not a text file: it has no text encoding to detect or fix. The other "
        "tools (clean, profile, compare, dedupe, match) read it as it is.")
