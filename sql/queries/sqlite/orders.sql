-- SQLite variants of queries/orders.sql.

-- The write transaction (BEGIN IMMEDIATE) already admits one writer at a time.
-- name: lock_order :exec
SELECT 1 WHERE :source IS NOT NULL OR :order_id IS NOT NULL;
