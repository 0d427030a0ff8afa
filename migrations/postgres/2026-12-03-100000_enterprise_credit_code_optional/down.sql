ALTER TABLE enterprises ALTER COLUMN credit_code SET NOT NULL;
