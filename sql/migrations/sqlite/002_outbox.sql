-- The email outbox (SQLite; see pg/002_outbox.sql): identity and timestamp types differ.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    license_id      INTEGER NOT NULL REFERENCES licenses (id),
    purpose         TEXT NOT NULL CHECK (purpose IN ('license', 'resend')),
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
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_license ON outbox (license_id);
