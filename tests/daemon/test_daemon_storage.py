"""Storage: the named-query loader, migrations, and the audit log's append-only rule."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from licensed.db import open_database
from licensed.errors import StorageError
from licensed.migrate import find_migrations, migrate
from licensed.queries import QueryFileError, load_queries, parse_query_file
from licensed.records import RECORDS

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_query_names_kinds_and_parameters_are_translated_per_driver(tmp_path):
    source = write(tmp_path / "q.sql", "-- A comment above.\n\n"
                   "-- name: by_email :many -> License\n-- Doc line.\n"
                   "SELECT id::text FROM t WHERE email = :email AND note LIKE '10%' AND a = :email;\n")
    (pg,) = parse_query_file(source, "pg")
    (lite,) = parse_query_file(source, "sqlite")
    assert (pg.name, pg.kind, pg.params, pg.record) == (
        "by_email", "many", frozenset({"email"}), "License")
    assert pg.sql == "SELECT id::text FROM t WHERE email = %(email)s AND note LIKE '10%%' AND a = %(email)s"
    assert lite.sql == "SELECT id::text FROM t WHERE email = :email AND note LIKE '10%' AND a = :email"


def test_duplicate_query_names_fail_with_file_and_line(tmp_path):
    write(tmp_path / "a.sql", "-- name: ping :scalar\nSELECT 1;\n")
    write(tmp_path / "b.sql", "\n\n-- name: ping :scalar\nSELECT 2;\n")
    with pytest.raises(QueryFileError) as caught:
        load_queries("pg", tmp_path)
    assert str(caught.value) == (f"{tmp_path}/b.sql:3: duplicate query name ping "
                                 f"(first defined at {tmp_path}/a.sql:1)")


def test_a_dialect_variant_replaces_the_portable_query(tmp_path):
    write(tmp_path / "a.sql", "-- name: lock :exec\nSELECT pg_advisory_xact_lock(1);\n")
    write(tmp_path / "sqlite" / "a.sql", "-- name: lock :exec\nSELECT 1;\n")
    assert load_queries("sqlite", tmp_path)["lock"].sql == "SELECT 1"
    assert load_queries("pg", tmp_path)["lock"].sql == "SELECT pg_advisory_xact_lock(1)"


@pytest.mark.parametrize("text, message", [
    ("-- name: x\nSELECT 1;\n", "q.sql:1: query x needs a kind, one of :one, :many, :scalar, :exec"),
    ("SELECT 1;\n", "q.sql:1: SQL before the first -- name: header"),
    ("-- name: x :one -> License\n", "q.sql:1: query x has no SQL"),
    ("-- name: x :one\nSELECT 1;\n", "q.sql:1: query x returns rows; end its header with the "
     "record they become, one of: -> " + ", ".join(sorted(RECORDS))),
    ("-- name: x :one -> Nope\nSELECT 1;\n", "q.sql:1: query x returns rows"),
    ("-- name: x :scalar -> License\nSELECT 1;\n", "q.sql:1: query x is :scalar; it returns no record"),
    ("-- name: two words :one\nSELECT 1;\n", "q.sql:1: malformed query header"),
])
def test_malformed_query_files_name_file_and_line(tmp_path, text, message):
    write(tmp_path / "q.sql", text)
    with pytest.raises(QueryFileError) as caught:
        load_queries("sqlite", tmp_path)
    assert message in str(caught.value)


def test_the_repositorys_queries_load_for_both_dialects():
    assert {"insert_license", "license_by_order", "insert_event", "ping"} <= set(load_queries("pg"))
    assert {"insert_license", "license_by_order", "insert_event", "ping"} <= set(load_queries("sqlite"))
    assert [m.version for m in find_migrations("pg")] == [m.version for m in find_migrations("sqlite")]


def test_migrations_apply_once_and_make_the_tables(database_url):
    db = open_database(database_url)
    try:
        assert [m.name for m in migrate(db, NOW)] == [m.name for m in find_migrations(db.dialect)]
        assert migrate(db, NOW) == []
        with db.transaction() as tx:
            assert tx.many("list_licenses", before=10, since=NOW, email=None, order_id=None,
                           lid=None, status=None, source=None, pattern=None, limit=5) == []
            assert [row.version for row in tx.many("applied_migrations")] == [
                m.version for m in find_migrations(db.dialect)]
    finally:
        db.close()


def test_the_webhook_audit_log_is_append_only(database_url):
    db = open_database(database_url)
    try:
        migrate(db, NOW)
        with db.transaction() as tx:
            event_id = tx.scalar(
                "insert_event", source="gumroad", received_at=NOW, remote_addr="127.0.0.1",
                request_id="r1", headers="{}", body=b"sale_id=1", kind="sale", order_id="1",
                outcome="minted", detail=None, license_id=None, replay_of=None)
        # No query in sql/ changes an event; the database refuses even a hand-written one.
        with pytest.raises(StorageError) as caught:
            with db.transaction() as tx:
                tx._cursor.execute("UPDATE webhook_events SET outcome = 'x'")
        assert "append-only" in caught.value.message
        with db.transaction(write=False) as tx:
            assert tx.one("event_by_id", id=event_id).outcome == "minted"
            assert tx.one("event_by_id", id=event_id).body == b"sale_id=1"
    finally:
        db.close()


def test_a_missing_sqlite_folder_is_a_clear_storage_error(tmp_path):
    with pytest.raises(StorageError) as caught:
        open_database(f"sqlite:///{tmp_path}/no/such/folder/licenses.db")
    assert caught.value.message.startswith(f"cannot open SQLite database {tmp_path}/no/such/folder")


def test_a_new_sqlite_database_and_its_wal_are_private_even_under_a_loose_umask(tmp_path):
    import os
    import stat

    path = tmp_path / "licenses.db"
    old_umask = os.umask(0o022)
    try:
        db = open_database(f"sqlite:///{path}")
        migrate(db, datetime.now(timezone.utc))
    finally:
        os.umask(old_umask)
    try:
        for file in (path, path.with_name("licenses.db-wal")):
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    finally:
        db.close()


def test_an_existing_sqlite_database_keeps_the_mode_the_sysadmin_gave_it(tmp_path):
    import os
    import stat

    path = tmp_path / "licenses.db"
    path.touch()
    os.chmod(path, 0o640)
    db = open_database(f"sqlite:///{path}")
    try:
        migrate(db, datetime.now(timezone.utc))
    finally:
        db.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
