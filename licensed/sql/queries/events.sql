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

-- Whether a refund for this order reached us before its sale did (retries can reorder them).
-- name: refund_recorded :scalar
SELECT count(*) FROM webhook_events
WHERE source = :source AND order_id = :order_id AND kind = 'refund';

-- name: event_by_id :one -> WebhookEvent
SELECT * FROM webhook_events WHERE id = :id;
