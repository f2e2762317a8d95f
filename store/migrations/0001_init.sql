-- 0001: offices, staff registry, platform identities, group chats, attendance, work reports, inbound audit, outbox, settings
CREATE TABLE offices (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL DEFAULT '',
    tz         TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    nip           TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    office_id     INTEGER NOT NULL REFERENCES offices (id),
    division      TEXT    NOT NULL DEFAULT '',
    level         TEXT    NOT NULL CHECK (level IN ('eselon2', 'eselon3', 'eselon4', 'pelaksana')),
    supervisor_id INTEGER REFERENCES staff (id),
    phone         TEXT    NOT NULL DEFAULT '',
    roles         TEXT    NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX staff_office ON staff (office_id);
CREATE INDEX staff_supervisor ON staff (supervisor_id);
CREATE INDEX staff_phone ON staff (phone) WHERE phone <> '';

-- A verified platform account of a staff member (Telegram user ID, WhatsApp number).
CREATE TABLE identities (
    platform    TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    chat_id     TEXT    NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    linked_at   INTEGER NOT NULL,
    PRIMARY KEY (platform, external_id)
);
CREATE UNIQUE INDEX identities_staff ON identities (staff_id, platform);

-- An office's group chat on a platform.
CREATE TABLE office_chats (
    platform  TEXT    NOT NULL,
    chat_id   TEXT    NOT NULL,
    office_id INTEGER NOT NULL REFERENCES offices (id),
    linked_by INTEGER REFERENCES staff (id),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id)
);
CREATE INDEX office_chats_office ON office_chats (office_id);

-- Every inbound message, with what came of it. UNIQUE makes a redelivery a no-op.
CREATE TABLE inbound (
    id          INTEGER PRIMARY KEY,
    platform    TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    chat_id     TEXT    NOT NULL,
    sender_id   TEXT    NOT NULL,
    staff_id    INTEGER REFERENCES staff (id),
    is_group    INTEGER NOT NULL DEFAULT 0,
    text        TEXT,
    received_at INTEGER NOT NULL,
    outcome     TEXT    NOT NULL DEFAULT '',
    UNIQUE (platform, message_id)
);
CREATE INDEX inbound_received ON inbound (received_at);

-- One attendance record per person per local day; the latest state.
CREATE TABLE attendance (
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    day        TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('hadir', 'sakit', 'izin', 'cuti')),
    place      TEXT    NOT NULL DEFAULT '',
    health     TEXT    NOT NULL DEFAULT '',
    plan       TEXT    NOT NULL DEFAULT '',
    late       INTEGER NOT NULL DEFAULT 0,
    first_at   INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (staff_id, day)
);
CREATE INDEX attendance_day ON attendance (day);

-- Every version of an attendance record, oldest first.
CREATE TABLE attendance_history (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    day         TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    place       TEXT    NOT NULL,
    health      TEXT    NOT NULL,
    plan        TEXT    NOT NULL,
    late        INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    inbound_id  INTEGER REFERENCES inbound (id)
);
CREATE INDEX attendance_history_staff_day ON attendance_history (staff_id, day);

-- The day's work report, appended to by /laporan.
CREATE TABLE work_reports (
    id         INTEGER PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    day        TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    inbound_id INTEGER REFERENCES inbound (id)
);
CREATE INDEX work_reports_staff_day ON work_reports (staff_id, day);

-- Messages to send. A row is written in the same transaction as what caused it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    platform        TEXT    NOT NULL,
    chat_id         TEXT    NOT NULL,
    is_group        INTEGER NOT NULL DEFAULT 0,
    text            TEXT    NOT NULL,
    request_contact INTEGER NOT NULL DEFAULT 0,
    dedupe_key      TEXT UNIQUE,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    sent_id         TEXT,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (not_before, id) WHERE status = 'pending';

-- Small operational values (a platform's update offset).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
