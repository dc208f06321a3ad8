-- The email outbox: queue, claim, record. See licensed/outbox.py for the state machine.

-- name: queue_mail :scalar
INSERT INTO outbox (license_id, purpose, recipient, status, attempts, next_attempt_at, created_at)
VALUES (:license_id, :purpose, :recipient, 'pending', 0, :now, :now)
RETURNING id;

-- Claims up to :limit due rows for one worker: pending rows whose time has come, and rows
-- whose claim expired (a worker died mid-send). The pg/ variant adds FOR UPDATE SKIP LOCKED;
-- on SQLite the write transaction is the lock.
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
)
RETURNING *;

-- Each result is recorded only by the worker that still holds the claim (NULL: the claim expired).
-- name: mark_mail_sent :scalar
UPDATE outbox
SET status = 'sent', message_id = :message_id, sent_at = :now, claimed_by = NULL,
    claimed_until = NULL, error_code = NULL, last_error = NULL
WHERE id = :id AND status = 'sending' AND claimed_by = :worker
RETURNING id;

-- name: mark_mail_retry :scalar
UPDATE outbox
SET status = 'pending', next_attempt_at = :next_attempt_at, claimed_by = NULL,
    claimed_until = NULL, error_code = :error_code, last_error = :error
WHERE id = :id AND status = 'sending' AND claimed_by = :worker
RETURNING id;

-- name: mark_mail_failed :scalar
UPDATE outbox
SET status = 'failed', claimed_by = NULL, claimed_until = NULL, error_code = :error_code,
    last_error = :error
WHERE id = :id AND status = 'sending' AND claimed_by = :worker
RETURNING id;

-- name: outbox_by_id :one -> OutboxRow
SELECT * FROM outbox WHERE id = :id;
