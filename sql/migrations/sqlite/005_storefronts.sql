-- Storefronts (SQLite; see pg/005_storefronts.sql). SQLite cannot change a CHECK in place, so
-- the outbox is rebuilt with its rows, the new columns and the wider states and purposes.

ALTER TABLE licenses ADD COLUMN variant TEXT;
ALTER TABLE licenses ADD COLUMN payer_email TEXT;
ALTER TABLE licenses ADD COLUMN suspended_at TEXT;
ALTER TABLE licenses ADD COLUMN suspend_reason TEXT;

CREATE TABLE refunds (
    id           INTEGER PRIMARY KEY,
    license_id   INTEGER REFERENCES licenses (id),
    source       TEXT NOT NULL,
    order_id     TEXT NOT NULL,
    full_refund  INTEGER NOT NULL,
    amount_minor INTEGER,
    currency     TEXT,
    event_id     INTEGER REFERENCES webhook_events (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX refunds_order ON refunds (source, order_id);

CREATE TABLE renewals (
    id                     INTEGER PRIMARY KEY,
    source                 TEXT NOT NULL,
    order_id               TEXT NOT NULL,
    license_id             INTEGER NOT NULL REFERENCES licenses (id),
    months                 INTEGER NOT NULL CHECK (months >= 1),
    previous_updates_until TEXT,
    updates_until          TEXT NOT NULL,
    previous_blob          TEXT NOT NULL,
    amount_minor           INTEGER NOT NULL DEFAULT 0,
    currency               TEXT NOT NULL,
    created_at             TEXT NOT NULL,
    UNIQUE (source, order_id)
);

CREATE TABLE suppressions (
    email       TEXT PRIMARY KEY,
    bounce_type TEXT NOT NULL,
    message_id  TEXT,
    detail      TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    license_id      INTEGER NOT NULL REFERENCES licenses (id),
    purpose         TEXT NOT NULL
                    CHECK (purpose IN ('license', 'resend', 'reissue', 'renewal')),
    recipient       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled',
                                      'bounced')),
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
    bounced_at      TEXT
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
CREATE INDEX outbox_message ON outbox (message_id);
