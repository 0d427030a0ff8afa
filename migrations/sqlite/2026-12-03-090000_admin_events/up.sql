-- The audit trail of the admin's changes to users, enterprises and the outbox: who changed
-- which record, when, and which fields (their names, never their values). Append-only.
CREATE TABLE admin_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id BIGINT NOT NULL REFERENCES users(id),
    at TIMESTAMP NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    fields TEXT NOT NULL
);
CREATE INDEX admin_events_record ON admin_events (record_type, record_id);
CREATE TRIGGER admin_events_append_only_update BEFORE UPDATE ON admin_events
BEGIN SELECT RAISE(ABORT, 'the admin events are append-only'); END;
CREATE TRIGGER admin_events_append_only_delete BEFORE DELETE ON admin_events
BEGIN SELECT RAISE(ABORT, 'the admin events are append-only'); END;
