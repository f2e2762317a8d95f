-- 0003: duty rosters: generated and published duty days, assignments, swap requests
-- One row per office and working day with a roster. A published day (posted to
-- the group) is never regenerated; a manual day (changed by a swap) neither.
CREATE TABLE roster_days (
    office_id    INTEGER NOT NULL REFERENCES offices (id),
    day          TEXT    NOT NULL,
    generated_at INTEGER NOT NULL,
    published_at INTEGER,
    manual       INTEGER NOT NULL DEFAULT 0,
    problems     TEXT    NOT NULL DEFAULT '',
    UNIQUE (office_id, day)
);

-- Who is on duty on a roster day. fixed: listed every day, not rotated.
CREATE TABLE roster_duty (
    office_id INTEGER NOT NULL REFERENCES offices (id),
    day       TEXT    NOT NULL,
    staff_id  INTEGER NOT NULL REFERENCES staff (id),
    fixed     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (office_id, day, staff_id)
);
CREATE INDEX roster_duty_staff ON roster_duty (staff_id, day);

-- A request to hand one's duty on a day to another person (/tukar), decided
-- by that person or an office admin (/setuju, /tolak).
CREATE TABLE roster_swaps (
    id           INTEGER PRIMARY KEY,
    office_id    INTEGER NOT NULL REFERENCES offices (id),
    day          TEXT    NOT NULL,
    out_staff_id INTEGER NOT NULL REFERENCES staff (id),
    in_staff_id  INTEGER NOT NULL REFERENCES staff (id),
    requested_by INTEGER REFERENCES staff (id),
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'refused')),
    decided_by   INTEGER REFERENCES staff (id),
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER
);
CREATE INDEX roster_swaps_in ON roster_swaps (in_staff_id, status);
