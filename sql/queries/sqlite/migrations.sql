-- SQLite variants of queries/migrations.sql.

-- The write transaction (BEGIN IMMEDIATE) is the lock.
-- name: lock_migrations :exec
SELECT 1;
