-- Row counts that licensed/backup.py records beside each backup and checks after a restore.

-- name: count_licenses :scalar
SELECT count(*) FROM licenses;

-- name: count_webhook_events :scalar
SELECT count(*) FROM webhook_events;

-- name: count_operator_actions :scalar
SELECT count(*) FROM operator_actions;

-- name: count_outbox :scalar
SELECT count(*) FROM outbox;

-- name: count_schema_migrations :scalar
SELECT count(*) FROM schema_migrations;
