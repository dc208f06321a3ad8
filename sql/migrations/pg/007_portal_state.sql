-- The portal's state that every daemon process shares (PostgreSQL; see
-- sqlite/007_portal_state.sql): the key its CSRF tokens are signed with, and its rate-limit
-- counters. Kept per process before, a form issued by one process was refused by another and
-- each process counted its own limits ([server] processes = 2).

CREATE TABLE daemon_keys (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- One row per (limit, client or address); `key` is an HMAC of the address, never the address.
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    key          TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, key)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- The language a mail is written in (the portal's, when a buyer asked in German); NULL: English.
ALTER TABLE outbox ADD COLUMN language TEXT;
