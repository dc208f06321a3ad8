-- Licenses, the webhook audit log and the operator actions log (SQLite; see pg/001_core.sql).
-- Differences: INTEGER PRIMARY KEY for identity, TEXT timestamps (ISO 8601 UTC), BLOB, 0/1.

CREATE TABLE licenses (
    id            INTEGER PRIMARY KEY,
    lid           TEXT NOT NULL UNIQUE,
    source        TEXT NOT NULL,
    order_id      TEXT NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    product       TEXT NOT NULL,
    product_key   TEXT NOT NULL,
    tier          TEXT NOT NULL,
    seats         INTEGER NOT NULL CHECK (seats >= 1),
    issued        TEXT NOT NULL,
    updates_until TEXT,
    expires       TEXT,
    kid           TEXT NOT NULL,
    blob          TEXT NOT NULL,
    offer_code    TEXT,
    amount_minor  INTEGER NOT NULL DEFAULT 0,
    currency      TEXT NOT NULL,
    test          INTEGER NOT NULL DEFAULT 0,
    note          TEXT,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    revoked_at    TEXT,
    revoke_reason TEXT,
    created_at    TEXT NOT NULL,
    UNIQUE (source, order_id)
);
CREATE INDEX licenses_email ON licenses (lower(email));

CREATE TABLE webhook_events (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    remote_addr TEXT,
    request_id  TEXT,
    headers     TEXT NOT NULL,
    body        BLOB NOT NULL,
    kind        TEXT,
    order_id    TEXT,
    outcome     TEXT NOT NULL,
    detail      TEXT,
    license_id  INTEGER REFERENCES licenses (id),
    replay_of   INTEGER REFERENCES webhook_events (id)
);
CREATE INDEX webhook_events_order ON webhook_events (source, order_id);

-- The audit log is append-only: a row, once written, is never changed or removed.
CREATE TRIGGER webhook_events_no_update BEFORE UPDATE ON webhook_events
BEGIN SELECT RAISE(ABORT, 'webhook_events is append-only'); END;
CREATE TRIGGER webhook_events_no_delete BEFORE DELETE ON webhook_events
BEGIN SELECT RAISE(ABORT, 'webhook_events is append-only'); END;

CREATE TABLE operator_actions (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    action     TEXT NOT NULL,
    license_id INTEGER REFERENCES licenses (id),
    event_id   INTEGER REFERENCES webhook_events (id),
    detail     TEXT NOT NULL,
    request_id TEXT
);
CREATE TRIGGER operator_actions_no_update BEFORE UPDATE ON operator_actions
BEGIN SELECT RAISE(ABORT, 'operator_actions is append-only'); END;
CREATE TRIGGER operator_actions_no_delete BEFORE DELETE ON operator_actions
BEGIN SELECT RAISE(ABORT, 'operator_actions is append-only'); END;
