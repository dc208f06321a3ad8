-- The operator's tools (PostgreSQL; see sqlite/004_operator.sql): named tokens and answers in
-- the actions log, a `reissue` email purpose, and indexes for the paged, filtered lists.

ALTER TABLE operator_actions ADD COLUMN token_name TEXT;
ALTER TABLE operator_actions ADD COLUMN answer TEXT;
CREATE INDEX operator_actions_at ON operator_actions (at);
CREATE INDEX licenses_created ON licenses (created_at);
CREATE INDEX webhook_events_received ON webhook_events (received_at);

ALTER TABLE outbox DROP CONSTRAINT outbox_purpose_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_purpose_check
    CHECK (purpose IN ('license', 'resend', 'reissue'));
