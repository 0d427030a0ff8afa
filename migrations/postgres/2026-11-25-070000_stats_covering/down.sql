CREATE INDEX consultations_received ON consultations(received_at);
DROP INDEX consultations_stats;
CREATE INDEX cases_received ON cases(received_at);
DROP INDEX cases_stats;
