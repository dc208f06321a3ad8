"""Large files in the window, in real Chromium: the memory-limit setting reaches the engine, a
large dedupe and a large match page their reviews from disk and save the file the in-memory
engine saves, Cancel and leaving the result remove the working copy, and so does the app's exit.

The size rule is lowered to 1 KB through $DATATOOLS_LARGE_SIZE (datatools/large/engine.py),
which the in-process server reads at each run; the working copies go to a temporary cache.
"""

from __future__ import annotations

import filecmp
import time
from pathlib import Path

import pytest

from conftest import Client
from review_window import save, served_window
from tests.large_inputs import people_rows, write_csv

pytestmark = pytest.mark.filterwarnings("error")

MB = 1 << 20


@pytest.fixture
def copies(monkeypatch, tmp_path) -> Path:
    """Files over 1 KB take the duckdb engine; their working copies go under tmp_path."""
    monkeypatch.setenv("DATATOOLS_LARGE_SIZE", "1KB")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "datatools" / "work"


def last_run(running):
    """The server's latest dedupe job (saves are jobs too)."""
    return [job for job in running.app.jobs._jobs.values() if job.tool == "dedupe"][-1]


def test_a_large_dedupe_pages_its_groups_and_saves_what_the_memory_engine_saves(
        chromium, keys, tmp_path, copies, monkeypatch):
    source = write_csv(tmp_path / "people.csv", people_rows(3_000))
    with served_window(chromium, keys, tmp_path) as (tab, running):
        # The setting says what it means, and its automatic value comes from the machine.
        text = tab.locator("#large-text").inner_text()
        assert "Files over 1 KB are not loaded into memory" in text and str(copies) in text
        assert tab.locator("#memory-limit option").first.inner_text().startswith("Automatic (")
        tab.select_option("#memory-limit", str(256 * MB))
        tab.wait_for_selector("#memory-limit-status:has-text('at most 256 MB of memory')")

        tab.click("#tool-dedupe")
        tab.fill("#path-0", str(source))
        tab.press("#path-0", "Enter")
        tab.wait_for_selector("#input-0 .preview")
        note = tab.locator("#input-0 .large-note").inner_text()
        assert note.startswith("This file is large (") and "at most 256 MB of memory" in note
        for column in ("first", "last", "email"):
            tab.check(f"#option-columns input[value='{column}']")
        tab.click("#run")
        tab.wait_for_selector("#review-groups .group", timeout=180_000)

        job = last_run(running)
        engine = job.result.report["engine"]
        assert engine["name"] == "duckdb" and engine["memory_limit"] == 256 * MB
        # The review holds the grouped rows only; the rest stays in the working copy.
        grouped = len(job.result.result.frame)
        assert 0 < grouped < 3_000
        (kept,) = copies.glob("job-*")
        assert (kept / "table.parquet").is_file()

        pages = tab.locator("#review-page").inner_text()
        assert pages.startswith("Page 1 of ") and not pages.startswith("Page 1 of 1 ")
        first_page = tab.locator("#review-groups .group h4").all_inner_texts()
        tab.click("#review-next")
        tab.wait_for_selector("#review-page:text('Page 2 of')")
        assert tab.locator("#review-groups .group h4").all_inner_texts() != first_page
        # The rows are numbered as in the input, not among the grouped rows.
        numbers = [int(n.replace(",", "")) for n in tab.locator("#review-groups .row-number").all_inner_texts()]
        assert max(numbers) > grouped
        status = tab.locator("#review-counts").inner_text()
        large_file = tmp_path / "people-large.csv"
        save(tab, large_file)

        # The same run in memory (the size rule back to its default), saved the same way.
        monkeypatch.delenv("DATATOOLS_LARGE_SIZE")
        tab.click("#run")
        tab.wait_for_selector("#review-groups .group", timeout=180_000)
        assert "engine" not in last_run(running).result.report
        # The second run took the first one's place: the window closed the large result, and
        # its working copy went then (not only at the app's exit).
        deadline = time.monotonic() + 10
        while list(copies.glob("job-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not list(copies.glob("job-*"))
        assert tab.locator("#review-counts").inner_text() == status
        memory_file = tmp_path / "people-memory.csv"
        save(tab, memory_file)
    assert filecmp.cmp(large_file, memory_file, shallow=False)
    assert filecmp.cmp(large_file.with_suffix(".merges.csv"), memory_file.with_suffix(".merges.csv"),
                       shallow=False)


def test_cancel_of_a_large_dedupe_leaves_no_working_copy(chromium, keys, tmp_path, copies):
    source = write_csv(tmp_path / "many.csv", people_rows(400_000))
    with served_window(chromium, keys, tmp_path) as (tab, running):
        tab.click("#tool-dedupe")
        tab.fill("#path-0", str(source))
        tab.press("#path-0", "Enter")
        tab.wait_for_selector("#input-0 .preview")
        tab.check("#option-columns input[value='last']")
        tab.check("#option-columns input[value='email']")
        tab.click("#run")
        deadline = time.monotonic() + 120
        while not list(copies.glob("job-*/table.parquet")) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert list(copies.glob("job-*")), "the run never started its working copy"
        # The bar names the phase (reading into the working copy, the key column, the pairs…).
        # (The bar says "Working…" until the first report reaches the page.)
        phases = r"encoding|rows read|checking rows|rows written|key column|values|pairs|weighing"
        tab.wait_for_function("(phases) => new RegExp(phases).test("
                              "document.getElementById('progress-message').textContent)", arg=phases)
        tab.click("#cancel")
        tab.wait_for_selector("#run-error:has-text('Cancelled')", timeout=120_000)
        assert last_run(running).state == "cancelled"
        assert not list(copies.glob("job-*"))


def test_the_apps_exit_removes_the_working_copy_of_an_open_review(licensed, desktop, copies, tmp_path):
    source = write_csv(tmp_path / "people.csv", people_rows(600))
    done = licensed.run_tool("dedupe", [source], {"columns": ["first", "last"]})
    assert done["state"] == "done" and done["result"]["engine"]["name"] == "duckdb"
    assert done["result"]["formats"] == ["csv"]
    assert list(copies.glob("job-*/table.parquet"))
    desktop.stop()
    assert not list(copies.glob("job-*"))


def test_a_dedupe_recipe_on_a_large_file_is_refused_saying_what_to_run_instead(licensed, copies, monkeypatch,
                                                                               tmp_path):
    source = write_csv(tmp_path / "people.csv", people_rows(600))
    monkeypatch.delenv("DATATOOLS_LARGE_SIZE")           # the recipe saved from a run in memory
    done = licensed.run_tool("dedupe", [source], {"columns": ["first", "last"]})
    recipe = tmp_path / "dedupe.recipe.json"
    assert licensed.call("POST", f"/api/jobs/{done['id']}/recipe", {"path": str(recipe)})[0] == 201
    monkeypatch.setenv("DATATOOLS_LARGE_SIZE", "1KB")
    status, _, job = licensed.call("POST", "/api/jobs", {
        "tool": "dedupe", "inputs": [{"path": str(source)}], "options": {"columns": ["first", "last"]},
        "recipe": {"path": str(recipe)}})
    refused = licensed.wait_for(job["id"])
    assert (refused["state"], refused["error"]["code"]) == ("failed", "recipe_large")
    assert refused["error"]["message"] == (
        "A recipe of duplicates is replayed in memory, and this file is above the large-file size. "
        "Find the duplicates here without the recipe, or replay the recipe with datatools run "
        "RECIPE FILE -o OUT where the file fits in memory.")
    assert not list(copies.glob("job-*"))          # said before any working copy


def versions(folder: Path) -> tuple[Path, Path]:
    """Two versions of a 4,000-row table: rows removed, amounts and cities changed, rows added."""
    import random

    from tests.large_inputs import medium_rows

    rows = medium_rows(4_000)
    rng = random.Random(3)
    new = [rows[0]] + [list(r) for r in rows[1:] if rng.random() > 0.03]
    for row in new[1:]:
        if rng.random() < 0.05:
            row[4] = "1,00"
        if rng.random() < 0.02:
            row[2] = "Paris"
    new += [[str(10_000 + i), "New Person", "Oslo", "", "", "", "", "", ""] for i in range(30)]
    return write_csv(folder / "old.csv", rows), write_csv(folder / "new.csv", new, delimiter=";")


def both_engines(client: Client, monkeypatch, tool: str, inputs: list[Path], options: dict):
    """The finished job on the duckdb engine (size rule 1 KB), then the same in memory."""
    monkeypatch.setenv("DATATOOLS_LARGE_SIZE", "1KB")
    large = client.run_tool(tool, inputs, options)
    monkeypatch.delenv("DATATOOLS_LARGE_SIZE")
    memory = client.run_tool(tool, inputs, options)
    assert large["state"] == memory["state"] == "done", (large["error"], memory["error"])
    assert large["result"].pop("engine")["name"] == "duckdb" and "engine" not in memory["result"]
    assert large["result"]["report"].pop("engine")["name"] == "duckdb"
    assert large["result"].pop("formats") == ["csv"] and memory["result"].pop("formats") == ["csv", "xlsx"]
    return large, memory


def saved_alike(client: Client, large: dict, memory: dict, folder: Path) -> None:
    for job, name in ((large, "large.csv"), (memory, "memory.csv")):
        status, _, answer = client.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(folder / name)})
        assert status == 201, answer
    assert filecmp.cmp(folder / "large.csv", folder / "memory.csv", shallow=False)


