-- 0004: find a sent message by the platform's ID (a reply "ok" to a leave-home alert)
CREATE INDEX outbox_sent_id ON outbox (platform, sent_id) WHERE sent_id IS NOT NULL;
