-- Refunds the storefronts reported, full or partial, with their amounts when known.

-- name: insert_refund :exec
INSERT INTO refunds (license_id, source, order_id, full_refund, amount_minor, currency,
                     event_id, created_at)
VALUES (:license_id, :source, :order_id, :full_refund, :amount_minor, :currency, :event_id,
        :now);

-- name: refunds_for_order :many -> Refund
SELECT * FROM refunds WHERE source = :source AND order_id = :order_id ORDER BY id;
