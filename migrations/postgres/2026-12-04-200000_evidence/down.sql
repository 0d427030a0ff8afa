DROP TABLE evidence_chunks;
DROP TABLE evidence;