def _in_input_rows(group: dict) -> dict:
    """A large review's group as the in-memory review shows it: rows named by their input
    position (the large review names them by their place among the grouped rows)."""
    position = {row["row"]: row["number"] - 1 for row in group["rows"]}
    group = {**group, "rows": [{**row, "row": position[row["row"]]} for row in group["rows"]]}
    if group["survivor"]:
        group["survivor"] = {**group["survivor"], "sources": [position[r] for r in group["survivor"]["sources"]]}
    return group


def test_a_large_dedupe_review_filters_decides_and_saves_as_the_memory_engines(
        licensed, copies, monkeypatch, tmp_path):
    # The large review keeps the grouped cells as Arrow and works out "differs in" and the
    # text filter one column at a time (DECISIONS 471): the same pages, counts and file.
    source = write_csv(tmp_path / "people.csv", people_rows(3_000))
    # Row groups of 256 rows: the grouped cells are Arrow arrays of several chunks.
    monkeypatch.setattr("datatools.large.groups.ROWS_PER_GROUP", 256)
    large, memory = both_engines(licensed, monkeypatch, "dedupe", [source], {"columns": ["first", "last", "email"]})
    jobs = (large, memory)
    first = [licensed.call("GET", f"/api/jobs/{job['id']}/groups?sort=-size")[2]["groups"] for job in jobs]
    smallest = licensed.call("GET", f"/api/jobs/{memory['id']}/groups?sort=-size&page=1000")[2]["groups"]
    assert first[1][1]["size"] >= 3 and smallest[-1]["size"] == 2, "no groups of three rows: the test shows nothing"
    one, two, pair = first[1][0], first[1][1], smallest[-1]
    # The same decisions, rows named as each review names them.
    named = [{r["number"] - 1: r["row"] for g in first[0] for r in g["rows"]}, None]
    for job, rows in zip(jobs, named):
        def row(n, rows=rows):
            return n if rows is None else rows[n]
        for decision in ({"fill_empty": True}, {"group": pair["id"], "decision": "different"},
                         {"group": one["id"], "value": {"column": "street", "row": row(one["rows"][1]["row"])}},
                         {"group": two["id"], "split": {"row": row(two["rows"][0]["row"])}},
                         {"filter": {"text": "OSLO"}, "decision": "undecided"}):
            status, _, answer = licensed.call("POST", f"/api/jobs/{job['id']}/review", decision)
            assert status == 200, answer
    seen = set()
    for query in ("", "?sort=file&page=3", "?sort=-size", "?text=m%C3%9CLLER", "?text=street%201",
                  "?differs=first", "?differs=street&sort=file&page=2", "?certainty=possible"):
        answers = [licensed.call("GET", f"/api/jobs/{job['id']}/groups{query}")[2] for job in jobs]
        answers[0]["groups"] = [_in_input_rows(g) for g in answers[0]["groups"]]
        assert answers[0] == answers[1], query
        seen.update(c for g in answers[1]["groups"] for c in g["differs"])
        assert answers[1]["groups"] or query == "?certainty=possible", query
    assert {"first", "last", "street"} <= seen, "no group differs in the compared columns"
    counts = answers[1]["counts"]
    assert counts["values"] >= 1 and counts["apart"] >= 1 and counts["split"] == 1
    saved_alike(licensed, large, memory, tmp_path)
    assert filecmp.cmp(tmp_path / "large.merges.csv", tmp_path / "memory.merges.csv", shallow=False)
    # Every row kept: the rows of the group kept apart and the row split out lose their marks
    # and reasons, the others keep theirs (the large review's frame holds none: they are read
    # from the working copy as it is saved).
    for job in jobs:
        assert licensed.call("POST", f"/api/jobs/{job['id']}/review", {"keep": "all"})[0] == 200
    (tmp_path / "all").mkdir()
    saved_alike(licensed, large, memory, tmp_path / "all")
    import csv

    with open(tmp_path / "all" / "large.csv", encoding="utf-8", newline="") as handle:
        marked = [row for row in csv.DictReader(handle) if row["cluster_id"]]
    assert len(marked) > 500 and all(row["match_reason"].startswith("row ") for row in marked)


