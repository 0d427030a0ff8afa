-- Directors and viewers who asked for the monthly report by email (SPEC.md, Notifications).
CREATE TABLE report_subscriptions (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
