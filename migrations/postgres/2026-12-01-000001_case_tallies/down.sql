DROP TRIGGER case_tallies_update ON cases;
DROP TRIGGER case_tallies_insert_delete ON cases;
DROP FUNCTION case_tallies_count();
DROP TABLE case_tallies;