def people_run(tmp_path: Path):
    """A large dedupe of 20,000 people rows on first, last and email, run as the window runs it."""
    from datatools.app.inputs import InputSpec
    from datatools.app.large_runs import run_dedupe_large
    from datatools.progress import Progress

    source = write_csv(tmp_path / "people.csv", people_rows(20_000))
    return run_dedupe_large(InputSpec(source), {"columns": ["first", "last", "email"], "threshold": None},
                            Progress(), None, None)


def test_a_large_dedupe_review_holds_its_grouped_cells_in_few_python_bytes(copies, tmp_path):
    # Issue 27's 10 M-row export: the review turned its 3.2 M grouped rows' 27 cells into Python
    # strings twice (14 GB before the first page, DECISIONS 447). The cells stay out of Python
    # (on disk since DECISIONS 526); Python holds a group's rows and what it differs in, and the
    # cells of the groups shown.
    import tracemalloc

    from datatools.app.results.large_duplicates import LargeDuplicateReview
    from datatools.app.review import GroupFilter

    done = people_run(tmp_path)
    try:
        grouped = len(done.result.frame)
        assert grouped > 5_000
        tracemalloc.start()
        try:
            review = LargeDuplicateReview(done.result, done.copy.grouped, done.copy.positions,
                                          done.copy.rows, None, done.copy.reasons.take)
            review.page(GroupFilter(text="leeds"))
            held = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        done.close()
    assert held < 250 * grouped, f"{held / grouped:.0f} bytes a grouped row"


