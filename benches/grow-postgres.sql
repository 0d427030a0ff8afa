-- Grows a 100,000-case demo database on PostgreSQL to 1,000,000 cases in about 40 s (the demo
-- generator makes one round trip per row there): nine copies of every case (new numbers, receipt
-- and closing 7 to 63 minutes earlier, so the same year) and of every consultation, then
-- VACUUM ANALYZE so the planner and index-only scans see the new rows. docs/benchmarks.md.
--
--   psql 'postgres://postgres@127.0.0.1:5432/test' -c 'CREATE SCHEMA bench'
--   TIAOJIE_DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench' \
--     target/release/tiaojie demo --cases 100000 --consultations 73000 --enterprises 1500
--   psql 'postgres://postgres@127.0.0.1:5432/test' -f benches/grow-postgres.sql
SET search_path = bench;
INSERT INTO cases (case_no, unit_id, channel, category, enterprise_id, applicant_name, applicant_phone,
  applicant_id_number, workers_involved, amount_claimed, description, warning_id, mediator_id,
  coordinator_id, status, received_at, accept_by, deadline, extended, outcome, referral, agreement_no,
  payment_due, amount_agreed, amount_paid, closed_at, last_event_at, created_by, version, created_at, updated_at)
SELECT c.case_no || '-' || k, unit_id, channel, category, enterprise_id, applicant_name, applicant_phone,
  applicant_id_number, workers_involved, amount_claimed, description, NULL, mediator_id,
  coordinator_id, status, received_at - k * interval '7 minutes', accept_by, deadline, extended, outcome, referral,
  CASE WHEN agreement_no IS NULL THEN NULL ELSE agreement_no || '-' || k END,
  payment_due, amount_agreed, amount_paid, closed_at - k * interval '7 minutes', last_event_at, created_by, version, created_at, updated_at
FROM cases c CROSS JOIN generate_series(1, 9) AS k;
INSERT INTO consultations (unit_id, received_at, channel, topic, workers, enterprise_id, summary, answered_by, case_id, version, created_at)
SELECT unit_id, received_at - k * interval '7 minutes', channel, topic, workers, enterprise_id, summary, answered_by, NULL, version, created_at
FROM consultations CROSS JOIN generate_series(1, 9) AS k;
VACUUM ANALYZE cases;
VACUUM ANALYZE consultations;
SELECT count(*) FROM cases;
