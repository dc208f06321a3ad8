-- PostgreSQL side of licensed/backup.py.

-- The snapshot pg_dump --snapshot dumps, so the recorded row counts are those of the dump.
-- name: export_snapshot :scalar
SELECT pg_export_snapshot();

-- A restore refuses a database that already holds tables unless told --force.
-- name: count_user_tables :scalar
SELECT count(*) FROM information_schema.tables
WHERE table_schema NOT IN ('pg_catalog', 'information_schema');
