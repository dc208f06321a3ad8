-- SQLite's per-connection settings and transaction starts (licensed/db.py runs them; COMMIT
-- and ROLLBACK go through the driver's own commit() and rollback()).

-- WAL: readers never block the one writer (SQLite, "Write-Ahead Logging", sqlite.org/wal.html).
-- name: sqlite_journal_wal :scalar
PRAGMA journal_mode=WAL;

-- name: sqlite_foreign_keys :exec
PRAGMA foreign_keys=ON;

-- A write transaction takes the write lock at once, so it never fails half-way on SQLITE_BUSY.
-- name: sqlite_begin_write :exec
BEGIN IMMEDIATE;

-- name: sqlite_begin_read :exec
BEGIN;

-- 'ok' when the file is sound (tests/faults: after a storage fault).
-- name: sqlite_integrity_check :scalar
PRAGMA integrity_check;
