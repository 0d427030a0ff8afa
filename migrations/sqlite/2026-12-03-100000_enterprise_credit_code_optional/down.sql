-- Back to a required credit code (fails while an enterprise has none).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE enterprises_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    industry TEXT,
    employee_count BIGINT,
    has_mediation_committee BOOLEAN NOT NULL DEFAULT 0,
    officer_id BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO enterprises_rebuilt (id, name, credit_code, unit_id, industry, employee_count,
    has_mediation_committee, officer_id, version, created_at, updated_at)
SELECT id, name, credit_code, unit_id, industry, employee_count,
    has_mediation_committee, officer_id, version, created_at, updated_at FROM enterprises;
DROP TABLE enterprises;
ALTER TABLE enterprises_rebuilt RENAME TO enterprises;
CREATE INDEX enterprises_unit ON enterprises(unit_id);
COMMIT;
PRAGMA foreign_keys = ON;
