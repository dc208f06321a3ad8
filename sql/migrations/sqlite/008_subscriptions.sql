-- Subscriptions and memberships (SQLite; see pg/008_subscriptions.sql): one row per
-- storefront subscription, keyed by the id the storefront keeps across renewals, naming the
-- one license it pays for; and one row per payment it made, with what the payment did to the
-- license. Dates (paid_on, paid_through, ends_on) are YYYY-MM-DD text, like licenses.issued.

CREATE TABLE subscriptions (
    id              INTEGER PRIMARY KEY,
    source          TEXT NOT NULL,
    subscription_id TEXT NOT NULL,
    license_id      INTEGER REFERENCES licenses (id),  -- NULL until its order is known
    first_order_id  TEXT,                          -- the order that started it, when told
    product_key     TEXT,
    period_months   INTEGER CHECK (period_months >= 1),
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'cancelled', 'past_due', 'ended')),
    ends_on         TEXT,                          -- cancelled: the last paid day
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (source, subscription_id)
);
CREATE INDEX subscriptions_first_order ON subscriptions (source, first_order_id);
CREATE INDEX subscriptions_license ON subscriptions (license_id);

-- A payment with license_id NULL arrived before the subscription's license was known; it is
-- applied (paid_through set) when the license is linked.
CREATE TABLE subscription_payments (
    id                     INTEGER PRIMARY KEY,
    source                 TEXT NOT NULL,
    payment_id             TEXT NOT NULL,
    subscription_id        TEXT NOT NULL,
    license_id             INTEGER REFERENCES licenses (id),
    paid_on                TEXT NOT NULL,
    paid_through           TEXT,
    period_months          INTEGER,
    previous_updates_until TEXT,
    updates_until          TEXT,
    previous_blob          TEXT,
    amount_minor           INTEGER NOT NULL DEFAULT 0,
    currency               TEXT NOT NULL,
    mailed                 INTEGER NOT NULL DEFAULT 0,
    created_at             TEXT NOT NULL,
    UNIQUE (source, payment_id)
);
CREATE INDEX subscription_payments_subscription ON subscription_payments (source, subscription_id);
