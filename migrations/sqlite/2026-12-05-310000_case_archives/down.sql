DROP TABLE archive_counters;
DROP TABLE case_archives;
