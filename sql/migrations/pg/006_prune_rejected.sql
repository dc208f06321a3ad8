-- The audit log stays append-only, with one exception: rows of deliveries that failed
-- authentication (outcome rejected_secret) may be deleted, by `licensed prune-rejected`.
-- They are nobody's sale, and a flood of them must not be able to fill the disk for good.
CREATE OR REPLACE FUNCTION forbid_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'webhook_events'
       AND OLD.outcome = 'rejected_secret' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
