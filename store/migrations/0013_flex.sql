-- 0013: flexible work (PermenPANRB 4/2025): eligibility from the staff import, WFA/WFH requests and their days, escalations, day ends, daily progress, location checks
-- Per-person flexible-work data from the staff import (no row: eligible, TMT from the NIP).
CREATE TABLE staff_flex (
    staff_id  INTEGER PRIMARY KEY REFERENCES staff (id),
    eligible  INTEGER NOT NULL DEFAULT 1,
    tmt       TEXT    NOT NULL DEFAULT '', -- YYYY-MM-DD; '': read from the NIP
    home      TEXT    NOT NULL DEFAULT ''  -- "LAT,LON" of the declared domicile; '': none
);

-- A request for flexible-location days, decided by the supervisor before the first day.
CREATE TABLE flex_requests (
    id             INTEGER PRIMARY KEY,
    staff_id       INTEGER NOT NULL REFERENCES staff (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('wfa', 'wfh')),
    first_day      TEXT    NOT NULL,
    last_day       TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    plan           TEXT    NOT NULL,
    preset         TEXT    NOT NULL DEFAULT '', -- the circular whose days it asks for
    state          TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'declined', 'lapsed', 'cancelled')),
    created_at     INTEGER NOT NULL,
    inbound_id     INTEGER REFERENCES inbound (id),
    decided_at     INTEGER,
    decided_by     INTEGER REFERENCES staff (id),
    decline_reason TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX flex_requests_pending ON flex_requests (first_day) WHERE state = 'pending';
CREATE INDEX flex_requests_staff ON flex_requests (staff_id, last_day);

-- The working days of a request; capped: counts against the weekly cap.
CREATE TABLE flex_days (
    request_id INTEGER NOT NULL REFERENCES flex_requests (id),
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    office_id  INTEGER NOT NULL REFERENCES offices (id),
    day        TEXT    NOT NULL,
    capped     INTEGER NOT NULL,
    PRIMARY KEY (request_id, day)
);
CREATE INDEX flex_days_office ON flex_days (office_id, day);
CREATE INDEX flex_days_staff ON flex_days (staff_id, day);

-- Each step of a request's escalation (step 0: the direct supervisor at filing).
CREATE TABLE flex_escalations (
    request_id INTEGER NOT NULL REFERENCES flex_requests (id),
    step       INTEGER NOT NULL,
    staff_id   INTEGER REFERENCES staff (id), -- NULL: the office admins
    at         INTEGER NOT NULL,
    PRIMARY KEY (request_id, step)
);

-- The end of a working day (/pulang) and the minutes worked since the first check-in.
CREATE TABLE day_ends (
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    day        TEXT    NOT NULL,
    end_at     INTEGER NOT NULL,
    minutes    INTEGER NOT NULL,
    inbound_id INTEGER REFERENCES inbound (id),
    PRIMARY KEY (staff_id, day)
);

-- A daily progress entry (progres harian, e-Kinerja): activity and output.
CREATE TABLE progress (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    day        TEXT    NOT NULL,
    activity   TEXT    NOT NULL,
    output     TEXT    NOT NULL DEFAULT '',
    at         INTEGER NOT NULL,
    inbound_id INTEGER REFERENCES inbound (id)
);
CREATE INDEX progress_day ON progress (day, staff_id);

-- A shared location checked against a place: only distance and verdict, unless coordinates are configured to be kept.
CREATE TABLE location_checks (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    day        TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    against    TEXT    NOT NULL CHECK (against IN ('kantor', 'domisili')),
    distance_m INTEGER, -- NULL: no place to compare with
    verdict    TEXT    NOT NULL,
    lat        REAL,
    lon        REAL,
    inbound_id INTEGER REFERENCES inbound (id)
);
CREATE INDEX location_checks_day ON location_checks (staff_id, day);
