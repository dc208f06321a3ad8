-- SQLite side of licensed/backup.py.

-- A restore refuses a database that already holds tables unless told --force.
-- name: count_user_tables :scalar
SELECT count(*) FROM sqlite_master WHERE type = 'table';

-- A backup copy is one self-contained file, not a WAL database with sidecar files.
-- name: sqlite_journal_delete :scalar
PRAGMA journal_mode=DELETE;
