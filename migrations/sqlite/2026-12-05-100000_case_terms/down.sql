ALTER TABLE payments DROP COLUMN term_id;
DROP INDEX case_terms_due;
DROP TABLE case_terms;
