DROP TABLE reminders_sent;
DROP TABLE notifications;
DROP TABLE warnings;
