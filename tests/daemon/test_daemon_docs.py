"""docs/LICENSE-SERVER.md says what the code does: its routes, settings and query files are
checked, and ARCHITECTURE.md names every table."""

from __future__ import annotations

import re
from pathlib import Path

from licensed.settings import _KEYS, Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "LICENSE-SERVER.md"


def table_rows(heading: str) -> list[list[str]]:
    """The cells of the first table after `heading` (the header and separator rows skipped)."""
    text = DOC.read_text(encoding="utf-8").split(heading, 1)[1]
    rows, started = [], False
    for line in text.splitlines():
        if line.startswith("|"):
            started = True
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif started:
            break
    return rows[2:]


def shape(path: str) -> str:
    """`/internal/licenses/<license_id:int>` and `/internal/licenses/<id>` look alike."""
    return re.sub(r"<[^>]+>", "<>", path.split("?")[0])


def test_routes_table_lists_exactly_the_apps_routes(live):
    documented = {(row[0], shape(row[1].strip("`"))) for row in table_rows("## Routes")}
    actual = {(route.method, shape(route.rule)) for route in live.app.routes}
    assert documented == actual


def test_settings_table_lists_every_setting_with_its_default():
    documented = {(row[0].strip("`[]"), row[1].strip("`")): row[2] for row in table_rows("### Settings")}
    assert set(documented) == set(_KEYS)
    defaults = Settings()
    for key, (field, _) in _KEYS.items():
        default = getattr(defaults, field)
        assert (f"`{default}`" if default != "" else "(empty)") in documented[key], key


def test_a_license_object_has_exactly_the_documented_fields_and_json_types(live):
    sentence = DOC.read_text(encoding="utf-8").split("A license object has ", 1)[1].split(". ", 1)[0]
    documented = re.findall(r"`(\w+)`", sentence)
    minted = live.admin("POST", "/internal/mint",
                        {"name": "A", "email": "a@example.com", "tier": "pro"}).json()["license"]
    assert list(minted) == documented
    # DESIGN.md contract 2: these fields and JSON types, the same from SQLite and PostgreSQL.
    types = {"id": int, "seats": int, "amount_minor": int, "test": bool, "blob": str,
             "created_at": str, "revoked_at": type(None), "status": str}
    assert {k: type(minted[k]) for k in types} == types


def test_storage_names_every_named_query_file():
    text = DOC.read_text(encoding="utf-8")
    sentence = text.split("Named queries live in", 1)[1].split("`-- name:", 1)[0]
    named = set(re.findall(r"`([a-z_]+\.sql)`", sentence))
    queries = DOC.parents[1] / "sql" / "queries"
    assert named == {path.name for path in queries.glob("*.sql")}


def test_architecture_names_every_table_of_the_database():
    from licensed.backup import COUNTED_TABLES  # every table of the schema (a backup test holds)

    architecture = DOC.parents[1] / "ARCHITECTURE.md"
    (row,) = [line for line in architecture.read_text(encoding="utf-8").splitlines()
              if line.startswith("| server | database")]
    assert sorted(t for t in COUNTED_TABLES if f"`{t}`" not in row) == []
