-- Issue 14 (judicial confirmation, 司法确认): whether the parties intend to apply, the
-- application (day, court) and the court's ruling (confirmed or refused, day, number) of a
-- resolved case's agreement.
CREATE TABLE case_confirmations (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    intended BOOLEAN NOT NULL DEFAULT 0,
    applied_on DATE,
    court TEXT,
    result TEXT,
    ruled_on DATE,
    ruling_no TEXT
);
