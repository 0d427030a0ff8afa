-- Issue 13 (the case file): each unit's letterhead on the documents it issues: the committee's
-- name (when not the unit's name followed by 劳动争议调解委员会), its address and phone, and the
-- text of its seal.
ALTER TABLE units ADD COLUMN committee_name TEXT;
ALTER TABLE units ADD COLUMN committee_address TEXT;
ALTER TABLE units ADD COLUMN committee_phone TEXT;
ALTER TABLE units ADD COLUMN seal_text TEXT;