def test_a_large_dedupe_review_reads_its_grouped_cells_from_disk(copies, tmp_path):
    # Issue 27's 10 M-row export: the review held its 3.2 M grouped rows' cells as Arrow, about
    # 2.3 GB, and reading them in took as much again (DECISIONS 500). They are a file in group
    # order, their output cells made from the engine's when asked (DECISIONS 526, 527): once the
    # first page is shown, with a text filter and the most complete row kept, Arrow holds next
    # to none of them, and the page shows the groups holding the text.
    import pyarrow as pa

    from datatools.app.review import GroupFilter

    done = people_run(tmp_path)
    try:
        grouped = len(done.result.frame)
        page = done.review.page(GroupFilter(text="leeds"))
        held = pa.total_allocated_bytes()
        assert done.review.record.keep == "most-complete" and page["total"] > 10
        assert all(any("leeds" in cell.casefold() for row in group["rows"] for cell in row["cells"])
                   for group in page["groups"])
    finally:
        done.close()
    assert grouped > 5_000
    # now about 17; on the old code 172 (the cells as Arrow, their output cells about 60)
    assert held < 40 * grouped, f"Arrow holds {held / grouped:.0f} bytes a grouped row"


def test_a_large_dedupe_save_holds_a_batch_of_groups_at_a_time(copies, tmp_path, monkeypatch):
    # Issue 27's 10 M-row export: Save applied the review to all 3.2 M grouped rows at once
    # (every row's keep-policy standing, a dict per group for the merge list, with "fill
    # empty cells" every grouped row's cells as lists) and peaked at 10.3 GB (DECISIONS 473).
    # It applies the review a batch of groups at a time (DECISIONS 498): what it holds in
    # Python stays that of a batch and a slice of the file, whatever the number of groups.
    import tracemalloc

    from datatools.app.review import GroupFilter

    monkeypatch.setattr("datatools.large.groups.ROWS_PER_GROUP", 256)     # slices of the file
    monkeypatch.setattr("datatools.app.results.large_save.BATCH", 100, raising=False)
    done = people_run(tmp_path)
    try:
        grouped = len(done.result.frame)
        assert grouped > 5_000 and len(done.review.groups) > 2_000
        done.review.decide({"fill_empty": True})
        counts = done.review.page(GroupFilter())["counts"]
        tracemalloc.start()
        try:
            done.write(tmp_path / "saved.csv", force=False)
            held = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        done.close()
    import csv

    with open(tmp_path / "saved.csv", encoding="utf-8", newline="") as handle:
        assert sum(1 for _ in csv.reader(handle)) - 1 == counts["rows_saved"]
    with open(tmp_path / "saved.merges.csv", encoding="utf-8", newline="") as handle:
        merged = list(csv.DictReader(handle))
    assert len(merged) == counts["merged"] > 2_000 and "values_taken" in merged[0]
    assert held < 400 * grouped, f"{held / grouped:.0f} bytes a grouped row"


