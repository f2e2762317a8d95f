-- 0007: absences with dates (cuti, izin, sakit, dinas luar over a range), their days in attendance, and check-ins waiting for a confirmation to overwrite one
CREATE TABLE absences (
    id           INTEGER PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    status       TEXT    NOT NULL CHECK (status IN ('sakit', 'izin', 'cuti', 'dinas')),
    first_day    TEXT    NOT NULL,
    last_day     TEXT    NOT NULL,
    reason       TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    inbound_id   INTEGER REFERENCES inbound (id),
    cancelled_at INTEGER,
    cancelled_by INTEGER REFERENCES staff (id),
    -- when the supervisor's digest told of it (NULL: not yet)
    digested_at  INTEGER
);
CREATE INDEX absences_staff ON absences (staff_id, last_day);
CREATE INDEX absences_undigested ON absences (staff_id) WHERE digested_at IS NULL AND cancelled_at IS NULL;

-- The absence a day's record belongs to (NULL: an ordinary check-in).
ALTER TABLE attendance ADD COLUMN absence_id INTEGER REFERENCES absences (id);
CREATE INDEX attendance_absence ON attendance (absence_id) WHERE absence_id IS NOT NULL;

-- A check-in on a day held by an absence, asked to be confirmed by sending it again.
CREATE TABLE absence_overrides (
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    day        TEXT    NOT NULL,
    absence_id INTEGER NOT NULL REFERENCES absences (id),
    asked_at   INTEGER NOT NULL,
    PRIMARY KEY (staff_id, day)
);
