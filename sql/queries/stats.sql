-- Counts for checking a run as a whole (bench/license_daemon.py: one license per order).

-- name: count_licenses :scalar
SELECT count(*) FROM licenses;

-- name: count_event_orders :scalar
SELECT count(DISTINCT order_id) FROM webhook_events;

-- name: count_events_with_outcome :scalar
SELECT count(*) FROM webhook_events WHERE outcome = :outcome;

-- name: count_outbox :scalar
SELECT count(*) FROM outbox;

-- name: count_outbox_licenses :scalar
SELECT count(DISTINCT license_id) FROM outbox;

-- name: count_events :scalar
SELECT count(*) FROM webhook_events;
