-- The statistics load cases by closing time (by receipt time: cases_received, in the init
-- migration), and
-- consultations by receipt time across all units (see src/services/stats/facts.rs).
CREATE INDEX cases_closed_at ON cases(closed_at);
CREATE INDEX consultations_received ON consultations(received_at);
