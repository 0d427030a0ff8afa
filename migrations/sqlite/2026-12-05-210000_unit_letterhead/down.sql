ALTER TABLE units DROP COLUMN seal_text;
ALTER TABLE units DROP COLUMN committee_phone;
ALTER TABLE units DROP COLUMN committee_address;
ALTER TABLE units DROP COLUMN committee_name;
