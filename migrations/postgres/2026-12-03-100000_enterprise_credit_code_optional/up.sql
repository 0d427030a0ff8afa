-- A small enterprise may be registered without a unified social credit code; a code, when given,
-- is still unique (the unique constraint allows many NULLs).
ALTER TABLE enterprises ALTER COLUMN credit_code DROP NOT NULL;
