-- 0014: several bot accounts per platform: each outbox message and group chat belongs to one; a queue per account
-- account: "" is the platform's primary account (telegram.token, whatsapp.session_db),
-- else the name of an account in telegram.bots or whatsapp.accounts.
ALTER TABLE outbox ADD COLUMN account TEXT NOT NULL DEFAULT '';
ALTER TABLE office_chats ADD COLUMN account TEXT NOT NULL DEFAULT '';

-- The pending queue of each platform account in sending order (replaces
-- outbox_queue): pending rows only, so reading it never touches history.
DROP INDEX outbox_queue;
CREATE INDEX outbox_queue ON outbox (platform, account, priority, id) WHERE status = 'pending';
