-- PostgreSQL variants of queries/outbox.sql.

-- SKIP LOCKED: two workers (threads or processes) never claim the same row, and never wait
-- for each other.
-- name: claim_due_mail :many -> OutboxRow
UPDATE outbox
SET status = 'sending', attempts = attempts + 1, claimed_by = :worker,
    claimed_until = :lease_until
WHERE id IN (
    SELECT id FROM outbox
    WHERE (status = 'pending' AND next_attempt_at <= :now)
       OR (status = 'sending' AND claimed_until < :now)
    ORDER BY id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
)
RETURNING *;
