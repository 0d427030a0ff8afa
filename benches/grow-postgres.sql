-- Grows a 100,000-case demo database on PostgreSQL to 1,000,000 cases in about 3 minutes (the demo
-- generator makes one round trip per row there): nine copies of every case (new numbers, receipt and closing 7 to
-- 63 minutes earlier, so the same year, each copy with another enterprise, channel and category,
-- so that the copies are as varied as generated cases and the statistics roll-up does not merely
-- count the same groups ten times) and of every consultation, counted into the roll-up once at the
-- end, then VACUUM ANALYZE so the planner and index-only scans see the new rows.
-- docs/benchmarks.md.
--
--   psql 'postgres://postgres@127.0.0.1:5432/test' -c 'CREATE SCHEMA bench'
--   TIAOJIE_DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench' \
--     target/release/tiaojie demo --cases 100000 --consultations 73000 --enterprises 1500
--   psql 'postgres://postgres@127.0.0.1:5432/test' -f benches/grow-postgres.sql
SET search_path = bench;
BEGIN;
-- The roll-up's triggers keep nothing while the zone is unset; rollup_rebuild counts it all. The
-- list tallies' triggers would update the same twenty rows 900,000 times in one transaction, each
-- update slower than the last: they are off, and the tallies counted again, for the load.
DELETE FROM rollup_zone;
ALTER TABLE cases DISABLE TRIGGER case_tallies_insert_delete;
INSERT INTO cases (case_no, unit_id, channel, category, enterprise_id, applicant_name, applicant_phone,
  applicant_id_number, workers_involved, amount_claimed, description, warning_id, mediator_id,
  coordinator_id, status, received_at, accept_by, deadline, extended, outcome, referral, agreement_no,
  payment_due, amount_agreed, amount_paid, closed_at, last_event_at, created_by, version, created_at, updated_at)
SELECT c.case_no || '-' || k, unit_id,
  (ARRAY['visit','phone','letter','online','inspection','other'])[1 + (c.id + k) % 6],
  (ARRAY['wage_arrears','contract','social_insurance','work_injury','overtime_leave','compensation','other'])[1 + (c.id * 3 + k) % 7],
  e.first + (c.enterprise_id - e.first + k * 151) % e.n,
  applicant_name, applicant_phone,
  applicant_id_number, workers_involved, amount_claimed, description, NULL, mediator_id,
  coordinator_id, status, received_at - k * interval '7 minutes', accept_by, deadline, extended, outcome, referral,
  CASE WHEN agreement_no IS NULL THEN NULL ELSE agreement_no || '-' || k END,
  payment_due, amount_agreed, amount_paid, closed_at - k * interval '7 minutes', last_event_at, created_by, version, created_at, updated_at
FROM cases c CROSS JOIN generate_series(1, 9) AS k
  CROSS JOIN (SELECT MIN(id) AS first, COUNT(*) AS n FROM enterprises) AS e;
INSERT INTO consultations (unit_id, received_at, channel, topic, workers, enterprise_id, summary, answered_by, case_id, version, created_at)
SELECT unit_id, received_at - k * interval '7 minutes', channel, topic, workers, enterprise_id, summary, answered_by, NULL, version, created_at
FROM consultations CROSS JOIN generate_series(1, 9) AS k;
ALTER TABLE cases ENABLE TRIGGER case_tallies_insert_delete;
DELETE FROM case_tallies;
INSERT INTO case_tallies (unit_id, status, n) SELECT unit_id, status, COUNT(*) FROM cases GROUP BY 1, 2;
SELECT rollup_rebuild('Asia/Shanghai');
COMMIT;
VACUUM ANALYZE cases;
VACUUM ANALYZE consultations;
VACUUM ANALYZE case_rollup;
VACUUM ANALYZE consultation_rollup;
SELECT count(*) FROM cases;
