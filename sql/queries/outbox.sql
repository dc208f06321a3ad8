-- The email outbox: queue, claim, record. See licensed/outbox.py for the state machine.

-- name: queue_mail :scalar
INSERT INTO outbox (license_id, purpose, recipient, status, attempts, next_attempt_at, created_at,
                    language)
VALUES (:license_id, :purpose, :recipient, 'pending', 0, :now, :now, :language)
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
-- :status is `sent` (Postmark accepted it) or `spooled` (written to the spool folder only).
-- name: mark_mail_sent :scalar
UPDATE outbox
SET status = :status, message_id = :message_id, sent_at = :now, claimed_by = NULL,
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

-- A revoked (or held) license's mail that has not gone out yet never will.
-- name: cancel_pending_mail :exec
UPDATE outbox SET status = 'cancelled', last_error = :reason
WHERE license_id = :license_id AND status = 'pending';

-- The worker found, just before sending, that the mail must not go (license revoked or
-- held, address suppressed).
-- name: mark_mail_cancelled :scalar
UPDATE outbox
SET status = 'cancelled', claimed_by = NULL, claimed_until = NULL, last_error = :reason
WHERE id = :id AND status = 'sending' AND claimed_by = :worker
RETURNING id;

-- Postmark's bounce webhook names the message; NULL when we never sent it.
-- name: mark_mail_bounced :one -> OutboxRow
UPDATE outbox
SET status = 'bounced', bounce_type = :bounce_type, bounced_at = :bounced_at,
    last_error = :detail
WHERE message_id = :message_id AND status IN ('sent', 'bounced')
RETURNING *;

-- name: insert_suppression :exec
INSERT INTO suppressions (email, bounce_type, message_id, detail, created_at)
VALUES (lower(:email), :bounce_type, :message_id, :detail, :now)
ON CONFLICT (email) DO UPDATE
SET bounce_type = excluded.bounce_type, message_id = excluded.message_id,
    detail = excluded.detail, created_at = excluded.created_at;

-- name: suppression_for :one -> Suppression
SELECT * FROM suppressions WHERE email = lower(:email);

-- The operator confirmed the address was reactivated at Postmark.
-- name: delete_suppression :exec
DELETE FROM suppressions WHERE email = lower(:email);

-- name: suppressions :many -> Suppression
SELECT * FROM suppressions ORDER BY created_at DESC LIMIT :limit;
