-- Early warnings reported by enterprises' officers; `respond_by` is the reported time plus the
-- level's response time, fixed at report so a later settings change does not move old deadlines.
CREATE TABLE warnings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    reported_by BIGINT NOT NULL REFERENCES users(id),
    level TEXT NOT NULL,
    category TEXT NOT NULL,
    workers_at_risk BIGINT NOT NULL,
    amount_at_risk BIGINT,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    acknowledged_at TIMESTAMP,
    acknowledged_by BIGINT REFERENCES users(id),
    closed_at TIMESTAMP,
    note TEXT,
    case_id BIGINT REFERENCES cases(id),
    respond_by TIMESTAMP NOT NULL,
    reported_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX warnings_unit_reported ON warnings(unit_id, reported_at);
CREATE INDEX warnings_enterprise ON warnings(enterprise_id);
CREATE INDEX warnings_status_respond_by ON warnings(status, respond_by);

-- The outbox: every email is a row written in the transaction of the change that caused it.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    last_error TEXT,
    message_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    kind TEXT NOT NULL,
    case_id BIGINT REFERENCES cases(id),
    warning_id BIGINT REFERENCES warnings(id)
);
CREATE INDEX notifications_due ON notifications(status, next_attempt_at);

-- One row per reminder sent: the UNIQUE key makes a scan idempotent.
CREATE TABLE reminders_sent (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    threshold TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (kind, record_id, threshold)
);
