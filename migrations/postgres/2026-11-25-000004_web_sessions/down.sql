DROP TABLE user_prefs;
DROP TABLE web_sessions;
