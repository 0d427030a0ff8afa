-- The spine: units, enterprises, users and their tokens, consultations and cases with their
-- timeline, sessions, payments and notes; the personal-data access log; settings.
CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES units(id),
    -- '/1/4/9/': ancestors and self, so a subtree is one prefix match.
    path TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX units_path ON units(path);

CREATE TABLE enterprises (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    industry TEXT,
    employee_count BIGINT,
    has_mediation_committee BOOLEAN NOT NULL DEFAULT 0,
    officer_id BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX enterprises_unit ON enterprises(unit_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    enterprise_id BIGINT REFERENCES enterprises(id),
    active BOOLEAN NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Failed logins, per username (whether or not it exists) and per client address.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0,
    lockouts BIGINT NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    address TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_address_at ON login_failures(address, at);

CREATE TABLE consultations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    received_at TIMESTAMP NOT NULL,
    channel TEXT NOT NULL,
    topic TEXT NOT NULL,
    workers BIGINT NOT NULL,
    enterprise_id BIGINT REFERENCES enterprises(id),
    summary TEXT NOT NULL,
    answered_by BIGINT NOT NULL REFERENCES users(id),
    case_id BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consultations_unit_received ON consultations(unit_id, received_at);

-- One row per year of receipt; taking a number is one UPDATE ... RETURNING under the write lock.
CREATE TABLE case_counters (
    year BIGINT PRIMARY KEY NOT NULL,
    last BIGINT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_no TEXT NOT NULL UNIQUE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    applicant_name TEXT,
    applicant_phone TEXT,
    applicant_id_number TEXT,
    workers_involved BIGINT NOT NULL,
    amount_claimed BIGINT NOT NULL,
    description TEXT NOT NULL,
    warning_id BIGINT,
    mediator_id BIGINT REFERENCES users(id),
    coordinator_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    accept_by DATE NOT NULL,
    deadline DATE NOT NULL,
    extended BOOLEAN NOT NULL DEFAULT 0,
    outcome TEXT,
    referral TEXT,
    agreement_no TEXT,
    payment_due DATE,
    amount_agreed BIGINT,
    amount_paid BIGINT NOT NULL DEFAULT 0,
    closed_at TIMESTAMP,
    last_event_at TIMESTAMP NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cases_unit_received ON cases(unit_id, received_at);
CREATE INDEX cases_status_deadline ON cases(status, deadline);
-- Lists walk newest first and stop after a page; counts read the narrow (status, unit) index.
CREATE INDEX cases_status_received ON cases(status, received_at);
CREATE INDEX cases_status_unit ON cases(status, unit_id);
CREATE INDEX cases_received ON cases(received_at);
CREATE INDEX cases_enterprise ON cases(enterprise_id);
CREATE INDEX cases_mediator ON cases(mediator_id);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    actor_id BIGINT REFERENCES users(id),
    at TIMESTAMP NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, at);
CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;

CREATE TABLE mediation_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    held_at TIMESTAMP NOT NULL,
    location TEXT NOT NULL,
    attendees TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mediation_sessions_case ON mediation_sessions(case_id);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    amount BIGINT NOT NULL,
    paid_at DATE NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_case ON payments(case_id);

CREATE TABLE case_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_notes_case ON case_notes(case_id);

-- Who saw or changed personal data, when, on which record; never the values.
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    at TIMESTAMP NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id BIGINT
);
CREATE TRIGGER access_log_append_only_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_append_only_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