def test_a_large_clean_shows_and_saves_what_the_memory_engine_does(licensed, copies, monkeypatch, tmp_path):
    _, source = versions(tmp_path)
    large, memory = both_engines(licensed, monkeypatch, "clean", [source], {"dates": "auto", "numbers": "auto"})
    assert large["result"] == memory["result"]         # the changes, examples, first rows, row count
    assert large["result"]["view"]["examples"], "nothing was cleaned: the test shows nothing"
    saved_alike(licensed, large, memory, tmp_path)
    assert list(copies.glob("job-*/table.parquet"))      # kept while the result is open
    status, _, refused = licensed.call("POST", f"/api/jobs/{large['id']}/save", {"path": str(tmp_path / "x.xlsx")})
    assert (status, refused["error"]["code"]) == (400, "wrong_extension")     # CSV only
    assert licensed.call("POST", f"/api/jobs/{large['id']}/close", {})[2] == {"closed": True}
    assert not list(copies.glob("job-*"))
    assert licensed.call("GET", f"/api/jobs/{large['id']}")[0] == 404     # the result is gone too


def test_a_large_compare_pages_its_diff_from_disk_as_the_memory_engine_does(licensed, copies, monkeypatch,
                                                                              tmp_path):
    old, new = versions(tmp_path)
    large, memory = both_engines(licensed, monkeypatch, "compare", [old, new], {})
    assert large["result"] == memory["result"]
    (kept,) = copies.glob("job-*")
    assert [p.name for p in kept.iterdir() if p.suffix == ".parquet"] == ["diff.parquet"]
    pages = 0
    for show in ("differs", "all", "changed", "added", "removed", "unchanged"):
        for column in ("", "amount", "city"):
            for page in (1, 2, 40):
                query = f"?show={show}&column={column}&page={page}"
                answers = [licensed.call("GET", f"/api/jobs/{job['id']}/diff{query}")[2] for job in (large, memory)]
                assert answers[0] == answers[1], query
                pages += bool(answers[0].get("rows"))
    assert pages > 20
    saved_alike(licensed, large, memory, tmp_path)


