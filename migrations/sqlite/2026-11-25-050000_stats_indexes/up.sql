-- The statistics load cases by receipt time across all units and by closing time, and
-- consultations by receipt time across all units (see src/services/stats/facts.rs).
CREATE INDEX cases_received ON cases(received_at);
CREATE INDEX cases_closed_at ON cases(closed_at);
CREATE INDEX consultations_received ON consultations(received_at);
