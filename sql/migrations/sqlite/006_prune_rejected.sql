-- The audit log stays append-only, with one exception: rows of deliveries that failed
-- authentication (outcome rejected_secret) may be deleted, by `licensed prune-rejected`.
DROP TRIGGER webhook_events_no_delete;
CREATE TRIGGER webhook_events_no_delete BEFORE DELETE ON webhook_events
WHEN OLD.outcome <> 'rejected_secret'
BEGIN SELECT RAISE(ABORT, 'webhook_events is append-only'); END;