def test_the_size_rule_is_set_by_its_environment_variable():
    from datatools.errors import BadOption
    from datatools.large.engine import large_bytes

    assert large_bytes(8 << 30, environ={"DATATOOLS_LARGE_SIZE": "1KB"}) == 1024
    assert large_bytes(8 << 30, environ={"DATATOOLS_LARGE_SIZE": "100MB"}) == 100 * MB
    assert large_bytes(8 << 30, environ={}) == 256 * MB
    with pytest.raises(BadOption):
        large_bytes(environ={"DATATOOLS_LARGE_SIZE": "lots"})


def test_the_memory_limit_preference_is_checked_stored_and_reset(client, settings):
    import json

    status, _, answer = client.call("POST", "/api/preferences", {"memory_limit": 5})
    assert (status, answer["error"]["code"]) == (400, "bad_memory_limit")
    status, _, answer = client.call("POST", "/api/preferences", {"memory_limit": 512 * MB})
    assert status == 200 and answer["large"]["memory_limit"] == 512 * MB
    assert client.call("GET", "/api/state")[2]["large"]["memory_limit"] == 512 * MB
    stored = json.loads((settings.home / "preferences.json").read_text(encoding="utf-8"))
    assert stored["memory_limit"] == 512 * MB
    answer = client.call("POST", "/api/preferences", {"memory_limit": None})[2]
    assert answer["large"]["memory_limit"] is None
    assert answer["large"]["default_memory_limit"] >= 256 * MB


def people_pair(folder: Path, rows: int) -> tuple[Path, Path]:
    """Two halves of a people table (typos, swapped names, emptied cells between them): the
    left file's people sought in the right one's."""
    table = people_rows(rows, seed=7)
    half = len(table) // 2
    return (write_csv(folder / "left.csv", [table[0]] + table[1:half + 1]),
            write_csv(folder / "right.csv", [table[0]] + table[half + 1:], delimiter=";"))


