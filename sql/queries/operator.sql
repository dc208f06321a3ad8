-- The operator's lists, reports and actions behind /internal (dtadmin). Lists are paged by
-- id, newest first: `:before` is the smallest id of the previous page (a huge number for the
-- first), and each caller asks for one row more than it shows, to know whether more exist.
-- `:since` is a timestamp (the distant past when not filtering); text filters are NULL for any.

-- name: list_licenses :many -> License
SELECT * FROM licenses
WHERE id < :before
  AND created_at >= :since
  AND (CAST(:email AS TEXT) IS NULL OR lower(email) = lower(CAST(:email AS TEXT)))
  AND (CAST(:order_id AS TEXT) IS NULL OR order_id = CAST(:order_id AS TEXT))
  AND (CAST(:lid AS TEXT) IS NULL OR lid = CAST(:lid AS TEXT))
  -- :status is the standing /internal shows: a dispute's hold makes an active row suspended.
  AND (CAST(:status AS TEXT) IS NULL
       OR (CAST(:status AS TEXT) = 'revoked' AND status = 'revoked')
       OR (CAST(:status AS TEXT) = 'active' AND status = 'active' AND suspended_at IS NULL)
       OR (CAST(:status AS TEXT) = 'suspended' AND status = 'active'
           AND suspended_at IS NOT NULL))
  AND (CAST(:source AS TEXT) IS NULL OR source = CAST(:source AS TEXT))
  AND (CAST(:pattern AS TEXT) IS NULL
       OR lower(name) LIKE CAST(:pattern AS TEXT)
       OR lower(email) LIKE CAST(:pattern AS TEXT)
       OR lower(order_id) LIKE CAST(:pattern AS TEXT)
       OR lower(lid) LIKE CAST(:pattern AS TEXT))
ORDER BY id DESC
LIMIT :limit;

-- name: list_events :many -> WebhookEvent
SELECT * FROM webhook_events
WHERE id < :before
  AND received_at >= :since
  AND (CAST(:outcome AS TEXT) IS NULL OR outcome = CAST(:outcome AS TEXT))
  AND (CAST(:source AS TEXT) IS NULL OR source = CAST(:source AS TEXT))
  AND (CAST(:order_id AS TEXT) IS NULL OR order_id = CAST(:order_id AS TEXT))
ORDER BY id DESC
LIMIT :limit;

-- NULL status lists every row that is not sent yet.
-- name: list_outbox :many -> OutboxRow
SELECT * FROM outbox
WHERE id < :before
  AND ((CAST(:status AS TEXT) IS NULL AND status <> 'sent') OR status = CAST(:status AS TEXT))
ORDER BY id DESC
LIMIT :limit;

-- name: list_actions :many -> OperatorAction
SELECT * FROM operator_actions
WHERE id < :before
  AND at >= :since
  AND (CAST(:action AS TEXT) IS NULL OR action = CAST(:action AS TEXT))
  AND (CAST(:token_name AS TEXT) IS NULL OR token_name = CAST(:token_name AS TEXT))
ORDER BY id DESC
LIMIT :limit;

-- name: license_by_lid :one -> License
SELECT * FROM licenses WHERE lid = :lid;

-- A license minted offline (dtmint), stored with the blob that was mailed. No conflict target:
-- a lid or an order seen before inserts nothing, and the caller compares what is stored.
-- name: insert_imported_license :one -> License
INSERT INTO licenses (
    lid, source, order_id, name, email, product, product_key, tier, seats, issued,
    updates_until, expires, kid, blob, offer_code, amount_minor, currency, test, note, created_at
) VALUES (
    :lid, :source, :order_id, :name, :email, :product, :product_key, :tier, :seats, :issued,
    :updates_until, :expires, :kid, :blob, NULL, 0, :currency, :test, :note, :created_at
)
ON CONFLICT DO NOTHING
RETURNING *;

-- Re-signs an active license with another key: the same fields, a new blob.
-- name: reissue_license :one -> License
UPDATE licenses SET blob = :blob, kid = :kid
WHERE id = :id AND status = 'active'
RETURNING *;

-- name: stats_by_tier :many -> LicenseCount
SELECT tier AS "key", count(*) AS licenses, sum(CASE WHEN test THEN 1 ELSE 0 END) AS test
FROM licenses GROUP BY tier ORDER BY tier;

-- name: stats_by_source :many -> LicenseCount
SELECT source AS "key", count(*) AS licenses, sum(CASE WHEN test THEN 1 ELSE 0 END) AS test
FROM licenses GROUP BY source ORDER BY source;

-- Months in UTC, as YYYY-MM (SQLite keeps ISO 8601 UTC text; pg/operator.sql formats).
-- name: stats_by_month :many -> LicenseCount
SELECT substr(created_at, 1, 7) AS "key", count(*) AS licenses,
       sum(CASE WHEN test THEN 1 ELSE 0 END) AS test
FROM licenses GROUP BY substr(created_at, 1, 7) ORDER BY 1;

-- Paid, non-test licenses by currency; refunded = revoked after a storefront refund of its
-- order (also when the refund overtook the sale). Net is gross minus refunded, in Python.
-- name: stats_revenue :many -> Revenue
SELECT currency, count(*) AS sales, CAST(sum(amount_minor) AS BIGINT) AS gross_minor,
       sum(refunded) AS refunds, CAST(sum(refunded * amount_minor) AS BIGINT) AS refunded_minor
FROM (
    SELECT l.currency, l.amount_minor,
           CASE WHEN l.status = 'revoked' AND EXISTS (
               SELECT 1 FROM webhook_events e
               WHERE e.source = l.source AND e.order_id = l.order_id AND e.kind = 'refund'
           ) THEN 1 ELSE 0 END AS refunded
    FROM licenses l
    WHERE NOT l.test AND l.amount_minor > 0
) AS paid
GROUP BY currency ORDER BY currency;
