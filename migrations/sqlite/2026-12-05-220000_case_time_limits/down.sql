DROP TABLE case_time_limits;
