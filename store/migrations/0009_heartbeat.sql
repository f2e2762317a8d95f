-- 0009: one heartbeat row the health check writes and reads back, proving
-- the database still takes writes.
CREATE TABLE heartbeat (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	seq     INTEGER NOT NULL,
	beat_at INTEGER NOT NULL
);
