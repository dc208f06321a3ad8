-- What operators did through /internal (append-only): which named token, what, when, and the
-- answer it got (refusals included).

-- name: insert_action :exec
INSERT INTO operator_actions (at, action, license_id, event_id, detail, request_id, token_name,
                              answer)
VALUES (:at, :action, :license_id, :event_id, :detail, :request_id, :token_name, :answer);
