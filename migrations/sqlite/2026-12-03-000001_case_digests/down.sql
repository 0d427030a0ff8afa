DROP TABLE case_digests;
