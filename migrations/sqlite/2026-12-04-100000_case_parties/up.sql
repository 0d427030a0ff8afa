-- Issue 13 (the case file): every applicant of a case with their particulars, the respondent's
-- particulars on the enterprise. The case row keeps the first
-- applicant's name, phone and ID number (the lists, the ledger and older clients read them);
-- `case_applicants` holds every applicant, the first at position 0, for cases registered with
-- them. `party_digests` holds the keyed digests of the numbers of the applicants after the first
-- (the first's are in `case_digests`).
ALTER TABLE enterprises ADD COLUMN address TEXT;
ALTER TABLE enterprises ADD COLUMN legal_representative TEXT;
ALTER TABLE enterprises ADD COLUMN phone TEXT;
CREATE TABLE case_applicants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    sex TEXT,
    phone TEXT,
    id_number TEXT,
    address TEXT,
    amount_claimed BIGINT,
    representative BOOLEAN NOT NULL DEFAULT 0,
    UNIQUE (case_id, position)
);
CREATE TABLE party_digests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    phone TEXT,
    id_number TEXT
);
CREATE INDEX party_digests_phone ON party_digests(phone);
CREATE INDEX party_digests_id_number ON party_digests(id_number);
CREATE INDEX party_digests_case ON party_digests(case_id);
