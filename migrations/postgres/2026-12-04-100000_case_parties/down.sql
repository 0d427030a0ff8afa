DROP TABLE party_digests;
DROP TABLE case_applicants;
ALTER TABLE enterprises DROP COLUMN phone;
ALTER TABLE enterprises DROP COLUMN legal_representative;
ALTER TABLE enterprises DROP COLUMN address;
