"""A run of `datatools dedupe|match|compare|clean … --save-recipe FILE` is saved as the recipe the
window saves (rows named by a key column, never by number), and `datatools run` replays it on
next month's files — a renamed column mapped, new rows, rows gone — listing the decisions whose
rows are gone. Every command runs as a fresh process, as a user runs it."""

from __future__ import annotations

import json

import pytest

from cli_process import datatools

pytestmark = pytest.mark.filterwarnings("error")

NOVEMBER = """id,name,email,city
1,Anna Schmidt,anna.schmidt@example.com,Berlin
2,Ben Okafor,ben@example.org,Leeds
3,Anna Schmitt,anna.schmidt@example.com,Berlin
4,Carla Ruiz,carla.ruiz@example.es,Sevilla
5,Ben  Okafor,BEN@EXAMPLE.ORG,Leeds
6,David Chen,d.chen@example.com,Toronto
7,Émile Durand,emile@example.fr,Lyon
8,Emile Durand,emile@example.fr,Lyon
9,Fatima Zahra,fatima@example.ma,Rabat
10,Greta Lind,greta.lind@example.se,Malmö
"""
# December: "email" is now "E-Mail", Émile's rows (7, 8) are gone, Carla has a second row (11)
# and there is a new customer (12).
DECEMBER = """id,name,E-Mail,city
1,Anna Schmidt,anna.schmidt@example.com,Berlin
2,Ben Okafor,ben@example.org,Leeds
3,Anna Schmitt,anna.schmidt@example.com,Berlin
4,Carla Ruiz,carla.ruiz@example.es,Sevilla
5,Ben  Okafor,BEN@EXAMPLE.ORG,Leeds
6,David Chen,d.chen@example.com,Toronto
9,Fatima Zahra,fatima@example.ma,Rabat
10,Greta Lind,greta.lind@example.se,Malmö
11,Carla Ruíz,carla.ruiz@example.es,
12,Hugo Berg,hugo@example.no,Oslo
"""


