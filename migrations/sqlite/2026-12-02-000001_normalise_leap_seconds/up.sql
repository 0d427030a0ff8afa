-- A time sent with second 60 (a leap second, which RFC 3339 allows) was stored as such, and
-- SQLite's date functions read it as NULL, which made every report over it fail. The parser now
-- reads second 60 as the start of the next minute; this rewrites the values already stored the
-- same way (keeping any fraction). Nothing else changes, so down has nothing to undo.
--
-- The case events and the access log are append-only: their guards step aside for this one
-- repair and are put back as they were.
DROP TRIGGER case_events_append_only_update;
DROP TRIGGER access_log_append_only_update;

UPDATE cases SET received_at = datetime(substr(received_at, 1, 16) || ':00', '+1 minute') || substr(received_at, 20)
    WHERE substr(received_at, 18, 2) = '60';
UPDATE cases SET closed_at = datetime(substr(closed_at, 1, 16) || ':00', '+1 minute') || substr(closed_at, 20)
    WHERE substr(closed_at, 18, 2) = '60';
UPDATE cases SET last_event_at = datetime(substr(last_event_at, 1, 16) || ':00', '+1 minute') || substr(last_event_at, 20)
    WHERE substr(last_event_at, 18, 2) = '60';
UPDATE cases SET created_at = datetime(substr(created_at, 1, 16) || ':00', '+1 minute') || substr(created_at, 20)
    WHERE substr(created_at, 18, 2) = '60';
UPDATE cases SET updated_at = datetime(substr(updated_at, 1, 16) || ':00', '+1 minute') || substr(updated_at, 20)
    WHERE substr(updated_at, 18, 2) = '60';
UPDATE case_events SET at = datetime(substr(at, 1, 16) || ':00', '+1 minute') || substr(at, 20)
    WHERE substr(at, 18, 2) = '60';
UPDATE case_events SET created_at = datetime(substr(created_at, 1, 16) || ':00', '+1 minute') || substr(created_at, 20)
    WHERE substr(created_at, 18, 2) = '60';
UPDATE mediation_sessions SET held_at = datetime(substr(held_at, 1, 16) || ':00', '+1 minute') || substr(held_at, 20)
    WHERE substr(held_at, 18, 2) = '60';
UPDATE mediation_sessions SET created_at = datetime(substr(created_at, 1, 16) || ':00', '+1 minute') || substr(created_at, 20)
    WHERE substr(created_at, 18, 2) = '60';
UPDATE consultations SET received_at = datetime(substr(received_at, 1, 16) || ':00', '+1 minute') || substr(received_at, 20)
    WHERE substr(received_at, 18, 2) = '60';
UPDATE consultations SET created_at = datetime(substr(created_at, 1, 16) || ':00', '+1 minute') || substr(created_at, 20)
    WHERE substr(created_at, 18, 2) = '60';
UPDATE warnings SET reported_at = datetime(substr(reported_at, 1, 16) || ':00', '+1 minute') || substr(reported_at, 20)
    WHERE substr(reported_at, 18, 2) = '60';
UPDATE warnings SET respond_by = datetime(substr(respond_by, 1, 16) || ':00', '+1 minute') || substr(respond_by, 20)
    WHERE substr(respond_by, 18, 2) = '60';
UPDATE warnings SET acknowledged_at = datetime(substr(acknowledged_at, 1, 16) || ':00', '+1 minute') || substr(acknowledged_at, 20)
    WHERE substr(acknowledged_at, 18, 2) = '60';
UPDATE warnings SET closed_at = datetime(substr(closed_at, 1, 16) || ':00', '+1 minute') || substr(closed_at, 20)
    WHERE substr(closed_at, 18, 2) = '60';
UPDATE warnings SET created_at = datetime(substr(created_at, 1, 16) || ':00', '+1 minute') || substr(created_at, 20)
    WHERE substr(created_at, 18, 2) = '60';
UPDATE warnings SET updated_at = datetime(substr(updated_at, 1, 16) || ':00', '+1 minute') || substr(updated_at, 20)
    WHERE substr(updated_at, 18, 2) = '60';
UPDATE notifications SET next_attempt_at = datetime(substr(next_attempt_at, 1, 16) || ':00', '+1 minute') || substr(next_attempt_at, 20)
    WHERE substr(next_attempt_at, 18, 2) = '60';
UPDATE notifications SET created_at = datetime(substr(created_at, 1, 16) || ':00', '+1 minute') || substr(created_at, 20)
    WHERE substr(created_at, 18, 2) = '60';
UPDATE access_log SET at = datetime(substr(at, 1, 16) || ':00', '+1 minute') || substr(at, 20)
    WHERE substr(at, 18, 2) = '60';

CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
CREATE TRIGGER access_log_append_only_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
