-- What operators did through /internal (append-only).

-- name: insert_action :exec
INSERT INTO operator_actions (at, action, license_id, event_id, detail, request_id)
VALUES (:at, :action, :license_id, :event_id, :detail, :request_id);

