-- PostgreSQL variants of queries/licenses.sql.

-- FOR UPDATE: a second renewal of the same license waits and then reads the first one's window.
-- name: license_for_update :one -> License
SELECT * FROM licenses WHERE id = :id FOR UPDATE;
