-- 0002: leave-home reports (/keluar … /kembali), their alert and escalation steps
CREATE TABLE leave_reports (
    id                 INTEGER PRIMARY KEY,
    staff_id           INTEGER NOT NULL REFERENCES staff (id),
    reason             TEXT    NOT NULL,
    started_at         INTEGER NOT NULL,
    expected_at        INTEGER,          -- expected return the reporter gave; NULL: none
    due_at             INTEGER NOT NULL, -- overdue after this (expected_at or the default duration)
    acked_by           INTEGER REFERENCES staff (id),
    acked_at           INTEGER,
    returned_at        INTEGER,
    reminded_at        INTEGER,          -- the reporter was reminded (overdue)
    overdue_alerted_at INTEGER,          -- the supervisor was told (overdue)
    inbound_id         INTEGER REFERENCES inbound (id)
);
-- At most one open report per person.
CREATE UNIQUE INDEX leave_reports_open ON leave_reports (staff_id) WHERE returned_at IS NULL;

-- Who was alerted of a report: step 0 is the first alert, later steps are
-- escalations. staff_id NULL: the office admins. UNIQUE: never sent twice.
CREATE TABLE leave_escalations (
    report_id INTEGER NOT NULL REFERENCES leave_reports (id),
    step      INTEGER NOT NULL,
    staff_id  INTEGER REFERENCES staff (id),
    at        INTEGER NOT NULL,
    UNIQUE (report_id, step)
);
