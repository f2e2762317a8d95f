-- 0012: web dashboard: one-time sign-in links, browser sessions, and the audit of admin actions
-- A one-time sign-in link sent by /dasbor: only the SHA-256 of the token is kept.
CREATE TABLE web_tokens (
    hash       TEXT    PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX web_tokens_expires ON web_tokens (expires_at);

-- A signed-in browser: the SHA-256 of the session cookie, its CSRF token.
CREATE TABLE web_sessions (
    hash       TEXT    PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    csrf       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

-- Who did what, when, on the dashboard (swaps, staff changes, imports).
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    staff_id  INTEGER NOT NULL REFERENCES staff (id),
    office_id INTEGER REFERENCES offices (id),
    action    TEXT    NOT NULL,
    detail    TEXT    NOT NULL DEFAULT '',
    at        INTEGER NOT NULL
);
CREATE INDEX audit_office_at ON audit (office_id, at);