def test_a_large_match_pages_its_review_from_disk_and_saves_the_memory_engines_file(
        licensed, copies, monkeypatch, tmp_path):
    left, right = people_pair(tmp_path, 1_200)
    options = {"on": ["first", "last", "email"]}
    # Row groups of 128 rows: pages, decisions and Save cross the groups of the matched table.
    monkeypatch.setattr("datatools.large.groups.ROWS_PER_GROUP", 128)
    large, memory = both_engines(licensed, monkeypatch, "match", [left, right], options)
    assert large["result"] == memory["result"]         # the summary, report, notes, key columns
    (kept,) = copies.glob("job-*")
    # both copies went: the matches and, row for row, their weights for the bars stay
    assert sorted(p.name for p in kept.iterdir()) == ["matches.parquet", "weights.parquet"]
    import pyarrow.parquet as pq

    assert [pq.ParquetFile(kept / name).num_row_groups for name in ("matches.parquet", "weights.parquet")] == [5, 5]
    # The same decisions on both: a certain match taken back, a possible one accepted, and
    # every possible match holding "a" taken back through the text filter.
    first = licensed.call("GET", f"/api/jobs/{memory['id']}/matches?sort=file")[2]["matches"]
    certain = next(m["row"] for m in first if m["certainty"] == "certain")
    possible = [m["row"] for m in licensed.call(
        "GET", f"/api/jobs/{memory['id']}/matches?certainty=possible")[2]["matches"]]
    assert len(possible) > 2, "no possible matches: the test shows nothing"
    for job in (large, memory):
        for decision in ({"row": certain, "rejected": True}, {"row": possible[0], "accepted": True},
                         {"filter": {"certainty": "possible", "text": "an"}, "rejected": True},
                         {"row": possible[1], "accepted": True}):
            status, _, answer = licensed.call("POST", f"/api/jobs/{job['id']}/review", decision)
            assert status == 200, answer
    pages, bars = 0, set()
    for query in ("", "?sort=file&page=3", "?sort=-score&page=2", "?text=an&page=2", "?certainty=none",
                  "?min_score=80&max_score=95&sort=file", "?certainty=possible&text=M%C3%BCller"):
        answers = [licensed.call("GET", f"/api/jobs/{job['id']}/matches{query}")[2] for job in (large, memory)]
        assert answers[0] == answers[1], query      # the reason, its weights as bars and partner too
        pages += bool(answers[0]["matches"])
        bars.update((m["rejected"], m["weights"] is not None) for m in answers[0]["matches"])
    assert pages == 7
    assert {(False, True), (True, True), (False, False)} <= bars, "the pages show no bars"
    saved_alike(licensed, large, memory, tmp_path)
    # The decisions saved as a recipe (rows named by their content) are the same file, and
    # replayed on the large files they give the same review and the same saved table.
    for job in (large, memory):
        status, _, answer = licensed.call("POST", f"/api/jobs/{job['id']}/recipe",
                                          {"path": str(tmp_path / f"{job['id']}.recipe.json")})
        assert status == 201, answer
    recipes = [(tmp_path / f"{job['id']}.recipe.json").read_bytes() for job in (large, memory)]
    assert recipes[0] == recipes[1] and b'"decision": "different"' in recipes[0]
    assert licensed.call("POST", f"/api/jobs/{large['id']}/close", {})[2] == {"closed": True}
    assert not list(copies.glob("job-*"))
    replays = []
    for size in ("1KB", None):
        if size:
            monkeypatch.setenv("DATATOOLS_LARGE_SIZE", size)
        else:
            monkeypatch.delenv("DATATOOLS_LARGE_SIZE")
        status, _, job = licensed.call("POST", "/api/jobs", {
            "tool": "match", "inputs": [{"path": str(left)}, {"path": str(right)}], "options": options,
            "recipe": {"path": str(tmp_path / f"{memory['id']}.recipe.json")}})
        replays.append(licensed.wait_for(job["id"]))
    assert [r["state"] for r in replays] == ["done", "done"], [r.get("error") for r in replays]
    assert "engine" in replays[0]["result"]["report"] and "engine" not in replays[1]["result"]["report"]
    assert replays[0]["result"]["view"]["recipe"] == replays[1]["result"]["view"]["recipe"]
    assert replays[0]["result"]["view"]["recipe"]["applied"] >= 3
    first = licensed.call("GET", f"/api/jobs/{memory['id']}/matches")[2]["counts"]
    assert [licensed.call("GET", f"/api/jobs/{r['id']}/matches")[2]["counts"] for r in replays] == [first, first]
    (tmp_path / "replayed").mkdir()
    saved_alike(licensed, *replays, tmp_path / "replayed")


@pytest.mark.parametrize("options", [{"top": 2}, {"threshold": 70}])
def test_a_large_match_listing_candidates_or_at_a_fixed_score_shows_the_memory_engines_weights(
        licensed, copies, monkeypatch, tmp_path, options):
    left, right = people_pair(tmp_path, 1_200)
    options = {"on": ["first", "last", "email"], **options}
    # Parts of 100 left rows, row groups of 128 output rows: the weights cross both.
    monkeypatch.setattr("datatools.large.groups.ROWS_PER_GROUP", 128)
    monkeypatch.setattr("datatools.large.match.PART_ROWS", 100)
    large, memory = both_engines(licensed, monkeypatch, "match", [left, right], options)
    learned = "threshold" not in options
    (kept,) = copies.glob("job-*")      # a fixed score has no weights: no file for them
    assert sorted(p.name for p in kept.iterdir()) == ["matches.parquet", "weights.parquet"][:1 + learned]
    bars = 0
    for query in ("?sort=file", "?sort=file&page=2", "?sort=-score&page=3", "?certainty=none"):
        answers = [licensed.call("GET", f"/api/jobs/{job['id']}/matches{query}")[2] for job in (large, memory)]
        assert answers[0] == answers[1], query
        bars += sum(m["weights"] is not None for m in answers[0]["matches"])
    assert bool(bars) == learned
    saved_alike(licensed, large, memory, tmp_path)


def last_match(running):
    """The server's latest match job (None: none kept)."""
    return ([None] + [job for job in running.app.jobs._jobs.values() if job.tool == "match"])[-1]


