-- Licenses: the authoritative customer record. Unique on (source, order_id).

-- Inserts the license unless this storefront order already has one; returns the new row or
-- nothing (then license_by_order finds the existing one). Safe under concurrent duplicates.
-- name: insert_license :one -> License
INSERT INTO licenses (
    lid, source, order_id, name, email, product, product_key, tier, seats, issued,
    updates_until, expires, kid, blob, offer_code, amount_minor, currency, test, note, created_at
) VALUES (
    :lid, :source, :order_id, :name, :email, :product, :product_key, :tier, :seats, :issued,
    :updates_until, :expires, :kid, :blob, :offer_code, :amount_minor, :currency, :test, :note,
    :created_at
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
