-- One order at a time: every event for a (source, order_id) is applied in one order.

-- PostgreSQL: a transaction-scoped advisory lock on the order, taken before anything is read,
-- so a refund racing its own sale waits for the sale to commit (or the sale for the refund)
-- and then sees it. Keys are (namespace, hash): a hash collision only serialises two orders.
-- The sqlite/ variant is a no-op: BEGIN IMMEDIATE already lets one writer in at a time.
-- name: lock_order :exec
SELECT pg_advisory_xact_lock(1600016, hashtext(:source || chr(31) || :order_id));
