-- PostgreSQL's timestamp has no second 60: diesel sent a leap second as a count of
-- microseconds, which is already the next minute's start. Kept so that both trees stay in step.
SELECT 1;