def open_match(tab, left: Path, right: Path) -> None:
    """The match tool with both files chosen and previewed."""
    tab.click("#tool-match")
    for index, path in enumerate((left, right)):
        tab.fill(f"#path-{index}", str(path))
        tab.press(f"#path-{index}", "Enter")
        tab.wait_for_selector(f"#input-{index} .preview")


def decide(tab) -> str:
    """In the match review: the first listed match taken back, then the first possible match
    accepted (the certainty filter set back); the status line after them."""
    tab.check("#matches-list tbody input[id^='match-']")
    tab.wait_for_selector("#matches-counts:has-text('1 match is taken back')")
    tab.select_option("#matches-certainty", "possible")
    tab.wait_for_selector("#matches-list tbody input[id^='accept-']")
    tab.locator("#matches-list tbody input[id^='accept-']").first.check()
    tab.wait_for_selector("#matches-counts:has-text('1 possible that you accepted')")
    tab.select_option("#matches-certainty", "")
    return tab.locator("#matches-counts").inner_text()


def test_in_chromium_a_large_match_is_reviewed_and_saved_as_the_memory_engine_saves_it(
        chromium, keys, tmp_path, copies, monkeypatch):
    left, right = people_pair(tmp_path, 3_000)
    with served_window(chromium, keys, tmp_path) as (tab, running):
        open_match(tab, left, right)
        assert tab.locator("#input-0 .large-note").inner_text().startswith("This file is large (")
        for column in ("first", "last", "email"):
            tab.check(f"#option-on input[value='{column}']")
        # The estimate would read both whole files into memory: it says so and does not run.
        tab.wait_for_selector("#match-estimate .muted:has-text('The estimate reads both files into memory')")
        tab.click("#run")
        tab.wait_for_selector("#matches-list tbody tr", timeout=180_000)
        assert last_match(running).result.report["engine"]["name"] == "duckdb"
        assert sorted(p.name for p in copies.glob("job-*/*")) == ["matches.parquet", "weights.parquet"]
        assert tab.locator("#matches-pager").inner_text() != ""
        # the matches' Why cells draw the weights as bars, as in memory, not in words
        assert tab.locator("#matches-list tbody tr .why details.weights").count() > 0
        assert "weights:" not in tab.locator("#matches-list tbody").inner_text()
        status = decide(tab)
        large_file = tmp_path / "matched-large.csv"
        save(tab, large_file)

        monkeypatch.delenv("DATATOOLS_LARGE_SIZE")
        first = last_match(running)
        tab.click("#run")
        deadline = time.monotonic() + 180
        while last_match(running) in (first, None) or last_match(running).state == "running":
            assert time.monotonic() < deadline, "the run in memory did not end"
            time.sleep(0.05)
        tab.wait_for_selector("#matches-counts:has-text('0 matches are taken back')")
        assert "engine" not in last_match(running).result.report
        deadline = time.monotonic() + 10
        while list(copies.glob("job-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not list(copies.glob("job-*"))          # the window closed the large result
        assert decide(tab) == status
        memory_file = tmp_path / "matched-memory.csv"
        save(tab, memory_file)
    assert filecmp.cmp(large_file, memory_file, shallow=False)


def test_cancel_of_a_large_match_leaves_no_working_copy(chromium, keys, tmp_path, copies):
    left, right = people_pair(tmp_path, 400_000)
    with served_window(chromium, keys, tmp_path) as (tab, running):
        open_match(tab, left, right)
        tab.check("#option-on input[value='last']")
        tab.check("#option-on input[value='email']")
        tab.click("#run")
        deadline = time.monotonic() + 120
        while not list(copies.glob("job-*/table.parquet")) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert list(copies.glob("job-*")), "the run never started its working copy"
        # The bar names the phase; Cancel once both copies are made and the pairs are sought.
        tab.wait_for_selector("#progress-message:text-matches('normalising|pairing|pairs|weighing')",
                              timeout=180_000)
        assert len(list(copies.glob("job-*/table.parquet"))) == 2
        tab.click("#cancel")
        tab.wait_for_selector("#run-error:has-text('Cancelled')", timeout=120_000)
        assert last_match(running).state == "cancelled"
        assert not list(copies.glob("job-*"))
