-- Issue 14 (time limits): the days a case's arbitration limitation counts from, when intake or
-- an edit records them: the day the worker knew or should have known of the infringement, and
-- the day the employment ended.
CREATE TABLE case_time_limits (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    rights_known_on DATE,
    employment_ended_on DATE
);
