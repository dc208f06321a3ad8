-- Bookkeeping for licensed/migrate.py.

-- name: create_migrations_table :exec
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

-- name: applied_migrations :many -> AppliedMigration
SELECT version, name, applied_at FROM schema_migrations ORDER BY version;

-- name: migration_applied :scalar
SELECT count(*) FROM schema_migrations WHERE version = :version;

-- name: record_migration :exec
INSERT INTO schema_migrations (version, name, applied_at) VALUES (:version, :name, :applied_at);

-- SQLite's BEGIN IMMEDIATE already serialises migrators; sqlite/migrations.sql makes this a no-op.
-- name: lock_migrations :exec
SELECT pg_advisory_xact_lock(4242001);

-- name: ping :scalar
SELECT 1;

-- The serving lock (licensed/runlock.py): every `licensed serve` process holds it shared on a
-- connection of its own; bin/restore-backup takes it exclusive, so neither runs beside the
-- other. SQLite uses a file lock instead (these are never run there).
-- name: serving_lock_shared :scalar
SELECT pg_try_advisory_lock_shared(4242002);

-- name: serving_lock_exclusive :scalar
SELECT pg_try_advisory_lock(4242002);
