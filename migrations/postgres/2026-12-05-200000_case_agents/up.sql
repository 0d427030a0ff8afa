-- Issue 13 (the case file): the agent who attends for the respondent (委托代理人) of a case, one at
-- most, with their position and phone. The cases table is at diesel's column limit, so the
-- case's further particulars live in tables of their own.
CREATE TABLE case_agents (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    name TEXT NOT NULL,
    position TEXT,
    phone TEXT
);
