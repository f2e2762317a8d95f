-- 0008: outbox lease: a dispatcher claims a message (owner, until) before sending it
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
