-- The operator's tools (SQLite; see pg/004_operator.sql). SQLite cannot change a CHECK in
-- place, so the outbox is rebuilt with the same columns and rows and its `reissue` purpose.

ALTER TABLE operator_actions ADD COLUMN token_name TEXT;
ALTER TABLE operator_actions ADD COLUMN answer TEXT;
CREATE INDEX operator_actions_at ON operator_actions (at);
CREATE INDEX licenses_created ON licenses (created_at);
CREATE INDEX webhook_events_received ON webhook_events (received_at);

CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    license_id      INTEGER NOT NULL REFERENCES licenses (id),
    purpose         TEXT NOT NULL CHECK (purpose IN ('license', 'resend', 'reissue')),
    recipient       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by      TEXT,
    claimed_until   TEXT,
    error_code      INTEGER,
    last_error      TEXT,
    message_id      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
INSERT INTO outbox_new (id, license_id, purpose, recipient, status, attempts, next_attempt_at,
                        claimed_by, claimed_until, error_code, last_error, message_id,
                        created_at, sent_at)
SELECT id, license_id, purpose, recipient, status, attempts, next_attempt_at, claimed_by,
       claimed_until, error_code, last_error, message_id, created_at, sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_license ON outbox (license_id);
