-- Issue 14 (归档): a closed case's follow-up waived (with the reason, by whom, when) and its
-- archiving (the archive number, when, by whom). One row per case, made by whichever comes
-- first; a case with an archive_no is archived and read-only.
CREATE TABLE case_archives (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    waived_reason TEXT,
    waived_by BIGINT REFERENCES users(id),
    waived_at TIMESTAMP,
    archive_no TEXT UNIQUE,
    archived_at TIMESTAMP,
    archived_by BIGINT REFERENCES users(id),
    CHECK ((archive_no IS NULL) = (archived_at IS NULL)),
    CHECK ((waived_reason IS NULL) = (waived_at IS NULL))
);
-- Archive numbers run per unit and year, allocated in the archiving transaction as case
-- numbers are from case_counters.
CREATE TABLE archive_counters (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (unit_id, year)
);
