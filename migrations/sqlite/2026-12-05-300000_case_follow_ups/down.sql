DROP TABLE case_follow_ups;
