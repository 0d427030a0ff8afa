ALTER TABLE payments DROP COLUMN term_id;
DROP TABLE case_terms;
