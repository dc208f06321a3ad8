-- Row counts that licensed/backup.py records beside each backup and checks after a restore
-- (with count_licenses and count_outbox from stats.sql). Every table of the schema has one (a test checks).

-- name: count_webhook_events :scalar
SELECT count(*) FROM webhook_events;

-- name: count_operator_actions :scalar
SELECT count(*) FROM operator_actions;

-- name: count_schema_migrations :scalar
SELECT count(*) FROM schema_migrations;

-- name: count_refunds :scalar
SELECT count(*) FROM refunds;

-- name: count_renewals :scalar
SELECT count(*) FROM renewals;

-- name: count_subscriptions :scalar
SELECT count(*) FROM subscriptions;

-- name: count_subscription_payments :scalar
SELECT count(*) FROM subscription_payments;

-- name: count_daemon_keys :scalar
SELECT count(*) FROM daemon_keys;

-- name: count_rate_limits :scalar
SELECT count(*) FROM rate_limits;

-- name: count_suppressions :scalar
SELECT count(*) FROM suppressions;
