-- 0010: outbox mentions (WhatsApp @mentions of the people on duty)
-- Who a queued message mentions (a JSON array of platform user IDs; '' for
-- none), so the adapter can notify each of them (WhatsApp @mentions).
ALTER TABLE outbox ADD COLUMN mentions TEXT NOT NULL DEFAULT '';
