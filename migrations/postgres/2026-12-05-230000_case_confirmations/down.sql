DROP TABLE case_confirmations;
