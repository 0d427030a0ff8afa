-- Issue 12 (day one at the desk): whom an assignment named, each unit's competent arbitration
-- commission for the notice of the right to arbitration, and a mediator's daily digest opt-in.
ALTER TABLE case_events ADD COLUMN assignee_id BIGINT REFERENCES users(id);
ALTER TABLE units ADD COLUMN arbitration_commission TEXT;
ALTER TABLE units ADD COLUMN arbitration_address TEXT;
ALTER TABLE users ADD COLUMN daily_digest BOOLEAN NOT NULL DEFAULT FALSE;
