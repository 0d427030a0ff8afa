ALTER TABLE users DROP COLUMN daily_digest;
ALTER TABLE units DROP COLUMN arbitration_address;
ALTER TABLE units DROP COLUMN arbitration_commission;
ALTER TABLE case_events DROP COLUMN assignee_id;