def write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def dedupe_recipe(tmp_path):
    """November's dedupe on name + email, reviewed with a review file: the Anna pair (group 1)
    kept apart, id 8 kept for Émile (group 3, row 8); saved as a recipe."""
    write(tmp_path, "customers.csv", NOVEMBER)
    write(tmp_path, "review.csv", "cluster_id,action,column,row\n1,different,,\n3,keep,,8\n")
    done = datatools("dedupe", "customers.csv", "--columns", "name,email", "--keep", "most-complete",
                     "--review", "review.csv", "-o", "november.csv", "--save-recipe", "customers.recipe.json",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Saved the recipe in customers.recipe.json." in done.stdout
    return tmp_path / "customers.recipe.json"


def test_a_cli_dedupe_saves_the_recipe_the_window_saves(dedupe_recipe):
    data = json.loads(dedupe_recipe.read_text(encoding="utf-8"))
    assert data["recipe"] == 1
    assert data["import"] == {"encoding": None, "delimiter": None, "header": True, "sheet": None,
                              "notes": ["read as utf-8, delimiter ','"]}
    # The same step as the window's review in tests/desktop/test_recipes.py saves: rows by `id`,
    # the table's key column, found without being named.
    assert data["steps"] == [{
        "tool": "dedupe", "options": {"columns": ["name", "email"]}, "key": "id",
        "review": {"keep": "most-complete", "default": "same", "fill_empty": False, "merge_report": True},
        "decisions": [{"rows": ["1", "3"], "decision": "different"},
                      {"rows": ["7", "8"], "decision": "same", "keep": "8"}]}]
    assert "Anna" not in dedupe_recipe.read_text(encoding="utf-8")      # never the data itself


def test_a_cli_saved_recipe_replays_on_a_changed_file_and_lists_the_decisions_it_could_not_apply(
        dedupe_recipe, tmp_path):
    write(tmp_path, "december.csv", DECEMBER)
    refused = datatools("run", dedupe_recipe.name, "december.csv", "-o", "x.csv", cwd=tmp_path)
    assert refused.returncode == 2
    assert "The recipe uses columns this file does not have: email." in refused.stderr
    assert not (tmp_path / "x.csv").exists()
    looked = datatools("run", dedupe_recipe.name, "december.csv", "--map", "email=E-Mail", "--dry-run",
                       cwd=tmp_path)
    assert (looked.returncode, looked.stdout.splitlines()) == (0, [
        "Step 1, dedupe: 3 groups found, 1 decision applied; 2 rows would go.",
        "  not applied (its rows are gone): same for 7, 8",
        "10 rows in, 8 rows would be written. Nothing was written (--dry-run)."]), looked.stderr
    done = datatools("run", dedupe_recipe.name, "december.csv", "--map", "email=E-Mail",
                     "-o", "december-clean.csv", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["steps"][0]["decisions_gone"] == [{"rows": ["7", "8"], "decision": "same", "why": "rows_gone"}]
    rows = (tmp_path / "december-clean.csv").read_text(encoding="utf-8").splitlines()
    # Anna's pair stays apart (the decision); Ben and the new Carla pair merge by the recipe's
    # default to their most complete row; the new customer is there.
    assert [r.split(",")[0] for r in rows] == ["id", "1", "2", "3", "4", "6", "9", "10", "12"]
    merges = (tmp_path / "december-clean.merges.csv").read_text(encoding="utf-8").splitlines()
    assert [m.split(",")[2] for m in merges[1:]] == ["2", "4"]       # kept_id


LEFT = """member_no,name,city
M-1,Anna Schmidt,Berlin
M-2,Ben Okafor,Leeds
M-3,Carla Ruiz,Sevilla
M-4,David Chen,Toronto
M-5,Fatima Zahra,Rabat
"""
RIGHT = """Nr,full_name,town
C-10,Anna Schmitt,Berlin
C-11,Ben Okafor,Leeds
C-12,Carla Ruiz,Sevilla
C-13,David Chen,Toronto
C-14,Greta Lind,Malmö
"""
# Next month: M-4 is gone, M-6 is new; the CRM renamed "town" to "Ort", lost C-13, gained C-15.
LEFT_NEXT = """member_no,name,city
M-1,Anna Schmidt,Berlin
M-2,Ben Okafor,Leeds
M-3,Carla Ruiz,Sevilla
M-5,Fatima Zahra,Rabat
M-6,Greta Lind,Malmö
"""
RIGHT_NEXT = """Nr,full_name,Ort
C-10,Anna Schmitt,Berlin
C-11,Ben Okafor,Leeds
C-12,Carla Ruiz,Sevilla
C-14,Greta Lind,Malmö
C-15,Fatima Zahra,Rabat
"""


def test_a_cli_saved_match_recipe_takes_the_same_match_back_next_month(tmp_path):
    for name, text in (("members.csv", LEFT), ("crm.csv", RIGHT), ("members-next.csv", LEFT_NEXT),
                       ("crm-next.csv", RIGHT_NEXT)):
        write(tmp_path, name, text)
    # Anna Schmidt is not Anna Schmitt, and David Chen (C-13) is another David Chen: both taken back.
    write(tmp_path, "wrong.csv", "action,row\nreject,1\nreject,4\n")
    done = datatools("match", "members.csv", "crm.csv", "--on", "name,city", "--right-on", "full_name,town",
                     "--review", "wrong.csv", "-o", "matched.csv", "--save-recipe", "match.recipe.json",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (step,) = json.loads((tmp_path / "match.recipe.json").read_text(encoding="utf-8"))["steps"]
    assert (step["tool"], step["key"], step["right_key"]) == ("match", "member_no", "Nr")
    assert step["options"]["right_on"] == ["full_name", "town"] and step["import"]["header"] is True
    assert step["decisions"] == [{"rows": ["M-1"], "right": "C-10", "decision": "different"},
                                 {"rows": ["M-4"], "right": "C-13", "decision": "different"}]
    missing = datatools("run", "match.recipe.json", "members-next.csv", "-o", "x.csv", cwd=tmp_path)
    assert missing.returncode == 2 and "give --with OTHER once for each" in missing.stderr
    renamed = datatools("run", "match.recipe.json", "members-next.csv", "--with", "crm-next.csv",
                        "-o", "x.csv", cwd=tmp_path)
    assert renamed.returncode == 2 and "The recipe uses columns crm-next.csv does not have: town." in renamed.stderr
    done = datatools("run", "match.recipe.json", "members-next.csv", "--with", "crm-next.csv",
                     "--map", "town=Ort", "-o", "matched-next.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == [
        "Step 1, match: 4 of 5 rows matched, 1 decision applied (1 match taken back).",
        "  not applied (its rows are gone): different for M-4 with C-13"]
    rows = [r.split(",")[:4] for r in (tmp_path / "matched-next.csv").read_text(encoding="utf-8").splitlines()]
    assert [r[0] + ":" + r[3] for r in rows[1:]] == ["M-1:", "M-2:C-11", "M-3:C-12", "M-5:C-15", "M-6:C-14"]


def test_a_cli_saved_compare_recipe_compares_the_next_pair_of_versions(tmp_path):
    write(tmp_path, "october.csv", LEFT)
    write(tmp_path, "november.csv", LEFT_NEXT)
    write(tmp_path, "december.csv", LEFT_NEXT.replace("Leeds", "York") + "M-7,Hugo Berg,Oslo\n")
    done = datatools("compare", "october.csv", "november.csv", "--key", "member_no", "-o", "changes.csv",
                     "--save-recipe", "compare.recipe.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (step,) = json.loads((tmp_path / "compare.recipe.json").read_text(encoding="utf-8"))["steps"]
    assert step["options"] == {"key": ["member_no"], "changed_only": False}
    done = datatools("run", "compare.recipe.json", "november.csv", "--with", "december.csv", "--dry-run",
                     cwd=tmp_path)
    assert done.stdout.splitlines()[0] == "Step 1, compare: 1 added, 0 removed, 1 changed, 4 unchanged.", done.stderr


def test_a_cli_saved_clean_recipe_reads_and_cleans_next_months_file_the_same_way(tmp_path):
    # A one-column export the reader cannot tell the delimiter of: the user said ";".
    write(tmp_path, "a.csv", "name;joined\n  anna  lee ;13.02.2024\n")
    write(tmp_path, "b.csv", "name;joined\nben  okafor;21.03.2024\n")
    cleaning = ("--case", "title", "--dates", "auto", "--date-format", "iso", "--delimiter", ";")
    done = datatools("clean", "a.csv", *cleaning, "-o", "a-clean.csv", "--save-recipe", "clean.recipe.json",
                     cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    saved = json.loads((tmp_path / "clean.recipe.json").read_text(encoding="utf-8"))
    assert (saved["import"]["delimiter"], saved["import"]["encoding"]) == (";", None)   # None: detected again
    assert saved["steps"][0]["options"]["case"] == "title" and saved["steps"][0]["options"]["date_format"] == "iso"
    direct = datatools("clean", "b.csv", *cleaning, "-o", "b-direct.csv", cwd=tmp_path)
    replayed = datatools("run", "clean.recipe.json", "b.csv", "-o", "b-replayed.csv", cwd=tmp_path)
    assert (direct.returncode, replayed.returncode) == (0, 0), replayed.stderr
    assert (tmp_path / "b-replayed.csv").read_bytes() == (tmp_path / "b-direct.csv").read_bytes()
    # The input's `;` kept, by the replay as by the direct run (DECISIONS 225).
    assert (tmp_path / "b-replayed.csv").read_text(encoding="utf-8") == "name;joined\nBen Okafor;2024-03-21\n"


@pytest.mark.parametrize("argv, message", [
    (["dedupe", "a.csv", "--columns", "name", "-o", "a.json", "--save-recipe", "a.json"],
     "--save-recipe must name another file than -o OUT."),
    (["dedupe", "a.csv", "--columns", "name", "--recipe-key", "name"],
     "--recipe-key names the rows in a saved recipe: add --save-recipe FILE."),
    (["dedupe", "a.csv", "--columns", "name", "--save-recipe", "a.csv"], "a.csv"),
])
def test_a_recipe_target_that_cannot_be_written_is_refused_before_any_work(tmp_path, argv, message):
    write(tmp_path, "a.csv", "name\nAnna\nAnna\n")
    done = datatools(*argv, cwd=tmp_path)
    assert done.returncode in (1, 2) and message in done.stderr
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "name\nAnna\nAnna\n"
    assert not (tmp_path / "a.json").exists()


INVOICES = "invoice,customer,city\nR-1,Hans Müller,Berlin\nR-2,T. Schmidt,München\nR-3,Klaus Schneider,Koeln\n"
CUSTOMERS = "cust_no,name,town\nK-1,Hans Mueller,Berlin\nK-2,Thomas Schmidt,Muenchen\nK-3,Klaus Schneider,Köln\n"


def test_an_accepted_possible_match_is_kept_in_the_recipe_and_accepted_again_next_month(tmp_path):
    write(tmp_path, "invoices.csv", INVOICES)
    write(tmp_path, "customers.csv", CUSTOMERS)
    write(tmp_path, "invoices-next.csv", INVOICES + "R-4,Anna Weber,Bremen\n")
    argv = ("match", "invoices.csv", "customers.csv", "--on", "customer,city", "--right-on", "name,town")
    default = datatools(*argv, "-o", "default.csv", cwd=tmp_path)
    assert "1 possible match left for review" in default.stdout     # T. Schmidt ~ Thomas Schmidt
    write(tmp_path, "accept.csv", "action,row\naccept,2\n")
    done = datatools(*argv, "--review", "accept.csv", "-o", "matched.csv",
                     "--save-recipe", "match.recipe.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "3 of 3 rows matched."     # nothing is left for review
    (step,) = json.loads((tmp_path / "match.recipe.json").read_text(encoding="utf-8"))["steps"]
    assert step["decisions"] == [{"rows": ["R-2"], "right": "K-2", "decision": "same"}]
    done = datatools("run", "match.recipe.json", "invoices-next.csv", "--with", "customers.csv",
                     "-o", "matched-next.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "Step 1, match: 3 of 4 rows matched, 1 decision applied (0 matches taken back, "
        "1 possible match accepted).")
    rows = [r.split(",")[:4] for r in (tmp_path / "matched-next.csv").read_text(encoding="utf-8").splitlines()]
    assert [r[0] + ":" + r[3] for r in rows[1:]] == ["R-1:K-1", "R-2:K-2", "R-3:K-3", "R-4:"]
