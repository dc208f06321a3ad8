-- A mail written to the spool folder (no Postmark token) is `spooled`, not `sent`: nobody
-- received it (SQLite; see pg/009_spooled_mail.sql). SQLite cannot change a CHECK in place, so
-- the outbox is rebuilt with the same columns and rows. Rows spooled before this migration
-- are found by their message id, the spool's file name (`…-<lid>-<outbox id>.eml`); a
-- Postmark MessageID is a UUID.

CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    license_id      INTEGER NOT NULL REFERENCES licenses (id),
    purpose         TEXT NOT NULL
                    CHECK (purpose IN ('license', 'resend', 'reissue', 'renewal')),
    recipient       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'spooled', 'failed',
                                      'cancelled', 'bounced')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by      TEXT,
    claimed_until   TEXT,
    error_code      INTEGER,
    last_error      TEXT,
    message_id      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    bounce_type     TEXT,
    bounced_at      TEXT,
    language        TEXT
);
INSERT INTO outbox_new (id, license_id, purpose, recipient, status, attempts, next_attempt_at,
                        claimed_by, claimed_until, error_code, last_error, message_id,
                        created_at, sent_at, bounce_type, bounced_at, language)
SELECT id, license_id, purpose, recipient,
       CASE WHEN status = 'sent' AND message_id LIKE '%.eml' THEN 'spooled' ELSE status END,
       attempts, next_attempt_at, claimed_by, claimed_until, error_code, last_error,
       message_id, created_at, sent_at, bounce_type, bounced_at, language
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_license ON outbox (license_id);
CREATE INDEX outbox_message ON outbox (message_id);
