-- Renewal orders: each extends one license once (unique on source, order_id).

-- name: renewal_by_order :one -> Renewal
SELECT * FROM renewals WHERE source = :source AND order_id = :order_id;

-- name: insert_renewal :exec
INSERT INTO renewals (source, order_id, license_id, months, previous_updates_until,
                      updates_until, previous_blob, amount_minor, currency, created_at)
VALUES (:source, :order_id, :license_id, :months, :previous_updates_until, :updates_until,
        :previous_blob, :amount_minor, :currency, :now);

-- name: renewals_for_license :many -> Renewal
SELECT * FROM renewals WHERE license_id = :license_id ORDER BY id;
