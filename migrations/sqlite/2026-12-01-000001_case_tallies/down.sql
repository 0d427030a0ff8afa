DROP TRIGGER case_tallies_delete;
DROP TRIGGER case_tallies_update;
DROP TRIGGER case_tallies_insert;
DROP TABLE case_tallies;
