-- A report reads every case and consultation of its period. Covering indexes led by the receipt
-- time hold every column it reads (src/services/stats/facts.rs), so the scan is an index-only
-- scan that never visits the heap (once vacuum has marked the pages all-visible). They take over
-- from the plain receipt-time indexes, which they begin with.
CREATE INDEX cases_stats ON cases(received_at) INCLUDE (unit_id, enterprise_id, mediator_id,
    channel, category, status, workers_involved, amount_claimed, amount_agreed, amount_paid,
    closed_at, deadline);
DROP INDEX cases_received;
CREATE INDEX consultations_stats ON consultations(received_at) INCLUDE (unit_id, enterprise_id,
    answered_by, channel, topic, workers);
DROP INDEX consultations_received;
