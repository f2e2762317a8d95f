-- 0011: outbox queues per platform with priorities; sent history leaves the pending index
-- priority: 1 a reply to a person's own message, 2 a leave-home alert or
-- escalation, 3 bulk (roster posts, reminders, recaps). Lower goes first.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 2;

-- Messages still queued get the priority their dedupe key implies.
UPDATE outbox SET priority = CASE
        WHEN dedupe_key IS NULL THEN 1
        WHEN dedupe_key LIKE 'remind:%' OR dedupe_key LIKE 'roster:%' OR dedupe_key LIKE 'roster-remind:%'
            OR dedupe_key LIKE 'recap:%' THEN 3
        ELSE 2 END
    WHERE status = 'pending';

-- The pending queue of each platform in sending order: holds only pending
-- rows, so reading it never touches sent history.
DROP INDEX outbox_pending;
CREATE INDEX outbox_queue ON outbox (platform, priority, id) WHERE status = 'pending';

-- Delivered or given-up messages by age, for the retention purge.
CREATE INDEX outbox_done ON outbox (created_at) WHERE status <> 'pending';
