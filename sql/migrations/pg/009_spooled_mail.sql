-- A mail written to the spool folder (no Postmark token) is `spooled`, not `sent`: nobody
-- received it. Rows spooled before this migration are found by their message id, the spool's
-- file name (`…-<lid>-<outbox id>.eml`); a Postmark MessageID is a UUID.

ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'spooled', 'failed', 'cancelled',
                      'bounced'));
UPDATE outbox SET status = 'spooled' WHERE status = 'sent' AND message_id LIKE '%.eml';
