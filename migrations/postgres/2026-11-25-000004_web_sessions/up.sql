-- Browser sessions: the cookie holds a random id; the row (under its SHA-256) holds who, the CSRF
-- token, the language, and the idle and absolute limits, so every instance sees a logout at once.
CREATE TABLE web_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);

-- Each user's chosen interface language, kept across sessions.
CREATE TABLE user_prefs (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id),
    lang TEXT NOT NULL
);
