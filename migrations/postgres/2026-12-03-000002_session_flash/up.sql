-- A failed form's values and errors, kept for the next page of the session (post/redirect/get).
ALTER TABLE web_sessions ADD COLUMN flash TEXT;
