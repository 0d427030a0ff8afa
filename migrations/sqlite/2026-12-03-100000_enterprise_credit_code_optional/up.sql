-- A small enterprise may be registered without a unified social credit code (many small shops
-- have none at hand); a code, when given, is still unique. SQLite cannot drop NOT NULL in place,
-- so the table is rebuilt with the same columns, constraints and index (it has no trigger), the
-- ids kept. Foreign keys are off for the rebuild (else dropping the old table would delete through
-- the cases, consultations and warnings that reference it, and renaming would repoint them); the
-- references to enterprises(id) name the rebuilt table afterwards. Not in diesel's transaction
-- (metadata.toml): the pragma is a no-op inside one, so the rebuild has its own.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE enterprises_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    credit_code TEXT UNIQUE,
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
