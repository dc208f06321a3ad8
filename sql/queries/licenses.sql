-- Licenses: the authoritative customer record. Unique on (source, order_id).

-- Inserts the license unless this storefront order already has one; returns the new row or
-- nothing (then license_by_order finds the existing one). Safe under concurrent duplicates.
-- name: insert_license :one -> License
INSERT INTO licenses (
    lid, source, order_id, name, email, product, product_key, tier, seats, issued,
    updates_until, expires, kid, blob, offer_code, amount_minor, currency, test, note, created_at,
    variant, payer_email
) VALUES (
    :lid, :source, :order_id, :name, :email, :product, :product_key, :tier, :seats, :issued,
    :updates_until, :expires, :kid, :blob, :offer_code, :amount_minor, :currency, :test, :note,
    :created_at, :variant, :payer_email
)
ON CONFLICT (source, order_id) DO NOTHING
RETURNING *;

-- name: license_by_order :one -> License
SELECT * FROM licenses WHERE source = :source AND order_id = :order_id;

-- name: license_by_id :one -> License
SELECT * FROM licenses WHERE id = :id;

-- Revokes an active license; returns nothing when it is already revoked.
-- name: revoke_license :one -> License
UPDATE licenses
SET status = 'revoked', revoked_at = :revoked_at, revoke_reason = :reason
WHERE id = :id AND status = 'active'
RETURNING *;

-- The row a renewal is about to change; the pg/ variant locks it (two renewals of one license).
-- name: license_for_update :one -> License
SELECT * FROM licenses WHERE id = :id;

-- Licenses a buyer may have re-sent (the portal) or renewed by email: active, no open dispute.
-- name: active_licenses_for_email :many -> License
SELECT * FROM licenses
WHERE lower(email) = lower(:email) AND status = 'active' AND suspended_at IS NULL
ORDER BY id DESC;

-- A dispute holds an active license; NULL when it is revoked or already held.
-- name: suspend_license :one -> License
UPDATE licenses SET suspended_at = :now, suspend_reason = :reason
WHERE id = :id AND status = 'active' AND suspended_at IS NULL
RETURNING *;

-- A won dispute lifts the hold; NULL when there was none.
-- name: reinstate_license :one -> License
UPDATE licenses SET suspended_at = NULL, suspend_reason = NULL
WHERE id = :id AND suspended_at IS NOT NULL
RETURNING *;

-- A renewal: the same license, its updates window moved and its blob signed again.
-- name: renew_license :one -> License
UPDATE licenses SET updates_until = :updates_until, blob = :blob, kid = :kid
WHERE id = :id
RETURNING *;

-- Every revoked license (refunds, lost disputes, operator revocations): the revocation list a
-- desktop release embeds (datatools/revocations.py).
-- name: revoked_licenses :many -> License
SELECT * FROM licenses WHERE status = 'revoked' ORDER BY lid;
