ALTER TABLE web_sessions DROP COLUMN flash;
