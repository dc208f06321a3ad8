-- Row counts that licensed/backup.py records beside each backup and checks after a restore
-- (with count_licenses and count_outbox from stats.sql).

-- name: count_webhook_events :scalar
SELECT count(*) FROM webhook_events;

-- name: count_operator_actions :scalar
SELECT count(*) FROM operator_actions;

-- name: count_schema_migrations :scalar
SELECT count(*) FROM schema_migrations;
