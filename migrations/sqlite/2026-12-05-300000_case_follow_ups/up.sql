-- Issue 14 (回访): after a case is closed the center calls back or visits; each follow-up records
-- the day, who made it, how, the applicant's satisfaction and notes. A case may have several.
-- The cases table is at diesel's column limit, hence a table of its own.
CREATE TABLE case_follow_ups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    done_on DATE NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('phone', 'visit', 'other')),
    satisfaction TEXT NOT NULL
        CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    notes TEXT,
    by_user BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_follow_ups_case ON case_follow_ups (case_id);
-- The reports count follow-ups recorded in a period.
CREATE INDEX case_follow_ups_done_on ON case_follow_ups (done_on);
