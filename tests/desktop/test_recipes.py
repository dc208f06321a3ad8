"""Recipes: a dedupe review made in real Chromium is saved as a recipe (rows named by the key
column, never by number), replayed by `datatools run` on next month's file — a column renamed
and mapped, new rows, a decided group's rows gone — and applied in the window to the same file
after its dry run ("Try it first"), giving the same table; columns the file lacks stop the run
with their names. A match reviewed in the window is saved as the recipe the CLI saves and
applied to next month's two files."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from conftest import FIXTURES
from test_desktop_files_ui import licensed_page  # noqa: F401  (the window, licensed, in browser mode)
from test_desktop_tool_ui import choose_files, run_and_wait

from datatools.cli import main

# December's export: "email" is now "E-Mail", Émile's two rows (ids 7, 8) are gone, Carla
# has a new duplicate (id 11) and there is a new customer (id 12).
DECEMBER = """id,name,E-Mail,city
1,Anna Schmidt,anna.schmidt@example.com,Berlin
2,Ben Okafor,ben@example.org,Leeds
3,Anna Schmitt,anna.schmidt@example.com,Berlin
4,Carla Ruiz,carla.ruiz@example.es,Sevilla
5,  Ben  Okafor ,BEN@EXAMPLE.ORG,Leeds
6,David Chen,d.chen@example.com,Toronto
9,Fatima Zahra,fatima@example.ma,Rabat
10,Greta Lind,greta.lind@example.se,Malmö
11,Carla Ruíz,carla.ruiz@example.es,
12,Hugo Berg,hugo@example.no,Oslo
"""


def cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


@pytest.fixture
def recipe(licensed_page, tmp_path):
    """The window's dedupe of customers.csv on name + email: the Anna pair kept apart, row 8
    kept for Émile; saved as a recipe naming rows by `id`."""
    page = licensed_page
    source = tmp_path / "customers.csv"
    shutil.copy(FIXTURES / "customers.csv", source)
    choose_files(page, "dedupe", [source])
    page.check("#option-columns input[value=name]")
    page.check("#option-columns input[value=email]")
    run_and_wait(page)
    page.wait_for_selector("#group-1 input[value=different]")
    page.check("#group-1 input[value=different]")
    page.wait_for_selector("#review-counts:has-text('1 group is kept apart')")
    page.check("#group-3 input[name=survivor-3][value='7']")
    page.wait_for_selector("#group-3 tr.kept >> text=Emile Durand")
    page.fill("#save-path", str(tmp_path / "customers-deduplicated.csv"))
    page.select_option("#recipe-key", "id")
    page.click("#save-recipe")
    page.wait_for_selector("#recipe-message:not([hidden])")
    path = tmp_path / "customers-deduplicated.recipe.json"
    assert page.locator("#recipe-message").inner_text().startswith(f"Recipe saved: {path}.")
    return page, path


def test_a_window_recipe_holds_settings_options_and_decisions_by_key(recipe):
    _, path = recipe
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["recipe"] == 1
    assert data["import"]["header"] is True and data["import"]["encoding"] is None
    (step,) = data["steps"]
    assert (step["tool"], step["options"]["columns"], step["key"]) == ("dedupe", ["name", "email"], "id")
    assert step["review"] == {"keep": "most-complete", "default": "same", "fill_empty": False,
                              "merge_report": True}
    assert step["decisions"] == [{"rows": ["1", "3"], "decision": "different"},
                                 {"rows": ["7", "8"], "decision": "same", "keep": "8"}]
    assert "Anna" not in path.read_text(encoding="utf-8")      # never the data itself


def test_the_cli_replays_it_on_a_changed_file_and_lists_what_it_could_not_apply(recipe, tmp_path):
    _, path = recipe
    december = tmp_path / "customers-december.csv"
    december.write_text(DECEMBER, encoding="utf-8")
    code, _, err = cli("run", str(path), str(december), "-o", str(tmp_path / "x.csv"), "-q")
    assert code == 2 and "The recipe uses columns this file does not have: email." in err
    assert not (tmp_path / "x.csv").exists()
    code, out, err = cli("run", str(path), str(december), "--map", "email=E-Mail", "--dry-run")
    assert (code, out.splitlines()) == (0, [
        "Step 1, dedupe: 3 groups found, 1 decision applied; 2 rows would go.",
        "  not applied (its rows are gone): same for 7, 8",
        "10 rows in, 8 rows would be written. Nothing was written (--dry-run)."]), err
    out_path = tmp_path / "december-clean.csv"
    code, _, err = cli("run", str(path), str(december), "--map", "email=E-Mail", "-o", str(out_path), "-q")
    assert code == 0, err
    rows = out_path.read_text(encoding="utf-8").splitlines()
    # Anna's pair stays apart (the recipe's decision); Ben and the new Carla pair merge by default
    # to their most complete row; the new customer is there.
    assert [r.split(",")[0] for r in rows] == ["id", "1", "2", "3", "4", "6", "9", "10", "12"]
    merges = (tmp_path / "december-clean.merges.csv").read_text(encoding="utf-8").splitlines()
    assert merges[0] == "cluster_id,kept_row,kept_id,dropped_rows,dropped_id,match_score"
    assert [m.split(",")[2] for m in merges[1:]] == ["2", "4"]


def test_the_window_applies_it_to_the_changed_file_with_the_column_mapped(recipe, tmp_path):
    page, path = recipe
    december = tmp_path / "customers-december.csv"
    december.write_text(DECEMBER, encoding="utf-8")
    code, _, err = cli("run", str(path), str(december), "--map", "email=E-Mail",
                       "-o", str(tmp_path / "by-cli.csv"), "-q")
    assert code == 0, err
    page.click("#start-over")
    page.fill("#path-0", str(december))
    page.press("#path-0", "Enter")
    page.wait_for_selector("#recipe-apply-area:not([hidden])")
    page.fill("#recipe-path", str(path))
    page.click("#recipe-apply")
    page.wait_for_selector("#recipe-status.error:not([hidden])")
    assert "email" in page.locator("#recipe-status").inner_text()
    page.select_option("#recipe-map-0", "E-Mail")
    # Try it first: what the recipe would change, as `datatools run --dry-run` says it; nothing
    # is applied yet (the options are as they were).
    page.click("#recipe-dry-run")
    page.wait_for_selector("#recipe-dry-report")
    assert page.locator("#recipe-dry-report li").all_inner_texts() == [
        "Step 1, duplicates: 3 groups found, 1 decision applied; 2 rows would go.",
        "Not applied, its rows are gone: same for 7, 8",
        "10 rows in, 8 rows would be written. Nothing was written."]
    assert not page.is_checked("#option-columns input[value=name]")
    page.click("#recipe-apply")
    page.wait_for_selector("#recipe-status.ok:not([hidden])")
    assert page.is_checked("#option-columns input[value=name]") and page.is_checked("#option-columns input[value=E-Mail]")
    run_and_wait(page)
    page.wait_for_selector("#recipe-report")
    assert [line for line in page.locator("#recipe-report").inner_text().splitlines() if line] == [
        "From the recipe: 1 decision applied.", "Not applied, its rows are gone: same for 7, 8"]
    page.fill("#save-path", str(tmp_path / "by-window.csv"))
    page.uncheck("#review-merge-report")
    page.click("#save")
    page.wait_for_selector("#save-message:not([hidden])")
    assert (tmp_path / "by-window.csv").read_bytes() == (tmp_path / "by-cli.csv").read_bytes()


MEMBERS = """member_no,name,city
M-1,Anna Schmidt,Berlin
M-2,Ben Okafor,Leeds
M-3,Carla Ruiz,Sevilla
M-4,David Chen,Toronto
M-5,Fatima Zahra,Rabat
"""
CRM = """Nr,full_name,town
C-10,Anna Schmitt,Berlin
C-11,Ben Okafor,Leeds
C-12,Carla Ruiz,Sevilla
C-13,David Chen,Toronto
C-14,Greta Lind,Malmö
"""


def test_a_match_reviewed_in_the_window_is_the_recipe_the_cli_saves_and_replays_next_month(licensed, tmp_path):
    members, crm = tmp_path / "members.csv", tmp_path / "crm.csv"
    members.write_text(MEMBERS, encoding="utf-8")
    crm.write_text(CRM, encoding="utf-8")
    options = {"on": ["name", "city"], "right_on": ["full_name", "town"]}
    job = licensed.run_tool("match", [members, crm], options)
    base = f"/api/jobs/{job['id']}"
    assert licensed.call("POST", f"{base}/review", {"row": 0, "rejected": True})[0] == 200   # Anna ≠ Anna
    status, _, saved = licensed.call("POST", f"{base}/recipe", {"path": str(tmp_path / "window.recipe.json"),
                                                                "key": "member_no"})
    assert status == 201, saved
    (tmp_path / "wrong.csv").write_text("action,row\nreject,1\n", encoding="utf-8")
    code, _, err = cli("match", str(members), str(crm), "--on", "name,city", "--right-on", "full_name,town",
                       "--review", str(tmp_path / "wrong.csv"), "--save-recipe", str(tmp_path / "cli.recipe.json"), "-q")
    assert code == 0, err
    window = json.loads((tmp_path / "window.recipe.json").read_text(encoding="utf-8"))
    assert window == json.loads((tmp_path / "cli.recipe.json").read_text(encoding="utf-8"))
    (step,) = window["steps"]
    assert step["decisions"] == [{"rows": ["M-1"], "right": "C-10", "decision": "different"}]
    # Next month the CRM calls "town" "Ort" and there is a new member: Try it first names the
    # column until it is mapped, then says what the run does — take Anna's match back again.
    members.write_text(MEMBERS + "M-6,Greta Lind,Malmö\n", encoding="utf-8")
    crm.write_text(CRM.replace("town", "Ort"), encoding="utf-8")
    request = {"path": str(tmp_path / "window.recipe.json"), "tool": "match",
               "inputs": [{"path": str(members)}, {"path": str(crm)}]}
    status, _, refused = licensed.call("POST", "/api/recipes/dry-run", request)
    assert (status, refused["error"]["code"], refused["error"]["params"]["columns"]) == (
        400, "recipe_columns_missing", "town")
    status, _, tried = licensed.call("POST", "/api/recipes/dry-run", {**request, "map": {"town": "Ort"}})
    assert status == 202
    report = licensed.wait_for(tried["id"], kind="preview")["result"]
    assert report["steps"] == [{"tool": "match", "rows": 6, "matched": 4, "decisions_applied": 1,
                                "matches_taken_back": 1, "decisions_gone": []}]
    status, _, started = licensed.call("POST", "/api/jobs", {
        "tool": "match", "inputs": request["inputs"], "options": {**options, "right_on": ["full_name", "Ort"]},
        "recipe": {"path": request["path"], "map": {"town": "Ort"}}})
    assert status == 202, started
    done = licensed.wait_for(started["id"])
    assert done["result"]["view"]["recipe"] == {"applied": 1, "gone": []}
    target = tmp_path / "matched.csv"
    assert licensed.call("POST", f"/api/jobs/{started['id']}/save", {"path": str(target)})[0] == 201
    assert [line.split(",")[3] for line in target.read_text(encoding="utf-8").splitlines()[1:]] == [
        "", "C-11", "C-12", "C-13", "", "C-14"]


def test_a_comparison_in_the_window_is_the_recipe_the_cli_saves(licensed, tmp_path):
    old, new = tmp_path / "members-11.csv", tmp_path / "members-12.csv"
    old.write_text(MEMBERS, encoding="utf-8")
    new.write_text(MEMBERS.replace("Leeds", "York"), encoding="utf-8")
    job = licensed.run_tool("compare", [old, new], {"key": "member_no"})
    status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/recipe", {"path": str(tmp_path / "window.json")})
    assert status == 201, saved
    code, _, err = cli("compare", str(old), str(new), "--key", "member_no", "--save-recipe",
                       str(tmp_path / "cli.json"), "-q")
    assert code == 0, err
    window = json.loads((tmp_path / "window.json").read_text(encoding="utf-8"))
    assert window == json.loads((tmp_path / "cli.json").read_text(encoding="utf-8"))
    assert window["steps"] == [{"tool": "compare", "options": {"key": ["member_no"], "changed_only": False},
                                "import": window["import"]}]


def test_only_a_recipe_with_decisions_asks_how_to_name_rows(recipe, tmp_path):
    """A clean recipe holds options only: the window offers Save as recipe without the "Name
    the rows by" choice, which would do nothing; the dedupe recipe (the fixture) offers it."""
    page, _ = recipe
    assert page.locator("#recipe-key-choice").is_visible()
    source = tmp_path / "customers.csv"
    page.click("#tool-back")
    choose_files(page, "clean", [source])
    run_and_wait(page)
    page.wait_for_selector("#save-recipe:visible")
    assert not page.locator("#recipe-key-choice").is_visible()
