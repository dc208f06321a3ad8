-- Subscriptions and their payments (licensed/subscriptions.py).

-- name: subscription_by_id :one -> Subscription
SELECT * FROM subscriptions WHERE source = :source AND subscription_id = :subscription_id;

-- The subscription started by an order (Lemon Squeezy's subscription_created names it).
-- name: subscription_by_first_order :one -> Subscription
SELECT * FROM subscriptions WHERE source = :source AND first_order_id = :order_id;

-- name: subscription_for_license :one -> Subscription
SELECT * FROM subscriptions WHERE license_id = :license_id;

-- name: insert_subscription :one -> Subscription
INSERT INTO subscriptions (source, subscription_id, license_id, first_order_id, product_key,
                           period_months, status, created_at, updated_at)
VALUES (:source, :subscription_id, :license_id, :first_order_id, :product_key, :period_months,
        'active', :now, :now)
RETURNING *;

-- Fills in what a later event tells (a NULL parameter keeps what is stored).
-- name: complete_subscription :one -> Subscription
UPDATE subscriptions
SET license_id = COALESCE(license_id, :license_id),
    first_order_id = COALESCE(first_order_id, :first_order_id),
    product_key = COALESCE(:product_key, product_key),
    period_months = COALESCE(:period_months, period_months),
    updated_at = :now
WHERE id = :id
RETURNING *;

-- name: set_subscription_status :one -> Subscription
UPDATE subscriptions SET status = :status, ends_on = :ends_on, updated_at = :now
WHERE id = :id
RETURNING *;

-- name: subscription_payment_by_id :one -> SubscriptionPayment
SELECT * FROM subscription_payments WHERE source = :source AND payment_id = :payment_id;

-- name: insert_subscription_payment :one -> SubscriptionPayment
INSERT INTO subscription_payments (source, payment_id, subscription_id, license_id, paid_on,
                                   paid_through, period_months, previous_updates_until,
                                   updates_until, previous_blob, amount_minor, currency, mailed,
                                   created_at)
VALUES (:source, :payment_id, :subscription_id, :license_id, :paid_on, :paid_through,
        :period_months, :previous_updates_until, :updates_until, :previous_blob, :amount_minor,
        :currency, :mailed, :now)
RETURNING *;

-- A payment that waited for its license, once applied.
-- name: apply_subscription_payment :exec
UPDATE subscription_payments
SET license_id = :license_id, paid_through = :paid_through,
    previous_updates_until = :previous_updates_until, updates_until = :updates_until,
    previous_blob = :previous_blob, mailed = :mailed
WHERE id = :id;

-- Payments that arrived before their subscription's license, oldest first.
-- name: pending_subscription_payments :many -> SubscriptionPayment
SELECT * FROM subscription_payments
WHERE source = :source AND subscription_id = :subscription_id AND license_id IS NULL
ORDER BY paid_on, id;

-- name: payments_for_license :many -> SubscriptionPayment
SELECT * FROM subscription_payments WHERE license_id = :license_id ORDER BY paid_on, id;

-- A license re-signed for its subscription: later windows, another tier or seat count.
-- name: resign_subscription_license :one -> License
UPDATE licenses
SET updates_until = :updates_until, expires = :expires, tier = :tier, seats = :seats,
    blob = :blob, kid = :kid
WHERE id = :id
RETURNING *;

-- A license sold before its subscription was known (minted by an older daemon, or by hand):
-- the buyer's newest active license of this product from this storefront that no subscription
-- has, issued on or before the charge.
-- name: unlinked_license_for_buyer :one -> License
SELECT * FROM licenses
WHERE source = :source AND lower(email) = lower(:email) AND product_key = :product_key
  AND status = 'active' AND suspended_at IS NULL AND issued <= :issued
  AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE subscriptions.license_id = licenses.id)
ORDER BY id DESC
LIMIT 1;
