-- The webhook audit log: append-only, one row per delivery attempt (and per operator replay).

-- name: insert_event :scalar
INSERT INTO webhook_events (
    source, received_at, remote_addr, request_id, headers, body, kind, order_id, outcome,
    detail, license_id, replay_of
) VALUES (
    :source, :received_at, :remote_addr, :request_id, :headers, :body, :kind, :order_id,
    :outcome, :detail, :license_id, :replay_of
)
RETURNING id;

-- name: event_by_id :one -> WebhookEvent
SELECT * FROM webhook_events WHERE id = :id;

-- Removes rejected (wrong-secret) rows received before :before; nothing else can be deleted
-- (the append-only trigger allows only these). Rows a replay points at are kept.
-- name: prune_rejected_events :exec
DELETE FROM webhook_events
WHERE outcome = 'rejected_secret' AND received_at < :before
  AND NOT EXISTS (SELECT 1 FROM webhook_events AS later WHERE later.replay_of = webhook_events.id);
