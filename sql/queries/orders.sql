-- One order at a time: every event for a (source, order_id) is applied in one order.

-- PostgreSQL: a transaction-scoped advisory lock on the order, taken before anything is read,
-- so a refund racing its own sale waits for the sale to commit (or the sale for the refund)
-- and then sees it. Keys are (namespace, hash): a hash collision only serialises two orders.
-- The sqlite/ variant is a no-op: BEGIN IMMEDIATE already lets one writer in at a time.
-- name: lock_order :exec
SELECT pg_advisory_xact_lock(1600016, hashtext(:source || chr(31) || :order_id));

-- What reached us for an order before its sale did (retries reorder deliveries), asked once
-- after the sale minted its license: 1 when a full refund is recorded (the license is kept,
-- revoked and unsent), 2 when a subscription names the order as its first and has no license
-- yet (it is linked now), else 0. One query for both: a mint pays one round trip, not two.
-- name: order_news :scalar
SELECT CASE
    WHEN EXISTS (SELECT 1 FROM refunds
                 WHERE source = :source AND order_id = :order_id AND full_refund) THEN 1
    WHEN EXISTS (SELECT 1 FROM subscriptions
                 WHERE source = :source AND first_order_id = :order_id
                   AND license_id IS NULL) THEN 2
    ELSE 0
END;
