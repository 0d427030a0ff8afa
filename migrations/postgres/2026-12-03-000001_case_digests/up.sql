-- Finding a case by the applicant's whole phone or ID number without another copy of either: a
-- keyed digest (HMAC-SHA256 under the settings' search_key) of each, one row per case that has
-- one. SQL cannot compute the digests portably: the application writes them with every write of
-- the numbers and fills the rows of existing cases at start-up (services::digests::fill).
CREATE TABLE case_digests (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    phone TEXT,
    id_number TEXT
);
CREATE INDEX case_digests_phone ON case_digests (phone);
CREATE INDEX case_digests_id_number ON case_digests (id_number);
