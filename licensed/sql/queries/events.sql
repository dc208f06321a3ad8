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
