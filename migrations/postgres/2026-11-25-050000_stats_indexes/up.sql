-- The statistics load cases by receipt time across all units and by closing time (see
-- src/services/stats/facts.rs).
CREATE INDEX cases_received ON cases(received_at);
CREATE INDEX cases_closed_at ON cases(closed_at);
